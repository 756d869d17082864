import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {type DeletePlanResult, UsagePlans} from '../../gateway/usage-plans.js'
import {labelOf} from '../../model/resolve.js'
import {confirmOrRefuse} from '../../ui/prompt.js'

export default class PlansDelete extends BaseCommand<typeof PlansDelete> {
  static override summary = 'Delete a usage plan'
  static override description = `AWS refuses to delete a plan that still covers API stages. Without --force the command says so and lists them; with --force it detaches them first.
On a terminal it asks for confirmation unless --yes is given; without a terminal it never asks and needs --yes.`

  static override examples = ['<%= config.bin %> plans delete old-plan', '<%= config.bin %> plans delete 9q2xbz --force --yes']
  static override args = {plan: Args.string({description: 'usage plan id or name', required: true})}
  static override flags = {
    force: Flags.boolean({description: 'detach the stages the plan covers, then delete it'}),
    yes: Flags.boolean({char: 'y', description: 'do not ask for confirmation'}),
  }

  async run(): Promise<DeletePlanResult> {
    const plans = new UsagePlans(await this.apiGateway())
    const plan = await plans.resolve(this.args.plan)
    const stages = plan.apiStages?.length ?? 0
    if (stages === 0 || this.flags.force) {
      const extra = stages > 0 ? ` and detach it from ${stages} stage(s)` : ''
      await confirmOrRefuse(`Delete usage plan ${labelOf(plan)}${extra}?`, {yes: this.flags.yes})
    }

    const result = await plans.delete(plan.id!, {force: this.flags.force})
    for (const s of result.detachedStages) this.log(`Detached stage ${s}`)
    this.log(this.style.green(`Deleted usage plan ${labelOf(result)}`))
    return result
  }
}
