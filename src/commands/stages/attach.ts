import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {PlanStages, type StageChange} from '../../gateway/plan-stages.js'
import * as flags from '../../flags.js'
import {labelOf} from '../../model/resolve.js'
import {renderDryRun} from '../../ui/calls.js'
import {formatMethodThrottles} from '../../ui/format.js'
import {renderTable} from '../../ui/table.js'

export default class StagesAttach extends BaseCommand<typeof StagesAttach> {
  static override summary = 'Make a usage plan cover an API stage, optionally with per-method throttles'
  static override description = `The stage must exist (deploy first), and each --method-throttle must name an existing resource path and method of the API, once. gwctl refuses, naming the key and both plans, when a key of this plan is already in another plan covering the same stage: AWS allows a key in only one plan per stage.
Everything is sent in one UpdateUsagePlan call (AWS allows one such call per 20 seconds per account). A plan that already covers the stage with these throttles is left as it is; to change the throttles of a covered stage, use stages update.`

  static override examples = [
    '<%= config.bin %> stages attach --plan gold --api pets-api --stage prod',
    '<%= config.bin %> stages attach --plan free --api pets-api --stage prod --method-throttle /pets/POST=0.5/1 --method-throttle //GET=5/10',
    '<%= config.bin %> stages attach --plan free --api a1b2c3d4e5 --stage beta --dry-run',
  ]

  static override flags = {
    plan: Flags.string({description: 'usage plan id or name', required: true}),
    api: Flags.string({description: 'REST API id or name', required: true}),
    stage: flags.stageName({description: 'stage name', required: true}),
    'method-throttle': flags.methodThrottle({
      description: 'per-method throttle in this plan, as /path/METHOD=RATE/BURST; //GET is the root (repeatable, once per method)',
      multiple: true,
    }),
    'dry-run': Flags.boolean({description: 'check everything and print the patch that would be sent; send nothing', default: false}),
  }

  async run(): Promise<StageChange> {
    const f = this.flags
    const {stage} = f
    const result = await new PlanStages(await this.apiGateway()).attach({
      plan: f.plan,
      api: f.api,
      stage,
      methodThrottles: f['method-throttle'] ?? [],
      dryRun: f['dry-run'],
    })
    const plan = labelOf(result.usagePlan)
    if (result.operations.length === 0) {
      this.log(`Usage plan ${plan} already covers ${result.apiId}:${stage}; nothing changed`)
    } else if (result.dryRun) {
      this.log(renderDryRun(result.calls, this.style))
    } else {
      this.log(this.style.green(`Usage plan ${plan} now covers ${result.apiId}:${stage}`))
      const covered = result.usagePlan.apiStages?.find((s) => s.apiId === result.apiId && s.stage === stage)
      if (covered?.throttle && Object.keys(covered.throttle).length > 0) {
        this.log(renderTable(['Per-method throttles'], [[formatMethodThrottles(covered)]], this.style))
      }
    }

    return result
  }
}
