import {GwctlError} from '../model/errors.js'

interface AwsLikeError {
  name?: string
  message?: string
  $metadata?: {httpStatusCode?: number}
  retryAfterSeconds?: string
  code?: string
}

const THROTTLE_NAMES = new Set(['LimitExceededException', 'ThrottlingException', 'TooManyRequestsException'])

export function isThrottle(error: unknown): boolean {
  const e = error as AwsLikeError
  return THROTTLE_NAMES.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 429
}

/** Server-side or connection faults worth one more try. */
export function isTransient(error: unknown): boolean {
  const e = error as AwsLikeError
  const status = e?.$metadata?.httpStatusCode ?? 0
  return e?.name === 'ServiceUnavailableException' || status >= 500 || e?.code === 'ECONNRESET'
}

/** Seconds the service asked us to wait (Retry-After), if it said. */
export function retryAfterSeconds(error: unknown): number | undefined {
  const raw = (error as AwsLikeError)?.retryAfterSeconds
  if (raw === undefined) return undefined
  const seconds = Number(raw)
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined
}

/**
 * Turns an SDK or network error into a GwctlError with a message a person can act on.
 * `action` says what gwctl was doing, e.g. "updating usage plan abc123"; `service`
 * names the AWS service called, e.g. "API Gateway".
 */
export function toGwctlError(error: unknown, action: string, service: string): GwctlError {
  if (error instanceof GwctlError) return error
  const e = error as AwsLikeError
  const name = e?.name ?? 'Error'
  const message = e?.message ?? String(error)
  const what = `AWS refused ${action}: ${message}`
  switch (name) {
    case 'NotFoundException':
    case 'ResourceNotFoundException':
    case 'NoSuchBucket':
    case 'NoSuchKey': {
      return new GwctlError('NOT_FOUND', `Not found while ${action}: ${message}`, {cause: error})
    }
    case 'ConflictException':
    case 'ResourceAlreadyExistsException': {
      return new GwctlError('CONFLICT', what, {cause: error})
    }
    case 'BadRequestException':
    case 'InvalidParameterException': {
      return new GwctlError('BAD_INPUT', what, {cause: error})
    }
    case 'UnauthorizedException':
    case 'AccessDeniedException':
    case 'AccessDenied':
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'ExpiredTokenException': {
      return new GwctlError('AWS_ACCESS', what, {
        cause: error,
        suggestions: ['Check the credentials and permissions of the profile in use (--profile, AWS_PROFILE)'],
      })
    }
    case 'CredentialsProviderError': {
      return new GwctlError('AWS_ACCESS', `No AWS credentials found while ${action}`, {
        cause: error,
        suggestions: [
          'Pass --profile with a profile from ~/.aws/config or ~/.aws/credentials (`aws configure list-profiles` lists them), set AWS_PROFILE, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
        ],
      })
    }
    default: {
      break
    }
  }

  if (isThrottle(error)) {
    return new GwctlError('AWS_THROTTLED', `AWS kept throttling ${action} after retries: ${message}`, {
      cause: error,
      suggestions: ['Wait a minute and run the command again; API Gateway limits management calls per account'],
    })
  }

  if (/region is missing/i.test(message)) {
    return new GwctlError('BAD_INPUT', 'No AWS Region is set', {
      cause: error,
      suggestions: ['Pass --region, or set AWS_REGION or a region in your AWS profile'],
    })
  }

  if (['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN'].includes(e?.code ?? '')) {
    return new GwctlError('AWS_ACCESS', `Could not reach the ${service} endpoint while ${action}: ${message}`, {
      cause: error,
      suggestions: ['Check --endpoint-url and your network connection'],
    })
  }

  const status = e?.$metadata?.httpStatusCode
  return new GwctlError('UNEXPECTED', `${name} while ${action}: ${message}${status ? ` (HTTP ${status})` : ''}`, {cause: error})
}
