import {badInput, notFound} from '../model/errors.js'
import {labelOf, resolveByIdOrName} from '../model/resolve.js'
import type {Snapshot} from '../model/snapshot.js'
import type {LogFormat} from './formats.js'
import type {Rows} from './record-batch.js'
import {type Caller, type FieldPaths, type LogRecord, NOT_LOOKED_UP, type Where} from './records.js'
import type {LogSource} from './sources.js'

import {CompiledSnapshot} from './compiled-snapshot.js'
import {type Decision, DecisionLog} from './decisions.js'
import {Enforcer} from './enforcer.js'
import {ExternalSort} from './external-sort.js'
import {findRuns, type Runs} from './natural-runs.js'
import {type ProposalReport, ProposalTally} from './proposal.js'
import {describeBytes, emptyStats, isPlainJsonLines, readRows, type ReadOptions, type SourceStats} from './readers.js'
import {FarAheadLines, ReorderWindow, type SortMode} from './reorder.js'
import {FirstLate, mergeRuns} from './run-merge.js'
import {type Agreement, type ChartSeries, type KeyReport, type OutcomeCounts, type PlanReport, Tally} from './report.js'
import type {WeekStart} from '../model/quota-period.js'
import {type QuotaSeeds, seedSummary, type SeedSummary} from '../model/quota-seed.js'
import {BEST_EFFORT, type LimitName, outcomeOf} from './rules.js'
import {FileSource} from './sources.js'
import {COPY_LIMIT, spooled} from './spool.js'
import {TempDir} from './temp-dir.js'
import {listingOf} from './validate-snapshot.js'
import {canParseInWorker, LINE_SPAN, readLogInWorker, readRunsInWorkers, type RunReader, type ThreadOptions, WORKER_MIN_BYTES} from './worker-reader.js'

export interface SimulateOptions {
  /** The limits in force: the report's numbers are theirs. */
  snapshot: Snapshot
  /** Changed limits to compare with (`--set`, `--compare`), request for request. */
  proposal?: {snapshot: Snapshot; label: string}
  sources: readonly LogSource[]
  format: LogFormat
  /** `--field` values, only those given. */
  fields: Partial<FieldPaths>
  /** Only this API (id or name); also the API of lines that do not log apiId. */
  api?: string
  /** Only this stage; also the stage of lines that do not log one. */
  stage?: string
  /** Only requests from `from` (included) to `to` (excluded), epoch ms (--since, --until); others are counted as outside. */
  range?: {from?: number; to?: number}
  reorderWindowMs: number
  weekStart: WeekStart
  /** The log starts in the plans' first quota period: take `offset` off it. */
  firstPeriod: boolean
  /** `--seed-quota`: AWS's counts in each plan's current quota period, where the replay's counters start. */
  quotaSeeds?: QuotaSeeds
  /** Stop at the first line that cannot be replayed truthfully: malformed, late or unmatched. */
  strict: boolean
  sort: SortMode
  maxLineBytes: number
  decisionsPath?: string
  /** Key (id or name) whose requests per second to chart. */
  chartKey?: string
  /** Bytes read so far over all sources (a second pass starts again from 0). */
  onProgress?(bytesRead: number): void
  /** Things the user should hear about while the replay runs (stderr). */
  onNotice?(message: string): void
  /** Files at least this large are parsed in worker threads (default 16 MiB). */
  workerMinBytes?: number
  /** How many threads share a plain JSON-lines file, and in what blocks (defaults in worker-reader.ts). */
  parseThreads?: ThreadOptions
  /** Where the temporary directory goes (default: the system's). */
  tempParent?: string
}

export interface Problem {
  file: string
  line: number
  message: string
}

export interface SimulationReport extends OutcomeCounts {
  malformed: number
  /** Lines later than the reorder window, enforced at the time of the last released line (only when they could not be sorted). */
  late: number
  /** Requests for an API, stage or method the snapshot does not have. */
  unmatched: number
  /** Requests for another API or stage than --api / --stage. */
  skipped: number
  /** Requests before --since or from --until on. */
  outsideRange: number
  /** Lines dated far after the lines around them (a line dated 2099): replayed last, at their own times. */
  farAhead: number
  from: string | null
  to: string | null
  /** Some times had one-second resolution; requests within a second were spread evenly across it. */
  oneSecondTimes: boolean
  /** Why the input was sorted before it was replayed, or null when it was replayed as it came. */
  sorted: {reason: string} | null
  sources: Array<{name: string; format: string; lines: number}>
  keys: KeyReport[]
  plans: PlanReport[]
  /** Denied requests by the limit or key check that denied them. */
  limits: Partial<Record<LimitName, number>>
  agreement?: Agreement
  problems: {malformed: Problem[]; late: Problem[]; unmatched: Problem[]; farAhead: Problem[]}
  proposal?: ProposalReport
  chart?: ChartSeries
  /** With --seed-quota: which plans' counters started from AWS's counts, and what they counted. */
  quotaSeed?: SeedSummary
  /** What every reader of the numbers should know (AWS applies these limits on a best-effort basis). */
  notes: string[]
}

/** How many examples of each kind of problem the report keeps. */
const EXAMPLES = 5

interface Run {
  model: CompiledSnapshot
  enforcer: Enforcer
  tally: Tally
}

/** A line later than the reorder window, found while replaying as the lines came (the input is then sorted). */
class LateLine extends Error {
  constructor(readonly reason: string) {
    super(reason)
  }
}

/** A run of the file was not in time order after all: the runs cannot be merged as they are, and the input is sorted the other way. */
class RunOutOfOrder extends Error {
  /** The first late line, when it was found before. */
  constructor(readonly late: string | undefined) {
    super('a run is not in time order')
  }
}

/**
 * Replays access logs against a snapshot's limits: read (any format, several logs
 * merged by time) -> reorder window (or an external sort, when lines arrive later
 * than the window) -> enforcer -> tallies (and the decisions file). Memory is bounded
 * by the number of keys and the reorder window, not by the log.
 */
export async function simulate(o: SimulateOptions): Promise<SimulationReport> {
  const scope = scopeOf(o.snapshot, o.api, o.stage)
  const temp = new TempDir(o.tempParent)
  try {
    let sources = o.sources
    let sorted: string | undefined = o.sort === 'always' ? '--sort always' : undefined
    /** Runs merged in place, already found out of order: the spill sort it is. */
    let notInRuns = false
    /** The sorted replay, done before the reason to sort was known: the replay in arrival order tells it. */
    let merged: Pass | undefined
    if (o.sort === 'auto') {
      sources = sources.map((s) => (s.reopenable ? s : spooled(s, temp)))
      const runs = goesBack(o, sources)
      if (runs !== undefined) {
        const pass = new Pass(o, scope, sources)
        try {
          sorted = await pass.inRuns(sources[0] as FileSource, runs.starts, true)
          if (sorted !== undefined) return pass.finish({reason: sorted})
          merged = pass
        } catch (error) {
          pass.abandon()
          if (!(error instanceof RunOutOfOrder)) throw error
          notInRuns = true
          sorted = error.late
        }
      }
    }

    if (sorted === undefined) {
      const pass = new Pass(o, scope, sources)
      try {
        await pass.inArrivalOrder()
        merged?.abandon()
        return pass.finish(null)
      } catch (error) {
        pass.abandon()
        if (!(error instanceof LateLine)) {
          merged?.abandon()
          throw error
        }

        sorted = error.reason
        const gone = sources.find((s) => !s.reopenable)
        if (gone) {
          throw badInput(
            `${error.reason}; ${gone.name} was longer than the ${describeBytes(COPY_LIMIT)} gwctl keeps a copy of, so it cannot be read again sorted`,
            {
              suggestions: ['--sort always sorts as it reads, with no second reading', 'Or pass the log files themselves with --log, which can be read twice'],
            },
          )
        }

        o.onNotice?.(sortingNotice(error.reason))
        if (merged) return merged.finish({reason: sorted})
      }
    }

    const runs = notInRuns ? undefined : naturalRuns(o, sources)
    if (runs !== undefined) {
      const pass = new Pass(o, scope, sources)
      try {
        await pass.inRuns(sources[0] as FileSource, runs.starts, false)
        return pass.finish({reason: sorted})
      } catch (error) {
        pass.abandon()
        if (!(error instanceof RunOutOfOrder)) throw error
      }
    }

    const pass = new Pass(o, scope, sources)
    try {
      await pass.sorted(temp)
      return pass.finish({reason: sorted})
    } catch (error) {
      pass.abandon()
      throw error
    }
  } finally {
    temp.remove()
  }
}

// The same words whether the file's runs are merged in place or every record is spilled to the temporary
// directory: which of the two happens is known only later, and both sort.
const sortingNotice = (reason: string) => `${reason}: sorting all input by time, then replaying it.`

/**
 * Where a log to be sorted goes back in time, when it can be replayed by merging its
 * runs in place rather than by spilling every record to the temporary directory: one
 * plain JSON-lines file large enough for parse threads, of a few runs in time order.
 * Not under --strict or --decisions, whose line numbers must be known as each
 * request is replayed (those of a run are known once the runs before it are read).
 */
function naturalRuns(o: SimulateOptions, sources: readonly LogSource[], samples?: number): Runs | undefined {
  const [source] = sources
  if (sources.length !== 1 || o.strict || o.decisionsPath !== undefined || !(source instanceof FileSource)) return undefined
  if (!canParseInWorker(source, o.workerMinBytes ?? WORKER_MIN_BYTES) || !isPlainJsonLines(source.head(), o.format)) return undefined
  try {
    return findRuns(source.path, source.size, {fields: o.fields, requestIds: false}, {samples})
  } catch {
    // Whatever the parser finds wrong with the file, the sorted reading says as it always has.
    return undefined
  }
}

/** Lines sampled first under --sort auto, to tell a file in time order at little cost. */
const FIRST_SAMPLES = 128

/**
 * The runs of a file that a few samples show going back in time by more than the
 * reorder window (--sort auto): replay in arrival order would stop at a late line
 * and start again sorted, so the runs are merged at once instead.
 */
function goesBack(o: SimulateOptions, sources: readonly LogSource[]): Runs | undefined {
  const first = naturalRuns(o, sources, FIRST_SAMPLES)
  if (first === undefined || !first.drops.some((drop) => drop > o.reorderWindowMs)) return undefined
  const runs = naturalRuns(o, sources)
  return runs !== undefined && runs.starts.length > 1 ? runs : undefined
}

interface Scope {
  onlyApi?: string
  onlyStage?: string
  defaultApi?: string
  defaultStage?: string
}

/** Which API and stage lines without apiId / stage belong to, and which lines to skip. */
function scopeOf(snapshot: Snapshot, api: string | undefined, stage: string | undefined): Scope {
  if (api !== undefined && api.trim() === '') throw badInput('--api must name an API (id or name); got an empty value')
  if (stage !== undefined && stage.trim() === '') throw badInput('--stage must name a stage; got an empty value')
  const chosen = api === undefined ? undefined : resolveByIdOrName(snapshot.apis, api, 'API', listingOf('apis'))
  if (chosen && stage !== undefined && !chosen.stages.some((s) => s.stageName === stage)) {
    throw notFound(`API ${labelOf(chosen)} has no stage "${stage}" in the snapshot`, {
      suggestions: [`Stages: ${chosen.stages.map((s) => s.stageName).join(', ') || 'none'}`],
    })
  }

  const defaultApi = chosen ?? (snapshot.apis.length === 1 ? snapshot.apis[0] : undefined)
  return {
    onlyApi: chosen?.id,
    onlyStage: stage,
    defaultApi: defaultApi?.id,
    defaultStage: stage ?? (defaultApi?.stages.length === 1 ? defaultApi.stages[0].stageName : undefined),
  }
}

const REPLAY = 1
const SKIP = 2
const UNMATCHED = 3

/** One reading of the logs, from the start, with fresh limits, tallies and decisions file. */
class Pass {
  /** The snapshot enforced, and the proposed one (--set, --compare). */
  private readonly current: Run
  private readonly proposed?: Run
  private readonly changes?: ProposalTally
  private readonly counts = {malformed: 0, late: 0, unmatched: 0, skipped: 0, outsideRange: 0}
  private readonly from: number
  private readonly to: number
  private readonly problems: SimulationReport['problems'] = {malformed: [], late: [], unmatched: [], farAhead: []}
  private readonly unmatchedSeen = new Set<string>()
  /** Unmatched requests by the API and stage their lines name, to say what the log holds. */
  private readonly unmatchedStages = new Map<string, number>()
  private readonly stats: SourceStats[]
  /** Requests for methods that require a key, per source. */
  private readonly keyRequired: Float64Array
  private readonly files: string[] = []
  private readonly fileIds = new Map<string, number>()
  private readonly sourceOfFile: number[] = []
  private readonly farAhead = new FarAheadLines(EXAMPLES)
  private readonly decisions?: DecisionLog
  private oneSecondTimes = false
  /** Bytes read from each source, for the progress bar. */
  private readonly bytesRead: Float64Array

  constructor(
    private readonly o: SimulateOptions,
    private readonly scope: Scope,
    private readonly sources: readonly LogSource[],
  ) {
    const rules = {weekStart: o.weekStart, firstPeriod: o.firstPeriod, seeds: o.quotaSeeds}
    const prepare = (snapshot: Snapshot, chartKey?: string): Run => {
      const model = new CompiledSnapshot(snapshot)
      const chartRow = chartKey === undefined ? -1 : model.keys.indexOf(resolveByIdOrName(model.keys, chartKey, 'API key', listingOf('apiKeys')))
      return {model, enforcer: new Enforcer(model, rules), tally: new Tally(model, chartRow)}
    }

    this.current = prepare(o.snapshot, o.chartKey)
    if (o.proposal) {
      this.proposed = prepare(o.proposal.snapshot)
      this.changes = new ProposalTally(this.current.model.keys.length + 2)
    }

    this.from = o.range?.from ?? Number.NEGATIVE_INFINITY
    this.to = o.range?.to ?? Number.POSITIVE_INFINITY
    this.stats = sources.map(() => emptyStats())
    this.keyRequired = new Float64Array(sources.length)
    this.bytesRead = new Float64Array(sources.length)
    if (o.decisionsPath) this.decisions = new DecisionLog(o.decisionsPath, this.files)
  }

  /** Replays the lines as they come, through the reorder window; throws LateLine when one comes too late to place (with --sort auto). */
  async inArrivalOrder(): Promise<void> {
    const window = new ReorderWindow(
      this.o.reorderWindowMs,
      (rec) => this.enforce(rec),
      (rec, lateBy) => this.late(rec, lateBy),
    )
    if (this.sources.length > 1) {
      for await (const batch of this.read()) {
        for (const rec of batch) {
          this.arrived(rec.t, rec.coarse, rec.file, rec.line)
          window.push(rec)
        }
      }
    } else await this.pushRows(window, false)

    window.flush()
  }

  /**
   * The one log's rows as they come, without a record object for each (see
   * ReorderWindow.pushRow); with `ordered`, a row earlier than the one before it is a
   * RunOutOfOrder.
   */
  private async pushRows(window: ReorderWindow, ordered: boolean): Promise<void> {
    let last = Number.NEGATIVE_INFINITY
    for await (const rows of this.rowsOf(0)) {
      const {t, coarse, file, line} = rows.batch
      for (let i = 0; i < rows.length; i++) {
        if (ordered && t[i] < last) throw new RunOutOfOrder(undefined)
        last = t[i]
        this.arrived(t[i], coarse[i] === 1, file[i], line[i] + rows.linesBefore)
        window.pushRow(rows, i)
      }

      rows.letGo()
    }
  }

  /** Reads everything into an external sort, then replays it in time order. */
  async sorted(temp: TempDir): Promise<void> {
    const sorter = new ExternalSort(temp)
    for await (const batch of this.read()) {
      for (const rec of batch) {
        this.arrived(rec.t, rec.coarse, rec.file, rec.line)
        sorter.push(rec)
      }
    }

    const window = this.inTimeOrder()
    for (const batch of sorter.sorted()) for (const rec of batch) window.push(rec)
    window.flush()
  }

  /**
   * Replays a file of runs in time order (starting at `starts`, see natural-runs.ts)
   * by merging the runs as parse threads read them, each checked to be in order (else
   * RunOutOfOrder). Requests with equal times keep their file order, as in the sort.
   * What replay reports in file order (malformed lines, lines dated far ahead, line
   * numbers) is put in file order once every run has been read. With `findLate`
   * (--sort auto), also works out the line the replay in arrival order would have
   * stopped at, says so as that replay would, and returns it.
   */
  async inRuns(source: FileSource, starts: number[], findLate: boolean): Promise<string | undefined> {
    const window = this.inTimeOrder()
    if (starts.length === 1) {
      // Already in order: read as any file is, in blocks shared by the threads.
      await this.pushRows(window, true)
      window.flush()
      return undefined
    }

    const {runs, stop} = readRunsInWorkers(source, starts, this.readOptions(0), this.stats[0], EXAMPLES, this.o.parseThreads)
    const firstLate = findLate
      ? new FirstLate(runs, this.o.reorderWindowMs, (line, lateBy) => this.lateReason(this.fileIds.get(source.path)!, line, lateBy))
      : undefined
    try {
      // Each run's next time; +Infinity once it has ended.
      const heads = new Float64Array(runs.length)
      const load = async (r: number) => {
        const run = runs[r]
        const more = await run.load()
        if (!run.ordered) throw new RunOutOfOrder(firstLate?.reason)
        heads[r] = more ? run.batch!.t[0] : Number.POSITIVE_INFINITY
        if (firstLate !== undefined && firstLate.reason === undefined) {
          firstLate.took(r)
          if (firstLate.reason !== undefined) this.o.onNotice?.(sortingNotice(firstLate.reason))
        }
      }

      for (let r = 0; r < runs.length; r++) await load(r)
      for (let r = mergeRuns(runs, heads, window); r >= 0; r = mergeRuns(runs, heads, window)) await load(r)
      window.flush()
      this.inFileOrder(runs, source.path)
      return firstLate?.reason
    } finally {
      await stop()
    }
  }

  /**
   * The window for records that come in time order (sorted, or merged from runs): it
   * only spreads one-second times across their second; nothing is late any more.
   */
  private inTimeOrder(): ReorderWindow {
    return new ReorderWindow(
      0,
      (rec) => this.enforce(rec),
      () => {},
    )
  }

  /** The pass is given up (an error, or a restart sorted): nothing of it stays behind. */
  abandon(): void {
    this.decisions?.discard()
  }

  finish(sorted: SimulationReport['sorted']): SimulationReport {
    this.farAhead.end()
    const {current, proposed} = this
    const {tally, model} = current
    const totals = tally.totals()
    for (const far of this.farAhead.found) {
      this.problems.farAhead.push({
        file: this.files[far.file],
        line: far.line,
        message: `dated ${new Date(far.t).toISOString()}, more than a day after the lines before and after it: replayed last, at its own time`,
      })
    }

    this.refuseNothingReplayed(totals.requests)
    this.refuseMissingKeyField()
    const chart = tally.chartSeries()
    this.decisions?.commit()
    return {
      ...totals,
      ...this.counts,
      farAhead: this.farAhead.count,
      from: tally.from <= tally.to ? new Date(tally.from).toISOString() : null,
      to: tally.from <= tally.to ? new Date(tally.to).toISOString() : null,
      oneSecondTimes: this.oneSecondTimes,
      sorted,
      sources: this.sources.map((s, i) => ({name: s.name, format: this.stats[i].format, lines: this.stats[i].lines})),
      keys: tally.keys(),
      plans: tally.plans(),
      limits: tally.limits(),
      ...(tally.agreement() ? {agreement: tally.agreement()} : {}),
      problems: this.problems,
      ...(this.changes && proposed && this.o.proposal ? {proposal: this.changes.report(this.o.proposal.label, tally.rows())} : {}),
      ...(chart ? {chart: {...chart, rateLimit: planRate(model, chart.keyId)}} : {}),
      ...(this.o.quotaSeeds
        ? {quotaSeed: seedSummary(this.o.quotaSeeds, tally.from, new Map(this.o.snapshot.usagePlans.map((p) => [p.id, p.quota?.period])))}
        : {}),
      notes: [BEST_EFFORT],
    }
  }

  /**
   * Once every run has been read: the runs' line numbers, counted from the start of
   * the file; their malformed lines and lines dated far ahead, in file order.
   */
  private inFileOrder(runs: RunReader[], file: string): void {
    const before = [0]
    for (const run of runs) before.push(before.at(-1)! + run.lines)
    const lineOf = (line: number) => {
      const r = Math.floor(line / LINE_SPAN)
      return before[r] + line - r * LINE_SPAN
    }

    const fileId = this.fileIds.get(file)!
    for (const [r, run] of runs.entries()) {
      if (run.coarse) this.oneSecondTimes = true
      for (const [line, reason] of run.malformed) this.malformed(file, before[r] + line, reason)
      this.counts.malformed += run.malformedCount - run.malformed.length
      // A run in time order to FarAheadLines: no line but its last can be far ahead of the next, and the lines
      // between its first and its last two only raise the newest time, as the second last does.
      if (run.count === 0) continue
      this.farAhead.see(run.first.t, fileId, lineOf(run.first.line))
      if (run.count > 2) this.farAhead.see(run.secondLast, fileId, lineOf(run.last.line))
      if (run.count > 1) this.farAhead.see(run.last.t, fileId, lineOf(run.last.line))
    }

    for (const problem of this.problems.unmatched) problem.line = lineOf(problem.line)
  }

  /** Every source's records, merged by time, batch by batch. */
  private read(): AsyncGenerator<LogRecord[]> {
    return merge(this.sources.map((_, index) => recordsOf(this.rowsOf(index))))
  }

  /** One source's batches, parsed in worker threads when it is a file large enough. */
  private rowsOf(index: number): AsyncGenerator<Rows> {
    const source = this.sources[index]
    const options = this.readOptions(index)
    return source instanceof FileSource && canParseInWorker(source, this.o.workerMinBytes ?? WORKER_MIN_BYTES)
      ? readLogInWorker(source, options, this.stats[index], this.o.parseThreads)
      : readRows(source, options, this.stats[index])
  }

  private readOptions(index: number): ReadOptions {
    return {
      format: this.o.format,
      parsers: {fields: this.o.fields, requestIds: this.o.decisionsPath !== undefined},
      maxLineBytes: this.o.maxLineBytes,
      fileIndex: (name) => this.fileIndex(name, index),
      onMalformed: (file, line, reason) => this.malformed(file, line, reason),
      onBytes:
        this.o.onProgress &&
        ((bytes) => {
          this.bytesRead[index] = bytes
          this.o.onProgress!(this.bytesRead.reduce((a, b) => a + b, 0))
        }),
    }
  }

  private fileIndex(name: string, source: number): number {
    let id = this.fileIds.get(name)
    if (id === undefined) {
      id = this.files.push(name) - 1
      this.fileIds.set(name, id)
      this.sourceOfFile[id] = source
    }

    return id
  }

  private arrived(t: number, coarse: boolean, file: number, line: number): void {
    if (coarse) this.oneSecondTimes = true
    this.farAhead.see(t, file, line)
  }

  private malformed(file: string, line: number, reason: string): void {
    if (this.o.strict) throw badInput(`${file} line ${line}: ${reason}`, {suggestions: ['Without --strict, lines that cannot be read are counted and skipped']})
    this.counts.malformed++
    if (this.problems.malformed.length < EXAMPLES) this.problems.malformed.push({file, line, message: reason})
  }

  private lateReason(file: number, line: number, lateBy: number): string {
    return `${this.files[file]} line ${line} is ${(lateBy / 1000).toFixed(1)} s older than lines already replayed, more than the ${this.o.reorderWindowMs / 1000} s reorder window allows`
  }

  private late(rec: LogRecord, lateBy: number): void {
    const reason = this.lateReason(rec.file, rec.line, lateBy)
    if (this.o.strict) throw badInput(reason, {suggestions: ['Without --strict, gwctl sorts the whole input by time first']})
    if (this.o.sort === 'never')
      throw badInput(reason, {suggestions: ['--sort auto (the default) sorts the whole input by time when this happens; or raise --reorder-window']})
    throw new LateLine(reason)
  }

  private readonly enforce = (rec: LogRecord): void => {
    if (!(rec.t >= this.from && rec.t < this.to)) {
      this.counts.outsideRange++
      return
    }

    const where = rec.where
    if (where.verdict === 0) where.verdict = this.verdictOf(where)
    if (where.verdict === SKIP) this.counts.skipped++
    else if (where.verdict === UNMATCHED) this.unmatched(rec)
    else this.decide(rec)
  }

  private decide(rec: LogRecord): void {
    const {current, proposed} = this
    const route = rec.where.route
    const key = this.keyOf(rec.caller)
    const limit = current.enforcer.decide(rec.t, route, key)
    const member = current.enforcer.member
    current.tally.add(rec.t, key, member, limit, rec.status, rec.responseType)
    if (current.model.routes[route].apiKeyRequired) this.keyRequired[this.sourceOfFile[rec.file]]++
    let other: Decision | undefined
    if (proposed !== undefined) {
      // A route the proposed snapshot lacks is refused there like an unknown method would be: it is not replayed.
      const otherRoute = rec.where.proposedRoute
      if (otherRoute >= 0) {
        const otherKey = this.proposedKeyOf(rec.caller)
        const otherLimit = proposed.enforcer.decide(rec.t, otherRoute, otherKey)
        proposed.tally.add(rec.t, otherKey, proposed.enforcer.member, otherLimit, rec.status, rec.responseType)
        this.changes!.add(current.tally.rowOf(key), outcomeOf(limit), outcomeOf(otherLimit), rec.t)
        other = {model: proposed.model, route: otherRoute, key: otherKey, limit: otherLimit, member: proposed.enforcer.member}
      }
    }

    this.decisions?.write(rec, {model: current.model, route, key, limit, member}, other)
  }

  /** The caller's key in the snapshot enforced, looked up once per caller (records share their Caller). */
  private keyOf(caller: Caller): number {
    if (caller.key === NOT_LOOKED_UP) caller.key = this.current.model.keyFor(caller.apiKeyId, caller.apiKey)
    return caller.key
  }

  /** The same in the proposed snapshot. */
  private proposedKeyOf(caller: Caller): number {
    if (caller.proposedKey === NOT_LOOKED_UP) caller.proposedKey = this.proposed!.model.keyFor(caller.apiKeyId, caller.apiKey)
    return caller.proposedKey
  }

  /** Decided once per route (records share their Where): replay it, skip it, or count it unmatched. */
  private verdictOf(where: Where): number {
    const {onlyApi, onlyStage, defaultApi, defaultStage} = this.scope
    const apiId = where.apiId ?? defaultApi
    const stage = where.stage ?? defaultStage
    if ((onlyApi !== undefined && apiId !== onlyApi) || (onlyStage !== undefined && stage !== onlyStage)) return SKIP
    if (apiId === undefined || stage === undefined || where.resourcePath === undefined || where.httpMethod === undefined) return UNMATCHED
    const {current, proposed} = this
    where.route = current.model.route(apiId, stage, where.resourcePath, where.httpMethod)
    if (proposed) where.proposedRoute = proposed.model.route(apiId, stage, where.resourcePath, where.httpMethod)
    return where.route < 0 ? UNMATCHED : REPLAY
  }

  /** Why a route cannot be replayed, for the report and --strict. */
  private unmatchedReason(where: Where): string {
    const {defaultApi, defaultStage} = this.scope
    if (where.apiId === undefined && defaultApi === undefined) return 'no apiId in the log line, and the snapshot has several APIs; pass --api'
    if (where.stage === undefined && defaultStage === undefined) return 'no stage in the log line, and the API has several stages; pass --stage'
    if (where.resourcePath === undefined || where.httpMethod === undefined) return 'no resourcePath or httpMethod in the log line'
    return `${where.httpMethod} ${where.resourcePath} on ${where.apiId ?? defaultApi}:${where.stage ?? defaultStage} is not in the snapshot`
  }

  private unmatched(rec: LogRecord): void {
    const message = this.unmatchedReason(rec.where)
    if (this.o.strict)
      throw badInput(`${this.files[rec.file]} line ${rec.line}: ${message}`, {
        suggestions: ['Without --strict, requests for methods the snapshot lacks are counted and skipped'],
      })
    this.counts.unmatched++
    const stage = `${rec.where.apiId ?? this.scope.defaultApi ?? '(no apiId)'}:${rec.where.stage ?? this.scope.defaultStage ?? '(no stage)'}`
    if (this.unmatchedStages.has(stage) || this.unmatchedStages.size < 20) this.unmatchedStages.set(stage, (this.unmatchedStages.get(stage) ?? 0) + 1)
    if (this.problems.unmatched.length >= EXAMPLES || this.unmatchedSeen.has(message)) return
    this.unmatchedSeen.add(message)
    this.problems.unmatched.push({file: this.files[rec.file], line: rec.line, message})
  }

  /** A replay of nothing would exit 0 with a report of zeros: say instead what the logs held. */
  private refuseNothingReplayed(requests: number): void {
    if (requests > 0) return
    const names = this.sources.map((s) => s.name).join(', ')
    const lines = this.stats.reduce((n, s) => n + s.lines, 0)
    if (lines === 0) throw badInput(`${names}: no log lines to replay (${this.sources.length === 1 ? 'the log is empty' : 'the logs are empty'})`)
    if (this.counts.malformed === lines) {
      const first = this.problems.malformed[0]
      throw badInput(`${names}: every line is malformed (${lines.toLocaleString('en-US')}), e.g. ${first.file} line ${first.line}: ${first.message}`, {
        suggestions: ['Check --format and --field; `gwctl logs format` prints the format gwctl reads best'],
      })
    }

    if (this.counts.outsideRange > 0 && this.counts.unmatched === 0 && this.counts.skipped === 0) {
      throw badInput(`${names}: all ${this.counts.outsideRange.toLocaleString('en-US')} requests are outside the time range of --since and --until`)
    }

    const held = [...this.unmatchedStages].map(([stage, n]) => `${stage} (${n.toLocaleString('en-US')} requests)`).join(', ')
    const snapshotStages = this.current.model.stages.map((s) => `${s.apiId}:${s.stageName}`).join(', ') || 'none'
    if (this.counts.unmatched > 0) {
      throw badInput(
        `${names}: none of the ${lines.toLocaleString('en-US')} lines is a request for a method of an API stage in the snapshot; the log has ${held}, the snapshot has ${snapshotStages}`,
        {
          suggestions: [
            'Replay a snapshot of the account and Region the log comes from (`gwctl export`)',
            'Lines that log no apiId or stage take them from --api and --stage',
            ...this.problems.unmatched.slice(0, 3).map((p) => `${p.file} line ${p.line}: ${p.message}`),
          ],
        },
      )
    }

    throw badInput(
      `${names}: all ${this.counts.skipped.toLocaleString('en-US')} requests are for other APIs or stages than${this.o.api ? ` --api ${this.o.api}` : ''}${this.o.stage ? ` --stage ${this.o.stage}` : ''}`,
      {suggestions: [`The snapshot has ${snapshotStages}`]},
    )
  }

  /** Without a key field, every request to a method that needs a key would show as forbidden. */
  private refuseMissingKeyField(): void {
    for (const [i, source] of this.sources.entries()) {
      if (this.keyRequired[i] === 0 || this.stats[i].keyFieldLines > 0) continue
      throw badInput(
        `${source.name}: no line logs the API key (apiKeyId or apiKey), but ${this.keyRequired[i].toLocaleString('en-US')} requests are for methods that require a key: replay would show them all as forbidden (403)`,
        {
          suggestions: [
            "Log the key id: `gwctl logs format` prints an access-log format with $context.identity.apiKeyId (AWS's sample formats log no key)",
            'If the log names the key field differently, map it: --field apiKeyId=PATH',
          ],
        },
      )
    }
  }
}

/** A log's rows as record objects, batch by batch. */
async function* recordsOf(log: AsyncGenerator<Rows>): AsyncGenerator<LogRecord[]> {
  for await (const rows of log) yield rows.records()
}

/** Merges several logs by time, batch by batch; each log is read as a stream. Stopping early closes every log. */
async function* merge(logs: Array<AsyncGenerator<LogRecord[]>>): AsyncGenerator<LogRecord[]> {
  try {
    if (logs.length === 1) {
      yield* logs[0]
      return
    }

    const heads: Array<{batch: LogRecord[]; at: number; log: AsyncGenerator<LogRecord[]>}> = []
    for (const log of logs) {
      const first = await log.next()
      if (!first.done) heads.push({batch: first.value, at: 0, log})
    }

    let out: LogRecord[] = []
    while (heads.length > 0) {
      let min = 0
      for (let i = 1; i < heads.length; i++) if (heads[i].batch[heads[i].at].t < heads[min].batch[heads[min].at].t) min = i
      const head = heads[min]
      out.push(head.batch[head.at++])
      if (head.at === head.batch.length) {
        const next = await head.log.next()
        if (next.done) heads.splice(min, 1)
        else {
          head.batch = next.value
          head.at = 0
        }
      }

      if (out.length >= 4096) {
        yield out
        out = []
      }
    }

    if (out.length > 0) yield out
  } finally {
    await Promise.all(logs.map((log) => log.return(undefined)))
  }
}

/** The throttle rate of the first plan the key belongs to, drawn as the chart's limit line. */
function planRate(model: CompiledSnapshot, keyId: string): number | undefined {
  const k = model.keys.findIndex((key) => key.id === keyId)
  const member = model.members.find((m) => m.key === k)
  return member === undefined ? undefined : model.plans[member.plan].throttle?.rateLimit
}
