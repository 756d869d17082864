import type {Period} from './usage-plan.js'

/**
 * Quota periods and forecasts, in UTC. Pure arithmetic on epoch milliseconds and
 * "YYYY-MM-DD" days, with no clock of its own: callers pass `now`. `gwctl usage` uses
 * it for AWS's numbers; it is written so that the simulator's quota windows can use
 * it too (periodStart / nextPeriodStart allocate nothing for DAY and WEEK).
 *
 * AWS's rules, and the choices where AWS is silent (docs/usage.md):
 * - DAY is a calendar day, MONTH a calendar month ("resets at the beginning of the
 *   month"), both in UTC (UNCONFIRMED: AWS names no time zone; UTC is what users report).
 * - WEEK starts on Sunday 00:00 UTC: the only AWS text naming a weekday is the older API
 *   model's QuotaSettings.offset ("an offset of 0 starts on Sunday"). Monday is there for
 *   the other reading (UNCONFIRMED either way).
 */

export const WEEK_STARTS = ['sunday', 'monday'] as const
export type WeekStart = (typeof WEEK_STARTS)[number]
export const DEFAULT_WEEK_START: WeekStart = 'sunday'

export const DAY_MS = 86_400_000

/** One quota period: from `start` (included) to `end` (excluded), epoch ms UTC. */
export interface PeriodSpan {
  period: Period
  start: number
  end: number
}

/** Start (epoch ms, UTC) of the `period` holding the instant `t`. */
export function periodStart(t: number, period: Period, weekStart: WeekStart = DEFAULT_WEEK_START): number {
  const day = Math.floor(t / DAY_MS)
  if (period === 'DAY') return day * DAY_MS
  if (period === 'WEEK') {
    const sinceSunday = (((day + 4) % 7) + 7) % 7 // 1970-01-01 was a Thursday; days before 1970 are negative
    const back = weekStart === 'monday' ? (sinceSunday + 6) % 7 : sinceSunday
    return (day - back) * DAY_MS
  }

  const d = new Date(t)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
}

/** Start of the period after the one starting at `start` (which must be a period start). */
export function nextPeriodStart(start: number, period: Period): number {
  if (period === 'DAY') return start + DAY_MS
  if (period === 'WEEK') return start + 7 * DAY_MS
  const d = new Date(start)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
}

/** The period holding the instant `t`. */
export function periodHolding(t: number, period: Period, weekStart: WeekStart = DEFAULT_WEEK_START): PeriodSpan {
  const start = periodStart(t, period, weekStart)
  return {period, start, end: nextPeriodStart(start, period)}
}

/** The period just before `span`. */
export function previousPeriod(span: PeriodSpan, weekStart: WeekStart = DEFAULT_WEEK_START): PeriodSpan {
  return periodHolding(span.start - 1, span.period, weekStart)
}

// ---------------------------------------------------------------------------
// Days: AWS reports usage per UTC calendar day, written YYYY-MM-DD.
// ---------------------------------------------------------------------------

// Day names by day number: a report names the same few days once per key, and formatting a Date each time was most of its cost.
const dayNames = new Map<number, string>()

/** The UTC day holding the instant `t`, as YYYY-MM-DD. */
export function utcDay(t: number): string {
  const day = Math.floor(t / DAY_MS)
  let name = dayNames.get(day)
  if (name === undefined) {
    if (dayNames.size >= 100_000) dayNames.clear()
    name = new Date(day * DAY_MS).toISOString().slice(0, 10)
    dayNames.set(day, name)
  }

  return name
}

/** Midnight UTC at the start of `day` (YYYY-MM-DD), epoch ms. */
export function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`)
}

export function addDays(day: string, days: number): string {
  return utcDay(dayStart(day) + days * DAY_MS)
}

/** Whole days from `from` to `to`: 0 when they are the same day. */
export function daysBetween(from: string, to: string): number {
  return Math.round((dayStart(to) - dayStart(from)) / DAY_MS)
}

/** Every day from `from` to `to`, both included; empty when `to` is before `from`. */
export function daysFrom(from: string, to: string): string[] {
  const days: string[] = []
  for (let t = dayStart(from), end = dayStart(to); t <= end; t += DAY_MS) days.push(utcDay(t))
  return days
}

/** The first and last day of a period, as AWS's startDate and endDate would name them. */
export function daysOf(span: PeriodSpan): {first: string; last: string} {
  return {first: utcDay(span.start), last: utcDay(span.end - 1)}
}

/** Consecutive runs of at most `size` days covering `from` to `to`, in order. */
export function dayChunks(from: string, to: string, size: number): Array<{first: string; last: string}> {
  const chunks: Array<{first: string; last: string}> = []
  for (let first = from; daysBetween(first, to) >= 0; first = addDays(first, size)) {
    const last = addDays(first, size - 1)
    chunks.push({first, last: daysBetween(last, to) < 0 ? to : last})
  }

  return chunks
}

// ---------------------------------------------------------------------------
// Rates and forecasts
// ---------------------------------------------------------------------------

/**
 * "Recent" for a forecast: the last 7 days up to now, i.e. the 6 whole UTC days before
 * today and today so far. A week holds every weekday once, so a weekly rhythm (busy
 * weekdays, quiet weekends) does not tilt the rate, and one busy hour does not decide it.
 */
export const RECENT_DAYS = 7

/**
 * The stretch of time the recent rate is measured over: from the start of the UTC day
 * RECENT_DAYS - 1 days before `now`'s (or from `notBefore`, e.g. the key's creation, when
 * later: days before a key existed would dilute its rate) to `now`.
 */
export function recentWindow(now: number, notBefore?: number): {start: number; end: number} {
  const start = Math.floor(now / DAY_MS) * DAY_MS - (RECENT_DAYS - 1) * DAY_MS
  return {start: notBefore === undefined ? start : Math.min(now, Math.max(start, notBefore)), end: now}
}

/**
 * Requests per day over `window`, from daily counts: a day that lies partly in the
 * window (today, or the day the window starts mid-way) counts in full, since AWS counts
 * whole days only; the time divided by is the window's. Undefined for a window under a
 * minute, which says nothing about a rate.
 */
export function ratePerDay(window: {start: number; end: number}, usedOn: (day: string) => number): number | undefined {
  const length = window.end - window.start
  if (length < 60_000) return undefined
  let requests = 0
  for (const day of daysFrom(utcDay(window.start), utcDay(window.end - 1))) requests += usedOn(day)
  return (requests / length) * DAY_MS
}

/**
 * When the quota runs out at `perDay` requests a day:
 * - `ran-out`: nothing remains now;
 * - `runs-out`: it runs out at `at` (epoch ms), before the period ends;
 * - `not-this-period`: it lasts until the period ends, including when nothing was used recently.
 */
export type Forecast = {at: number; kind: 'runs-out'} | {kind: 'not-this-period'} | {kind: 'ran-out'}

export function forecastRunOut(input: {now: number; perDay: number; periodEnd: number; remaining: number}): Forecast {
  if (input.remaining <= 0) return {kind: 'ran-out'}
  if (input.perDay <= 0) return {kind: 'not-this-period'}
  const at = input.now + (input.remaining / input.perDay) * DAY_MS
  return at < input.periodEnd ? {kind: 'runs-out', at: Math.round(at)} : {kind: 'not-this-period'}
}
