import type {UsagePlan, UsagePlanKey} from '@aws-sdk/client-api-gateway'

import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {UsagePlans} from '../../gateway/usage-plans.js'
import {UsageReports} from '../../gateway/usage.js'
import {formatMethodThrottles, formatStage, planLimitFields} from '../../ui/format.js'
import {maskKeyValue} from '../../model/api-keys.js'
import {renderFields, renderTable} from '../../ui/table.js'
import {describePeriodShown, keyFiguresJson, USAGE_COLUMNS, usageCells} from '../../ui/usage.js'

export interface PlanDetails extends UsagePlan {
  keys: Array<UsagePlanKey & {currentUsage: ReturnType<typeof keyFiguresJson> | null}>
  warnings: string[]
}

export default class PlansShow extends BaseCommand<typeof PlansShow> {
  static override summary = "Show one usage plan: limits, stages with per-method throttles, and keys with this period's use"
  static override examples = ['<%= config.bin %> plans show gold', '<%= config.bin %> plans show 9q2xbz --json']
  static override args = {plan: Args.string({description: 'usage plan id or name', required: true})}
  static override flags = {
    'show-values': Flags.boolean({description: 'print API key values in full instead of masked'}),
  }

  async run(): Promise<PlanDetails> {
    const apigw = await this.apiGateway()
    const plans = new UsagePlans(apigw)
    const plan = await plans.resolve(this.args.plan)
    const keys = await plans.keys(plan.id!)
    const usage = await new UsageReports(apigw, plans).ofPlan(plan, keys)
    const usageOf = new Map(usage.keys.map((k) => [k.id, k]))
    const shown = keys.map((k) => ({...k, value: this.flags['show-values'] ? k.value : maskKeyValue(k.value)}))

    this.log(renderFields([['ID', plan.id], ['Name', plan.name], ['Description', plan.description], ...planLimitFields(plan)], this.style))
    this.log('')
    this.log(this.style.bold(`Stages (${plan.apiStages?.length ?? 0})`))
    if (plan.apiStages?.length) {
      this.log(
        renderTable(
          ['API:Stage', 'Per-method throttles'],
          plan.apiStages.map((s) => [formatStage(s), formatMethodThrottles(s)]),
          this.style,
        ),
      )
    }

    this.log('')
    this.log(this.style.bold(`API keys (${keys.length})`) + (keys.length > 0 ? `, ${describePeriodShown(usage)}` : ''))
    if (keys.length > 0) {
      this.log(
        renderTable(
          ['ID', 'Name', 'Value', ...USAGE_COLUMNS],
          shown.map((k) => [k.id, k.name, k.value, ...usageCells(usageOf.get(k.id!), this.style)]),
          this.style,
        ),
      )
    }

    for (const warning of usage.warnings) this.logToStderr(this.style.yellow(`Warning: ${warning}`))
    const currentUsage = (id?: string) => (usageOf.has(id!) ? keyFiguresJson(usageOf.get(id!)!) : null)
    return {...plan, keys: shown.map((k) => ({...k, currentUsage: currentUsage(k.id)})), warnings: usage.warnings}
  }
}
