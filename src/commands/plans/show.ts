import type {UsagePlanKey} from '@aws-sdk/client-api-gateway'

import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {type PlanDetails, UsagePlans} from '../../gateway/usage-plans.js'
import {UsageReports} from '../../gateway/usage.js'
import {maskKeyValue} from '../../model/api-keys.js'
import {labelOf} from '../../model/resolve.js'
import {formatMethodThrottles, planLimitFields} from '../../ui/format.js'
import {renderFields, renderTable} from '../../ui/table.js'
import {describePeriodShown, type KeyFiguresJson, keyFiguresJson, USAGE_COLUMNS, usageCells} from '../../ui/usage.js'

/** `plans show --json`: the plan, its APIs, and its keys each with this period's use (null where AWS reports none). */
export interface ShownPlan extends PlanDetails {
  apiKeys: Array<UsagePlanKey & {currentUsage: KeyFiguresJson | null}>
}

export default class PlansShow extends BaseCommand<typeof PlansShow> {
  static override summary = "Show one usage plan: limits, stages with per-method throttles, and keys with this period's use"
  static override description = 'Key values are masked (first four and last two characters) unless --show-values is given, in the table and in --json alike.'
  static override examples = ['<%= config.bin %> plans show gold', '<%= config.bin %> plans show 9q2xbz --json']
  static override args = {plan: Args.string({description: 'usage plan id or name', required: true})}
  static override flags = {
    'show-values': Flags.boolean({description: 'print API key values in full instead of masked', default: false}),
  }

  async run(): Promise<ShownPlan> {
    const apigw = await this.apiGateway()
    const plans = new UsagePlans(apigw)
    const details = await plans.show(this.args.plan)
    const plan = details.usagePlan
    const usage = await new UsageReports(apigw, plans).ofPlan(plan, details.apiKeys)
    const usageOf = new Map(usage.keys.map((k) => [k.id, k]))
    const apiKeys = details.apiKeys.map((k) => {
      const figures = usageOf.get(k.id!)
      return {...k, value: this.flags['show-values'] ? k.value : maskKeyValue(k.value), currentUsage: figures ? keyFiguresJson(figures) : null}
    })
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
    this.log(this.style.bold(`API keys (${apiKeys.length})`) + (apiKeys.length > 0 ? `, ${describePeriodShown(usage)}` : ''))
    if (apiKeys.length > 0)
      this.log(
        renderTable(
          ['ID', 'Name', 'Value', ...USAGE_COLUMNS],
          apiKeys.map((k) => [k.id, k.name, k.value, ...usageCells(usageOf.get(k.id!), this.style)]),
          this.style,
        ),
      )
    for (const warning of usage.warnings) this.warning(warning)
    return {...details, apiKeys}
  }
}
