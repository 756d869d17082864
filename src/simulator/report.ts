import type {CompiledSnapshot} from './compiled-snapshot.js'

import {type LimitCode, LIMIT_NAMES, type LimitName, NO_KEY, Outcome, OUTCOME_NAMES, type OutcomeName, outcomeOf, UNKNOWN_KEY} from './rules.js'

export interface OutcomeCounts {
  requests: number
  allowed: number
  throttled: number
  quotaExceeded: number
  forbidden: number
}

export interface KeyReport extends OutcomeCounts {
  /** The snapshot's key id; null for the "(no key)" and "(unknown keys)" rows. */
  id: string | null
  name: string
  /** Plans the key's requests were metered under. */
  usagePlanIds: string[]
  peakRps: number
  /** ISO time of the key's first request that was not allowed. */
  firstDenial: string | null
}

export interface PlanReport extends OutcomeCounts {
  id: string
  name: string
  /** Keys with at least one request metered under the plan. */
  keys: number
  /** The most requests one key sent in one second: what the plan's per-key rate and burst meet. */
  peakKeyRps: number
}

/**
 * Predicted outcome (rows) against what AWS logged (columns): the status, and for a
 * 429 the gateway response type when the log has `$context.error.responseType`
 * (THROTTLED or QUOTA_EXCEEDED); a 429 without it is `logged429`.
 */
export interface AgreementRow {
  predicted: OutcomeName
  logged2xx: number
  logged403: number
  loggedThrottled: number
  loggedQuotaExceeded: number
  logged429: number
  loggedOther: number
}

export interface Agreement {
  requests: number
  /** Rows and columns that match: allowed and 2xx, forbidden and 403, a throttle or used-up quota and its 429. */
  agreeing: number
  rows: AgreementRow[]
}

export interface ChartSeries {
  keyId: string
  name: string
  /** Width of one point in ms: 1000 (per second) or 60000 (per minute) for long spans. */
  resolutionMs: number
  /** Requests per second the key's plan throttle allows, when it has one. */
  rateLimit?: number
  points: Array<{t: string; requests: number; denied: number}>
}

/** Columns of the agreement table, in AgreementRow's order. */
const LOGGED = {OK: 0, FORBIDDEN: 1, THROTTLED: 2, QUOTA: 3, TOO_MANY: 4, OTHER: 5} as const
const LOGGED_COLUMNS = 6

function loggedColumn(status: number, responseType: string | undefined): number {
  if (status >= 200 && status < 300) return LOGGED.OK
  if (status === 403) return LOGGED.FORBIDDEN
  if (status !== 429) return LOGGED.OTHER
  return responseType === 'THROTTLED' ? LOGGED.THROTTLED : responseType === 'QUOTA_EXCEEDED' ? LOGGED.QUOTA : LOGGED.TOO_MANY
}

/** Past this many points the chart series folds seconds into minutes (and minutes into hours), to stay small for long logs. */
const CHART_POINTS_LIMIT = 50_000
const CHART_RESOLUTIONS = [1000, 60_000, 3_600_000, 86_400_000]

/** Where a row of Tally's stats keeps what: the four outcome counts first (in Outcome's order). */
const ROW = {SECOND: 4, IN_SECOND: 5, PEAK: 6, FIRST_DENIAL: 7, SIZE: 8} as const

function statsFor(rows: number): Float64Array {
  const stats = new Float64Array(rows * ROW.SIZE)
  for (let at = 0; at < stats.length; at += ROW.SIZE) {
    stats[at + ROW.SECOND] = -1
    stats[at + ROW.FIRST_DENIAL] = Number.NaN
  }

  return stats
}

/** Counts a request in the row at `at`: its outcome, and its second towards the peak requests per second. */
function count(stats: Float64Array, at: number, outcome: number, second: number): void {
  stats[at + outcome]++
  if (stats[at + ROW.SECOND] === second) stats[at + ROW.IN_SECOND]++
  else {
    stats[at + ROW.SECOND] = second
    stats[at + ROW.IN_SECOND] = 1
  }

  if (stats[at + ROW.IN_SECOND] > stats[at + ROW.PEAK]) stats[at + ROW.PEAK] = stats[at + ROW.IN_SECOND]
}

const outcomes = (stats: Float64Array, row: number) => stats.subarray(row * ROW.SIZE, row * ROW.SIZE + 4)
const firstDenial = (t: number) => (Number.isNaN(t) ? null : new Date(t).toISOString())

/**
 * Counts decisions for one snapshot as they happen, in typed arrays sized by the
 * number of keys and plans, so memory does not grow with the log.
 */
export class Tally {
  readonly byLimit = new Float64Array(LIMIT_NAMES.length)
  from = Number.POSITIVE_INFINITY
  to = Number.NEGATIVE_INFINITY
  /**
   * Rows: one per snapshot key, then "(no key)", then "(unknown keys)"; eight numbers
   * each (see ROW), so that a request updates one cache line of its key, not one in
   * each of several arrays: with thousands of keys, that is most of a request's cost.
   */
  private readonly rowStats: Float64Array
  /** Per (key, plan) membership, the same layout. */
  private readonly memberStats: Float64Array
  private readonly confusion = new Float64Array(4 * LOGGED_COLUMNS)
  private chartResolution = 1000
  private chart = new Map<number, [number, number]>()

  constructor(
    private readonly model: CompiledSnapshot,
    /** Row whose requests per second are charted, or -1. */
    private readonly chartRow = -1,
  ) {
    this.rowStats = statsFor(model.keys.length + 2)
    this.memberStats = statsFor(model.members.length)
  }

  rowOf(key: number): number {
    if (key === NO_KEY) return this.model.keys.length
    if (key === UNKNOWN_KEY) return this.model.keys.length + 1
    return key
  }

  add(t: number, key: number, member: number, limit: LimitCode, status: number, responseType: string | undefined): void {
    const outcome = outcomeOf(limit)
    const row = this.rowOf(key)
    if (t < this.from) this.from = t
    if (t > this.to) this.to = t
    this.byLimit[limit]++
    const second = Math.floor(t / 1000)
    const at = row * ROW.SIZE
    count(this.rowStats, at, outcome, second)
    if (outcome !== Outcome.ALLOWED && Number.isNaN(this.rowStats[at + ROW.FIRST_DENIAL])) this.rowStats[at + ROW.FIRST_DENIAL] = t
    if (member >= 0) count(this.memberStats, member * ROW.SIZE, outcome, second)

    if (status > 0) this.confusion[outcome * LOGGED_COLUMNS + loggedColumn(status, responseType)]++

    if (row === this.chartRow) this.addToChart(t, outcome !== Outcome.ALLOWED)
  }

  totals(): OutcomeCounts {
    const sums = [0, 0, 0, 0]
    for (let i = 0; i < this.rowStats.length; i += ROW.SIZE) for (let o = 0; o < 4; o++) sums[o] += this.rowStats[i + o]
    return countsFrom(sums)
  }

  /** Each row's key id and name: the snapshot's keys, then "(no key)" and "(unknown keys)". */
  rows(): Array<{id: string | null; name: string}> {
    return [...this.model.keys.map((k) => ({id: k.id, name: k.name})), {id: null, name: '(no key)'}, {id: null, name: '(unknown keys)'}]
  }

  keys(): KeyReport[] {
    const reports: KeyReport[] = []
    for (const [row, {id, name}] of this.rows().entries()) {
      const counts = countsFrom(outcomes(this.rowStats, row))
      if (counts.requests === 0) continue
      const planIds = (this.model.keyMembers[row] ?? [])
        .filter((m) => outcomes(this.memberStats, m).some((n) => n > 0))
        .map((m) => this.model.plans[this.model.members[m].plan].id)
      reports.push({
        id,
        name,
        usagePlanIds: planIds,
        ...counts,
        peakRps: this.rowStats[row * ROW.SIZE + ROW.PEAK],
        firstDenial: firstDenial(this.rowStats[row * ROW.SIZE + ROW.FIRST_DENIAL]),
      })
    }

    return reports
  }

  plans(): PlanReport[] {
    return this.model.plans.map((plan, p) => {
      const sums = [0, 0, 0, 0]
      let keys = 0
      let peakKeyRps = 0
      for (const [i, m] of this.model.members.entries()) {
        if (m.plan !== p) continue
        const counts = outcomes(this.memberStats, i)
        if (counts.some((n) => n > 0)) keys++
        for (let o = 0; o < 4; o++) sums[o] += counts[o]
        peakKeyRps = Math.max(peakKeyRps, this.memberStats[i * ROW.SIZE + ROW.PEAK])
      }

      // A key refused with 403 is metered by no plan, so a plan's forbidden count is always 0.
      return {id: plan.id, name: plan.name, keys, ...countsFrom(sums), peakKeyRps}
    })
  }

  limits(): Partial<Record<LimitName, number>> {
    return Object.fromEntries(LIMIT_NAMES.flatMap((name, i) => (i > 0 && this.byLimit[i] > 0 ? [[name, this.byLimit[i]]] : [])))
  }

  /** Undefined when no request carried the status AWS answered. */
  agreement(): Agreement | undefined {
    const c = this.confusion
    const requests = c.reduce((a, b) => a + b, 0)
    if (requests === 0) return undefined
    const at = (outcome: number, column: number) => c[outcome * LOGGED_COLUMNS + column]
    const rows = OUTCOME_NAMES.map((predicted, o) => ({
      predicted,
      logged2xx: at(o, LOGGED.OK),
      logged403: at(o, LOGGED.FORBIDDEN),
      loggedThrottled: at(o, LOGGED.THROTTLED),
      loggedQuotaExceeded: at(o, LOGGED.QUOTA),
      logged429: at(o, LOGGED.TOO_MANY),
      loggedOther: at(o, LOGGED.OTHER),
    }))
    const agreeing =
      at(Outcome.ALLOWED, LOGGED.OK) +
      at(Outcome.FORBIDDEN, LOGGED.FORBIDDEN) +
      at(Outcome.THROTTLED, LOGGED.THROTTLED) +
      at(Outcome.THROTTLED, LOGGED.TOO_MANY) +
      at(Outcome.QUOTA_EXCEEDED, LOGGED.QUOTA) +
      at(Outcome.QUOTA_EXCEEDED, LOGGED.TOO_MANY)
    return {requests, agreeing, rows}
  }

  /** Every point from the key's first request to its last, empty seconds (or minutes) included. */
  chartSeries(): ChartSeries | undefined {
    if (this.chartRow < 0) return undefined
    const key = this.model.keys[this.chartRow]
    let resolution = this.chartResolution
    let chart = this.chart
    const span = () => {
      const [first, last] = range(chart)
      return last - first + 1
    }

    while (span() > CHART_POINTS_LIMIT && resolution < CHART_RESOLUTIONS.at(-1)!) {
      const coarser = CHART_RESOLUTIONS[CHART_RESOLUTIONS.indexOf(resolution) + 1]
      chart = fold(chart, coarser / resolution)
      resolution = coarser
    }

    const points: ChartSeries['points'] = []
    const [first, last] = range(chart)
    for (let b = first; b <= last; b++) {
      const [requests, denied] = chart.get(b) ?? [0, 0]
      points.push({t: new Date(b * resolution).toISOString(), requests, denied})
    }

    return {keyId: key.id, name: key.name, resolutionMs: resolution, points}
  }

  private addToChart(t: number, denied: boolean): void {
    const bucket = Math.floor(t / this.chartResolution)
    let point = this.chart.get(bucket)
    if (!point) {
      if (this.chart.size >= CHART_POINTS_LIMIT && this.chartResolution === 1000) {
        this.foldChartToMinutes()
        return this.addToChart(t, denied)
      }

      point = [0, 0]
      this.chart.set(bucket, point)
    }

    point[0]++
    if (denied) point[1]++
  }

  private foldChartToMinutes(): void {
    this.chart = fold(this.chart, 60)
    this.chartResolution = 60_000
  }
}

/** The first and last bucket of a chart ([0, -1] when it is empty). */
function range(chart: Map<number, unknown>): [number, number] {
  let first = Number.POSITIVE_INFINITY
  let last = Number.NEGATIVE_INFINITY
  for (const bucket of chart.keys()) {
    if (bucket < first) first = bucket
    if (bucket > last) last = bucket
  }

  return chart.size === 0 ? [0, -1] : [first, last]
}

/** Chart points summed into buckets `factor` times as wide. */
function fold(chart: Map<number, [number, number]>, factor: number): Map<number, [number, number]> {
  const folded = new Map<number, [number, number]>()
  for (const [bucket, [requests, denied]] of chart) {
    const wide = Math.floor(bucket / factor)
    const point = folded.get(wide) ?? [0, 0]
    point[0] += requests
    point[1] += denied
    folded.set(wide, point)
  }

  return folded
}

export function countsFrom(c: ArrayLike<number>): OutcomeCounts {
  return {requests: c[0] + c[1] + c[2] + c[3], allowed: c[0], throttled: c[1], quotaExceeded: c[2], forbidden: c[3]}
}
