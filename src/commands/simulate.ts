import {Flags} from '@oclif/core'

import type {Snapshot} from '../model/snapshot.js'

import {BaseCommand} from '../base-command.js'
import * as flags from '../flags.js'
import {exportSnapshot} from '../gateway/export.js'
import {UsageReports} from '../gateway/usage.js'
import {DEFAULT_CONCURRENT_QUERIES, LOG_SOURCES, LogGroupReader, type LogSourceKind, MAX_CONCURRENT_QUERIES} from '../gateway/log-groups.js'
import {stagesLoggingTo} from '../gateway/log-stages.js'
import {DEFAULT_CONCURRENT_DOWNLOADS, S3Logs} from '../gateway/s3-logs.js'
import {readTextInput} from '../io/files.js'
import {DirectoryWindowCache} from '../io/window-cache.js'
import {badInput, ExitCode, GwctlError} from '../model/errors.js'
import {type FetchProgress, isS3Url, parseS3Url, type TimeRange, timeOf, timeRange} from '../model/live-logs.js'
import {FAIL_ON_EXAMPLES, failOnMatches, parseFailOn} from '../simulator/fail-on.js'
import {LOG_FORMATS, type LogFormat, parseFieldMappings} from '../simulator/formats.js'
import {applyOverrides} from '../simulator/overrides.js'
import type {QuotaSeeds} from '../model/quota-seed.js'
import {SORT_MODES, type SortMode} from '../simulator/reorder.js'
import type {SimulationReport} from '../simulator/simulate.js'
import {EventBatches, type LogSource, ObjectsSource, sourceFor} from '../simulator/sources.js'
import {parseSnapshot} from '../simulator/validate-snapshot.js'
import {FetchProgressLine} from '../ui/fetch-progress.js'
import {ProgressBar} from '../ui/progress.js'
import {renderSimulation} from '../ui/simulation.js'

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

/** Where the limits replayed came from. */
type SnapshotSource = {file: string} | {account: true; region: string | null; stages: string[]}

/** What was read from the account for the replay. */
type Fetched = ({source: 'cloudwatch-logs'} & FetchProgress) | {source: 's3'; location: string; objects: number; skipped: number; bytes: number}

export type SimulationResult = SimulationReport & {snapshotSource: SnapshotSource; fetched?: Fetched[]}

export default class Simulate extends BaseCommand<typeof Simulate> {
  static override summary = 'Replay access logs against usage-plan limits: from files, CloudWatch Logs or S3'
  static override description = `Reads API Gateway access logs and decides for every request what usage-plan limits would do: allow it, throttle it (429), cut it off by quota (429) or refuse it (403).

Where from: files or stdin (--log), every object under an S3 prefix (--log s3://BUCKET/PREFIX: Firehose deliveries, export-to-S3 files, any log files), or CloudWatch Logs groups (--log-group NAME --since 24h, read with Logs Insights, or FilterLogEvents with --source filter). The limits: a snapshot written by \`gwctl export\` (--snapshot FILE, offline), or without --snapshot the configuration in the account, read the same way \`gwctl export\` reads it, for the stages the log groups belong to.

Logs may be JSON lines (fields in any order, nested objects allowed), CSV, CLF, CloudWatch Logs exports (filter-log-events output), Kinesis Data Firehose deliveries (records run together) or CloudWatch export-to-S3 files; plain, gzip (found by its bytes, also on stdin), UTF-8 or UTF-16. The format is detected from each log's first line. Several logs are merged by time; lines out of order are put back in order, and when some come later than the reorder window the whole input is sorted by time first (in a temporary directory).

--set and --compare propose other limits: the same requests are replayed under both, and the keys the proposal would harm are listed first. The rules applied are in docs/simulator.md.`

  static override examples = [
    '<%= config.bin %> simulate --snapshot examples/snapshot.json --log examples/access-log.jsonl.gz',
    "<%= config.bin %> simulate --snapshot prod.json --log day1.jsonl.gz --log day2.jsonl.gz --set 'free:rate=2,burst=4' --fail-on worse",
    '<%= config.bin %> simulate --snapshot prod.json --log export.json --compare proposed.json --fail-on throttled>1% --json',
    '$ zcat export/*/*.gz | <%= config.bin %> simulate --snapshot prod.json --log - --api pets --stage prod --chart alice --decisions decisions.jsonl',
    '<%= config.bin %> simulate --snapshot prod.json --log access.clf --field apiKeyId=12 --field requestTimeEpoch=13',
    "<%= config.bin %> simulate --log-group API-Gateway-Access-Logs_a1b2c3d4e5/prod --since 24h --set 'free:rate=2,burst=4'",
    '<%= config.bin %> simulate --log-group access-logs --since 2026-11-01 --until 2026-11-08 --cache ~/.cache/gwctl-logs --snapshot prod.json',
    '<%= config.bin %> simulate --log s3://my-access-logs/2026/11/ --since 7d --api pets --stage prod',
  ]

  static override flags = {
    snapshot: Flags.string({
      description: 'snapshot of APIs, plans and keys (written by `gwctl export`): the limits in force; without it they are read from the account',
    }),
    log: Flags.string({
      description:
        'access log to replay: a file (gzip is read whatever its name), - for stdin, or s3://BUCKET/PREFIX for every object under it (repeatable: logs are merged by time)',
      multiple: true,
    }),
    'log-group': Flags.string({
      description: 'CloudWatch Logs group to read access logs from, over --since/--until (repeatable)',
      multiple: true,
    }),
    since: flags.timeRef({
      description: 'replay requests from this time: relative (24h, 7d, 30m: that long ago) or ISO (2026-11-28, 2026-11-28T09:30:00Z); needed with --log-group',
    }),
    until: flags.timeRef({description: 'replay requests before this time (default: now), as --since'}),
    'log-stream-prefix': Flags.string({description: 'read only the log streams whose names start with this', dependsOn: ['log-group']}),
    source: Flags.string({
      description: 'how to read --log-group: insights (Logs Insights queries, the default) or filter (FilterLogEvents pages, 5 per second)',
      options: [...LOG_SOURCES],
      default: 'insights',
    }),
    cache: Flags.string({
      description:
        'keep fetched log-group windows in this directory and read them from it next time (windows that ended in the last 15 minutes are fetched again)',
      dependsOn: ['log-group'],
    }),
    concurrency: Flags.integer({
      description: `Logs Insights queries (at most ${MAX_CONCURRENT_QUERIES}, AWS's limit per account) or S3 downloads at once [default: ${DEFAULT_CONCURRENT_QUERIES} queries, ${DEFAULT_CONCURRENT_DOWNLOADS} downloads]`,
      min: 1,
      max: MAX_CONCURRENT_QUERIES,
    }),
    'query-row-limit': Flags.integer({
      description: 'rows per Logs Insights query; a window that returns this many is split (for tests)',
      min: 1,
      max: 10_000,
      hidden: true,
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
    'week-start': flags.weekStart(),
    'seed-quota': Flags.boolean({
      description:
        "start each key's quota counter from what AWS counted in the current quota period before the replay's first day (GetUsage), for a replay that starts in it",
      default: false,
    }),
    'first-period': Flags.boolean({
      description: "the log starts in the plans' first quota period: take each quota's offset off that period",
      default: false,
    }),
    'max-line-bytes': Flags.string({description: 'longer lines are counted as malformed without being read whole', default: '1MiB'}),
    strict: Flags.boolean({
      description: 'stop at the first line that cannot be replayed truthfully: malformed, later than the reorder window, or not in the snapshot',
      default: false,
    }),
  }

  async run(): Promise<SimulationResult> {
    const f = this.flags
    const now = Date.now()
    const logs = f.log ?? []
    const logGroups = f['log-group'] ?? []
    if (logs.length === 0 && logGroups.length === 0) {
      throw badInput('Give the access logs to replay: --log FILE (or s3://BUCKET/PREFIX, or - for stdin), or --log-group NAME --since 24h')
    }

    const readsAccount = f.snapshot === undefined || f['seed-quota'] || logGroups.length > 0 || logs.some((l) => isS3Url(l))
    const aws = this.awsFlagsGiven()[0]
    if (aws && !readsAccount)
      throw badInput(`${aws} does not apply: simulate reads no AWS account here, only the snapshot file and the log files`, {
        suggestions: ['Without --snapshot, simulate reads the limits in force from the account; --log-group and --log s3://... read logs from it'],
      })
    if (logGroups.length > 0 && f.since === undefined) throw badInput('--log-group needs --since: how far back to read, e.g. --since 24h or --since 2026-11-01')
    if (logGroups.length === 0 && (f.source !== 'insights' || f['query-row-limit'] !== undefined)) throw badInput('--source applies to --log-group')
    if (logs.filter((l) => l === '-').length > 1) throw badInput('--log - (stdin) can be given only once')
    if (f.snapshot === '-' && logs.includes('-')) throw badInput('--snapshot - and --log - cannot both read stdin')
    const range = f.since === undefined ? (f.until === undefined ? undefined : {to: timeOf(f.until, now)}) : timeRange(f.since, f.until, now)
    const failOn = parseFailOn(f['fail-on'] ?? [])
    if (failOn.some((c) => c.kind === 'worse') && f.compare === undefined && (f.set ?? []).length === 0)
      throw badInput('--fail-on worse compares with proposed limits: give them with --set or --compare')
    const maxLineBytes = parseLineLimit(f['max-line-bytes'])
    const fields = parseFieldMappings(f.field ?? [])
    const fetched: Fetched[] = []
    const sources: LogSource[] = []
    for (const log of logs) sources.push(isS3Url(log) ? await this.s3Source(log, range ?? {}, fetched) : sourceFor(log, process.stdin))
    const fetching = logGroups.length > 0 ? new FetchProgressLine() : undefined
    if (logGroups.length > 0) sources.push(...(await this.logGroupSources(logGroups, range as TimeRange, fetched, fetching!)))

    const {snapshot: current, from: snapshotSource} =
      f.snapshot === undefined ? await this.liveSnapshot(logGroups) : {snapshot: await readSnapshot(f.snapshot), from: {file: f.snapshot}}
    const proposal = await this.proposal(current)
    const quotaSeeds = f['seed-quota'] ? await this.quotaSeeds(current, now) : undefined
    const total = sources.every((s) => s.kind === 'bytes' && s.size !== undefined)
      ? sources.reduce((n, s) => n + (s.kind === 'bytes' ? (s.size ?? 0) : 0), 0)
      : undefined
    let progress = this.jsonEnabled() ? undefined : ProgressBar.forTerminal(total, 'Replaying')

    // The replay is loaded with import() so that the bundle gives it a file of its own beside dist/parse-worker.js,
    // where src/simulator/worker-reader.ts looks for its worker (code only this command imported would sit in
    // dist/commands/simulate.js); test/bin.test.ts checks where the two land.
    const {simulate} = await import('../simulator/simulate.js')
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
        range,
        reorderWindowMs: f['reorder-window'],
        weekStart: f['week-start'],
        firstPeriod: f['first-period'],
        quotaSeeds,
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
      for (const line of fetching?.done() ?? []) this.note(line)
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

    return {...report, snapshotSource, ...(fetched.length > 0 ? {fetched} : {})}
  }

  /** The limits in force, read from the account: only the APIs and stages the logs come from, when they can be told. */
  private async liveSnapshot(logGroups: string[]): Promise<{snapshot: Snapshot; from: SnapshotSource}> {
    const apigw = await this.apiGateway()
    const stages = logGroups.length > 0 ? await stagesLoggingTo(apigw, logGroups) : undefined
    const apis = stages ? [...stages.keys()] : this.flags.api === undefined ? undefined : [this.flags.api]
    const {snapshot, warnings} = await exportSnapshot(apigw, {apis, stages})
    for (const warning of warnings) this.warning(warning)
    const names = snapshot.apis.flatMap((a) => a.stages.map((s) => `${a.name}:${s.stageName}`))
    const scope = stages ? `the stages logging to ${logGroups.join(', ')}` : apis ? `API ${apis.join(', ')}` : 'every API in the account'
    this.note(
      `Limits read from the account${snapshot.region ? ` (${snapshot.region})` : ''} for ${scope}: ${names.join(', ') || 'no stages'}; ${snapshot.usagePlans.length} usage plan(s), ${snapshot.apiKeys.length} API key(s). --snapshot FILE replays a saved snapshot instead.`,
    )
    return {
      snapshot,
      from: {account: true, region: snapshot.region ?? null, stages: snapshot.apis.flatMap((a) => a.stages.map((s) => `${a.id}:${s.stageName}`))},
    }
  }

  /** One event source per log group, fetched window by window (cached with --cache). */
  private async logGroupSources(logGroups: string[], range: TimeRange, fetched: Fetched[], progress: FetchProgressLine): Promise<LogSource[]> {
    const f = this.flags
    const cache = f.cache === undefined ? undefined : new DirectoryWindowCache(f.cache)
    const reader = new LogGroupReader(await this.cloudWatchLogs(), {
      cache,
      onProgress: (p) => {
        progress.update(p)
        const entry = fetched.find((e) => 'logGroup' in e && e.logGroup === p.logGroup)
        if (entry) Object.assign(entry, p)
        else fetched.push({source: 'cloudwatch-logs', ...p})
      },
    })
    return logGroups.map(
      (logGroup) =>
        new EventBatches(
          logGroup,
          () =>
            reader.events({
              logGroup,
              range,
              source: f.source as LogSourceKind,
              streamPrefix: f['log-stream-prefix'],
              rowLimit: f['query-row-limit'],
              concurrency: f.concurrency,
            }),
          // Without a cache, a second reading (to sort) would fetch again: replay keeps a copy instead.
          cache !== undefined,
        ),
    )
  }

  /** The objects under an S3 prefix, in key order, skipping those whose date path is outside --since/--until. */
  private async s3Source(url: string, range: Partial<TimeRange>, fetched: Fetched[]): Promise<LogSource> {
    const s3 = new S3Logs(await this.s3())
    const listing = await s3.list(parseS3Url(url), range)
    if (listing.objects.length === 0) throw badInput(`${url}: all ${listing.skipped} objects are outside --since/--until by their date paths`)
    fetched.push({source: 's3', location: url, objects: listing.objects.length, skipped: listing.skipped, bytes: listing.bytes})
    return new ObjectsSource(url, () => s3.objects(listing, this.flags.concurrency), listing.bytes)
  }

  /** AWS's counts in the current quota period of each plan of the snapshot that has a quota, for --seed-quota. */
  private async quotaSeeds(snapshot: Snapshot, now: number): Promise<QuotaSeeds> {
    const withQuota = snapshot.usagePlans.filter((p) => p.quota)
    if (withQuota.length === 0) throw badInput('--seed-quota: no usage plan of the snapshot has a quota, so there is no quota counter to seed')
    const usage = new UsageReports(await this.apiGateway())
    const {seeds, warnings} = await usage.quotaSeeds(
      withQuota.map((p) => p.id),
      {weekStart: this.flags['week-start'], now},
    )
    for (const warning of warnings) this.warning(warning)
    return seeds
  }

  /** The limits --compare and --set propose, if any: --set goes on top of --compare's snapshot, else of the current one. */
  private async proposal(current: Snapshot) {
    const {compare, set = []} = this.flags
    if (compare === undefined && set.length === 0) return
    const base = compare === undefined ? current : await readSnapshot(compare)
    const label = [compare, ...set.map((s) => `--set ${s}`)].filter(Boolean).join(' ')
    return {snapshot: applyOverrides(base, set), label}
  }
}
