import {Args, Flags} from '@oclif/core'

import {changesSomething, type PlanChange} from '../../model/usage-plan.js'

import {BaseCommand} from '../../base-command.js'
import {type UpdatePlanResult, UsagePlans} from '../../gateway/usage-plans.js'
import {badInput} from '../../model/errors.js'
import * as flags from '../../flags.js'
import {labelOf} from '../../model/resolve.js'
import {renderPatchResult} from '../../ui/calls.js'
import {formatQuota, formatThrottle} from '../../ui/format.js'

/** Flags that cannot be combined, each pair named as the error will name it. */
const EXCLUSIVE: Array<[string, string[]]> = [
  ['no-throttle', ['rate', 'burst']],
  ['no-quota', ['quota', 'quota-offset']],
  ['no-product-code', ['product-code']],
]

export default class PlansUpdate extends BaseCommand<typeof PlansUpdate> {
  static override summary = 'Change a usage plan: name, description, throttle, quota, product code'
  static override description = 'Only the fields that differ from the plan as it is are sent, all in one UpdateUsagePlan call.'
  static override examples = [
    '<%= config.bin %> plans update gold --rate 200 --burst 400',
    '<%= config.bin %> plans update gold --quota 2000000/MONTH --dry-run',
    '<%= config.bin %> plans update free --no-throttle',
    '<%= config.bin %> plans update partner --product-code prod-a1b2c3',
  ]

  static override args = {plan: Args.string({description: 'usage plan id or name', required: true})}
  // --no-throttle and the like are checked against --rate etc. in run(): oclif's `exclusive` garbles the usage line for flag groups.
  static override flags = {
    name: flags.name({description: 'new plan name'}),
    description: Flags.string({description: 'new description'}),
    rate: flags.rate({description: 'requests per second per key'}),
    burst: flags.burst({description: 'burst capacity per key'}),
    quota: flags.quota({description: 'quota as LIMIT/PERIOD, e.g. 5000/MONTH'}),
    'quota-offset': flags.quotaOffset({description: 'requests taken off the quota in the first period'}),
    'product-code': Flags.string({description: 'AWS Marketplace product code'}),
    'no-throttle': Flags.boolean({description: 'remove the plan throttle (not with --rate or --burst)', default: false}),
    'no-quota': Flags.boolean({description: 'remove the plan quota (not with --quota or --quota-offset)', default: false}),
    'no-product-code': Flags.boolean({description: 'remove the product code (not with --product-code)', default: false}),
    'dry-run': Flags.boolean({description: 'print the patch operations and send nothing', default: false}),
  }

  async run(): Promise<UpdatePlanResult> {
    const f = this.flags
    for (const [flag, others] of EXCLUSIVE) {
      const clash = others.find((other) => f[other as keyof typeof f] !== undefined)
      if (f[flag as keyof typeof f] && clash) throw badInput(`--${flag} cannot be combined with --${clash}`)
    }

    const change: PlanChange = {
      name: f.name,
      description: f.description,
      rateLimit: f.rate,
      burstLimit: f.burst,
      quotaLimit: f.quota?.limit,
      quotaPeriod: f.quota?.period,
      quotaOffset: f['quota-offset'],
      removeThrottle: f['no-throttle'],
      removeQuota: f['no-quota'],
      productCode: f['product-code'],
      removeProductCode: f['no-product-code'],
    }
    if (!changesSomething(change)) {
      throw badInput(
        'Nothing to change: give at least one of --name, --description, --rate, --burst, --quota, --quota-offset, --product-code, --no-throttle, --no-quota, --no-product-code',
      )
    }

    const result = await new UsagePlans(await this.apiGateway()).update(this.args.plan, change, {dryRun: f['dry-run']})
    const plan = result.usagePlan
    this.log(
      renderPatchResult(result, `Usage plan ${labelOf(plan)}`, this.style, () => [
        this.style.green(`Updated usage plan ${labelOf(plan)}: throttle ${formatThrottle(plan.throttle)}, quota ${formatQuota(plan.quota)}`),
      ]),
    )

    return result
  }
}
