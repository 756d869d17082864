import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {UsageReports} from '../../gateway/usage.js'
import * as flags from '../../flags.js'
import {ExitCode, GwctlError} from '../../model/errors.js'
import {checkJson, describeCheck, overThresholdLine, renderOverThreshold} from '../../ui/usage.js'

export default class UsageCheck extends BaseCommand<typeof UsageCheck> {
  static override summary = 'Exit 9 when any key has used at least THRESHOLD of its quota this period: for cron and CI'
  static override description = `A key is over when its share used (used / (used + remaining), in the current quota period) reaches the threshold. Checks every plan with a quota, or those given with --plan.
Exit 0 when no key is over; exit 9 when some are, listing them: a table on a terminal, otherwise one line per key on stdout (logfmt: plan=gold key=acme share=92.5% ...) for an alerting tool. With --json the result is printed and the exit code is still 9.`

  static override examples = [
    '<%= config.bin %> usage check --threshold 80%',
    '<%= config.bin %> usage check --plan gold --plan silver --threshold 95%',
    '<%= config.bin %> usage check --threshold 90% | while read -r line; do logger -t gwctl "$line"; done',
  ]

  static override flags = {
    plan: Flags.string({description: 'check only this usage plan (id or name); repeat for more', multiple: true}),
    threshold: flags.threshold({description: 'share of the allowance, 1% to 100%, e.g. 80%', required: true}),
    'week-start': flags.weekStart(),
  }

  async run(): Promise<ReturnType<typeof checkJson>> {
    const f = this.flags
    const check = await new UsageReports(await this.apiGateway()).check(f.plan ?? [], f.threshold, {weekStart: f['week-start']})
    for (const warning of check.warnings) this.warning(warning)
    const summary = describeCheck(check)
    if (!this.jsonEnabled()) {
      if (process.stdout.isTTY) {
        if (check.over.length > 0) this.log(renderOverThreshold(check.over, this.style))
        else this.log(summary)
      } else {
        for (const {usagePlan, key} of check.over) this.log(overThresholdLine(usagePlan, key))
        if (check.over.length === 0) this.note(summary)
      }
    }

    if (check.over.length > 0) {
      if (!this.jsonEnabled()) throw new GwctlError('USAGE_OVER_THRESHOLD', summary)
      // Under --json the result is the output; the exit code alone tells cron and CI.
      process.exitCode = ExitCode.USAGE_OVER_THRESHOLD
    }

    return checkJson(check)
  }
}
