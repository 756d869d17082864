import type {ApiKey} from '@aws-sdk/client-api-gateway'

import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys} from '../../gateway/api-keys.js'
import {labelOf} from '../../model/resolve.js'
import {shownKey} from '../../ui/api-key.js'

export default class KeysDisable extends BaseCommand<typeof KeysDisable> {
  static override summary = 'Disable an API key: callers using it get 403 Forbidden; its plans and value are kept'
  static override examples = ['<%= config.bin %> keys disable acme-prod', '<%= config.bin %> keys disable 3kx9zq1abc --json']
  static override args = {key: Args.string({description: 'API key id or name', required: true})}

  async run(): Promise<ApiKey> {
    const key = await new ApiKeys(await this.apiGateway()).setEnabled(this.args.key, false)
    this.log(this.style.green(`Disabled API key ${labelOf(key)}`))
    return shownKey(key, false)
  }
}
