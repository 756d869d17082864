import type {Readable} from 'node:stream'

import {badInput, notFound} from '../model/errors.js'
import {resolveByIdOrName} from '../model/resolve.js'
import type {Snapshot} from '../model/snapshot.js'
import type {LogFormat} from './formats.js'
import {type FieldPaths, type LogRecord, recycle, type Where} from './records.js'

import {DecisionLog} from './decisions.js'
import {CompiledModel} from './model.js'
import {type LogSource, readLog} from './readers.js'
import {ReorderWindow} from './reorder.js'
import {listingOf} from './validate-snapshot.js'
import {canParseInWorker, readLogInWorker, WORKER_MIN_BYTES} from './worker-reader.js'
import {type Agreement, type ChartSeries, type KeyReport, type OutcomeCounts, type PlanReport, Tally} from './report.js'
import {Enforcer, type LimitName, type WeekStart} from './rules.js'

export interface SimulateOptions {
  snapshot: Snapshot
  /** A second snapshot to run the same log against (`--compare`). */
  compare?: {snapshot: Snapshot; label: string}
  logs: readonly string[]
  format: LogFormat
  fields: FieldPaths
  /** Only this API (id or name); also the API of lines that do not log apiId. */
  api?: string
  /** Only this stage; also the stage of lines that do not log one. */
  stage?: string
  reorderWindowMs: number
  weekStart: WeekStart
  strict: boolean
  decisionsPath?: string
  /** Key (id or name) whose requests per second to chart. */
  chartKey?: string
  stdin?: Readable
  onProgress?(bytesRead: number): void
  /** Files at least this large are parsed in a worker thread (default 16 MiB). */
  workerMinBytes?: number
}

export interface Problem {
  file: string
  line: number
  message: string
}

export interface KeyChange {
  id: string | null
  name: string
  before: OutcomeCounts
  after: OutcomeCounts
}

export interface SimulationReport extends OutcomeCounts {
  malformed: number
  /** Lines later than the reorder window; enforced at the time of the last released line. */
  late: number
  /** Requests for an API, stage or method the snapshot does not have. */
  unmatched: number
  /** Requests for another API or stage than --api / --stage. */
  skipped: number
  from: string | null
  to: string | null
  /** Some times had one-second resolution; requests within a second were spread evenly across it. */
  oneSecondTimes: boolean
  keys: KeyReport[]
  plans: PlanReport[]
  /** Denied requests by the limit or key check that denied them. */
  limits: Partial<Record<LimitName, number>>
  agreement?: Agreement
  problems: {malformed: Problem[]; late: Problem[]; unmatched: Problem[]}
  compare?: {snapshot: string; totals: OutcomeCounts; changes: KeyChange[]}
  chart?: ChartSeries
}

/** How many examples of each kind of problem the report keeps. */
const EXAMPLES = 5

interface Run {
  model: CompiledModel
  enforcer: Enforcer
  tally: Tally
  decisions?: DecisionLog
}

function prepare(snapshot: Snapshot, weekStart: WeekStart, chartKey?: string): Run {
  const model = new CompiledModel(snapshot)
  const chartRow = chartKey === undefined ? -1 : model.keys.indexOf(resolveByIdOrName(model.keys, chartKey, 'API key', listingOf('apiKeys')))
  return {model, enforcer: new Enforcer(model, weekStart), tally: new Tally(model, chartRow)}
}

/** Which API and stage lines without apiId / stage belong to, and which lines to skip. */
function scope(snapshot: Snapshot, api: string | undefined, stage: string | undefined) {
  const chosen = api === undefined ? undefined : resolveByIdOrName(snapshot.apis, api, 'API', listingOf('apis'))
  if (chosen && stage !== undefined && !chosen.stages.some((s) => s.stageName === stage)) {
    throw notFound(`API ${chosen.name} (${chosen.id}) has no stage "${stage}" in the snapshot`, {suggestions: [`Stages: ${chosen.stages.map((s) => s.stageName).join(', ') || 'none'}`]})
  }

  const defaultApi = chosen ?? (snapshot.apis.length === 1 ? snapshot.apis[0] : undefined)
  return {
    onlyApi: chosen?.id,
    onlyStage: stage,
    defaultApi: defaultApi?.id,
    defaultStage: stage ?? (defaultApi?.stages.length === 1 ? defaultApi.stages[0].stageName : undefined),
  }
}

/** Merges several logs by time, batch by batch; each log is read as a stream. */
async function* merge(logs: Array<AsyncGenerator<LogRecord[]>>): AsyncGenerator<LogRecord[]> {
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
}

/**
 * Replays access logs against a snapshot's limits: read (any format, several files
 * merged by time) -> reorder window -> enforcer -> tallies (and the decisions file).
 * Memory is bounded by the number of keys and the reorder window, not the log.
 */
export async function simulate(o: SimulateOptions): Promise<SimulationReport> {
  const {onlyApi, onlyStage, defaultApi, defaultStage} = scope(o.snapshot, o.api, o.stage)
  const primary = prepare(o.snapshot, o.weekStart, o.chartKey)
  const runs = [primary]
  if (o.compare) runs.push(prepare(o.compare.snapshot, o.weekStart))
  const counts = {malformed: 0, late: 0, unmatched: 0, skipped: 0}
  const problems: SimulationReport['problems'] = {malformed: [], late: [], unmatched: []}
  const unmatchedSeen = new Set<string>()
  const fileOf = (rec: {source: number}) => o.logs[rec.source]
  let oneSecondTimes = false

  /** Why a route cannot be replayed, for the first few examples in the report. */
  const unmatchedReason = (where: Where): string => {
    if (where.apiId === undefined && defaultApi === undefined) return 'no apiId in the log line; pass --api'
    if (where.stage === undefined && defaultStage === undefined) return 'no stage in the log line; pass --stage'
    if (where.resourcePath === undefined || where.httpMethod === undefined) return 'no resourcePath or httpMethod in the log line'
    return `${where.httpMethod} ${where.resourcePath} on ${where.apiId ?? defaultApi}:${where.stage ?? defaultStage} is not in the snapshot`
  }

  const unmatched = (rec: LogRecord) => {
    counts.unmatched++
    if (problems.unmatched.length >= EXAMPLES) return
    const message = unmatchedReason(rec.where)
    if (!unmatchedSeen.has(message)) {
      unmatchedSeen.add(message)
      problems.unmatched.push({file: fileOf(rec), line: rec.line, message})
    }
  }

  const REPLAY = 1
  const SKIP = 2
  const UNMATCHED = 3
  /** Decided once per route (records share their Where): replay it, skip it, or count it unmatched. */
  const verdictOf = (where: Where): number => {
    const apiId = where.apiId ?? defaultApi
    const stage = where.stage ?? defaultStage
    if ((onlyApi !== undefined && apiId !== onlyApi) || (onlyStage !== undefined && stage !== onlyStage)) return SKIP
    if (apiId === undefined || stage === undefined || where.resourcePath === undefined || where.httpMethod === undefined) return UNMATCHED
    for (const [i, run] of runs.entries()) where.routes[i] = run.model.route(apiId, stage, where.resourcePath, where.httpMethod)
    return where.routes[0] < 0 ? UNMATCHED : REPLAY
  }

  const enforce = (rec: LogRecord) => {
    const where = rec.where
    if (where.verdict === 0) where.verdict = verdictOf(where)
    if (where.verdict === SKIP) {
      counts.skipped++
      return
    }

    if (where.verdict === UNMATCHED) return unmatched(rec)
    for (let i = 0; i < runs.length; i++) {
      const run = runs[i]
      const route = where.routes[i]
      if (route < 0) continue // only in the --compare snapshot's view: not in that snapshot
      const key = run.model.keyFor(rec.apiKeyId, rec.apiKey)
      const limit = run.enforcer.decide(rec.t, route, key)
      run.tally.add(rec.t, key, run.enforcer.member, limit, rec.status)
      run.decisions?.write(rec, route, key, limit, run.enforcer.member)
    }
  }

  const enforceAndRecycle = (rec: LogRecord) => {
    enforce(rec)
    recycle(rec)
  }

  const reorder = new ReorderWindow(o.reorderWindowMs, enforceAndRecycle, (rec, lateBy) => {
    counts.late++
    if (problems.late.length < EXAMPLES) problems.late.push({file: fileOf(rec), line: rec.line, message: `${(lateBy / 1000).toFixed(3)} s older than lines already replayed; raise --reorder-window`})
  })

  const sources: LogSource[] = o.logs.map((path, index) => ({path, index}))
  const bytesRead = new Float64Array(sources.length)
  const readOptions = {
    format: o.format,
    fields: o.fields,
    stdin: o.stdin,
    onMalformed(source: LogSource, line: number, reason: string) {
      if (o.strict) throw badInput(`${source.path} line ${line}: ${reason}`, {suggestions: ['Without --strict, malformed lines are counted and skipped']})
      counts.malformed++
      if (problems.malformed.length < EXAMPLES) problems.malformed.push({file: source.path, line, message: reason})
    },
    onProgress: o.onProgress && ((source: LogSource, bytes: number) => {
      bytesRead[source.index] = bytes
      o.onProgress!(bytesRead.reduce((a, b) => a + b, 0))
    }),
  }

  if (o.decisionsPath) primary.decisions = new DecisionLog(o.decisionsPath, primary.model, o.logs)
  try {
    const minBytes = o.workerMinBytes ?? WORKER_MIN_BYTES
    const read = (source: LogSource) => (canParseInWorker(source.path, minBytes) ? readLogInWorker(source, readOptions) : readLog(source, readOptions))
    for await (const batch of merge(sources.map((source) => read(source)))) {
      for (const rec of batch) {
        if (rec.coarse) oneSecondTimes = true
        reorder.push(rec)
      }
    }

    reorder.flush()
  } finally {
    primary.decisions?.close()
  }

  const {tally, model} = primary
  const chart = tally.chartSeries()
  return {
    ...tally.totals(),
    ...counts,
    from: tally.from <= tally.to ? new Date(tally.from).toISOString() : null,
    to: tally.from <= tally.to ? new Date(tally.to).toISOString() : null,
    oneSecondTimes,
    keys: tally.keys(),
    plans: tally.plans(),
    limits: tally.limits(),
    ...(tally.agreement() ? {agreement: tally.agreement()} : {}),
    problems,
    ...(o.compare ? {compare: {snapshot: o.compare.label, totals: runs[1].tally.totals(), changes: keyChanges(tally.keys(), runs[1].tally.keys())}} : {}),
    ...(chart ? {chart: {...chart, rateLimit: planRate(model, chart.keyId)}} : {}),
  }
}

/** The throttle rate of the first plan the key belongs to, drawn as the chart's limit line. */
function planRate(model: CompiledModel, keyId: string): number | undefined {
  const k = model.keys.findIndex((key) => key.id === keyId)
  const member = model.members.find((m) => m.key === k)
  return member === undefined ? undefined : model.plans[member.plan].throttle?.rateLimit
}

/** Keys (matched by id, or by row name for the no-key and unknown rows) whose outcome counts differ. */
function keyChanges(before: KeyReport[], after: KeyReport[]): KeyChange[] {
  const zero: OutcomeCounts = {requests: 0, allowed: 0, throttled: 0, quotaExceeded: 0, forbidden: 0}
  const counts = ({requests, allowed, throttled, quotaExceeded, forbidden}: OutcomeCounts): OutcomeCounts => ({requests, allowed, throttled, quotaExceeded, forbidden})
  const idOf = (k: KeyReport) => k.id ?? k.name
  const afterById = new Map(after.map((k) => [idOf(k), k]))
  const changes: KeyChange[] = []
  for (const b of before) {
    const a = afterById.get(idOf(b))
    afterById.delete(idOf(b))
    const was = counts(b)
    const now = a ? counts(a) : zero
    if (JSON.stringify(was) !== JSON.stringify(now)) changes.push({id: b.id, name: b.name, before: was, after: now})
  }

  for (const a of afterById.values()) changes.push({id: a.id, name: a.name, before: zero, after: counts(a)})
  return changes
}
