import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {PlanStages, type StageChange} from '../../gateway/plan-stages.js'
import * as flags from '../../flags.js'
import {labelOf} from '../../model/resolve.js'
import {renderDryRun} from '../../ui/calls.js'

export default class StagesDetach extends BaseCommand<typeof StagesDetach> {
  static override summary = 'Stop a usage plan covering an API stage'
  static override description = `Keys of the plan lose access to the stage at once. Per-method throttles the plan sets on the stage are removed in the same UpdateUsagePlan call.
A stage the plan does not cover is left as it is (exit 0), as keys detach does with a key that is not in the plan.`

  static override examples = [
    '<%= config.bin %> stages detach --plan gold --api pets-api --stage beta',
    '<%= config.bin %> stages detach --plan 9q2xbz --api a1b2c3d4e5 --stage prod --json',
    '<%= config.bin %> stages detach --plan gold --api pets-api --stage prod --dry-run',
  ]

  static override flags = {
    plan: Flags.string({description: 'usage plan id or name', required: true}),
    api: Flags.string({description: 'REST API id or name', required: true}),
    stage: flags.stageName({description: 'stage name', required: true}),
    'dry-run': Flags.boolean({description: 'print the patch that would be sent; send nothing', default: false}),
  }

  async run(): Promise<StageChange> {
    const f = this.flags
    const result = await new PlanStages(await this.apiGateway()).detach({plan: f.plan, api: f.api, stage: f.stage, dryRun: f['dry-run']})
    const plan = labelOf(result.usagePlan)
    if (result.operations.length === 0) this.log(`Usage plan ${plan} does not cover ${result.apiId}:${result.stage}; nothing changed`)
    else if (result.dryRun) this.log(renderDryRun(result.calls, this.style))
    else this.log(this.style.green(`Usage plan ${plan} no longer covers ${result.apiId}:${result.stage}`))
    return result
  }
}
