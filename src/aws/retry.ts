import {GwctlError} from '../model/errors.js'
import {CallTimeout, describeLoss, failureKind, isNotFound, retryAfterSeconds, toGwctlError} from './errors.js'
import {Pacer, type ServiceLimits} from './pacing.js'
import {interruptedBefore, Session} from './session.js'

/**
 * gwctl's rule for calling AWS again, one place for every service:
 *
 * - A call AWS throttled (429) did not happen: it is sent again after a wait, for as
 *   long as the waits of that call add up to at most --max-wait (default 60 s). A wait is
 *   the longest of AWS's Retry-After (0 means no advice), an exponential backoff
 *   (0.5 s doubling, up to 20 s, with jitter) and, for an operation with a documented
 *   limit of its own (UpdateUsagePlan: one per 20 s), one interval of that limit.
 * - A call whose answer was lost (HTTP 5xx, a connection dropped after sending, no
 *   answer within --timeout) may have happened. What happens next is the operation's
 *   `Repeat` rule, set in the table of api-gateway.ts:
 *     - `as-is`: reads, and writes that set values (PATCH with only `replace`):
 *       sending them again does no harm;
 *     - `delete`: sent again, and a 404 to the repeat means the first one did it;
 *     - `look-first`: creates: first look for what the call would have made (a plan or
 *       key by name, a key by its value, a key in a plan); if it is there, that is the
 *       answer (and a notice says so); if not, the call is sent again;
 *     - `never`: a change whose effect cannot be looked for is not repeated; the error
 *       says it may have happened.
 *   Lost answers are tried at most 5 times in all (3 when each try timed out, so that
 *   with the default 30 s timeout a stalled endpoint is given up on within two minutes).
 * - Anything else fails at once.
 * Every failure leaves as a GwctlError. The SDK clients are built with maxAttempts 1,
 * so attempts are never multiplied.
 */

/** How a call may be repeated after its answer was lost; see the rule above. */
export type Repeat<T> = {kind: 'as-is'} | {kind: 'delete'} | {kind: 'look-first'; find: () => Promise<T | undefined>} | {kind: 'never'}

export interface CallOptions<T> {
  /** AWS's name of the operation, e.g. "UpdateUsagePlan": its pace limit, and notices. */
  operation: string
  /** What gwctl is doing, in words: "updating usage plan gold (p1)". */
  action: string
  /** Whether the call changes something (refused after an interrupt). */
  changes: boolean
  repeat: Repeat<T>
}

export interface RetryOptions {
  /** Milliseconds one try may take before it is abandoned (--timeout). */
  timeoutMs?: number
  /** Milliseconds one call may spend waiting to be tried again (--max-wait). */
  maxWaitMs?: number
  /** Tries in all for a call whose answer was lost. */
  lostTries?: number
  /** Tries in all for a call whose every try timed out. */
  timedOutTries?: number
  /** First backoff delay; doubles each attempt, with jitter. */
  baseDelayMs?: number
  /** Upper bound on one backoff delay. */
  maxDelayMs?: number
  /** Waits `ms`, or less when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  now?: () => number
  /** Interrupts and notices (stderr); a quiet one that is never interrupted when absent. */
  session?: Session
  /** The profile in use, for credential messages. */
  profile?: string
}

export const DEFAULT_TIMEOUT_S = 30
export const DEFAULT_MAX_WAIT_S = 60

/** Resolves after `ms`, or at once when `signal` aborts (its timer cleared, so that it keeps no process alive). */
const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }

    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, {once: true})
  })
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** Resolves after `ms`, or as soon as `signal` aborts, whatever `sleep` does with it. */
async function sleepUnless(sleep: (ms: number, signal?: AbortSignal) => Promise<void>, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return
  let onAbort!: () => void
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve
    signal.addEventListener('abort', onAbort, {once: true})
  })
  try {
    await Promise.race([sleep(ms, signal), aborted])
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}

/** Runs `attempt`, abandoning it (and aborting its request) when it takes longer than `timeoutMs`. */
async function withTimeout<T>(attempt: (signal: AbortSignal) => Promise<T>, timeoutMs: number): Promise<T> {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const timeout = new CallTimeout(timeoutMs)
      controller.abort(timeout)
      reject(timeout)
    }, timeoutMs)
  })
  try {
    return await Promise.race([attempt(controller.signal), timedOut])
  } finally {
    clearTimeout(timer)
  }
}

export class RetryingCaller {
  private readonly options: Required<Omit<RetryOptions, 'profile'>> & Pick<RetryOptions, 'profile'>
  private readonly pacer: Pacer

  constructor(
    /** Named in messages: "API Gateway returned HTTP 500 ...". */
    readonly service: string,
    limits: ServiceLimits,
    options: RetryOptions = {},
  ) {
    this.options = {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_S * 1000,
      maxWaitMs: options.maxWaitMs ?? DEFAULT_MAX_WAIT_S * 1000,
      lostTries: options.lostTries ?? 5,
      timedOutTries: options.timedOutTries ?? 3,
      baseDelayMs: options.baseDelayMs ?? 500,
      maxDelayMs: options.maxDelayMs ?? 20_000,
      sleep: options.sleep ?? defaultSleep,
      now: options.now ?? Date.now,
      session: options.session ?? new Session(),
      profile: options.profile,
    }
    this.pacer = new Pacer(limits, this.options.now)
  }

  get session(): Session {
    return this.options.session
  }

  /** Makes one call by the rule above; `attempt` sends it once, aborting its request when `signal` aborts. */
  async call<T>(attempt: (signal: AbortSignal) => Promise<T>, call: CallOptions<T>): Promise<T> {
    const {session, sleep} = this.options
    const interrupted = session.interrupted
    const signalName = () => String(interrupted.reason)
    if (call.changes) session.admitChange(call.action)
    // Pacing: the first try waits for its turn, which does not count against --max-wait.
    const turn = this.pacer.reserve(call.operation)
    if (turn >= 1000) session.note(`Waiting ${seconds(turn)} before ${call.action}: AWS allows ${this.pacer.describe(call.operation)} per account`)
    await sleepUnless(sleep, turn, interrupted)
    if (interrupted.aborted && call.changes) throw interruptedBefore(call.action, signalName())

    let waitedMs = 0
    let lost: unknown // the last failure that may have left the call done
    let lostTries = 0
    let timedOutTries = 0
    /** A repeat of a call that may already have happened, other than a create that was looked for. */
    const mayHaveHappened = () => lost !== undefined && call.changes && call.repeat.kind !== 'look-first'
    const giveUp = (error: unknown, tries: number) => {
      const mapped = toGwctlError(error, {
        action: call.action,
        service: this.service,
        tries,
        waitedMs,
        maxWaitMs: this.options.maxWaitMs,
        profile: this.options.profile,
      })
      return mayHaveHappened() ? this.mayHaveHappened(lost, call, tries, mapped.code) : mapped
    }

    for (let tries = 1; ; tries++) {
      try {
        return await withTimeout(attempt, this.options.timeoutMs)
      } catch (error) {
        const kind = failureKind(error)
        if (lost !== undefined && call.repeat.kind === 'delete' && isNotFound(error)) return {} as T // the try whose answer was lost deleted it
        if (kind === 'final') throw giveUp(error, tries)
        if (kind === 'throttled') this.pacer.throttled(call.operation)
        else {
          lost = error
          lostTries++
          timedOutTries = error instanceof CallTimeout ? timedOutTries + 1 : 0
          if (call.repeat.kind === 'never') throw this.mayHaveHappened(error, call, tries)
          if (call.repeat.kind === 'look-first') {
            const found = await this.lookFor(call.repeat.find, error, call)
            if (found !== undefined) return found
          }

          if (lostTries >= this.options.lostTries || timedOutTries >= this.options.timedOutTries) throw giveUp(error, tries)
        }

        const asked = kind === 'throttled' ? (retryAfterSeconds(error) ?? 0) * 1000 : 0
        const delayMs = Math.max(this.backoff(tries), asked, this.pacer.reserve(call.operation))
        if (waitedMs + delayMs > this.options.maxWaitMs) throw giveUp(error, tries)
        const why = kind === 'throttled' ? `AWS is throttling ${call.action}` : `${this.service} answered ${describeLoss(error)} while ${call.action}`
        session.note(`${why}; retrying in ${seconds(delayMs)}`)
        await sleepUnless(sleep, delayMs, interrupted)
        waitedMs += delayMs
        if (interrupted.aborted && call.changes) {
          throw mayHaveHappened()
            ? this.mayHaveHappened(lost, call, tries, 'PARTIAL_FAILURE', signalName())
            : interruptedBefore(`repeating ${call.action}`, signalName())
        }
      }
    }
  }

  /** Backoff before try `n + 1`: base doubling, capped, jittered to between half and all of it. */
  private backoff(n: number): number {
    const full = Math.min(this.options.baseDelayMs * 2 ** Math.max(0, n - 1), this.options.maxDelayMs)
    return Math.round(full * (0.5 + Math.random() / 2))
  }

  /** Looks for what a lost create made; a notice says when it was found. */
  private async lookFor<T>(find: () => Promise<T | undefined>, error: unknown, call: CallOptions<T>): Promise<T | undefined> {
    const found = await find()
    if (found !== undefined) {
      const id = (found as {id?: string}).id
      this.options.session.note(
        `${this.service}'s answer to ${call.action} was lost (${describeLoss(error)}); found it${id ? ` (${id})` : ''} in the account, so it was not created again`,
      )
    }

    return found
  }

  /**
   * The error for a change that may have taken effect although gwctl cannot tell: AWS's
   * failure as it is, saying so, and exit 7 when the person interrupted the wait.
   */
  private mayHaveHappened(error: unknown, call: CallOptions<unknown>, tries: number, code?: GwctlError['code'], interrupted?: string): GwctlError {
    const mapped = toGwctlError(error, {action: call.action, service: this.service, tries, profile: this.options.profile})
    const why = interrupted
      ? `Interrupted (${interrupted}) while waiting to repeat ${call.action}, whose answer was lost (${describeLoss(error)})`
      : call.repeat.kind === 'never'
        ? `${mapped.message}. gwctl did not repeat it, as it cannot look for its effect`
        : mapped.message
    return new GwctlError(code ?? mapped.code, `${why}: it may have taken effect; check before running it again`, {
      cause: error,
      mayHaveChanged: true,
      suggestions: mapped.suggestions,
      ...(interrupted ? {details: {interrupted}} : {}),
    })
  }
}
