import {badInput} from './errors.js'
import {
  DAY_MS,
  dayStart,
  daysBetween,
  daysFrom,
  daysOf,
  forecastRunOut,
  periodHolding,
  type PeriodSpan,
  previousPeriod,
  ratePerDay,
  recentWindow,
  utcDay,
  type WeekStart,
} from './quota-period.js'
import type {Ref} from './resolve.js'
import type {Period, Quota} from './usage-plan.js'

/**
 * What gwctl derives from AWS's usage numbers (GetUsage: per key, one [used, remaining]
 * pair per UTC day): which days to show and fetch, which key each entry of AWS's map
 * belongs to, and per key the use, the allowance, the share used and the forecast.
 * docs/usage.md explains each figure.
 */

/** One day of one key: requests used that day, and the quota remaining at its end (null when AWS reported nothing for the day). */
export interface UsageDay {
  date: string
  used: number
  remaining: number | null
}

/** AWS's numbers for one key: day (YYYY-MM-DD) -> [used, remaining]. */
export type DailyUsage = ReadonlyMap<string, readonly [used: number, remaining: number]>

// ---------------------------------------------------------------------------
// Which days
// ---------------------------------------------------------------------------

export type PeriodChoice = 'current' | 'previous'

/** The days a usage report covers, and those it must fetch to compute its figures. */
export interface UsageWindow {
  /** First and last day shown (both included). */
  from: string
  to: string
  /** The quota period holding `to`: its allowance, share and forecast are the ones reported. Absent without a quota. */
  quotaPeriod?: PeriodSpan
  /** True when `to` is today: the period is under way, so a forecast applies. */
  current: boolean
  /** The first day to ask AWS for: `from`, or earlier when the quota period or the recent rate need earlier days. */
  fetchFrom: string
}

/**
 * The window of a report at `now`. Without dates: the quota period holding today
 * (`current`, the default) or the one before it (`previous`); a plan without a quota
 * counts in calendar months. `--from` alone runs to today; `--to` alone starts at the
 * start of the quota period holding it. Dates after today, or reversed, are refused.
 */
export function usageWindow(input: {now: number; period?: Period; weekStart: WeekStart; from?: string; to?: string; choice?: PeriodChoice}): UsageWindow {
  const today = utcDay(input.now)
  for (const [flag, day] of [
    ['--from', input.from],
    ['--to', input.to],
  ] as const) {
    if (day !== undefined && day > today) throw badInput(`${flag} ${day} is in the future: AWS has no usage after today (${today}, UTC)`)
  }

  const periodOf = (t: number) => periodHolding(t, input.period ?? 'MONTH', input.weekStart)
  let from: string
  let to: string
  if (input.from !== undefined || input.to !== undefined) {
    to = input.to ?? today
    from = input.from ?? daysOf(periodOf(dayStart(to))).first
    if (from > to) throw badInput(`--from ${from} is after --to ${to}`)
  } else {
    const now = periodOf(input.now)
    const span = input.choice === 'previous' ? previousPeriod(now, input.weekStart) : now
    from = daysOf(span).first
    to = input.choice === 'previous' ? daysOf(span).last : today
  }

  const quotaPeriod = input.period ? periodHolding(dayStart(to), input.period, input.weekStart) : undefined
  const current = to === today
  const earliest = [from]
  if (quotaPeriod) earliest.push(daysOf(quotaPeriod).first)
  if (current) earliest.push(utcDay(recentWindow(input.now).start))
  return {from, to, quotaPeriod, current, fetchFrom: earliest.toSorted()[0]}
}

// ---------------------------------------------------------------------------
// Which key each entry of AWS's map is
// ---------------------------------------------------------------------------

/**
 * How AWS keyed its usage map: the current API reference says by API key id, older SDK
 * docs say by key value. `mixed` should not happen; `none` means no entry matched a key.
 */
export type UsageKeying = 'id' | 'mixed' | 'none' | 'value'

export interface UsageKeyMatch {
  keyedBy: UsageKeying
  /** Key id -> the map entry holding its numbers. */
  entryOf: Map<string, string>
  /** Map entries that are neither the id nor the value of a key given. */
  unmatched: string[]
}

/** Matches AWS's map entries to keys, by id or else by value, and says which it saw. */
export function matchUsageEntries(entries: readonly string[], keys: ReadonlyArray<{id: string; value?: string}>): UsageKeyMatch {
  const ids = new Set(keys.map((k) => k.id))
  const idOfValue = new Map(keys.filter((k) => k.value).map((k) => [k.value!, k.id]))
  const entryOf = new Map<string, string>()
  const unmatched: string[] = []
  let byId = 0
  let byValue = 0
  for (const entry of entries) {
    if (ids.has(entry)) {
      entryOf.set(entry, entry)
      byId++
    } else if (idOfValue.has(entry)) {
      entryOf.set(idOfValue.get(entry)!, entry)
      byValue++
    } else {
      unmatched.push(entry)
    }
  }

  const keyedBy: UsageKeying = byId > 0 && byValue > 0 ? 'mixed' : byId > 0 ? 'id' : byValue > 0 ? 'value' : 'none'
  return {keyedBy, entryOf, unmatched}
}

// ---------------------------------------------------------------------------
// Per key
// ---------------------------------------------------------------------------

/**
 * The outlook for the current period at the recent rate (quota-period.ts, RECENT_DAYS):
 * `ran-out` nothing remains; `runs-out` at `runsOutAt`; `not-this-period` it lasts;
 * `unknown` AWS reported no remaining quota for the key, or the key is too new for a rate.
 */
export type Outlook = 'not-this-period' | 'ran-out' | 'runs-out' | 'unknown'

export interface QuotaStanding {
  /** Requests from the start of the quota period to the last day shown. */
  periodUsed: number
  /** Quota left at the end of the last day AWS reported in the period; null when it reported none. */
  remaining: number | null
  /** periodUsed + remaining: the quota with grants (UpdateUsage) and the first period's offset counted. */
  allowance: number | null
  /** periodUsed / allowance, 0 to 1 (more when AWS let use overrun); 1 when the allowance is 0. */
  shareUsed: number | null
  /** The first day of the period that ended with nothing remaining. */
  ranOutOn: string | null
}

export interface KeyForecast {
  /** Requests a day over the recent window; null when the window is under a minute. */
  recentDailyRate: number | null
  outlook: Outlook
  /** Epoch ms, when outlook is runs-out. */
  runsOutAt: number | null
}

export interface KeyUsageFigures {
  /** Requests in the days shown. */
  used: number
  /** Requests a day over the days shown, today counted by the part of it gone. */
  dailyAverage: number
  days: UsageDay[]
  /** Absent when the plan has no quota. */
  quota?: QuotaStanding
  /** Absent unless the quota period is under way (the days shown end today). */
  forecast?: KeyForecast
}

/**
 * The figures of one key from AWS's daily numbers (`daily` covers window.fetchFrom to
 * window.to; undefined when AWS reported nothing for the key). `createdAt` (epoch ms)
 * keeps days before the key existed out of its recent rate.
 */
export function keyUsageFigures(daily: DailyUsage | undefined, window: UsageWindow, now: number, createdAt?: number): KeyUsageFigures {
  const usedOn = (day: string) => daily?.get(day)?.[0] ?? 0
  const {shown, inPeriod} = daysOfWindow(window)
  const days = shown.map((date) => ({date, used: usedOn(date), remaining: daily?.get(date)?.[1] ?? null}))
  const used = days.reduce((sum, d) => sum + d.used, 0)
  const elapsed = window.current ? daysBetween(window.from, window.to) + (now - dayStart(window.to)) / DAY_MS : days.length
  const figures: KeyUsageFigures = {used, dailyAverage: used / Math.max(1, elapsed), days}
  if (!window.quotaPeriod) return figures

  const quota = quotaStanding(inPeriod, daily, usedOn)
  figures.quota = quota
  if (window.current) {
    const rate = ratePerDay(recentWindow(now, createdAt), usedOn)
    const forecast: KeyForecast = {recentDailyRate: rate ?? null, outlook: 'unknown', runsOutAt: null}
    if (quota.remaining !== null && (rate !== undefined || quota.remaining <= 0)) {
      const outlook = forecastRunOut({now, perDay: rate ?? 0, periodEnd: window.quotaPeriod.end, remaining: quota.remaining})
      forecast.outlook = outlook.kind
      if (outlook.kind === 'runs-out') forecast.runsOutAt = outlook.at
    }

    figures.forecast = forecast
  }

  return figures
}

// A plan's report computes every key over the same window: its days are listed once.
const windowDays = new WeakMap<UsageWindow, {inPeriod: string[]; shown: string[]}>()

/** The days shown, and those of the quota period up to the last day shown. */
function daysOfWindow(window: UsageWindow): {inPeriod: string[]; shown: string[]} {
  let days = windowDays.get(window)
  if (!days) {
    days = {shown: daysFrom(window.from, window.to), inPeriod: window.quotaPeriod ? daysFrom(daysOf(window.quotaPeriod).first, window.to) : []}
    windowDays.set(window, days)
  }

  return days
}

function quotaStanding(periodDays: string[], daily: DailyUsage | undefined, usedOn: (day: string) => number): QuotaStanding {
  let periodUsed = 0
  let remaining: number | null = null
  let ranOutOn: string | null = null
  for (const day of periodDays) {
    periodUsed += usedOn(day)
    const pair = daily?.get(day)
    if (!pair) continue
    remaining = pair[1]
    if (remaining <= 0 && ranOutOn === null) ranOutOn = day
  }

  const allowance = remaining === null ? null : periodUsed + remaining
  return {periodUsed, remaining, allowance, shareUsed: allowance === null ? null : shareOf(periodUsed, allowance), ranOutOn}
}

/** used / allowance; an allowance of 0 is all used. */
const shareOf = (used: number, allowance: number) => (allowance === 0 ? 1 : used / allowance)

/** The standing once what remains is set to `remaining` (usage grant), the period's use unchanged. */
export function withRemaining(standing: QuotaStanding, remaining: number): QuotaStanding {
  const allowance = standing.periodUsed + remaining
  return {...standing, remaining, allowance, shareUsed: shareOf(standing.periodUsed, allowance)}
}

/** A key is over the threshold (a fraction, 0.8 for 80%) when its share used reaches it. */
export const isOverThreshold = (quota: QuotaStanding | undefined, threshold: number): boolean =>
  quota?.shareUsed !== null && quota?.shareUsed !== undefined && quota.shareUsed >= threshold

// ---------------------------------------------------------------------------
// A plan's report
// ---------------------------------------------------------------------------

export interface KeyUsage extends KeyUsageFigures, Ref {
  /** False when AWS's usage map held no entry for the key. */
  reported: boolean
}

/** AWS's Usage (GetUsage's answer) for the days shown: key id -> one [used, remaining] pair a day; null for a day AWS did not report. */
export interface UsageNumbers {
  usagePlanId: string
  startDate: string
  endDate: string
  items: Record<string, Array<[used: number, remaining: number] | null>>
}

/** The usage of a plan's keys over a window, with what gwctl derived from AWS's numbers. */
export interface UsageReport {
  usagePlan: Ref & {quota?: Partial<Quota>}
  /** The quota period, or null when the plan has no quota. */
  period: Period | null
  weekStart: WeekStart
  window: UsageWindow
  /** How AWS keyed its usage map: by key id (as documented now) or by key value (older docs). */
  keyedBy: UsageKeying
  usage: UsageNumbers
  /** The closest to running out first. */
  keys: KeyUsage[]
  /** Entries of AWS's map that are no key of the plan (id or value, as AWS wrote them), with their requests in the days shown. */
  unmatched: Array<{entry: string; used: number}>
  warnings: string[]
}

/** UpdateUsage's one operation: what remains in the current period becomes `remaining`. */
export const remainingOp = (remaining: number) => ({op: 'replace' as const, path: '/remaining', value: String(remaining)})

/** `usage grant`: the standing before, as planned, and as AWS reports it after. */
export interface UsageGrant {
  usagePlan: Ref
  apiKey: Ref
  period: Period
  before: QuotaStanding
  /** The standing the change makes, by gwctl's arithmetic: `before` with the new remaining. */
  planned: QuotaStanding
  /** Re-read from AWS after the change; null on a dry run or when nothing changed. */
  after: QuotaStanding | null
  /** AWS's usage of the key after the change (or now, when nothing was sent), from the period's start. */
  usage: UsageNumbers
  operations: Array<ReturnType<typeof remainingOp>>
  changed: boolean
  warnings: string[]
}

/** A key at or over the threshold, in one plan. */
export interface OverThreshold {
  usagePlan: Ref
  key: KeyUsage
}

/** `usage check`: the keys over the threshold among those checked. */
export interface UsageCheck {
  /** A fraction: 0.8 for 80%. */
  threshold: number
  over: OverThreshold[]
  usagePlans: Ref[]
  keysChecked: number
  /** Plans named or found that have no quota, so nothing of theirs can be over. */
  withoutQuota: Ref[]
  warnings: string[]
}

/** One key's current period in one plan, for `keys show`. */
export interface KeyPlanUsage {
  usagePlan: Ref
  period: Period | null
  key: KeyUsage
}
