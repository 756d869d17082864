import type {ApiKey} from '@aws-sdk/client-api-gateway'

import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys} from '../../gateway/api-keys.js'
import {labelOf} from '../../model/resolve.js'
import {shownKey} from '../../ui/api-key.js'

export default class KeysEnable extends BaseCommand<typeof KeysEnable> {
  static override summary = 'Enable an API key, so callers can use it again'
  static override examples = ['<%= config.bin %> keys enable acme-prod', '<%= config.bin %> keys enable 3kx9zq1abc --json']
  static override args = {key: Args.string({description: 'API key id or name', required: true})}

  async run(): Promise<ApiKey> {
    const key = await new ApiKeys(await this.apiGateway()).setEnabled(this.args.key, true)
    this.log(this.style.green(`Enabled API key ${labelOf(key)}`))
    return shownKey(key, false)
  }
}
