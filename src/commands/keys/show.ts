import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys, type KeyDetails} from '../../gateway/api-keys.js'
import {UsageReports} from '../../gateway/usage.js'
import {refOf} from '../../model/resolve.js'
import {renderKey, shownKey} from '../../ui/api-key.js'
import {type CurrentUsageJson, currentUsageJson, describeCurrentUsage} from '../../ui/usage.js'

export default class KeysShow extends BaseCommand<typeof KeysShow> {
  static override summary = 'Show one API key, the usage plans it is in, and its use of each this quota period'
  static override description = 'The value is masked (first four and last two characters) unless --show-values is given, on screen and in --json alike.'
  static override examples = ['<%= config.bin %> keys show acme-prod', '<%= config.bin %> keys show 3kx9zq1abc --show-values --json']
  static override args = {key: Args.string({description: 'API key id or name', required: true})}
  static override flags = {
    'show-values': Flags.boolean({description: 'print the key value in full instead of masked', default: false}),
  }

  async run(): Promise<KeyDetails & {currentUsage: CurrentUsageJson[]}> {
    const apigw = await this.apiGateway()
    const keys = new ApiKeys(apigw)
    const {apiKey, usagePlans} = await keys.show(this.args.key, {includeValue: true})
    const {usage, warnings} = await new UsageReports(apigw, keys.plans, keys).ofKey(refOf(apiKey), usagePlans)
    const shown = shownKey(apiKey, this.flags['show-values'])
    const usageFields = usage.map((u): [string, string] => [`Usage in ${u.usagePlan.name ?? u.usagePlan.id}`, describeCurrentUsage(u.period, u.key)])
    this.log(renderKey(shown, usagePlans, this.style, usageFields))
    for (const warning of warnings) this.warning(warning)
    return {apiKey: shown, usagePlans, currentUsage: usage.map(currentUsageJson)}
  }
}
