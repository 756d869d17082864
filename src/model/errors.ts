import type {ChangeReport} from './change-steps.js'

/**
 * Exit codes are part of gwctl's contract with scripts; the README lists them.
 * Keep this the only place they are defined.
 */
export const ExitCode = {
  OK: 0,
  UNEXPECTED: 1,
  BAD_INPUT: 2,
  NOT_FOUND: 3,
  CONFLICT: 4,
  AWS_THROTTLED: 5,
  AWS_ACCESS: 6,
  PARTIAL_FAILURE: 7,
  SIMULATION_DENIED: 8,
  USAGE_OVER_THRESHOLD: 9,
  /** `gwctl doctor` found at least one error-severity finding. */
  DOCTOR_FOUND_ERRORS: 10,
  AWS_SERVICE: 11,
  ABORTED: 130,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

export type GwctlErrorCode =
  | 'ABORTED'
  | 'AMBIGUOUS'
  | 'AWS_ACCESS'
  | 'AWS_SERVICE'
  | 'AWS_THROTTLED'
  | 'BAD_INPUT'
  | 'CONFLICT'
  | 'NOT_FOUND'
  | 'PARTIAL_FAILURE'
  | 'SIMULATION_DENIED'
  | 'UNEXPECTED'
  | 'USAGE_OVER_THRESHOLD'

const exitFor: Record<GwctlErrorCode, ExitCodeValue> = {
  ABORTED: ExitCode.ABORTED,
  AMBIGUOUS: ExitCode.BAD_INPUT,
  AWS_ACCESS: ExitCode.AWS_ACCESS,
  AWS_SERVICE: ExitCode.AWS_SERVICE,
  AWS_THROTTLED: ExitCode.AWS_THROTTLED,
  BAD_INPUT: ExitCode.BAD_INPUT,
  CONFLICT: ExitCode.CONFLICT,
  NOT_FOUND: ExitCode.NOT_FOUND,
  PARTIAL_FAILURE: ExitCode.PARTIAL_FAILURE,
  SIMULATION_DENIED: ExitCode.SIMULATION_DENIED,
  UNEXPECTED: ExitCode.UNEXPECTED,
  USAGE_OVER_THRESHOLD: ExitCode.USAGE_OVER_THRESHOLD,
}

export interface GwctlErrorOptions {
  /** What the user can do next, one line each. */
  suggestions?: string[]
  /** For multi-step operations: what was already changed before the failure. */
  done?: string[]
  /** Extra machine-readable detail for --json output. */
  details?: Record<string, unknown>
  /** For a change of several steps that stopped: what it did and did not do, how to finish and undo (see change-steps.ts). */
  report?: ChangeReport
  /** The call may have taken effect although it failed (its answer was lost): say so rather than "nothing changed". */
  mayHaveChanged?: boolean
  cause?: unknown
}

/** An error meant for the user: a message, next steps, and the exit code for its kind. */
export class GwctlError extends Error {
  readonly code: GwctlErrorCode
  readonly exitCode: ExitCodeValue
  readonly suggestions: string[]
  readonly done: string[]
  readonly details?: Record<string, unknown>
  readonly report?: ChangeReport
  readonly mayHaveChanged: boolean

  constructor(code: GwctlErrorCode, message: string, options: GwctlErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'GwctlError'
    this.code = code
    this.exitCode = exitFor[code]
    this.suggestions = options.suggestions ?? []
    this.done = options.done ?? []
    this.details = options.details
    this.report = options.report
    this.mayHaveChanged = options.mayHaveChanged ?? false
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      exitCode: this.exitCode,
      message: this.message,
      ...(this.suggestions.length > 0 ? {suggestions: this.suggestions} : {}),
      ...(this.done.length > 0 ? {done: this.done} : {}),
      ...(this.details ? {details: this.details} : {}),
    }
  }
}

export const badInput = (message: string, options?: GwctlErrorOptions) => new GwctlError('BAD_INPUT', message, options)
export const notFound = (message: string, options?: GwctlErrorOptions) => new GwctlError('NOT_FOUND', message, options)
export const conflict = (message: string, options?: GwctlErrorOptions) => new GwctlError('CONFLICT', message, options)
