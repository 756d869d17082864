import type {ApiKey} from '@aws-sdk/client-api-gateway'

import {Args, Flags} from '@oclif/core'

import type {Ref} from '../../model/resolve.js'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys} from '../../gateway/api-keys.js'
import {renderKey, shownKey} from '../../ui/api-key.js'

export default class KeysShow extends BaseCommand<typeof KeysShow> {
  static override summary = 'Show one API key and the usage plans it is in'
  static override examples = ['<%= config.bin %> keys show acme-prod', '<%= config.bin %> keys show 3kx9zq1abc --show-values --json']
  static override args = {key: Args.string({description: 'API key id or name', required: true})}
  static override flags = {
    'show-values': Flags.boolean({description: 'print the key value in full instead of masked'}),
  }

  async run(): Promise<ApiKey & {usagePlans: Ref[]}> {
    const {key, usagePlans} = await new ApiKeys(await this.apiGateway()).show(this.args.key, {includeValue: true})
    const shown = shownKey(key, this.flags['show-values'])
    this.log(renderKey(shown, usagePlans, this.style))
    return {...shown, usagePlans}
  }
}
