import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {type DeletePlanResult, UsagePlans} from '../../gateway/usage-plans.js'
import {labelOf} from '../../model/resolve.js'
import {renderDryRun} from '../../ui/calls.js'
import {confirmOrRefuse} from '../../ui/prompt.js'

export default class PlansDelete extends BaseCommand<typeof PlansDelete> {
  static override summary = 'Delete a usage plan'
  static override description = `AWS refuses to delete a plan that still covers API stages. Without --force the command says so and lists them; with --force it detaches them first.
On a terminal it asks for confirmation unless --yes is given; without a terminal it never asks and needs --yes (--dry-run needs neither).
With --if-exists, a plan that does not exist is not an error: nothing changes and the exit code is 0.`

  static override examples = [
    '<%= config.bin %> plans delete old-plan',
    '<%= config.bin %> plans delete 9q2xbz --force --yes',
    '<%= config.bin %> plans delete trial --if-exists --yes --json',
    '<%= config.bin %> plans delete gold --force --dry-run',
  ]

  static override args = {plan: Args.string({description: 'usage plan id or name', required: true})}
  static override flags = {
    force: Flags.boolean({description: 'detach the stages the plan covers, then delete it', default: false}),
    yes: Flags.boolean({char: 'y', description: 'do not ask for confirmation', default: false}),
    'if-exists': Flags.boolean({description: 'a plan that does not exist is not an error', default: false}),
    'dry-run': Flags.boolean({description: 'print the calls that would be sent; send nothing', default: false}),
  }

  async run(): Promise<DeletePlanResult> {
    const f = this.flags
    const plans = new UsagePlans(await this.apiGateway())
    const planned = await plans.delete(this.args.plan, {force: f.force, ifExists: f['if-exists'], dryRun: true})
    const plan = planned.usagePlan
    if (!plan) {
      this.log(`No usage plan "${this.args.plan}"; nothing to delete`)
      return {...planned, dryRun: f['dry-run']}
    }

    if (f['dry-run']) {
      this.log(renderDryRun(planned.calls, this.style))
      return planned
    }

    const extra = planned.detachedStages.length > 0 ? ` and detach it from ${planned.detachedStages.length} stage(s)` : ''
    await confirmOrRefuse(`Delete usage plan ${labelOf(plan)}${extra}?`, {yes: f.yes})
    const result = await plans.delete(plan.id!, {force: f.force})
    for (const s of result.detachedStages) this.log(`Detached stage ${s}`)
    this.log(this.style.green(`Deleted usage plan ${labelOf(plan)}`))
    return result
  }
}
