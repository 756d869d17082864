import type {CompiledModel} from './model.js'

import {type LimitCode, LIMIT_NAMES, type LimitName, NO_KEY, Outcome, outcomeOf, UNKNOWN_KEY} from './rules.js'

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
  peakRps: number
}

/** Predicted outcome (rows) against the status AWS logged (columns). */
export interface Agreement {
  requests: number
  agreeing: number
  rows: Array<{predicted: '2xx' | '403' | '429'; actual2xx: number; actual403: number; actual429: number; actualOther: number}>
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

const PREDICTED_ROW = [0, 2, 2, 1] as const // outcome -> row: 2xx, 403, 429

/** Past this many points the chart series folds seconds into minutes, to stay small for month-long logs. */
const CHART_POINTS_LIMIT = 50_000

/**
 * Counts decisions for one snapshot as they happen, in typed arrays sized by the
 * number of keys and plans, so memory does not grow with the log.
 */
export class Tally {
  readonly byLimit = new Float64Array(LIMIT_NAMES.length)
  unmatched = 0
  from = Number.POSITIVE_INFINITY
  to = Number.NEGATIVE_INFINITY
  /** Rows: one per snapshot key, then "(no key)", then "(unknown keys)". */
  private readonly rowCounts: Float64Array
  private readonly rowSecond: Float64Array
  private readonly rowInSecond: Float64Array
  private readonly rowPeak: Float64Array
  private readonly rowFirstDenial: Float64Array
  private readonly memberCounts: Float64Array
  private readonly planSecond: Float64Array
  private readonly planInSecond: Float64Array
  private readonly planPeak: Float64Array
  private readonly confusion = new Float64Array(3 * 4)
  private chartResolution = 1000
  private chart = new Map<number, [number, number]>()

  constructor(
    private readonly model: CompiledModel,
    /** Row whose requests per second are charted, or -1. */
    private readonly chartRow = -1,
  ) {
    const rows = model.keys.length + 2
    this.rowCounts = new Float64Array(rows * 4)
    this.rowSecond = new Float64Array(rows).fill(-1)
    this.rowInSecond = new Float64Array(rows)
    this.rowPeak = new Float64Array(rows)
    this.rowFirstDenial = new Float64Array(rows).fill(Number.NaN)
    this.memberCounts = new Float64Array(model.members.length * 4)
    this.planSecond = new Float64Array(model.plans.length).fill(-1)
    this.planInSecond = new Float64Array(model.plans.length)
    this.planPeak = new Float64Array(model.plans.length)
  }

  rowOf(key: number): number {
    if (key === NO_KEY) return this.model.keys.length
    if (key === UNKNOWN_KEY) return this.model.keys.length + 1
    return key
  }

  add(t: number, key: number, member: number, limit: LimitCode, status: number): void {
    const outcome = outcomeOf(limit)
    const row = this.rowOf(key)
    if (t < this.from) this.from = t
    if (t > this.to) this.to = t
    this.byLimit[limit]++
    this.rowCounts[row * 4 + outcome]++
    const second = Math.floor(t / 1000)
    if (this.rowSecond[row] === second) this.rowInSecond[row]++
    else {
      this.rowSecond[row] = second
      this.rowInSecond[row] = 1
    }

    if (this.rowInSecond[row] > this.rowPeak[row]) this.rowPeak[row] = this.rowInSecond[row]
    if (outcome !== Outcome.ALLOWED && Number.isNaN(this.rowFirstDenial[row])) this.rowFirstDenial[row] = t
    if (member >= 0) {
      this.memberCounts[member * 4 + outcome]++
      const plan = this.model.members[member].plan
      if (this.planSecond[plan] === second) this.planInSecond[plan]++
      else {
        this.planSecond[plan] = second
        this.planInSecond[plan] = 1
      }

      if (this.planInSecond[plan] > this.planPeak[plan]) this.planPeak[plan] = this.planInSecond[plan]
    }

    if (status > 0) {
      const actual = status >= 200 && status < 300 ? 0 : status === 403 ? 1 : status === 429 ? 2 : 3
      this.confusion[PREDICTED_ROW[outcome] * 4 + actual]++
    }

    if (row === this.chartRow) this.addToChart(t, outcome !== Outcome.ALLOWED)
  }

  totals(): OutcomeCounts {
    const sum = (outcome: number) => {
      let n = 0
      for (let i = outcome; i < this.rowCounts.length; i += 4) n += this.rowCounts[i]
      return n
    }

    return countsFrom([sum(0), sum(1), sum(2), sum(3)])
  }

  keys(): KeyReport[] {
    const rows: KeyReport[] = []
    const names = [...this.model.keys.map((k) => k.name), '(no key)', '(unknown keys)']
    for (let row = 0; row < names.length; row++) {
      const counts = countsFrom(this.rowCounts.subarray(row * 4, row * 4 + 4))
      if (counts.requests === 0) continue
      const key = this.model.keys[row]
      const planIds = (this.model.keyMembers[row] ?? []).filter((m) => this.memberCounts.subarray(m * 4, m * 4 + 4).some((n) => n > 0)).map((m) => this.model.plans[this.model.members[m].plan].id)
      rows.push({
        id: key?.id ?? null,
        name: names[row],
        usagePlanIds: planIds,
        ...counts,
        peakRps: this.rowPeak[row],
        firstDenial: Number.isNaN(this.rowFirstDenial[row]) ? null : new Date(this.rowFirstDenial[row]).toISOString(),
      })
    }

    return rows
  }

  plans(): PlanReport[] {
    return this.model.plans.map((plan, p) => {
      const sums = [0, 0, 0, 0]
      let keys = 0
      for (const [i, m] of this.model.members.entries()) {
        if (m.plan !== p) continue
        const counts = this.memberCounts.subarray(i * 4, i * 4 + 4)
        if (counts.some((n) => n > 0)) keys++
        for (let o = 0; o < 4; o++) sums[o] += counts[o]
      }

      // A key refused with 403 is metered by no plan, so a plan's forbidden count is always 0.
      return {id: plan.id, name: plan.name, keys, ...countsFrom(sums), peakRps: this.planPeak[p]}
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
    const rows = (['2xx', '403', '429'] as const).map((predicted, r) => ({predicted, actual2xx: c[r * 4], actual403: c[r * 4 + 1], actual429: c[r * 4 + 2], actualOther: c[r * 4 + 3]}))
    return {requests, agreeing: c[0] + c[5] + c[10], rows}
  }

  chartSeries(): ChartSeries | undefined {
    if (this.chartRow < 0) return undefined
    const key = this.model.keys[this.chartRow]
    const points = [...this.chart.entries()].sort((a, b) => a[0] - b[0]).map(([bucket, [requests, denied]]) => ({t: new Date(bucket * this.chartResolution).toISOString(), requests, denied}))
    return {keyId: key.id, name: key.name, resolutionMs: this.chartResolution, points}
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
    const minutes = new Map<number, [number, number]>()
    for (const [second, [requests, denied]] of this.chart) {
      const minute = Math.floor(second / 60)
      const point = minutes.get(minute) ?? [0, 0]
      point[0] += requests
      point[1] += denied
      minutes.set(minute, point)
    }

    this.chart = minutes
    this.chartResolution = 60_000
  }
}

function countsFrom(c: ArrayLike<number>): OutcomeCounts {
  return {requests: c[0] + c[1] + c[2] + c[3], allowed: c[0], throttled: c[1], quotaExceeded: c[2], forbidden: c[3]}
}
