import type {Period} from './usage-plan.js'

import {dayStart, periodStart, utcDay, type WeekStart} from './quota-period.js'

/**
 * `simulate --seed-quota`: each key's quota counter starts where AWS's stood when the
 * replay begins, so that a replay of "the rest of this period" is cut off where AWS
 * will cut it off. AWS counts usage per UTC day (GetUsage), so what a key used before
 * the replay is the sum of the days of the current period before the replay's first
 * day; what it used on that day before the first request cannot be known, and the
 * report says so when the replay does not start at midnight.
 *
 * Grants (UpdateUsage) are kept: the allowance is what AWS reports as used + remaining
 * at the end of the last day counted, which differs from the plan's limit by any
 * extension (and by the offset in a plan's first period). A proposal (`--set`) that
 * changes the limit keeps that difference. UNCONFIRMED: AWS does not say when in the day
 * its daily `remaining` is taken; it is read as at the end of that day.
 */

/** AWS's numbers for one key on one day of the current period. */
export interface SeedDay {
  date: string
  used: number
  /** What AWS reported as remaining at the end of that day; null when it reported none. */
  remaining: number | null
}

/** One plan's current quota period, as read from the account before the replay. */
export interface PlanQuotaSeed {
  usagePlanId: string
  period: Period
  /** The plan's quota limit in the account, against which AWS's remaining was counted. */
  limit: number
  /** The first day of the current period (UTC), YYYY-MM-DD. */
  periodStart: string
  /** Key id -> its days from periodStart to the day the usage was read. Keys AWS reported nothing for are absent. */
  keys: Record<string, SeedDay[]>
}

export interface QuotaSeeds {
  /** When GetUsage was read, ISO 8601. */
  readAt: string
  weekStart: WeekStart
  usagePlans: PlanQuotaSeed[]
}

/** Where one key's counter starts: requests used, and its allowance relative to the plan's limit. */
export interface KeySeed {
  used: number
  /** Allowance minus the plan's limit (grants, the first period's offset); 0 when AWS reported no remaining. */
  extra: number
  /** Whether AWS's remaining was known, so that the offset rule need not be applied again. */
  allowanceKnown: boolean
}

/**
 * Whether a plan's seed applies to a replay whose first request is at `firstRequest`,
 * under limits that give the plan `replayPeriod` (undefined: no quota): the replay must
 * count by the period AWS counted by, and start in the period AWS was read in. The
 * reason when not. The counters and the report both ask this.
 */
export function seedApplies(
  plan: PlanQuotaSeed,
  firstRequest: number,
  weekStart: WeekStart,
  replayPeriod: Period | undefined,
): {applies: true} | {applies: false; reason: string} {
  if (replayPeriod !== plan.period) {
    const replayQuota = replayPeriod ? `a ${replayPeriod} quota` : 'no quota'
    return {applies: false, reason: `the snapshot gives usage plan ${plan.usagePlanId} ${replayQuota}; the account counts it by ${plan.period}`}
  }

  const replayStart = utcDay(periodStart(firstRequest, plan.period, weekStart))
  if (replayStart === plan.periodStart) return {applies: true}
  const when = replayStart < plan.periodStart ? 'before' : 'after'
  return {
    applies: false,
    reason: `the replay starts on ${utcDay(firstRequest)}, ${when} the current ${plan.period} quota period (from ${plan.periodStart}), so AWS's counts for it say nothing about the replay`,
  }
}

/** A key's counter at the start of a replay starting at `firstRequest` (in the seed's period): the days before its first day. */
export function keySeed(plan: PlanQuotaSeed, days: readonly SeedDay[], firstRequest: number): KeySeed {
  const firstDay = utcDay(firstRequest)
  let used = 0
  let remaining: number | null = null
  for (const day of days) {
    if (day.date < plan.periodStart || day.date >= firstDay) continue
    used += day.used
    remaining = day.remaining
  }

  return remaining === null ? {used, extra: 0, allowanceKnown: false} : {used, extra: used + remaining - plan.limit, allowanceKnown: true}
}

/** Per plan, in a report: whether the seed was applied, and what it counted. */
export interface PlanSeedSummary {
  usagePlanId: string
  period: Period
  periodStart: string
  applied: boolean
  /** Why not, when not applied. */
  reason?: string
  /** The days summed (the period's days before the replay's first day), or null when there were none. */
  days: {from: string; to: string} | null
  /** Keys that had used something in those days, and their requests in all. */
  keysWithUse: number
  used: number
}

export interface SeedSummary {
  readAt: string
  usagePlans: PlanSeedSummary[]
  /** Set when the replay starts after midnight UTC: what that day held before it is not in the seed. */
  partialDay: string | null
}

/** What `--seed-quota` did for a replay starting at `firstRequest`, plan by plan; `replayPeriods` gives each plan's quota period in the limits replayed. */
export function seedSummary(seeds: QuotaSeeds, firstRequest: number, replayPeriods: ReadonlyMap<string, Period | undefined>): SeedSummary {
  const firstDay = utcDay(firstRequest)
  const usagePlans = seeds.usagePlans.map((plan): PlanSeedSummary => {
    const base = {usagePlanId: plan.usagePlanId, period: plan.period, periodStart: plan.periodStart}
    const applies = seedApplies(plan, firstRequest, seeds.weekStart, replayPeriods.get(plan.usagePlanId))
    if (!applies.applies) return {...base, applied: false, reason: applies.reason, days: null, keysWithUse: 0, used: 0}
    let keysWithUse = 0
    let used = 0
    for (const days of Object.values(plan.keys)) {
      const seed = keySeed(plan, days, firstRequest)
      if (seed.used > 0) keysWithUse++
      used += seed.used
    }

    const days = firstDay > plan.periodStart ? {from: plan.periodStart, to: utcDay(dayStart(firstDay) - 1)} : null
    return {...base, applied: true, days, keysWithUse, used}
  })
  const partialDay =
    firstRequest > dayStart(firstDay) && usagePlans.some((p) => p.applied)
      ? `AWS counts usage per day, so the requests of ${firstDay} before ${new Date(firstRequest).toISOString().slice(11, 19)} UTC (the replay's first request) are in neither the seed nor the replay`
      : null
  return {readAt: seeds.readAt, usagePlans, partialDay}
}
