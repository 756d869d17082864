import {Flags} from '@oclif/core'
import {readFileSync} from 'node:fs'

import {BaseCommand} from '../base-command.js'
import {badInput, ExitCode, GwctlError} from '../model/errors.js'
import {fieldPaths, LOG_FORMATS} from '../simulator/formats.js'
import {applyOverrides} from '../simulator/overrides.js'
import {totalBytes} from '../simulator/readers.js'
import {simulate, type SimulationReport} from '../simulator/simulate.js'
import {parseSnapshot} from '../simulator/validate-snapshot.js'
import {ProgressBar} from '../ui/progress.js'
import {renderSimulation} from '../ui/simulation.js'

const FAIL_ON = {throttled: 'throttled', quota: 'quotaExceeded', forbidden: 'forbidden'} as const

function readSnapshot(file: string, flag: string) {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw badInput(`${flag} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }

  return parseSnapshot(text, file)
}

export default class Simulate extends BaseCommand<typeof Simulate> {
  static override summary = 'Replay access logs against usage-plan limits, offline'
  static override description = `Reads API Gateway access logs (JSON lines, CSV, CLF or a CloudWatch Logs export; .gz and - for stdin) and decides for every request what the plans in a snapshot would do: allow it, throttle it (429), cut it off by quota (429) or refuse it (403). No AWS account is used.

Lines from several logs are merged by time, and a reorder window puts unsorted lines back in order. The rules applied (order of checks, buckets, quota windows) are listed in the README.`

  static override examples = [
    '<%= config.bin %> simulate --snapshot examples/snapshot.json --log examples/access-log.jsonl.gz',
    "<%= config.bin %> simulate --snapshot prod.json --log day1.jsonl.gz --log day2.jsonl.gz --set 'gold:rate=50,burst=100' --fail-on throttled",
    '<%= config.bin %> simulate --snapshot prod.json --log export.json --format cloudwatch --compare proposed.json --json',
    '$ zcat access.log.gz | <%= config.bin %> simulate --snapshot prod.json --log - --api pets --stage prod --chart alice --decisions decisions.jsonl',
  ]

  static override flags = {
    snapshot: Flags.string({description: 'snapshot of APIs, plans and keys (written by `gwctl export`)', required: true}),
    log: Flags.string({description: 'access log to replay; .gz is read transparently, - is stdin (repeatable: logs are merged by time)', required: true, multiple: true}),
    format: Flags.string({description: 'log format; auto looks at the first line', options: [...LOG_FORMATS], default: 'auto'}),
    field: Flags.string({description: 'read field NAME from PATH (JSON: dotted path; CSV: header name or column number), e.g. apiKeyId=identity.apiKeyId (repeatable)', multiple: true}),
    api: Flags.string({description: 'replay only this API (id or name); also the API of lines that do not log apiId'}),
    stage: Flags.string({description: 'replay only this stage; also the stage of lines that do not log one'}),
    set: Flags.string({description: "try a changed plan: 'PLAN:rate=R,burst=B,quota=N/PERIOD,offset=N' (any subset; quota=none removes it; repeatable)", multiple: true}),
    compare: Flags.string({description: 'a second snapshot: run the same log against it and list the keys whose outcome changes'}),
    decisions: Flags.string({description: 'write one JSON line per request (line, time, keyId, decision, status, reason, limit) to this file'}),
    chart: Flags.string({description: "draw this key's requests per second (per minute for long spans) against its plan rate"}),
    'fail-on': Flags.string({description: 'exit 8 when any request gets one of these outcomes (comma-separated), for CI', options: Object.keys(FAIL_ON), multiple: true, delimiter: ','}),
    'reorder-window': Flags.string({description: 'seconds to hold lines so that unsorted logs replay in time order', default: '10'}),
    'week-start': Flags.string({description: 'first day of a WEEK quota period (UTC)', options: ['monday', 'sunday'], default: 'monday'}),
    strict: Flags.boolean({description: 'stop at the first malformed line instead of counting it', default: false}),
  }

  async run(): Promise<SimulationReport> {
    const f = this.flags
    const reorderSeconds = Number(f['reorder-window'])
    if (f['reorder-window'].trim() === '' || !Number.isFinite(reorderSeconds) || reorderSeconds < 0) throw badInput(`--reorder-window must be a number of seconds, 0 or more; got "${f['reorder-window']}"`)
    if (f.log.filter((l) => l === '-').length > 1) throw badInput('--log - (stdin) can be given only once')
    const failOn = f['fail-on'] ?? []
    const snapshot = applyOverrides(readSnapshot(f.snapshot, '--snapshot'), f.set ?? [])
    const compare = f.compare === undefined ? undefined : {snapshot: readSnapshot(f.compare, '--compare'), label: f.compare}
    const progress = this.jsonEnabled() ? undefined : ProgressBar.forTerminal(totalBytes(f.log), 'Replaying')

    let report: SimulationReport
    try {
      report = await simulate({
        snapshot,
        compare,
        logs: f.log,
        format: f.format as (typeof LOG_FORMATS)[number],
        fields: fieldPaths(f.field ?? []),
        api: f.api,
        stage: f.stage,
        reorderWindowMs: reorderSeconds * 1000,
        weekStart: f['week-start'] as 'monday' | 'sunday',
        strict: f.strict,
        decisionsPath: f.decisions,
        chartKey: f.chart,
        onProgress: progress && ((bytes) => progress.update(bytes)),
      })
    } finally {
      progress?.done()
    }

    if (!this.jsonEnabled()) this.log(renderSimulation(report, this.style, new Map(snapshot.usagePlans.map((p) => [p.id, p.name]))))
    if (f.decisions) this.note(`Wrote ${report.requests.toLocaleString('en-US')} decisions to ${f.decisions}`)
    const matched = failOn.filter((outcome) => report[FAIL_ON[outcome as keyof typeof FAIL_ON]] > 0)
    if (matched.length > 0) {
      const message = `--fail-on ${failOn.join(',')}: ${matched.map((o) => `${report[FAIL_ON[o as keyof typeof FAIL_ON]]} ${o}`).join(', ')}`
      if (!this.jsonEnabled()) throw new GwctlError('SIMULATION_DENIED', message)
      // Under --json the report is the output; the exit code alone tells CI.
      process.exitCode = ExitCode.SIMULATION_DENIED
    }

    return report
  }
}
