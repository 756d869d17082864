import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys, type KeyDetails} from '../../gateway/api-keys.js'
import {renderKey, shownKey} from '../../ui/api-key.js'

export default class KeysShow extends BaseCommand<typeof KeysShow> {
  static override summary = 'Show one API key and the usage plans it is in'
  static override description = 'The value is masked (first four and last two characters) unless --show-values is given, on screen and in --json alike.'
  static override examples = ['<%= config.bin %> keys show acme-prod', '<%= config.bin %> keys show 3kx9zq1abc --show-values --json']
  static override args = {key: Args.string({description: 'API key id or name', required: true})}
  static override flags = {
    'show-values': Flags.boolean({description: 'print the key value in full instead of masked', default: false}),
  }

  async run(): Promise<KeyDetails> {
    const {apiKey, usagePlans} = await new ApiKeys(await this.apiGateway()).show(this.args.key, {includeValue: true})
    const shown = shownKey(apiKey, this.flags['show-values'])
    this.log(renderKey(shown, usagePlans, this.style))
    return {apiKey: shown, usagePlans}
  }
}
