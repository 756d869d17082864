import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {type PlanTagResult, UsagePlans} from '../../gateway/usage-plans.js'
import {labelOf} from '../../model/resolve.js'
import {renderDryRun} from '../../ui/calls.js'
import {formatTags} from '../../ui/format.js'

export default class PlansUntag extends BaseCommand<typeof PlansUntag> {
  static override summary = 'Remove tags from a usage plan'
  static override description = `Sends one UntagResource call with the tag keys the plan has (none when it has none of them). Other tags are kept.`
  static override examples = ['<%= config.bin %> plans untag gold --tag-key env', '<%= config.bin %> plans untag 9q2xbz --tag-key team --tag-key env --json']
  static override args = {plan: Args.string({description: 'usage plan id or name', required: true})}
  static override flags = {
    'tag-key': Flags.string({description: 'key of a tag to remove (repeatable)', multiple: true, required: true}),
    'dry-run': Flags.boolean({description: 'print the call that would be sent; send nothing', default: false}),
  }

  async run(): Promise<PlanTagResult> {
    const result = await new UsagePlans(await this.apiGateway()).changeTags(this.args.plan, {remove: this.flags['tag-key'], dryRun: this.flags['dry-run']})
    const plan = labelOf(result.usagePlan)
    if (result.dryRun) this.log(renderDryRun(result.calls, this.style))
    else if (result.changed) this.log(this.style.green(`Removed tags from usage plan ${plan}; its tags: ${formatTags(result.tags) || 'none'}`))
    else this.log(`Usage plan ${plan} has none of these tags; nothing changed`)
    return result
  }
}
