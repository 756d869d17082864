import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys, type KeyChange} from '../../gateway/api-keys.js'
import {labelOf} from '../../model/resolve.js'
import {shownKey} from '../../ui/api-key.js'
import {renderDryRun} from '../../ui/calls.js'
import {confirmOrRefuse} from '../../ui/prompt.js'

export default class KeysDelete extends BaseCommand<typeof KeysDelete> {
  static override summary = 'Delete an API key'
  static override description = `The key leaves every usage plan it was in, and callers using it get 403 Forbidden. To stop a key for a while instead, use keys disable.
On a terminal it asks for confirmation unless --yes is given; without a terminal it never asks and needs --yes (--dry-run needs neither).
With --if-exists, a key that does not exist is not an error: nothing changes and the exit code is 0.`

  static override examples = [
    '<%= config.bin %> keys delete acme-old',
    '<%= config.bin %> keys delete 3kx9zq1abc --yes',
    '<%= config.bin %> keys delete trial-key --if-exists --yes --json',
  ]

  static override args = {key: Args.string({description: 'API key id or name', required: true})}
  static override flags = {
    yes: Flags.boolean({char: 'y', description: 'do not ask for confirmation', default: false}),
    'if-exists': Flags.boolean({description: 'a key that does not exist is not an error', default: false}),
    'dry-run': Flags.boolean({description: 'print the call that would be sent; send nothing', default: false}),
  }

  async run(): Promise<KeyChange> {
    const f = this.flags
    const keys = new ApiKeys(await this.apiGateway())
    const planned = await keys.delete(this.args.key, {ifExists: f['if-exists'], dryRun: true})
    if (!planned.apiKey) {
      this.log(`No API key "${this.args.key}"; nothing to delete`)
      return {...planned, dryRun: f['dry-run']}
    }

    if (f['dry-run']) {
      this.log(renderDryRun(planned.calls, this.style))
      return {...planned, apiKey: shownKey(planned.apiKey, false)}
    }

    await confirmOrRefuse(`Delete API key ${labelOf(planned.apiKey)}?`, {yes: f.yes})
    const result = await keys.delete(planned.apiKey.id!)
    this.log(this.style.green(`Deleted API key ${labelOf(planned.apiKey)}`))
    return {...result, apiKey: shownKey(planned.apiKey, false)}
  }
}
