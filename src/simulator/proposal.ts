import {countsFrom, type OutcomeCounts} from './report.js'

import {Outcome} from './rules.js'

/** How one key fares under proposed limits, against the current ones, request for request. */
export interface KeyChange {
  /** The key id; null for the "(no key)" and "(unknown keys)" rows. */
  id: string | null
  name: string
  requests: number
  /** Requests the current limits allow and the proposal denies. */
  newlyDenied: number
  /** newlyDenied as a share of the key's requests (0 to 1). */
  shareNewlyDenied: number
  /** Distinct minutes and UTC days with at least one newly denied request. */
  minutesAffected: number
  daysAffected: number
  /** Requests the current limits deny and the proposal allows. */
  newlyAllowed: number
  current: OutcomeCounts
  proposed: OutcomeCounts
}

export interface ProposalReport {
  /** What was proposed: the --set values, or the --compare file. */
  label: string
  totals: {current: OutcomeCounts; proposed: OutcomeCounts}
  newlyDenied: number
  newlyAllowed: number
  /** Keys whose outcomes change, most harmed first: newly denied requests, their share of the key's traffic, minutes, then days affected. */
  keys: KeyChange[]
}

const MINUTE = 60_000
const DAY = 86_400_000

/**
 * Compares two decisions for every request, per key of the current snapshot. Replay
 * is in time order, so distinct minutes and days are counted by remembering only the
 * last one seen per key.
 */
export class ProposalTally {
  private readonly current: Float64Array
  private readonly proposed: Float64Array
  private readonly newlyDenied: Float64Array
  private readonly newlyAllowed: Float64Array
  private readonly minutes: Float64Array
  private readonly days: Float64Array
  private readonly lastMinute: Float64Array
  private readonly lastDay: Float64Array

  constructor(rows: number) {
    this.current = new Float64Array(rows * 4)
    this.proposed = new Float64Array(rows * 4)
    this.newlyDenied = new Float64Array(rows)
    this.newlyAllowed = new Float64Array(rows)
    this.minutes = new Float64Array(rows)
    this.days = new Float64Array(rows)
    this.lastMinute = new Float64Array(rows).fill(-1)
    this.lastDay = new Float64Array(rows).fill(-1)
  }

  add(row: number, current: number, proposed: number, t: number): void {
    this.current[row * 4 + current]++
    this.proposed[row * 4 + proposed]++
    if (current === proposed) return
    if (current === Outcome.ALLOWED) {
      this.newlyDenied[row]++
      const minute = Math.floor(t / MINUTE)
      if (minute !== this.lastMinute[row]) {
        this.lastMinute[row] = minute
        this.minutes[row]++
      }

      const day = Math.floor(t / DAY)
      if (day !== this.lastDay[row]) {
        this.lastDay[row] = day
        this.days[row]++
      }
    } else if (proposed === Outcome.ALLOWED) this.newlyAllowed[row]++
  }

  /** `rows` names each row (a key, or "(no key)" / "(unknown keys)" with a null id). */
  report(label: string, rows: ReadonlyArray<{id: string | null; name: string}>): ProposalReport {
    const keys: KeyChange[] = []
    const total = {current: [0, 0, 0, 0], proposed: [0, 0, 0, 0]}
    for (const [row, {id, name}] of rows.entries()) {
      const current = countsOf(this.current, row)
      const proposed = countsOf(this.proposed, row)
      for (let o = 0; o < 4; o++) {
        total.current[o] += this.current[row * 4 + o]
        total.proposed[o] += this.proposed[row * 4 + o]
      }

      const changed =
        (['allowed', 'throttled', 'quotaExceeded', 'forbidden'] as const).some((k) => current[k] !== proposed[k]) ||
        this.newlyDenied[row] > 0 ||
        this.newlyAllowed[row] > 0
      if (!changed) continue
      const newlyDenied = this.newlyDenied[row]
      keys.push({
        id,
        name,
        requests: current.requests,
        newlyDenied,
        shareNewlyDenied: current.requests === 0 ? 0 : newlyDenied / current.requests,
        minutesAffected: this.minutes[row],
        daysAffected: this.days[row],
        newlyAllowed: this.newlyAllowed[row],
        current,
        proposed,
      })
    }

    keys.sort(
      (a, b) =>
        b.newlyDenied - a.newlyDenied ||
        b.shareNewlyDenied - a.shareNewlyDenied ||
        b.minutesAffected - a.minutesAffected ||
        b.daysAffected - a.daysAffected ||
        b.newlyAllowed - a.newlyAllowed ||
        a.name.localeCompare(b.name),
    )
    return {
      label,
      totals: {current: countsFrom(total.current), proposed: countsFrom(total.proposed)},
      newlyDenied: sum(this.newlyDenied),
      newlyAllowed: sum(this.newlyAllowed),
      keys,
    }
  }
}

/** The sum of a column of counts. */
function sum(values: Float64Array): number {
  let total = 0
  for (const v of values) total += v
  return total
}

function countsOf(counts: Float64Array, row: number): OutcomeCounts {
  return countsFrom(counts.subarray(row * 4, row * 4 + 4))
}
