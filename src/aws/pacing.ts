/**
 * Per-process pacing of management calls to AWS's documented per-account limits, so that
 * gwctl does not earn the 429s it can foresee. It cannot see calls made by other
 * processes or people in the same account: those still meet AWS's 429, which the retry
 * rule (retry.ts) waits out within --max-wait.
 */

/** At most `calls` in `seconds`, and no more than `calls` at once. */
export interface CallLimit {
  calls: number
  seconds: number
}

export interface ServiceLimits {
  /** Every management call of the account together. */
  account: CallLimit
  /** Operations with a limit of their own, by AWS's operation name. */
  operations: Record<string, CallLimit>
}

/**
 * API Gateway's fixed limits on management calls ("API Gateway quotas for creating,
 * deploying and managing an API"; docs/failures.md): the account makes at most 10 calls
 * per second with bursts of 40, and these operations have limits of their own.
 */
export const API_GATEWAY_LIMITS: ServiceLimits = {
  account: {calls: 40, seconds: 4},
  operations: {
    UpdateUsagePlan: {calls: 1, seconds: 20},
    UpdateAccount: {calls: 1, seconds: 20},
    CreateDeployment: {calls: 1, seconds: 5},
    CreateApiKey: {calls: 5, seconds: 1},
    DeleteApiKey: {calls: 5, seconds: 1},
    GetResources: {calls: 5, seconds: 2},
  },
}

/** A token bucket that hands out reservations: a call takes a token now or waits for one. */
class Bucket {
  private tokens: number
  private at: number

  constructor(
    readonly limit: CallLimit,
    now: number,
  ) {
    this.tokens = limit.calls
    this.at = now
  }

  private get perMs() {
    return this.limit.calls / (this.limit.seconds * 1000)
  }

  private refill(now: number) {
    this.tokens = Math.min(this.limit.calls, this.tokens + (now - this.at) * this.perMs)
    this.at = now
  }

  /** Takes a token; returns how long to wait for it (0 when one is there). */
  reserve(now: number): number {
    this.refill(now)
    this.tokens -= 1
    return this.tokens >= 0 ? 0 : Math.ceil(-this.tokens / this.perMs)
  }

  /** AWS said the limit was reached: no token is left, whatever this process counted. */
  empty(now: number): void {
    this.refill(now)
    this.tokens = Math.min(this.tokens, 0)
  }
}

export class Pacer {
  private readonly account: Bucket
  private readonly operations = new Map<string, Bucket>()

  constructor(
    private readonly limits: ServiceLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.account = new Bucket(limits.account, now())
  }

  private bucketOf(operation: string): Bucket | undefined {
    const limit = this.limits.operations[operation]
    if (!limit) return undefined
    let bucket = this.operations.get(operation)
    if (!bucket) this.operations.set(operation, (bucket = new Bucket(limit, this.now())))
    return bucket
  }

  /** Reserves the next call of `operation`; returns the milliseconds to wait before sending it. */
  reserve(operation: string): number {
    const now = this.now()
    const own = this.bucketOf(operation)?.reserve(now) ?? 0
    return Math.max(own, this.account.reserve(now))
  }

  /** After AWS throttled `operation`: its next call waits a whole interval of its limit. */
  throttled(operation: string): void {
    this.bucketOf(operation)?.empty(this.now())
  }

  /** "one UpdateUsagePlan per 20 s", for notices; undefined for an operation without a limit of its own. */
  describe(operation: string): string | undefined {
    const limit = this.limits.operations[operation]
    if (!limit) return undefined
    return limit.calls === 1
      ? `one ${operation} call per ${limit.seconds} s`
      : `${limit.calls} ${operation} calls per ${limit.seconds === 1 ? 'second' : `${limit.seconds} s`}`
  }
}
