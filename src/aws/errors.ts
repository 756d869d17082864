import {GwctlError} from '../model/errors.js'

interface AwsLikeError {
  name?: string
  message?: string
  $metadata?: {httpStatusCode?: number; requestId?: string}
  retryAfterSeconds?: string
  code?: string
}

const THROTTLE_NAMES = new Set(['LimitExceededException', 'ThrottlingException', 'TooManyRequestsException'])

/** AWS's names for a request it could not authenticate or would not allow (API Gateway's own, and the AWS-wide ones). */
const ACCESS_NAMES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'ExpiredToken',
  'ExpiredTokenException',
  'IncompleteSignature',
  'IncompleteSignatureException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'SignatureDoesNotMatch',
  'UnauthorizedException',
  'UnrecognizedClientException',
])

/** Connection failures where the request never reached AWS: another try would meet the same wall. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])
/** Connection failures after the request may have been sent: AWS may have done the work. */
const DROPPED = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE'])

/** The error an attempt ends with when --timeout passes without an answer. */
export class CallTimeout extends Error {
  override readonly name = 'CallTimeout'
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs / 1000} s`)
  }
}

/**
 * How a failed call ended, which decides whether and how it may be tried again:
 * - `throttled`: AWS refused it for rate (HTTP 429); nothing happened.
 * - `lost`: it may have happened and only the answer was lost: an HTTP 5xx, a connection
 *   dropped after the request was sent, or no answer within the timeout.
 * - `final`: anything else; another try would fail the same way.
 */
export type FailureKind = 'throttled' | 'lost' | 'final'

export function failureKind(error: unknown): FailureKind {
  const e = error as AwsLikeError
  if (THROTTLE_NAMES.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 429) return 'throttled'
  if (error instanceof CallTimeout) return 'lost'
  if ((e?.$metadata?.httpStatusCode ?? 0) >= 500 || e?.name === 'ServiceUnavailableException') return 'lost'
  if (DROPPED.has(e?.code ?? '') || /socket hang up/i.test(e?.message ?? '')) return 'lost'
  return 'final'
}

/** Whether the error is AWS saying the thing is not there (HTTP 404). */
export function isNotFound(error: unknown): boolean {
  const e = error as AwsLikeError
  return e?.name === 'NotFoundException' || e?.$metadata?.httpStatusCode === 404
}

/** Seconds the service asked us to wait (Retry-After), if it said. */
export function retryAfterSeconds(error: unknown): number | undefined {
  const raw = (error as AwsLikeError)?.retryAfterSeconds
  if (raw === undefined) return undefined
  const seconds = Number(raw)
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined
}

/** "HTTP 500 (request id 1c2d...)", or "no answer within 30 s", or the connection error: how a lost answer was lost, for messages. */
export function describeLoss(error: unknown): string {
  if (error instanceof CallTimeout) return `no answer within ${error.timeoutMs / 1000} s`
  const e = error as AwsLikeError
  const status = e?.$metadata?.httpStatusCode
  if (status !== undefined) return `HTTP ${status}${e.$metadata?.requestId ? ` (request id ${e.$metadata.requestId})` : ''}`
  return `the connection dropped (${e?.code ?? e?.message ?? 'no reason given'})`
}

/** What the caller knew when it gave up, for the message. */
export interface FailureContext {
  /** What gwctl was doing, e.g. "updating usage plan gold (p1)". */
  action: string
  /** The AWS service called, e.g. "API Gateway". */
  service: string
  /** How many times the call was sent. */
  tries?: number
  /** Milliseconds spent waiting to try again, and the most allowed (--max-wait). */
  waitedMs?: number
  maxWaitMs?: number
  /** The profile in use (--profile or AWS_PROFILE), to name in credential messages. */
  profile?: string
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`
const tries = (n: number | undefined) => (n && n > 1 ? ` (${n} tries)` : '')

/** AWS's message, unless it is the SDK's own text about a body it could not read. */
function awsMessage(e: AwsLikeError): string | undefined {
  const message = e?.message?.trim()
  if (!message || message === 'UnknownError' || /Deserialization error|hidden field|is not valid JSON|Unexpected token/.test(message)) return undefined
  return message
}

/**
 * Turns an SDK or network error into a GwctlError with a message a person can act on
 * and the documented exit code for its kind.
 */
export function toGwctlError(error: unknown, context: FailureContext): GwctlError {
  if (error instanceof GwctlError) return error
  const {action, service} = context
  const e = error as AwsLikeError
  const name = e?.name ?? 'Error'
  const message = e?.message ?? String(error)
  const what = `AWS refused ${action}: ${message}`
  const status = e?.$metadata?.httpStatusCode
  switch (name) {
    case 'NotFoundException': {
      return new GwctlError('NOT_FOUND', `Not found while ${action}: ${message}`, {cause: error})
    }
    case 'ConflictException': {
      return new GwctlError('CONFLICT', what, {cause: error})
    }
    case 'BadRequestException': {
      return new GwctlError('BAD_INPUT', what, {cause: error})
    }
    case 'CredentialsProviderError':
    case 'TokenProviderError': {
      return credentialsError(error, message, context)
    }
    default: {
      break
    }
  }

  if (ACCESS_NAMES.has(name) || status === 401 || status === 403) {
    const expired = /expired/i.test(`${name} ${message}`)
    return new GwctlError('AWS_ACCESS', `${what} (${name})`, {
      cause: error,
      suggestions: [
        expired
          ? 'The credentials have expired: renew them (aws sso login, or new temporary credentials) and run the command again'
          : 'Check the credentials and permissions of the profile in use (--profile, AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)',
      ],
    })
  }

  if (failureKind(error) === 'throttled') {
    const waited = context.waitedMs === undefined ? '' : `, after waiting ${seconds(context.waitedMs)}${tries(context.tries)}`
    return new GwctlError('AWS_THROTTLED', `AWS kept throttling ${action}${waited}: ${message}`, {
      cause: error,
      suggestions: [
        `API Gateway limits management calls per account (see docs/failures.md); wait a minute and run the command again${context.maxWaitMs === undefined ? '' : `, or let gwctl wait longer with --max-wait (now ${context.maxWaitMs / 1000})`}`,
      ],
    })
  }

  if (/region is missing/i.test(message)) {
    return new GwctlError('BAD_INPUT', 'No AWS Region is set', {
      cause: error,
      suggestions: ['Pass --region, or set AWS_REGION or a region in your AWS profile'],
    })
  }

  if (error instanceof CallTimeout) {
    return new GwctlError('AWS_ACCESS', `${service} did not answer within ${error.timeoutMs / 1000} s while ${action}${tries(context.tries)}`, {
      cause: error,
      suggestions: ['Check --endpoint-url and your network connection; if the endpoint is just slow, give it longer with --timeout SECONDS'],
    })
  }

  if (status !== undefined && status >= 500) {
    const said = awsMessage(e)
    return new GwctlError(
      'AWS_SERVICE',
      `${service} returned HTTP ${status}${e.$metadata?.requestId ? ` (request id ${e.$metadata.requestId})` : ''} while ${action}${tries(context.tries)}${said ? `: ${said}` : ''}`,
      {
        cause: error,
        suggestions: [
          "This is a failure on AWS's side: run the command again in a while; if it lasts, check the AWS Health Dashboard and quote the request id to AWS Support",
        ],
      },
    )
  }

  if (UNREACHABLE.has(e?.code ?? '') || DROPPED.has(e?.code ?? '') || e?.code === 'ETIMEDOUT') {
    return new GwctlError('AWS_ACCESS', `Could not reach the ${service} endpoint while ${action}${tries(context.tries)}: ${message}`, {
      cause: error,
      suggestions: ['Check --endpoint-url and your network connection'],
    })
  }

  return new GwctlError('UNEXPECTED', `${name} while ${action}: ${message}${status ? ` (HTTP ${status})` : ''}`, {cause: error})
}

/** No credentials, or an SSO session that has run out: say which, and how to get going again. */
function credentialsError(error: unknown, message: string, context: FailureContext): GwctlError {
  const profile = context.profile ? ` --profile ${context.profile}` : ''
  if (/\bSSO\b|sso login/i.test(message)) {
    return new GwctlError(
      'AWS_ACCESS',
      `The AWS SSO session${context.profile ? ` of profile ${context.profile}` : ''} has expired or is not valid (while ${context.action}): ${message}`,
      {
        cause: error,
        suggestions: [`Sign in again: aws sso login${profile}`],
      },
    )
  }

  return new GwctlError('AWS_ACCESS', `No AWS credentials found while ${context.action}`, {
    cause: error,
    suggestions: [
      'Pass --profile with a profile from ~/.aws/config or ~/.aws/credentials (`aws configure list-profiles` lists them), set AWS_PROFILE, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    ],
  })
}
