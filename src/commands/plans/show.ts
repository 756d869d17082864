import type {UsagePlan, UsagePlanKey} from '@aws-sdk/client-api-gateway'

import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {UsagePlans} from '../../gateway/usage-plans.js'
import {formatMethodThrottles, formatStage, planLimitFields} from '../../ui/format.js'
import {maskKeyValue} from '../../model/api-keys.js'
import {renderFields, renderTable} from '../../ui/table.js'

export interface PlanDetails extends UsagePlan {
  keys: UsagePlanKey[]
}

export default class PlansShow extends BaseCommand<typeof PlansShow> {
  static override summary = 'Show one usage plan: limits, stages with per-method throttles, and keys'
  static override examples = ['<%= config.bin %> plans show gold', '<%= config.bin %> plans show 9q2xbz --json']
  static override args = {plan: Args.string({description: 'usage plan id or name', required: true})}
  static override flags = {
    'show-values': Flags.boolean({description: 'print API key values in full instead of masked'}),
  }

  async run(): Promise<PlanDetails> {
    const plans = new UsagePlans(await this.apiGateway())
    const plan = await plans.resolve(this.args.plan)
    const keys = await plans.keys(plan.id!)
    const shown = this.flags['show-values'] ? keys : keys.map((k) => ({...k, value: maskKeyValue(k.value)}))

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
    this.log(this.style.bold(`API keys (${keys.length})`))
    if (keys.length > 0)
      this.log(
        renderTable(
          ['ID', 'Name', 'Value'],
          shown.map((k) => [k.id, k.name, k.value]),
          this.style,
        ),
      )
    return {...plan, keys: shown}
  }
}
