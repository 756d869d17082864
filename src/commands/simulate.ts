import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import * as flags from '../flags.js'
import {readTextInput} from '../io/files.js'
import {badInput, ExitCode, GwctlError} from '../model/errors.js'
import {FAIL_ON_EXAMPLES, failOnMatches, parseFailOn} from '../simulator/fail-on.js'
import {LOG_FORMATS, type LogFormat, parseFieldMappings} from '../simulator/formats.js'
import {applyOverrides} from '../simulator/overrides.js'
import {DEFAULT_WEEK_START, type WeekStart} from '../model/quota-period.js'
import {simulate, SORT_MODES, type SimulationReport, type SortMode} from '../simulator/simulate.js'
import {type LogSource, sourceFor} from '../simulator/sources.js'
import {parseSnapshot} from '../simulator/validate-snapshot.js'
import {ProgressBar} from '../ui/progress.js'
import {renderSimulation} from '../ui/simulation.js'

/** The flags every AWS command shares; simulate reads only files and stdin, so they would be silently ignored. */
const AWS_FLAGS = ['--region', '--profile', '--endpoint-url']

async function readSnapshot(file: string) {
  const {text, source} = await readTextInput(file)
  return parseSnapshot(text, source)
}

/** `--max-line-bytes`: a number of bytes, or KiB / MiB. */
function parseLineLimit(raw: string): number {
  const m = /^\s*(\d+)\s*(KiB|MiB|K|M)?\s*$/i.exec(raw)
  const scale = {'': 1, k: 1024, kib: 1024, m: 1 << 20, mib: 1 << 20}[(m?.[2] ?? '').toLowerCase()]
  const bytes = m && scale ? Number(m[1]) * scale : Number.NaN
  if (!(bytes >= 64 && bytes <= 1 << 30)) throw badInput(`--max-line-bytes must be a size from 64 bytes to 1024 MiB, e.g. 1MiB or 65536; got "${raw}"`)
  return bytes
}

export default class Simulate extends BaseCommand<typeof Simulate> {
  static override summary = 'Replay access logs against usage-plan limits, offline'
  static override description = `Reads API Gateway access logs and decides for every request what the limits in a snapshot would do: allow it, throttle it (429), cut it off by quota (429) or refuse it (403). No AWS account is used.

Logs may be JSON lines (fields in any order, nested objects allowed), CSV, CLF, CloudWatch Logs exports (filter-log-events output), Kinesis Data Firehose deliveries (records run together) or CloudWatch export-to-S3 files; plain, gzip (found by its bytes, also on stdin), UTF-8 or UTF-16. The format is detected from each log's first line. Several logs are merged by time; lines out of order are put back in order, and when some come later than the reorder window the whole input is sorted by time first (in a temporary directory).

--set and --compare propose other limits: the same requests are replayed under both, and the keys the proposal would harm are listed first. The rules applied are in docs/simulator.md.`

  static override examples = [
    '<%= config.bin %> simulate --snapshot examples/snapshot.json --log examples/access-log.jsonl.gz',
    "<%= config.bin %> simulate --snapshot prod.json --log day1.jsonl.gz --log day2.jsonl.gz --set 'free:rate=2,burst=4' --fail-on worse",
    '<%= config.bin %> simulate --snapshot prod.json --log export.json --compare proposed.json --fail-on throttled>1% --json',
    'zcat export/*/*.gz | <%= config.bin %> simulate --snapshot prod.json --log - --api pets --stage prod --chart alice --decisions decisions.jsonl',
    '<%= config.bin %> simulate --snapshot prod.json --log access.clf --field apiKeyId=12 --field requestTimeEpoch=13',
  ]

  static override flags = {
    snapshot: Flags.string({description: 'snapshot of APIs, plans and keys (written by `gwctl export`): the limits in force', required: true}),
    log: Flags.string({
      description: 'access log to replay; gzip is read whatever its name, - is stdin (repeatable: logs are merged by time)',
      required: true,
      multiple: true,
    }),
    format: Flags.string({description: "log format; auto looks at each log's first line", options: [...LOG_FORMATS], default: 'auto'}),
    field: Flags.string({
      description:
        'read field NAME from elsewhere: NAME=PATH for JSON (a dotted path into nested objects), NAME=COLUMN for CSV (header name or number), NAME=POSITION for CLF (repeatable)',
      multiple: true,
    }),
    api: Flags.string({description: 'replay only this API (id or name); also the API of lines that do not log apiId'}),
    stage: Flags.string({description: 'replay only this stage; also the stage of lines that do not log one'}),
    set: Flags.string({
      description:
        "propose changed plan limits: 'PLAN:rate=R,burst=B,quota=N/PERIOD,offset=N' (any subset; quota=none removes it; repeatable); applied to --compare's snapshot when given",
      multiple: true,
    }),
    compare: Flags.string({description: 'a snapshot of proposed limits: replay the same requests under it and list the keys that fare differently'}),
    decisions: Flags.string({
      description: 'write one JSON line per request (line, requestId, time, keyId, decision, status, reason, limit, logged status) to this file',
    }),
    chart: Flags.string({description: "draw this key's requests per second (per minute for long spans) against its plan rate"}),
    'fail-on': Flags.string({
      description: `exit 8 when a condition holds (comma-separated), for CI: ${FAIL_ON_EXAMPLES}; with --set or --compare they read the proposal`,
      multiple: true,
      delimiter: ',',
    }),
    'reorder-window': flags.duration({
      description: 'how long to hold lines so that slightly unsorted logs replay in time order: seconds, or 500ms, 30s, 2m',
      default: 10_000,
    }),
    sort: Flags.string({
      description: 'when a line comes later than the reorder window: auto sorts all input by time then, always sorts from the start, never refuses the line',
      options: [...SORT_MODES],
      default: 'auto',
    }),
    'week-start': Flags.string({
      description: 'first day of a WEEK quota period (UTC); AWS names Sunday',
      options: ['sunday', 'monday'],
      default: DEFAULT_WEEK_START,
    }),
    'first-period': Flags.boolean({description: "the log starts in the plans' first quota period: take each quota's offset off that period"}),
    'max-line-bytes': Flags.string({description: 'longer lines are counted as malformed without being read whole', default: '1MiB'}),
    strict: Flags.boolean({
      description: 'stop at the first line that cannot be replayed truthfully: malformed, later than the reorder window, or not in the snapshot',
    }),
  }

  async run(): Promise<SimulationReport> {
    const f = this.flags
    const aws = AWS_FLAGS.find((flag) => this.argv.some((arg) => arg === flag || arg.startsWith(`${flag}=`)))
    if (aws)
      throw badInput(`${aws} does not apply: simulate reads no AWS account, only the snapshot file and the logs`, {
        suggestions: ['Take a snapshot of the account first: gwctl export --out snapshot.json'],
      })
    if (f.log.filter((l) => l === '-').length > 1) throw badInput('--log - (stdin) can be given only once')
    if (f.snapshot === '-' && f.log.includes('-')) throw badInput('--snapshot - and --log - cannot both read stdin')
    const failOn = parseFailOn(f['fail-on'] ?? [])
    if (failOn.some((c) => c.kind === 'worse') && f.compare === undefined && (f.set ?? []).length === 0)
      throw badInput('--fail-on worse compares with proposed limits: give them with --set or --compare')
    const maxLineBytes = parseLineLimit(f['max-line-bytes'])
    const fields = parseFieldMappings(f.field ?? [])
    const sources: LogSource[] = f.log.map((log) => sourceFor(log, process.stdin))

    const current = await readSnapshot(f.snapshot)
    const proposal = await this.proposal(current)
    const total = sources.every((s) => s.kind === 'bytes' && s.size !== undefined)
      ? sources.reduce((n, s) => n + (s.kind === 'bytes' ? (s.size ?? 0) : 0), 0)
      : undefined
    let progress = this.jsonEnabled() ? undefined : ProgressBar.forTerminal(total, 'Replaying')

    let report: SimulationReport
    try {
      report = await simulate({
        snapshot: current,
        proposal,
        sources,
        format: f.format as LogFormat,
        fields,
        api: f.api,
        stage: f.stage,
        reorderWindowMs: f['reorder-window'],
        weekStart: f['week-start'] as WeekStart,
        firstPeriod: f['first-period'],
        strict: f.strict,
        sort: f.sort as SortMode,
        maxLineBytes,
        decisionsPath: f.decisions,
        chartKey: f.chart,
        onProgress: (bytes) => progress?.update(bytes),
        onNotice: (message) => {
          progress?.done()
          // Under --json the report's `sorted` says it instead.
          this.note(message)
          progress = this.jsonEnabled() ? undefined : ProgressBar.forTerminal(total, 'Sorting and replaying')
        },
      })
    } finally {
      progress?.done()
    }

    if (!this.jsonEnabled()) this.log(renderSimulation(report, this.style, new Map(current.usagePlans.map((p) => [p.id, p.name]))))
    if (f.decisions) this.note(`Wrote ${report.requests.toLocaleString('en-US')} decisions to ${f.decisions}`)
    const matched = failOnMatches(failOn, report, report.proposal)
    if (matched.length > 0) {
      const message = `--fail-on ${matched.join('; ')}`
      if (!this.jsonEnabled()) throw new GwctlError('SIMULATION_DENIED', message)
      // Under --json the report is the output; the exit code alone tells CI.
      process.exitCode = ExitCode.SIMULATION_DENIED
    }

    return report
  }

  /** The limits --compare and --set propose, if any: --set goes on top of --compare's snapshot, else of the current one. */
  private async proposal(current: Awaited<ReturnType<typeof readSnapshot>>) {
    const {compare, set = []} = this.flags
    if (compare === undefined && set.length === 0) return
    const base = compare === undefined ? current : await readSnapshot(compare)
    const label = [compare, ...set.map((s) => `--set ${s}`)].filter(Boolean).join(' ')
    return {snapshot: applyOverrides(base, set), label}
  }
}
