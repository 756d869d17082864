import {GwctlError} from '../model/errors.js'

/**
 * One run of gwctl as its AWS calls see it: where notices go (retries, waits, answers
 * found after they were lost, progress of changes made of several calls), and whether the
 * person interrupted it (Ctrl-C, SIGTERM).
 *
 * After an interrupt no call that changes something is started: the call in flight
 * finishes, waits before a retry are cut short, and the change stops there and reports
 * what it did. Reads may still run, so that the report can be made from what is true.
 */
export class Session {
  private readonly controller = new AbortController()
  private writes = 0

  constructor(
    private readonly notify: (line: string) => void = () => {},
    /** Where progress of a change of several calls goes: a terminal, or nowhere. */
    private readonly showProgress: (line: string) => void = () => {},
  ) {}

  /** Aborted once the person interrupted gwctl; its reason names the signal. */
  get interrupted(): AbortSignal {
    return this.controller.signal
  }

  /** Whether any call that changes something has been sent. */
  get sentChanges(): boolean {
    return this.writes > 0
  }

  interrupt(signal: string): void {
    if (!this.controller.signal.aborted) this.controller.abort(signal)
  }

  /** A line for the person at the terminal (stderr, also under --json): a retry, a wait, an answer found. */
  note(line: string): void {
    this.notify(line)
  }

  /** "[2/5] add API key ...": progress of a change of several calls. */
  progress(line: string): void {
    this.showProgress(line)
  }

  /** Before sending a call that changes something: refuses once interrupted, else counts it. */
  admitChange(action: string): void {
    if (this.controller.signal.aborted) throw interruptedBefore(action, String(this.controller.signal.reason))
    this.writes++
  }
}

/** The error a change meets when gwctl was interrupted before it started: nothing of it was sent. */
export const interruptedBefore = (action: string, signal: string) =>
  new GwctlError('ABORTED', `Interrupted (${signal}) before ${action}: it was not sent`, {details: {interrupted: signal}})

/** Whether `error` is the stop an interrupt causes (not a failure of AWS's). */
export const isInterruption = (error: unknown): boolean => error instanceof GwctlError && error.details?.interrupted !== undefined
