import assert from 'node:assert/strict'

import {CallTimeout, failureKind, toGwctlError} from '../../src/aws/errors.js'
import {awsError} from '../helpers/mock-aws.js'

const context = {action: 'reading usage plan p1', service: 'API Gateway'}
const mapped = (error: unknown, extra = {}) => toGwctlError(error, {...context, ...extra})
const accessDenied = (name: string, message: string) =>
  Object.assign(new Error(message), {name, $fault: 'client', $metadata: {httpStatusCode: 403, requestId: 'r1'}})

describe('aws/errors: how a failed call ends, and what gwctl says about it', () => {
  it('sorts failures: throttled (nothing happened), lost (may have happened), final', () => {
    assert.equal(failureKind(awsError('TooManyRequestsException', 'slow')), 'throttled')
    assert.equal(failureKind(Object.assign(new Error('x'), {$metadata: {httpStatusCode: 429}})), 'throttled')
    assert.equal(failureKind(Object.assign(new Error('x'), {$metadata: {httpStatusCode: 502}})), 'lost')
    assert.equal(failureKind(Object.assign(new Error('socket hang up'), {code: 'ECONNRESET'})), 'lost')
    assert.equal(failureKind(new CallTimeout(30_000)), 'lost')
    assert.equal(failureKind(Object.assign(new Error('connect ECONNREFUSED'), {code: 'ECONNREFUSED'})), 'final', 'a refused connection never reached AWS')
    assert.equal(failureKind(awsError('BadRequestException', 'no')), 'final')
  })

  const cases: Array<[string, unknown, string, number, RegExp]> = [
    [
      'NotFound',
      awsError('NotFoundException', 'Invalid Usage Plan ID specified'),
      'NOT_FOUND',
      3,
      /^Not found while reading usage plan p1: Invalid Usage Plan ID specified$/,
    ],
    ['Conflict', awsError('ConflictException', 'already exists'), 'CONFLICT', 4, /^AWS refused reading usage plan p1: already exists$/],
    ['BadRequest', awsError('BadRequestException', 'Invalid patch path'), 'BAD_INPUT', 2, /^AWS refused reading usage plan p1: Invalid patch path$/],
    ['missing Region', new Error('Region is missing'), 'BAD_INPUT', 2, /^No AWS Region is set$/],
    [
      'refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {code: 'ECONNREFUSED'}),
      'AWS_ACCESS',
      6,
      /^Could not reach the API Gateway endpoint while reading usage plan p1: connect ECONNREFUSED/,
    ],
    [
      'unknown error',
      Object.assign(new Error('odd'), {name: 'WeirdException', $metadata: {httpStatusCode: 418}}),
      'UNEXPECTED',
      1,
      /^WeirdException while reading usage plan p1: odd \(HTTP 418\)$/,
    ],
    [
      'HTTP 503',
      awsError('ServiceUnavailableException', 'try later', {$metadata: {httpStatusCode: 503, requestId: 'r5'}}),
      'AWS_SERVICE',
      11,
      /^API Gateway returned HTTP 503 \(request id r5\) while reading usage plan p1: try later$/,
    ],
    [
      'missing credentials',
      Object.assign(new Error('Could not load credentials from any providers'), {name: 'CredentialsProviderError'}),
      'AWS_ACCESS',
      6,
      /^No AWS credentials found while reading usage plan p1$/,
    ],
  ]
  for (const [label, error, code, exitCode, message] of cases) {
    it(`maps ${label} to ${code} (exit ${exitCode})`, () => {
      const e = mapped(error)
      assert.equal(e.code, code)
      assert.equal(e.exitCode, exitCode)
      assert.match(e.message, message)
    })
  }

  // AWS's authentication failures, API Gateway's and the AWS-wide ones (Common Errors).
  for (const name of [
    'UnauthorizedException',
    'AccessDeniedException',
    'UnrecognizedClientException',
    'InvalidSignatureException',
    'IncompleteSignatureException',
    'MissingAuthenticationTokenException',
    'InvalidClientTokenId',
    'ExpiredToken',
    'ExpiredTokenException',
    'SignatureDoesNotMatch',
  ]) {
    it(`${name}: exit 6 with AWS's reason and what to check`, () => {
      const e = mapped(accessDenied(name, `reason given for ${name}`))
      assert.equal(e.exitCode, 6)
      assert.equal(e.message, `AWS refused reading usage plan p1: reason given for ${name} (${name})`)
      assert.match(e.suggestions[0], /^The credentials have expired|^Check the credentials and permissions/)
    })
  }

  it('an HTTP 403 of an unknown name is still an access problem', () => {
    assert.equal(mapped(accessDenied('SomethingNew', 'Forbidden')).exitCode, 6)
  })

  for (const message of [
    'The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.',
    "Value not present for 'clientId' in SSO Token. Cannot refresh. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
  ]) {
    it(`an SSO session that ran out says so and names aws sso login: "${message.slice(0, 40)}..."`, () => {
      for (const name of ['CredentialsProviderError', 'TokenProviderError']) {
        const e = mapped(Object.assign(new Error(message), {name}), {profile: 'corp'})
        assert.equal(e.exitCode, 6)
        assert.equal(e.message, `The AWS SSO session of profile corp has expired or is not valid (while reading usage plan p1): ${message}`)
        assert.deepEqual(e.suggestions, ['Sign in again: aws sso login --profile corp'])
      }
    })
  }

  it('suggests how to fix credentials, Region and endpoint problems', () => {
    assert.match(mapped(awsError('UnauthorizedException', 'no')).suggestions.join('\n'), /--profile/)
    assert.match(mapped(Object.assign(new Error('x'), {name: 'CredentialsProviderError'})).suggestions.join('\n'), /AWS_ACCESS_KEY_ID/)
    assert.match(mapped(new Error('Region is missing')).suggestions.join('\n'), /--region/)
    assert.match(mapped(Object.assign(new Error('x'), {code: 'ECONNREFUSED'})).suggestions.join('\n'), /--endpoint-url/)
  })
})
