import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {UsageReports} from '../../gateway/usage.js'
import * as flags from '../../flags.js'
import {labelOf} from '../../model/resolve.js'
import {renderTable} from '../../ui/table.js'
import {grantJson, standingCells} from '../../ui/usage.js'

export default class UsageGrant extends BaseCommand<typeof UsageGrant> {
  static override summary = "Give a key more (or less) of a plan's quota for the current period: AWS's temporary extension"
  static override description = `UpdateUsage (replace /remaining) sets what the key has left in the plan's current quota period; the next period starts from the plan's quota again. --requests N adds N to what remains now, --remaining N sets it. Prints the key's standing before and after.
--requests reads what remains, then sets it: requests made between the two calls, or not yet counted by AWS (its counters lag), are not taken off.`

  static override examples = [
    '<%= config.bin %> usage grant acme-prod --plan gold --requests 5000',
    '<%= config.bin %> usage grant acme-prod --plan gold --remaining 0',
    '<%= config.bin %> usage grant 3kx9zq1abc --plan gold --requests 10000 --dry-run --json',
  ]

  static override args = {key: Args.string({description: 'API key id or name', required: true})}
  static override flags = {
    plan: Flags.string({description: 'the usage plan (id or name) whose quota to extend', required: true}),
    requests: flags.requests(1)({description: 'add this many requests to what remains now', exactlyOne: ['requests', 'remaining']}),
    remaining: flags.requests(0)({description: 'set what remains to this many requests', exactlyOne: ['requests', 'remaining']}),
    'dry-run': Flags.boolean({description: 'print what would be sent, and send nothing', default: false}),
    'week-start': flags.weekStart(),
  }

  async run(): Promise<ReturnType<typeof grantJson>> {
    const f = this.flags
    const change = {add: f.requests, set: f.remaining}
    const result = await new UsageReports(await this.apiGateway()).grant(this.args.key, f.plan, change, {dryRun: f['dry-run'], weekStart: f['week-start']})
    const rows = [['before', ...standingCells(result.before, this.style)]]
    if (result.after) rows.push(['after', ...standingCells(result.after, this.style)])
    else if (f['dry-run']) rows.push(['would be', ...standingCells(result.planned, this.style)])
    this.log(`API key ${labelOf(result.apiKey)} in usage plan ${labelOf(result.usagePlan)}, quota period ${result.period}:`)
    this.log(renderTable(['', 'Used', 'Remaining', 'Allowance', 'Share'], rows, this.style))
    if (f['dry-run']) this.log(`Dry run: would send UpdateUsage replace /remaining ${result.operations[0].value}; nothing sent`)
    else if (!result.changed) this.log(`It already has ${result.operations[0].value} remaining; nothing sent`)
    for (const warning of result.warnings) this.warning(warning)
    return grantJson(result, f['dry-run'])
  }
}
