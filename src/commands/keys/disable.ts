import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys, type KeyChange} from '../../gateway/api-keys.js'
import {labelOf} from '../../model/resolve.js'
import {shownKey} from '../../ui/api-key.js'
import {renderDryRun} from '../../ui/calls.js'

export default class KeysDisable extends BaseCommand<typeof KeysDisable> {
  static override summary = 'Disable an API key: callers using it get 403 Forbidden; its plans and value are kept'
  static override description = 'One UpdateApiKey call; none when the key is already disabled (nothing changed, exit 0).'
  static override examples = ['<%= config.bin %> keys disable acme-prod', '<%= config.bin %> keys disable 3kx9zq1abc --json']
  static override args = {key: Args.string({description: 'API key id or name', required: true})}
  static override flags = {
    'dry-run': Flags.boolean({description: 'print the call that would be sent; send nothing', default: false}),
  }

  async run(): Promise<KeyChange> {
    const result = await new ApiKeys(await this.apiGateway()).setEnabled(this.args.key, false, {dryRun: this.flags['dry-run']})
    const key = result.apiKey!
    if (result.operations.length === 0) this.log(`API key ${labelOf(key)} is already disabled; nothing changed`)
    else if (result.dryRun) this.log(renderDryRun(result.calls, this.style))
    else this.log(this.style.green(`Disabled API key ${labelOf(key)}`))
    return {...result, apiKey: shownKey(key, false)}
  }
}
