import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {type CreatePlanResult, UsagePlans} from '../../gateway/usage-plans.js'
import {labelOf} from '../../model/resolve.js'
import * as flags from '../../flags.js'
import {commandLine, placeholder} from '../../model/command-line.js'
import {throttleFrom} from '../../model/flag-values.js'
import {renderDryRun} from '../../ui/calls.js'
import {formatDifference, formatStage, planLimitFields} from '../../ui/format.js'
import {renderFields} from '../../ui/table.js'

export default class PlansCreate extends BaseCommand<typeof PlansCreate> {
  static override summary = 'Create a usage plan with throttle, quota and API stages'
  static override description = `Everything is checked before anything is sent: the values, that each stage exists, and that each throttled method exists on its API.
A throttle needs both --rate and --burst. API may be given by id or by name.
--product-code (AWS Marketplace) cannot be given to CreateUsagePlan, so gwctl sets it with an UpdateUsagePlan call right after.
With --if-not-exists, an existing plan of that name is returned unchanged; where its settings differ from the ones given, gwctl warns and lists the differences.`

  static override examples = [
    '<%= config.bin %> plans create --name gold --rate 100 --burst 200 --quota 1000000/MONTH --stage pets-api:prod',
    '<%= config.bin %> plans create --name free --rate 1 --burst 5 --quota 1000/day --stage a1b2c3d4e5:prod --method-throttle a1b2c3d4e5:prod:/pets/POST=0.5/1',
    '<%= config.bin %> plans create --name gold --rate 100 --burst 200 --if-not-exists --json',
    '<%= config.bin %> plans create --name partner --product-code prod-a1b2c3 --tag team=payments --dry-run',
  ]

  static override flags = {
    name: flags.name({description: 'plan name', required: true}),
    description: Flags.string({description: 'plan description'}),
    rate: flags.rate({description: 'steady-state requests per second per key (token refill rate)'}),
    burst: flags.burst({description: 'burst capacity per key (token bucket size), a whole number'}),
    quota: flags.quota({description: 'requests per key per period, as LIMIT/PERIOD (DAY, WEEK or MONTH), e.g. 5000/MONTH'}),
    'quota-offset': flags.quotaOffset({description: 'requests taken off the quota in the first period', dependsOn: ['quota']}),
    stage: flags.stageRef({description: 'API stage to cover, as API:STAGE (repeatable)', multiple: true}),
    'method-throttle': flags.stageMethodThrottle({
      description: 'per-method throttle, as API:STAGE:/path/METHOD=RATE/BURST (repeatable, once per method)',
      multiple: true,
    }),
    tag: flags.tag({description: 'tag as KEY=VALUE (repeatable)', multiple: true}),
    'product-code': Flags.string({description: 'AWS Marketplace product code of the SaaS product the plan is sold as'}),
    'if-not-exists': Flags.boolean({
      description: 'if a plan with this name exists, return it unchanged instead of failing (warning where it differs)',
      default: false,
    }),
    'dry-run': Flags.boolean({description: 'check everything and print the calls that would be sent; send nothing', default: false}),
  }

  async run(): Promise<CreatePlanResult> {
    const f = this.flags
    const result = await new UsagePlans(await this.apiGateway()).create({
      name: f.name,
      description: f.description,
      throttle: throttleFrom(f.rate, f.burst),
      quota: f.quota && {...f.quota, offset: f['quota-offset']},
      stages: f.stage ?? [],
      methodThrottles: f['method-throttle'] ?? [],
      tags: Object.fromEntries((f.tag ?? []).map(({key, value}) => [key, value])),
      productCode: f['product-code'],
      ifNotExists: f['if-not-exists'],
      dryRun: f['dry-run'],
    })

    const plan = result.usagePlan
    if (result.dryRun && !plan.id) {
      this.log(renderDryRun(result.calls, this.style))
      return result
    }

    if (result.changed) this.log(this.style.green(`Created usage plan ${labelOf(plan)}`))
    else this.log(`Usage plan ${labelOf(plan)} already exists; left unchanged`)
    if (result.differences.length > 0) {
      this.warning(
        `Usage plan ${labelOf(plan)} differs from the settings given, and was left unchanged: ${result.differences.map(formatDifference).join('; ')}`,
      )
    }

    this.log(renderFields([...planLimitFields(plan), ['Stages', (plan.apiStages ?? []).map(formatStage).join(', ')]], this.style))
    if (result.changed && (plan.apiStages ?? []).length === 0) {
      this.note(`Next: attach a stage with \`${commandLine('stages attach', {plan: plan.id!, api: placeholder('API'), stage: placeholder('STAGE')})}\``)
    }
    return result
  }
}
