import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {PlanStages, type StageChange} from '../../gateway/plan-stages.js'
import {badInput} from '../../model/errors.js'
import * as flags from '../../flags.js'
import {labelOf} from '../../model/resolve.js'
import {renderDryRun} from '../../ui/calls.js'
import {formatMethodThrottles} from '../../ui/format.js'

export default class StagesUpdate extends BaseCommand<typeof StagesUpdate> {
  static override summary = "Change a plan's per-method throttles on a stage it covers, in place"
  static override description = `The stage stays covered, so no key loses access (unlike detaching and attaching it again). Everything goes in one UpdateUsagePlan call, with AWS's per-method patch paths: replace /apiStages/API:STAGE/throttle/PATH/METHOD/rateLimit (and /burstLimit) to set one, remove /apiStages/API:STAGE/throttle/PATH/METHOD to remove one.
Each method set must exist on the API. A throttle already at the limits given, or a removal of a method that has none, sends nothing for that method. A method may be named once.`

  static override examples = [
    '<%= config.bin %> stages update --plan gold --api pets-api --stage prod --method-throttle /pets/POST=2/4',
    '<%= config.bin %> stages update --plan free --api pets-api --stage prod --method-throttle //GET=5/10 --remove-method-throttle /pets/POST',
    '<%= config.bin %> stages update --plan free --api a1b2c3d4e5 --stage prod --remove-method-throttle /pets/GET --dry-run',
  ]

  static override flags = {
    plan: Flags.string({description: 'usage plan id or name', required: true}),
    api: Flags.string({description: 'REST API id or name', required: true}),
    stage: flags.stageName({description: 'stage name', required: true}),
    'method-throttle': flags.methodThrottle({
      description: 'per-method throttle to set, as /path/METHOD=RATE/BURST; //GET is the root (repeatable, once per method)',
      multiple: true,
    }),
    'remove-method-throttle': flags.methodRef({description: 'per-method throttle to remove, as /path/METHOD (repeatable)', multiple: true}),
    'dry-run': Flags.boolean({description: 'print the patch that would be sent; send nothing', default: false}),
  }

  async run(): Promise<StageChange> {
    const f = this.flags
    const set = f['method-throttle'] ?? []
    const remove = f['remove-method-throttle'] ?? []
    if (set.length === 0 && remove.length === 0) throw badInput('Nothing to change: give --method-throttle or --remove-method-throttle')
    const {stage} = f
    const result = await new PlanStages(await this.apiGateway()).updateMethodThrottles({plan: f.plan, api: f.api, stage, set, remove, dryRun: f['dry-run']})
    const where = `stage ${result.apiId}:${stage} in usage plan ${labelOf(result.usagePlan)}`
    if (result.operations.length === 0) {
      this.log(`The per-method throttles of ${where} are already so; nothing changed`)
    } else if (result.dryRun) {
      this.log(renderDryRun(result.calls, this.style))
    } else {
      const covered = result.usagePlan.apiStages?.find((s) => s.apiId === result.apiId && s.stage === stage)
      this.log(this.style.green(`Per-method throttles of ${where}: ${(covered && formatMethodThrottles(covered)) || 'none'}`))
    }

    return result
  }
}
