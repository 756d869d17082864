import type {UsagePlan} from '@aws-sdk/client-api-gateway'

import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {UsagePlans} from '../../gateway/usage-plans.js'
import {parseName, parseQuota, parseQuotaOffset, parseStageMethodThrottle, parseStageRef, parseTag, throttleFrom} from '../../model/flag-values.js'
import {formatStage, planLimitFields} from '../../ui/format.js'
import {renderFields} from '../../ui/table.js'
import {labelOf} from '../../model/resolve.js'

export default class PlansCreate extends BaseCommand<typeof PlansCreate> {
  static override summary = 'Create a usage plan with throttle, quota and API stages'
  static override description = `Everything is checked before anything is sent: the values, that each stage exists, and that each throttled method exists on its API.
A throttle needs both --rate and --burst. API may be given by id or by name.`

  static override examples = [
    '<%= config.bin %> plans create --name gold --rate 100 --burst 200 --quota 1000000/MONTH --stage pets-api:prod',
    '<%= config.bin %> plans create --name free --rate 1 --burst 5 --quota 1000/day --stage a1b2c3d4e5:prod --method-throttle a1b2c3d4e5:prod:/pets/POST=0.5/1',
    '<%= config.bin %> plans create --name gold --if-not-exists --json',
  ]

  static override flags = {
    name: Flags.string({description: 'plan name', required: true}),
    description: Flags.string({description: 'plan description'}),
    rate: Flags.string({description: 'steady-state requests per second per key (token refill rate)'}),
    burst: Flags.string({description: 'burst capacity per key (token bucket size), a whole number'}),
    quota: Flags.string({description: 'requests per key per period, as LIMIT/PERIOD (DAY, WEEK or MONTH), e.g. 5000/MONTH'}),
    'quota-offset': Flags.string({description: 'requests taken off the quota in the first period', dependsOn: ['quota']}),
    stage: Flags.string({description: 'API stage to cover, as API:STAGE (repeatable)', multiple: true, default: []}),
    'method-throttle': Flags.string({description: 'per-method throttle, as API:STAGE:/path/METHOD=RATE/BURST (repeatable)', multiple: true, default: []}),
    tag: Flags.string({description: 'tag as KEY=VALUE (repeatable)', multiple: true, default: []}),
    'if-not-exists': Flags.boolean({description: 'if a plan with this name exists, return it instead of failing'}),
  }

  async run(): Promise<UsagePlan & {created: boolean}> {
    const f = this.flags
    const quota = f.quota === undefined ? undefined : parseQuota(f.quota)
    if (quota && f['quota-offset'] !== undefined) quota.offset = parseQuotaOffset(f['quota-offset'], quota.limit)
    const input = {
      name: parseName(f.name),
      description: f.description,
      throttle: throttleFrom(f.rate, f.burst),
      quota,
      stages: f.stage.map((s) => parseStageRef(s)),
      methodThrottles: f['method-throttle'].map((m) => parseStageMethodThrottle(m)),
      tags: Object.fromEntries(f.tag.map((t) => parseTag(t))),
      ifNotExists: f['if-not-exists'],
    }

    const {plan, created} = await new UsagePlans(await this.apiGateway()).create(input)
    this.log(created ? this.style.green(`Created usage plan ${labelOf(plan)}`) : `Usage plan ${labelOf(plan)} already exists; left unchanged`)
    this.log(
      renderFields(
        [...planLimitFields(plan), ['Stages', (plan.apiStages ?? []).map(formatStage).join(', ')]],
        this.style,
      ),
    )
    if (created && (plan.apiStages ?? []).length === 0) this.note('Next: attach a stage with `gwctl stages attach --plan ' + plan.id + ' --api API --stage STAGE`')
    return {...plan, created}
  }
}
