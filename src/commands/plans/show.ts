import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {type PlanDetails, UsagePlans} from '../../gateway/usage-plans.js'
import {labelOf} from '../../model/resolve.js'
import {formatMethodThrottles, planLimitFields} from '../../ui/format.js'
import {maskKeyValue} from '../../ui/mask.js'
import {renderFields, renderTable} from '../../ui/table.js'

export default class PlansShow extends BaseCommand<typeof PlansShow> {
  static override summary = 'Show one usage plan: limits, stages with per-method throttles, and keys'
  static override description = 'Key values are masked (first four and last two characters) unless --show-values is given, in the table and in --json alike.'
  static override examples = ['<%= config.bin %> plans show gold', '<%= config.bin %> plans show 9q2xbz --json']
  static override args = {plan: Args.string({description: 'usage plan id or name', required: true})}
  static override flags = {
    'show-values': Flags.boolean({description: 'print API key values in full instead of masked', default: false}),
  }

  async run(): Promise<PlanDetails> {
    const details = await new UsagePlans(await this.apiGateway()).show(this.args.plan)
    const plan = details.usagePlan
    const apiKeys = this.flags['show-values'] ? details.apiKeys : details.apiKeys.map((k) => ({...k, value: maskKeyValue(k.value)}))
    const apiName = (id: string | undefined) => labelOf(details.restApis.find((api) => api.id === id) ?? {id})

    this.log(renderFields([['ID', plan.id], ['Name', plan.name], ['Description', plan.description], ...planLimitFields(plan)], this.style))
    this.log('')
    this.log(this.style.bold(`Stages (${plan.apiStages?.length ?? 0})`))
    if (plan.apiStages?.length) {
      this.log(
        renderTable(
          ['API', 'Stage', 'Per-method throttles'],
          plan.apiStages.map((s) => [apiName(s.apiId), s.stage, formatMethodThrottles(s)]),
          this.style,
        ),
      )
    }

    this.log('')
    this.log(this.style.bold(`API keys (${apiKeys.length})`))
    if (apiKeys.length > 0)
      this.log(
        renderTable(
          ['ID', 'Name', 'Value'],
          apiKeys.map((k) => [k.id, k.name, k.value]),
          this.style,
        ),
      )
    return {...details, apiKeys}
  }
}
