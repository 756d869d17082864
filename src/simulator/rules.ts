import type {SnapshotStage} from '../model/snapshot.js'
import type {Period as PeriodName, Throttle as SnapshotThrottle} from '../model/usage-plan.js'
import type {CompiledModel} from './model.js'

/**
 * Every enforcement rule the simulator applies lives in this module, so that what
 * gwctl believes about API Gateway can be read (and changed) in one place. The
 * README section "AWS behaviour gwctl relies on" lists the same choices.
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
 * Token buckets as parallel arrays (one slot per bucket) so that millions of requests
 * allocate nothing. Capacity = burst; refill = rate per second, continuous (fractions
 * of a token accumulate); a bucket is full when first used (INFERRED from AWS's worked
 * examples, in which "the 101st millisecond" is t = 100 ms: 100 ms of refill); a request
 * passes when at least one whole token is there and takes one.
 * UNCONFIRMED: a burst of 0 is taken literally, so such a bucket never passes anything.
 */
export class TokenBuckets {
  private tokens = new Float64Array(64)
  private last = new Float64Array(64)
  private perMs = new Float64Array(64)
  private capacity = new Float64Array(64)
  private used = new Uint8Array(64)
  count = 0

  add(rateLimit: number, burstLimit: number): number {
    if (this.count === this.tokens.length) this.grow()
    const i = this.count++
    this.perMs[i] = rateLimit / 1000
    this.capacity[i] = burstLimit
    this.tokens[i] = burstLimit
    return i
  }

  /** Refills bucket `i` up to time `t` (ms) and takes a token if one is there. */
  take(i: number, t: number): boolean {
    let tokens = this.tokens[i]
    if (this.used[i] === 0) {
      this.used[i] = 1
      this.last[i] = t
    } else if (t > this.last[i]) {
      // A request earlier than the bucket's clock refills nothing: never a negative refill.
      tokens = Math.min(this.capacity[i], tokens + (t - this.last[i]) * this.perMs[i])
      this.last[i] = t
    }

    // The epsilon absorbs floating-point dust from fractional rates (0.1 rps x 10 s = 0.9999...).
    if (tokens >= 1 - 1e-9) {
      this.tokens[i] = tokens - 1
      return true
    }

    this.tokens[i] = tokens
    return false
  }

  private grow(): void {
    const size = this.tokens.length * 2
    const widen = <A extends Float64Array | Uint8Array>(a: A, make: (n: number) => A): A => {
      const b = make(size)
      b.set(a)
      return b
    }

    this.tokens = widen(this.tokens, (n) => new Float64Array(n))
    this.last = widen(this.last, (n) => new Float64Array(n))
    this.perMs = widen(this.perMs, (n) => new Float64Array(n))
    this.capacity = widen(this.capacity, (n) => new Float64Array(n))
    this.used = widen(this.used, (n) => new Uint8Array(n))
  }
}

// ---------------------------------------------------------------------------
// Quota windows
// ---------------------------------------------------------------------------

export type WeekStart = 'monday' | 'sunday'

const DAY_MS = 86_400_000

/**
 * Start (ms, UTC) of the quota window holding `t`. Windows are UTC calendar days,
 * weeks and months (UNCONFIRMED: AWS does not document the time zone; UTC is what
 * users report). Weeks start on Monday (UNCONFIRMED; `--week-start sunday` switches).
 */
export function windowStart(t: number, period: PeriodName, weekStart: WeekStart = 'monday'): number {
  const day = Math.floor(t / DAY_MS)
  if (period === 'DAY') return day * DAY_MS
  if (period === 'WEEK') {
    const sundayBased = (day + 4) % 7 // 1970-01-01 was a Thursday
    const back = weekStart === 'monday' ? (sundayBased + 6) % 7 : sundayBased
    return (day - back) * DAY_MS
  }

  const d = new Date(t)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
}

/** Start of the window after the one starting at `start`. */
export function nextWindowStart(start: number, period: PeriodName): number {
  if (period === 'DAY') return start + DAY_MS
  if (period === 'WEEK') return start + 7 * DAY_MS
  const d = new Date(start)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
}

/**
 * Quota counters, one per (key, plan) membership. A request counts only when it
 * passed every throttle (UNCONFIRMED: AWS does not say whether throttled or refused
 * requests count; counting them would let a throttled client lock itself out).
 * `offset` is taken off the limit only in the window holding the first request of
 * the replay (UNCONFIRMED: AWS says "the initial period"; a replay cannot know when
 * the plan was created, so its own first window stands in for it).
 */
export class QuotaCounters {
  private used: Float64Array
  private windowEnd: Float64Array
  private allowance: Float64Array
  private firstWindow = Number.NaN

  constructor(
    private readonly quotas: ReadonlyArray<{limit: number; offset: number; period: PeriodName} | undefined>,
    private readonly weekStart: WeekStart,
  ) {
    this.used = new Float64Array(quotas.length)
    this.windowEnd = new Float64Array(quotas.length).fill(Number.NEGATIVE_INFINITY)
    this.allowance = new Float64Array(quotas.length)
  }

  /** Marks the replay's first request time, which fixes the window that carries the offset. */
  startAt(t: number): void {
    if (Number.isNaN(this.firstWindow)) this.firstWindow = t
  }

  /** True (and counted) when membership `m` still has quota at `t`. */
  take(m: number, t: number): boolean {
    const quota = this.quotas[m]
    if (!quota) return true
    if (t >= this.windowEnd[m]) {
      const start = windowStart(t, quota.period, this.weekStart)
      const firstStart = windowStart(this.firstWindow, quota.period, this.weekStart)
      this.windowEnd[m] = nextWindowStart(start, quota.period)
      this.allowance[m] = start === firstStart ? quota.limit - quota.offset : quota.limit
      this.used[m] = 0
    }

    if (this.used[m] >= this.allowance[m]) return false
    this.used[m]++
    return true
  }
}

// ---------------------------------------------------------------------------
// Which limits apply to a method
// ---------------------------------------------------------------------------

/** A logged method with no exact entry in the snapshot falls back to the resource's ANY method, as API Gateway routes it. */
export const ANY_METHOD = 'ANY'

/**
 * The stage throttle for one method: its exact methodSettings entry (resource path
 * with "/" escaped as "~1", then "/METHOD"), else the stage-wide "*\/*" entry.
 * UNCONFIRMED: a setting with only one half takes the other from the account throttle.
 */
export function stageThrottleFor(stage: SnapshotStage, path: string, httpMethod: string, account: SnapshotThrottle): SnapshotThrottle | undefined {
  const settings = stage.methodSettings ?? {}
  const exact = settings[`${path.replaceAll('/', '~1')}/${httpMethod.toUpperCase()}`]
  const setting = exact?.throttlingRateLimit !== undefined || exact?.throttlingBurstLimit !== undefined ? exact : settings['*/*']
  if (setting?.throttlingRateLimit === undefined && setting?.throttlingBurstLimit === undefined) return undefined
  return {rateLimit: setting.throttlingRateLimit ?? account.rateLimit, burstLimit: setting.throttlingBurstLimit ?? account.burstLimit}
}

// ---------------------------------------------------------------------------
// The enforcer: the order of checks
// ---------------------------------------------------------------------------

/**
 * Decides one request. For a method that requires a key: a missing, unknown or
 * disabled key, or a key in no plan covering this (API, stage), is refused with 403.
 * Otherwise the checks run in this order and the first that fails decides:
 *   1. the plan's per-method throttle, when the plan sets one for this /path/METHOD
 *      on this stage (per key);
 *   2. the plan's throttle (per key, one bucket shared by all stages of the plan);
 *   3. the stage's method throttle (the exact methodSettings entry, else "*\/*");
 *   4. the account throttle;
 *   5. the quota.
 * A check that passes keeps its token even when a later check fails (UNCONFIRMED:
 * so a request under a plan per-method throttle is charged to both that bucket and
 * the plan's per-key bucket). Methods that require no key skip the key check and
 * every plan limit, but still meet the stage and account throttles.
 * UNCONFIRMED: a "*\/*" stage setting gives each method its own bucket with those
 * limits (a default per method, not one bucket for the whole stage).
 */
export class Enforcer {
  /** The (key, plan) membership the last decision was metered under, or -1. */
  member = -1
  private readonly buckets = new TokenBuckets()
  private readonly account: number
  private readonly routeBucket: Int32Array
  private readonly memberBucket: Int32Array
  private readonly planMethodBucket = new Map<number, number>()
  private readonly quotas: QuotaCounters

  constructor(
    private readonly model: CompiledModel,
    weekStart: WeekStart,
  ) {
    const {rateLimit, burstLimit} = model.accountThrottle
    this.account = this.buckets.add(rateLimit, burstLimit)
    this.routeBucket = Int32Array.from(model.routes, (r) => (r.stageThrottle ? this.buckets.add(r.stageThrottle.rateLimit, r.stageThrottle.burstLimit) : -1))
    this.memberBucket = Int32Array.from(model.members, (m) => {
      const throttle = model.plans[m.plan].throttle
      return throttle ? this.buckets.add(throttle.rateLimit, throttle.burstLimit) : -1
    })
    this.quotas = new QuotaCounters(
      model.members.map((m) => {
        const quota = model.plans[m.plan].quota
        return quota && {limit: quota.limit, offset: quota.offset ?? 0, period: quota.period}
      }),
      weekStart,
    )
  }

  decide(t: number, route: number, key: number): LimitCode {
    const model = this.model
    this.member = -1
    this.quotas.startAt(t)
    const r = model.routes[route]
    let member = -1
    if (r.apiKeyRequired) {
      if (key === NO_KEY) return Limit.MISSING_KEY
      if (key === UNKNOWN_KEY) return Limit.UNKNOWN_KEY
      if (!model.keyEnabled[key]) return Limit.DISABLED_KEY
      member = model.memberFor(key, r.stage)
      if (member < 0) return Limit.KEY_NOT_IN_PLAN
      this.member = member
      const slot = model.planMethodSlot(model.members[member].plan, route)
      if (slot >= 0 && !this.buckets.take(this.planMethodBucketFor(member, slot), t)) return Limit.PLAN_METHOD_THROTTLE
      const planBucket = this.memberBucket[member]
      if (planBucket >= 0 && !this.buckets.take(planBucket, t)) return Limit.PLAN_THROTTLE
    }

    const stageBucket = this.routeBucket[route]
    if (stageBucket >= 0 && !this.buckets.take(stageBucket, t)) return Limit.STAGE_THROTTLE
    if (!this.buckets.take(this.account, t)) return Limit.ACCOUNT_THROTTLE
    if (member >= 0 && !this.quotas.take(member, t)) return Limit.QUOTA
    return Limit.NONE
  }

  /** Per-key per-method buckets are made on first use: most keys call few methods. */
  private planMethodBucketFor(member: number, slot: number): number {
    const id = member * this.model.planMethodSlots.length + slot
    let bucket = this.planMethodBucket.get(id)
    if (bucket === undefined) {
      const {rateLimit, burstLimit} = this.model.planMethodSlots[slot]
      bucket = this.buckets.add(rateLimit, burstLimit)
      this.planMethodBucket.set(id, bucket)
    }

    return bucket
  }
}
