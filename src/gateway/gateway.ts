import type {APIGatewayClient} from '@aws-sdk/client-api-gateway'

import {isThrottle, isTransient, retryAfterSeconds, toGwctlError} from './aws-errors.js'

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
  action: string
  attempt: number
  delayMs: number
  /** Why the call is repeated: AWS throttled it, or the service or connection failed. */
  reason: 'throttled' | 'failed'
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

// Structural view of an SDK command, with its output type recovered from the handler it resolves to.
export interface SendArg {
  readonly input: object
  resolveMiddleware(...args: never[]): unknown
}
export type OutputOf<C> = C extends {resolveMiddleware(...args: never[]): (...args: never[]) => Promise<{output: infer O}>} ? O : never

/**
 * The one way gwctl talks to API Gateway: every call gets the same retry on
 * throttling (honouring Retry-After, since UpdateUsagePlan allows one call per 20 s
 * per account) and the same translation of failures into GwctlErrors.
 */
export class Gateway {
  private readonly retry: Required<Omit<RetryOptions, 'onRetry'>> & Pick<RetryOptions, 'onRetry'>

  constructor(
    readonly client: APIGatewayClient,
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

  /** Sends one command; `action` describes it for error messages ("creating usage plan gold"). */
  async send<C extends SendArg>(command: C, action: string): Promise<OutputOf<C>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.client.send(command as never)) as OutputOf<C>
      } catch (error) {
        const retryable = isThrottle(error) || isTransient(error)
        if (!retryable || attempt >= this.retry.maxAttempts) throw toGwctlError(error, action)
        const delayMs = this.delayFor(error, attempt)
        this.retry.onRetry?.({action, attempt, delayMs, reason: isThrottle(error) ? 'throttled' : 'failed'})
        await this.retry.sleep(delayMs)
      }
    }
  }

  /**
   * Collects every page of a list call. `make` builds the command for a page
   * position; API Gateway pages with `position` and allows up to 500 per page.
   */
  async all<T>(make: (position: string | undefined) => SendArg, action: string): Promise<T[]> {
    const out: T[] = []
    let position: string | undefined
    do {
      const page = (await this.send(make(position), action)) as {items?: T[]; position?: string}
      out.push(...(page.items ?? []))
      position = page.position
    } while (position)
    return out
  }

  private delayFor(error: unknown, attempt: number): number {
    const asked = retryAfterSeconds(error)
    if (asked !== undefined) return Math.min(asked * 1000, this.retry.maxDelayMs)
    const exponential = this.retry.baseDelayMs * 2 ** (attempt - 1)
    const jitter = 0.5 + Math.random() / 2
    return Math.min(Math.round(exponential * jitter), this.retry.maxDelayMs)
  }
}
