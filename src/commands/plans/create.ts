import type {UsagePlan} from '@aws-sdk/client-api-gateway'

import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import * as flags from '../../flags.js'
import {UsagePlans} from '../../gateway/usage-plans.js'
import {commandLine, placeholder} from '../../model/command-line.js'
import {throttleFrom} from '../../model/flag-values.js'
import {labelOf} from '../../model/resolve.js'
import {formatStage, planLimitFields} from '../../ui/format.js'
import {renderFields} from '../../ui/table.js'

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
    name: flags.name({description: 'plan name', required: true}),
    description: Flags.string({description: 'plan description'}),
    rate: flags.rate({description: 'steady-state requests per second per key (token refill rate)'}),
    burst: flags.burst({description: 'burst capacity per key (token bucket size), a whole number'}),
    quota: flags.quota({description: 'requests per key per period, as LIMIT/PERIOD (DAY, WEEK or MONTH), e.g. 5000/MONTH'}),
    'quota-offset': flags.quotaOffset({description: 'requests taken off the quota in the first period', dependsOn: ['quota']}),
    stage: flags.stageRef({description: 'API stage to cover, as API:STAGE (repeatable)', multiple: true, default: []}),
    'method-throttle': flags.stageMethodThrottle({
      description: 'per-method throttle, as API:STAGE:/path/METHOD=RATE/BURST (repeatable)',
      multiple: true,
      default: [],
    }),
    tag: flags.tag({description: 'tag as KEY=VALUE (repeatable)', multiple: true, default: []}),
    'if-not-exists': Flags.boolean({description: 'if a plan with this name exists, return it instead of failing'}),
  }

  async run(): Promise<UsagePlan & {created: boolean}> {
    const f = this.flags
    const {plan, created} = await new UsagePlans(await this.apiGateway()).create({
      name: f.name,
      description: f.description,
      throttle: throttleFrom(f.rate, f.burst),
      quota: f.quota && {...f.quota, offset: f['quota-offset']},
      stages: f.stage,
      methodThrottles: f['method-throttle'],
      tags: Object.fromEntries(f.tag.map(({key, value}) => [key, value])),
      ifNotExists: f['if-not-exists'],
    })
    this.log(created ? this.style.green(`Created usage plan ${labelOf(plan)}`) : `Usage plan ${labelOf(plan)} already exists; left unchanged`)
    this.log(renderFields([...planLimitFields(plan), ['Stages', (plan.apiStages ?? []).map(formatStage).join(', ')]], this.style))
    if (created && (plan.apiStages ?? []).length === 0) {
      this.note(`Next: attach a stage with \`${commandLine('stages attach', {plan: plan.id, api: placeholder('API'), stage: placeholder('STAGE')})}\``)
    }

    return {...plan, created}
  }
}
