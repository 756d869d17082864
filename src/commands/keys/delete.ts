import type {ApiKey} from '@aws-sdk/client-api-gateway'

import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys} from '../../gateway/api-keys.js'
import {labelOf} from '../../model/resolve.js'
import {shownKey} from '../../ui/api-key.js'
import {confirmOrRefuse} from '../../ui/prompt.js'

export default class KeysDelete extends BaseCommand<typeof KeysDelete> {
  static override summary = 'Delete an API key'
  static override description = `The key leaves every usage plan it was in, and callers using it get 403 Forbidden. To stop a key for a while instead, use keys disable.
On a terminal it asks for confirmation unless --yes is given; without a terminal it never asks and needs --yes.`

  static override examples = ['<%= config.bin %> keys delete acme-old', '<%= config.bin %> keys delete 3kx9zq1abc --yes']
  static override args = {key: Args.string({description: 'API key id or name', required: true})}
  static override flags = {
    yes: Flags.boolean({char: 'y', description: 'do not ask for confirmation'}),
  }

  async run(): Promise<ApiKey> {
    const keys = new ApiKeys(await this.apiGateway())
    const key = await keys.resolve(this.args.key)
    await confirmOrRefuse(`Delete API key ${labelOf(key)}?`, {yes: this.flags.yes})
    const deleted = await keys.delete(key.id!)
    this.log(this.style.green(`Deleted API key ${labelOf(deleted)}`))
    return shownKey(deleted, false)
  }
}
