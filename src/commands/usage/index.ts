import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {UsageReports} from '../../gateway/usage.js'
import * as flags from '../../flags.js'
import {badInput} from '../../model/errors.js'
import {utcDay} from '../../model/quota-period.js'
import {renderUsageReport, usageCsv, usageReportJson} from '../../ui/usage.js'

export default class Usage extends BaseCommand<typeof Usage> {
  static override summary = "Each key's use of a usage plan: used, remaining, allowance, share used, daily average, when it runs out"
  static override description = `Reads AWS's usage counters (GetUsage) for the plan's keys, by default over the current quota period up to today (UTC). Allowance is used + remaining, so temporary extensions (usage grant) count. The forecast is when the remaining quota runs out at the rate of the last 7 days (today so far included); "not this period" when it lasts until the quota resets.
AWS's counters can lag by tens of minutes. docs/usage.md explains every figure.`

  static override examples = [
    '<%= config.bin %> usage gold',
    '<%= config.bin %> usage gold --key acme-prod --daily',
    '<%= config.bin %> usage gold --period previous --csv > gold-last-month.csv',
    '<%= config.bin %> usage gold --from 2026-10-01 --to 2026-10-31 --daily --csv',
    '<%= config.bin %> usage gold --json | jq ".keys[] | select(.shareUsed > 0.9)"',
  ]

  static override args = {plan: Args.string({description: 'usage plan id or name', required: true})}
  static override flags = {
    key: Flags.string({description: 'only this API key (id or name), which must be in the plan; repeat for more', multiple: true}),
    from: flags.date({description: 'first day, YYYY-MM-DD (UTC; a date and time counts as its UTC day); alone, runs to today', exclusive: ['period']}),
    // --period holds the exclusion with --to: oclif's usage line shows one group per flag.
    to: flags.date({description: 'last day, YYYY-MM-DD (UTC); alone, starts with the quota period holding it'}),
    period: Flags.string({description: 'the quota period holding today, or the one before it', options: ['current', 'previous'], exclusive: ['from', 'to']}),
    daily: Flags.boolean({description: 'one column a day (with a sparkline per key on a terminal); with --csv, one line per key and day', default: false}),
    csv: Flags.boolean({description: 'print CSV for spreadsheets and billing instead of a table', default: false}),
    'week-start': flags.weekStart(),
    'show-values': Flags.boolean({description: 'print API key values in full where AWS keyed its numbers by value', default: false}),
  }

  async run(): Promise<ReturnType<typeof usageReportJson>> {
    const f = this.flags
    if (f.csv && this.jsonEnabled()) throw badInput('--csv and --json both ask for the output format: give one')
    const report = await new UsageReports(await this.apiGateway()).report(this.args.plan, {
      keyRefs: f.key,
      from: f.from && utcDay(f.from.getTime()),
      to: f.to && utcDay(f.to.getTime()),
      choice: f.period as 'current' | 'previous' | undefined,
      weekStart: f['week-start'],
    })
    const result = usageReportJson(report, {showValues: f['show-values']})
    if (f.csv) process.stdout.write(usageCsv(report, {daily: f.daily}))
    else if (!this.jsonEnabled())
      this.log(renderUsageReport({...report, unmatched: result.unmatched}, this.style, {daily: f.daily, sparklines: Boolean(process.stdout.isTTY)}))
    for (const warning of report.warnings) this.warning(warning)
    return result
  }
}
