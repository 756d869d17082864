import {isThrottle, isTransient, retryAfterSeconds, toGwctlError} from './errors.js'

export interface RetryOptions {
  /** Total attempts including the first. */
  maxAttempts?: number
  /** First backoff delay; doubles each attempt, with jitter. */
  baseDelayMs?: number
  /** Upper bound on one wait, also applied to Retry-After. */
  maxDelayMs?: number
  sleep?: (ms: number) => Promise<void>
  /** Told before each wait, so commands can show progress on stderr. */
  onRetry?: (info: RetryInfo) => void
}

export interface RetryInfo {
  /** The AWS service called, e.g. "API Gateway". */
  service: string
  action: string
  attempt: number
  delayMs: number
  /** Why the call is repeated: AWS throttled it, or the service or connection failed. */
  reason: 'throttled' | 'failed'
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Makes one AWS call with gwctl's retry rule: a throttled call (honouring Retry-After,
 * since UpdateUsagePlan allows one call per 20 s per account) or one that failed on the
 * service's side or the connection is tried again with exponential backoff, up to
 * `maxAttempts`; anything else fails at once. Every failure leaves as a GwctlError.
 * The SDK clients are built with maxAttempts 1, so attempts are never multiplied.
 */
export class RetryingCaller {
  private readonly retry: Required<Omit<RetryOptions, 'onRetry'>> & Pick<RetryOptions, 'onRetry'>

  constructor(
    /** Named in messages: "Could not reach the API Gateway endpoint ...". */
    readonly service: string,
    retry: RetryOptions = {},
  ) {
    this.retry = {
      maxAttempts: retry.maxAttempts ?? 6,
      baseDelayMs: retry.baseDelayMs ?? 500,
      maxDelayMs: retry.maxDelayMs ?? 25_000,
      sleep: retry.sleep ?? defaultSleep,
      onRetry: retry.onRetry,
    }
  }

  /** Runs `attempt` until it succeeds or the rule says stop; `action` describes it for messages ("creating usage plan gold"). */
  async call<T>(attempt: () => Promise<T>, action: string): Promise<T> {
    for (let tries = 1; ; tries++) {
      try {
        return await attempt()
      } catch (error) {
        const retryable = isThrottle(error) || isTransient(error)
        if (!retryable || tries >= this.retry.maxAttempts) throw toGwctlError(error, action, this.service)
        const delayMs = this.delayFor(error, tries)
        this.retry.onRetry?.({service: this.service, action, attempt: tries, delayMs, reason: isThrottle(error) ? 'throttled' : 'failed'})
        await this.retry.sleep(delayMs)
      }
    }
  }

  private delayFor(error: unknown, attempt: number): number {
    const asked = retryAfterSeconds(error)
    if (asked !== undefined) return Math.min(asked * 1000, this.retry.maxDelayMs)
    const exponential = this.retry.baseDelayMs * 2 ** (attempt - 1)
    const jitter = 0.5 + Math.random() / 2
    return Math.min(Math.round(exponential * jitter), this.retry.maxDelayMs)
  }
}
