import {type SnapshotMethodSetting, type SnapshotStage, stageLimitValue} from '../model/snapshot.js'
import type {Period, Throttle} from '../model/usage-plan.js'
import {nextPeriodStart, periodStart, type WeekStart} from '../model/quota-period.js'
import {keySeed, type KeySeed, type PlanQuotaSeed, type QuotaSeeds, type SeedDay, seedApplies} from '../model/quota-seed.js'

/**
 * The enforcement rules the simulator applies live in this module (and the order of
 * checks in enforcer.ts), so that what gwctl believes about API Gateway can be read
 * (and changed) in one place. docs/simulator.md lists the same choices with the AWS
 * texts behind them.
 *
 * AWS documents: token buckets (rate = refill per second, burst = capacity), the
 * order plan -> stage -> account, plan limits per key summed over the plan's stages,
 * plan limits only on methods that require a key, quota periods DAY/WEEK/MONTH and
 * the offset taken off the first period, 403 for a bad key and 429 for throttles and
 * quota. Choices where AWS is silent are marked UNCONFIRMED below.
 */

/** What decided a request, in the order the checks run. 0 means every check passed. */
export const Limit = {
  NONE: 0,
  PLAN_METHOD_THROTTLE: 1,
  PLAN_THROTTLE: 2,
  STAGE_THROTTLE: 3,
  ACCOUNT_THROTTLE: 4,
  QUOTA: 5,
  MISSING_KEY: 6,
  UNKNOWN_KEY: 7,
  DISABLED_KEY: 8,
  KEY_NOT_IN_PLAN: 9,
} as const
export type LimitCode = (typeof Limit)[keyof typeof Limit]

export const LIMIT_NAMES = [
  'NONE',
  'PLAN_METHOD_THROTTLE',
  'PLAN_THROTTLE',
  'STAGE_THROTTLE',
  'ACCOUNT_THROTTLE',
  'QUOTA',
  'MISSING_KEY',
  'UNKNOWN_KEY',
  'DISABLED_KEY',
  'KEY_NOT_IN_PLAN',
] as const
export type LimitName = (typeof LIMIT_NAMES)[number]

export const Outcome = {ALLOWED: 0, THROTTLED: 1, QUOTA_EXCEEDED: 2, FORBIDDEN: 3} as const
export type OutcomeCode = (typeof Outcome)[keyof typeof Outcome]
export const OUTCOME_NAMES = ['ALLOWED', 'THROTTLED', 'QUOTA_EXCEEDED', 'FORBIDDEN'] as const
export type OutcomeName = (typeof OUTCOME_NAMES)[number]

/**
 * Said once in every report: AWS calls usage-plan throttles and quotas targets applied
 * on a best-effort basis, not hard limits (usage-plans guide), and serves requests
 * unmetered when its usage-plan check fails internally.
 */
export const BEST_EFFORT =
  'AWS applies usage-plan throttles and quotas on a best-effort basis (they are not hard limits), so a real day or month can differ slightly from this replay.'

/** Status the caller would receive for each outcome (quota and throttle are both 429). */
export const OUTCOME_STATUS = [200, 429, 429, 403] as const

export function outcomeOf(limit: LimitCode): OutcomeCode {
  if (limit === Limit.NONE) return Outcome.ALLOWED
  if (limit === Limit.QUOTA) return Outcome.QUOTA_EXCEEDED
  return limit < Limit.QUOTA ? Outcome.THROTTLED : Outcome.FORBIDDEN
}

/** The key column of a request: an index into the snapshot's keys, or one of these. */
export const NO_KEY = -1
export const UNKNOWN_KEY = -2

// ---------------------------------------------------------------------------
// Token buckets
// ---------------------------------------------------------------------------

/**
 * Token buckets in one array, four numbers per bucket (tokens, the time of its last
 * request, the refill per ms, the capacity), so that millions of requests allocate
 * nothing and a request reads one cache line per bucket. Capacity = burst; refill =
 * rate per second, continuous (fractions of a token accumulate); a bucket is full when
 * first used (INFERRED from AWS's worked examples, in which "the 101st millisecond" is
 * t = 100 ms: 100 ms of refill); a request passes when at least one whole token is
 * there and takes one.
 * UNCONFIRMED: a burst of 0 is taken literally, so such a bucket never passes anything.
 */
export class TokenBuckets {
  /** Per bucket: tokens, last request time (NaN before the first), refill per ms, capacity. */
  private state = new Float64Array(64 * 4)
  count = 0

  add(rateLimit: number, burstLimit: number): number {
    if (this.count * 4 === this.state.length) {
      const state = new Float64Array(this.state.length * 2)
      state.set(this.state)
      this.state = state
    }

    const i = this.count++
    this.state.set([burstLimit, Number.NaN, rateLimit / 1000, burstLimit], i * 4)
    return i
  }

  /** Refills bucket `i` up to time `t` (ms) and takes a token if one is there. */
  take(i: number, t: number): boolean {
    const s = this.state
    const at = i * 4
    let tokens = s[at]
    const last = s[at + 1]
    if (Number.isNaN(last)) s[at + 1] = t
    else if (t > last) {
      // A request earlier than the bucket's clock refills nothing: never a negative refill.
      tokens = Math.min(s[at + 3], tokens + (t - last) * s[at + 2])
      s[at + 1] = t
    }

    // The epsilon absorbs floating-point dust from fractional rates (0.1 rps x 10 s = 0.9999...).
    if (tokens >= 1 - 1e-9) {
      s[at] = tokens - 1
      return true
    }

    s[at] = tokens
    return false
  }
}

// ---------------------------------------------------------------------------
// Quota windows
// ---------------------------------------------------------------------------

// Quota windows are the quota periods of src/model/quota-period.ts (UTC days, weeks from
// Sunday unless --week-start monday, calendar months), the same ones `gwctl usage` reads.

export interface QuotaRules {
  weekStart: WeekStart
  /**
   * The log starts in the plan's first quota period (`--first-period`), so `offset`
   * comes off the limit in the window holding the replay's first request. AWS defines
   * offset as "the number of requests subtracted from the given limit in the initial
   * time period": the plan's first period, which a log of a running plan is not in, so
   * by default no offset is applied.
   */
  firstPeriod: boolean
  /** `--seed-quota`: AWS's counts in each plan's current period, read before the replay. */
  seeds?: QuotaSeeds
}

/** A membership's quota, and AWS's counts for it when --seed-quota read them. */
export interface MemberQuota {
  limit: number
  offset: number
  period: Period
  seed?: {plan: PlanQuotaSeed; days: readonly SeedDay[]}
}

/** Where QuotaCounters keeps what for a membership. */
const Q = {USED: 0, END: 1, ALLOWANCE: 2, SIZE: 3} as const

/**
 * Quota counters, one per (key, plan) membership. A request counts only when it
 * passed every throttle (UNCONFIRMED: AWS does not say whether throttled or refused
 * requests count; counting them would let a throttled client lock itself out).
 */
export class QuotaCounters {
  /** Per membership, side by side (see Q), so that a request reads one place: requests counted, end of the current window, allowance in it. */
  private readonly state: Float64Array
  private firstRequest = Number.NaN

  constructor(
    private readonly quotas: ReadonlyArray<MemberQuota | undefined>,
    private readonly rules: QuotaRules,
  ) {
    this.state = new Float64Array(quotas.length * Q.SIZE)
    for (let m = 0; m < quotas.length; m++) this.state[m * Q.SIZE + Q.END] = Number.NEGATIVE_INFINITY
  }

  /** Marks the replay's first request time, which fixes the window that carries the offset under --first-period. */
  startAt(t: number): void {
    if (Number.isNaN(this.firstRequest)) this.firstRequest = t
  }

  /** True (and counted) when membership `m` still has quota at `t`. */
  take(m: number, t: number): boolean {
    const quota = this.quotas[m]
    if (!quota) return true
    if (t >= this.state[m * Q.SIZE + Q.END]) {
      const {weekStart, firstPeriod} = this.rules
      const start = periodStart(t, quota.period, weekStart)
      this.state[m * Q.SIZE + Q.END] = nextPeriodStart(start, quota.period)
      const inFirstWindow = start === periodStart(this.firstRequest, quota.period, weekStart)
      const seed = inFirstWindow ? this.seedOf(quota) : undefined
      const initial = firstPeriod && inFirstWindow
      this.state[m * Q.SIZE + Q.ALLOWANCE] = seed?.allowanceKnown ? quota.limit + seed.extra : initial ? quota.limit - quota.offset : quota.limit
      this.state[m * Q.SIZE + Q.USED] = seed?.used ?? 0
    }

    if (this.state[m * Q.SIZE + Q.USED] >= this.state[m * Q.SIZE + Q.ALLOWANCE]) return false
    this.state[m * Q.SIZE + Q.USED]++
    return true
  }

  /** AWS's count for the replay's first window, when it was read in that same period. */
  private seedOf(quota: MemberQuota): KeySeed | undefined {
    const {seed} = quota
    if (!seed || !seedApplies(seed.plan, this.firstRequest, this.rules.weekStart, quota.period).applies) return undefined
    return keySeed(seed.plan, seed.days, this.firstRequest)
  }
}

// ---------------------------------------------------------------------------
// Which limits apply to a method
// ---------------------------------------------------------------------------

/** A logged method with no exact entry in the snapshot falls back to the resource's ANY method, as API Gateway routes it. */
export const ANY_METHOD = 'ANY'

/**
 * The stage throttle for one method. Each half (rate, burst) comes from the method's
 * own methodSettings entry (resource path with "/" escaped as "~1", then "/METHOD")
 * when it sets it, else from the stage-wide "*\/*" entry (UNCONFIRMED: a method
 * setting that sets only one half takes the other from "*\/*"). -1 sets nothing:
 * throttling switched off. With neither half set there is no stage throttle; with one
 * half only, the other is the account's (UNCONFIRMED; the stage limit cannot exceed
 * the account's anyway).
 */
export function stageThrottleFor(stage: SnapshotStage, path: string, httpMethod: string, account: Throttle): Throttle | undefined {
  const settings = stage.methodSettings ?? {}
  const exact: SnapshotMethodSetting = settings[`${path.replaceAll('/', '~1')}/${httpMethod.toUpperCase()}`] ?? {}
  const stageWide: SnapshotMethodSetting = settings['*/*'] ?? {}
  const rate = stageLimitValue(exact.throttlingRateLimit) ?? stageLimitValue(stageWide.throttlingRateLimit)
  const burst = stageLimitValue(exact.throttlingBurstLimit) ?? stageLimitValue(stageWide.throttlingBurstLimit)
  if (rate === undefined && burst === undefined) return undefined
  return {rateLimit: rate ?? account.rateLimit, burstLimit: burst ?? account.burstLimit}
}
