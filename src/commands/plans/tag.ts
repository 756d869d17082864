import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {type PlanTagResult, UsagePlans} from '../../gateway/usage-plans.js'
import * as flags from '../../flags.js'
import {labelOf} from '../../model/resolve.js'
import {renderDryRun} from '../../ui/calls.js'
import {formatTags} from '../../ui/format.js'

export default class PlansTag extends BaseCommand<typeof PlansTag> {
  static override summary = 'Add or change tags on a usage plan'
  static override description = `Sends one TagResource call with the tags whose value differs (none when the plan already has them all), on the plan's ARN arn:PARTITION:apigateway:REGION::/usageplans/ID. Other tags are kept.`
  static override examples = [
    '<%= config.bin %> plans tag gold --tag team=payments --tag env=prod',
    '<%= config.bin %> plans tag 9q2xbz --tag cost-center=42 --dry-run',
  ]
  static override args = {plan: Args.string({description: 'usage plan id or name', required: true})}
  static override flags = {
    tag: flags.tag({description: 'tag as KEY=VALUE (repeatable)', multiple: true, required: true}),
    'dry-run': Flags.boolean({description: 'print the call that would be sent; send nothing', default: false}),
  }

  async run(): Promise<PlanTagResult> {
    const set = Object.fromEntries(this.flags.tag.map(({key, value}) => [key, value]))
    const result = await new UsagePlans(await this.apiGateway()).changeTags(this.args.plan, {set, dryRun: this.flags['dry-run']})
    const plan = labelOf(result.usagePlan)
    if (result.dryRun) this.log(renderDryRun(result.calls, this.style))
    else if (result.changed) this.log(this.style.green(`Tagged usage plan ${plan}: ${formatTags(result.tags)}`))
    else this.log(`Usage plan ${plan} already has these tags; nothing changed`)
    return result
  }
}
