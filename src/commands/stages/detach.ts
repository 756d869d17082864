import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import * as flags from '../../flags.js'
import {PlanStages, type StageChange} from '../../gateway/plan-stages.js'
import {labelOf} from '../../model/resolve.js'

export default class StagesDetach extends BaseCommand<typeof StagesDetach> {
  static override summary = 'Stop a usage plan covering an API stage'
  static override description = `Keys of the plan lose access to the stage at once. Per-method throttles the plan sets on the stage are removed in the same UpdateUsagePlan call.`
  static override examples = [
    '<%= config.bin %> stages detach --plan gold --api pets-api --stage beta',
    '<%= config.bin %> stages detach --plan 9q2xbz --api a1b2c3d4e5 --stage prod --json',
  ]
  static override flags = {
    plan: Flags.string({description: 'usage plan id or name', required: true}),
    api: Flags.string({description: 'REST API id or name', required: true}),
    stage: flags.stageName({description: 'stage name', required: true}),
  }

  async run(): Promise<StageChange> {
    const f = this.flags
    const result = await new PlanStages(await this.apiGateway()).detach({plan: f.plan, api: f.api, stage: f.stage})
    this.log(this.style.green(`Usage plan ${labelOf(result.usagePlan)} no longer covers ${result.apiId}:${result.stage}`))
    return result
  }
}
