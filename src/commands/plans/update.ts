import type {PatchOperation, UsagePlan} from '@aws-sdk/client-api-gateway'

import {Args, Flags} from '@oclif/core'

import {changesSomething, type PlanChange} from '../../model/usage-plan.js'

import {BaseCommand} from '../../base-command.js'
import * as flags from '../../flags.js'
import {UsagePlans} from '../../gateway/usage-plans.js'
import {badInput} from '../../model/errors.js'
import {labelOf} from '../../model/resolve.js'
import {formatQuota, formatThrottle} from '../../ui/format.js'
import {renderTable} from '../../ui/table.js'

export default class PlansUpdate extends BaseCommand<typeof PlansUpdate> {
  static override summary = 'Change a usage plan: name, description, throttle, quota'
  static override description = 'Only the fields that differ from the plan as it is are sent, all in one UpdateUsagePlan call.'
  static override examples = [
    '<%= config.bin %> plans update gold --rate 200 --burst 400',
    '<%= config.bin %> plans update gold --quota 2000000/MONTH --dry-run',
    '<%= config.bin %> plans update free --no-throttle',
  ]

  static override args = {plan: Args.string({description: 'usage plan id or name', required: true})}
  static override flags = {
    name: flags.name({description: 'new plan name'}),
    description: Flags.string({description: 'new description'}),
    rate: flags.rate({description: 'requests per second per key', exclusive: ['no-throttle']}),
    burst: flags.burst({description: 'burst capacity per key', exclusive: ['no-throttle']}),
    quota: flags.quota({description: 'quota as LIMIT/PERIOD, e.g. 5000/MONTH', exclusive: ['no-quota']}),
    'quota-offset': flags.quotaOffset({description: 'requests taken off the quota in the first period', exclusive: ['no-quota']}),
    'no-throttle': Flags.boolean({description: 'remove the plan throttle'}),
    'no-quota': Flags.boolean({description: 'remove the plan quota'}),
    'dry-run': Flags.boolean({description: 'print the patch operations and send nothing'}),
  }

  async run(): Promise<{plan: UsagePlan; operations: PatchOperation[]; applied: boolean}> {
    const f = this.flags
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
    }
    if (!changesSomething(change)) {
      throw badInput('Nothing to change: give at least one of --name, --description, --rate, --burst, --quota, --quota-offset, --no-throttle, --no-quota')
    }

    const result = await new UsagePlans(await this.apiGateway()).update(this.args.plan, change, {dryRun: f['dry-run']})
    const {plan, operations, applied} = result
    if (operations.length === 0) {
      this.log(`Usage plan ${labelOf(plan)} already has these settings; nothing sent`)
    } else {
      this.log(
        renderTable(
          ['Op', 'Path', 'Value'],
          operations.map((o) => [o.op, o.path, o.value]),
          this.style,
        ),
      )
      if (applied)
        this.log(this.style.green(`Updated usage plan ${labelOf(plan)}: throttle ${formatThrottle(plan.throttle)}, quota ${formatQuota(plan.quota)}`))
      else this.log(this.style.yellow('Dry run: nothing was sent'))
    }

    return result
  }
}
