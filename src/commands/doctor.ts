import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import * as flags from '../flags.js'
import {Doctor, type DoctorReport} from '../gateway/doctor/doctor.js'
import {badInput, ExitCode} from '../model/errors.js'
import type {Fix} from '../model/findings.js'
import {renderDoctorReport, renderFixPlan} from '../ui/doctor.js'
import {confirmOrRefuse} from '../ui/prompt.js'

export interface DoctorResult extends DoctorReport {
  /** The safe fixes --fix applied, in order; the findings are those found after them. */
  fixed: Fix[]
  changed: boolean
}

export default class DoctorCommand extends BaseCommand<typeof DoctorCommand> {
  static override summary = 'Find why callers get 403 or go unmetered: check the key -> plan -> stage -> method -> deployment chain'
  static override description = `Reads the account (only Get calls) and reports each broken link as a finding: a stable id, a severity, what it affects, why it matters and the commands that fix it. docs/doctor.md lists every finding.

Severity: error = callers are refused or go unmetered now; warning = likely wrong, or about to go wrong; info = worth knowing.
Exit 0 when no finding is an error, 10 when one is (also under --json).

--fix applies only the fixes that are safe and unambiguous (deploying a stage whose deployment lags the API when no caller would be refused by it; no longer requiring a key on OPTIONS methods), after listing them: it asks on a terminal and needs --yes elsewhere. Then it checks again and reports what is left. Everything else is printed as commands to run.`

  static override examples = [
    '<%= config.bin %> doctor',
    '<%= config.bin %> doctor --api pets-api --stage prod',
    '<%= config.bin %> doctor --plan gold --json',
    '<%= config.bin %> doctor --api pets-api --fix --yes',
  ]

  static override flags = {
    api: Flags.string({description: 'check only this REST API (id or name; repeatable)', multiple: true}),
    stage: flags.stageName({description: 'check only stages with this name'}),
    plan: Flags.string({description: 'check only this usage plan (id or name), the stages it covers and its keys'}),
    fix: Flags.boolean({description: 'apply the safe fixes (deploy a lagging stage, stop requiring a key on OPTIONS), then check again', default: false}),
    yes: Flags.boolean({char: 'y', description: 'apply the fixes without asking (with --fix)', default: false}),
  }

  async run(): Promise<DoctorResult> {
    const f = this.flags
    // Checked here rather than with oclif's dependsOn, which a --fix defaulting to false would satisfy.
    if (f.yes && !f.fix) throw badInput('--yes answers the question --fix asks: give --fix too, or leave --yes out')
    const {report, fixable, fixed} = await new Doctor(await this.apiGateway()).run({
      apis: f.api,
      stage: f.stage,
      plan: f.plan,
      fix: f.fix,
      // Progress is for a person watching a large account being read, not for logs.
      onProgress: process.stderr.isTTY ? (message) => this.note(message) : undefined,
      confirm: async (fixes) => {
        if (this.jsonEnabled() && !f.yes) throw badInput('--fix with --json needs --yes: the question would go to stdout, which --json keeps for the result')
        this.note(renderFixPlan(fixes, this.style))
        await confirmOrRefuse(`Make these ${fixes.length} change(s)?`, {yes: f.yes})
      },
      onApplied: (fix) => this.note(this.style.green(`Done: ${fix.description}`)),
    })
    if (f.fix && fixable.length === 0 && report.findings.length > 0)
      this.note('Nothing here is safe for doctor to fix by itself; the findings below say how to fix each.')
    this.log(renderDoctorReport(report, this.style, {canFix: f.fix ? 0 : fixable.length}))
    for (const warning of report.warnings) this.warning(warning)
    // The report is the output, under --json too; the exit code tells scripts whether there were errors.
    if (report.summary.errors > 0) process.exitCode = ExitCode.DOCTOR_FOUND_ERRORS
    return {...report, fixed, changed: fixed.length > 0}
  }
}
