import {APIGatewayClient, GetUsagePlanCommand, GetUsagePlansCommand} from '@aws-sdk/client-api-gateway'
import {type AwsClientStub, mockClient} from 'aws-sdk-client-mock'
import assert from 'node:assert/strict'

import type {RetryInfo, RetryOptions} from '../../src/aws/retry.js'

import {type ApiGateway, apiGatewayOver} from '../../src/aws/api-gateway.js'
import {awsError} from '../helpers/mock-aws.js'
import {rejection} from '../helpers/rejection.js'

const get = (apigw: ApiGateway) => apigw.getUsagePlan({usagePlanId: 'p1'}, 'reading usage plan p1')

describe('aws: every API Gateway call goes through the retrying caller', () => {
  let client: APIGatewayClient
  let aws: AwsClientStub<APIGatewayClient>
  let sleeps: number[]
  let retries: RetryInfo[]
  const realRandom = Math.random
  const apigwWith = (options: RetryOptions = {}) =>
    apiGatewayOver(client, {
      sleep: async (ms) => {
        sleeps.push(ms)
      },
      onRetry: (info) => retries.push(info),
      ...options,
    })
  beforeEach(() => {
    client = new APIGatewayClient({region: 'us-east-1', credentials: {accessKeyId: 'x', secretAccessKey: 'x'}})
    aws = mockClient(client)
    sleeps = []
    retries = []
  })
  afterEach(() => {
    Math.random = realRandom
    aws.restore()
  })

  describe('retry', () => {
    it('waits as long as Retry-After asks, then succeeds', async () => {
      aws
        .on(GetUsagePlanCommand)
        .rejectsOnce(awsError('TooManyRequestsException', 'Too Many Requests', {retryAfterSeconds: '20'}))
        .resolves({id: 'p1', name: 'gold'})
      const plan = await get(apigwWith())
      assert.equal(plan.name, 'gold')
      assert.deepEqual(sleeps, [20_000])
      assert.deepEqual(retries, [{service: 'API Gateway', action: 'reading usage plan p1', attempt: 1, delayMs: 20_000, reason: 'throttled'}])
      assert.equal(aws.commandCalls(GetUsagePlanCommand).length, 2)
    })

    it('caps a Retry-After beyond the longest wait', async () => {
      aws
        .on(GetUsagePlanCommand)
        .rejectsOnce(awsError('LimitExceededException', 'slow down', {retryAfterSeconds: '600'}))
        .resolves({id: 'p1'})
      await get(apigwWith({maxDelayMs: 30_000}))
      assert.deepEqual(sleeps, [30_000])
    })

    it('backs off exponentially from the base delay up to the cap', async () => {
      Math.random = () => 1 // no jitter, to see the curve itself
      aws.on(GetUsagePlanCommand).rejects(awsError('TooManyRequestsException', 'Too Many Requests'))
      await rejection(get(apigwWith({baseDelayMs: 100, maxDelayMs: 700, maxAttempts: 6})))
      assert.deepEqual(sleeps, [100, 200, 400, 700, 700])
    })

    it('jitters each wait between half and all of the exponential delay', async () => {
      aws.on(GetUsagePlanCommand).rejects(awsError('TooManyRequestsException', 'Too Many Requests'))
      await rejection(get(apigwWith({baseDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 5})))
      assert.equal(sleeps.length, 4)
      for (const [i, ms] of sleeps.entries()) {
        const full = 1000 * 2 ** i
        assert.ok(ms >= full / 2 && ms <= full, `wait ${i + 1} was ${ms} ms, expected ${full / 2}..${full}`)
      }
    })

    it('gives up after maxAttempts with AWS_THROTTLED (exit 5)', async () => {
      aws.on(GetUsagePlanCommand).rejects(awsError('TooManyRequestsException', 'Too Many Requests'))
      const error = await rejection(get(apigwWith({maxAttempts: 3})))
      assert.equal(aws.commandCalls(GetUsagePlanCommand).length, 3)
      assert.equal(sleeps.length, 2)
      assert.equal(error.code, 'AWS_THROTTLED')
      assert.equal(error.exitCode, 5)
      assert.equal(error.message, 'AWS kept throttling reading usage plan p1 after retries: Too Many Requests')
      assert.match(error.suggestions[0], /Wait a minute/)
    })

    it('treats any HTTP 429 as throttling', async () => {
      aws.on(GetUsagePlanCommand).rejects(Object.assign(new Error('Rate exceeded'), {name: 'SomethingNew', $metadata: {httpStatusCode: 429}}))
      const error = await rejection(get(apigwWith({maxAttempts: 2})))
      assert.equal(aws.commandCalls(GetUsagePlanCommand).length, 2)
      assert.equal(error.exitCode, 5)
    })

    it('retries 5xx answers and dropped connections', async () => {
      aws
        .on(GetUsagePlanCommand)
        .rejectsOnce(awsError('ServiceUnavailableException', 'try later'))
        .rejectsOnce(Object.assign(new Error('Internal'), {name: 'InternalFailure', $metadata: {httpStatusCode: 500}}))
        .rejectsOnce(Object.assign(new Error('socket hang up'), {code: 'ECONNRESET'}))
        .resolves({id: 'p1'})
      assert.equal((await get(apigwWith())).id, 'p1')
      assert.equal(aws.commandCalls(GetUsagePlanCommand).length, 4)
      assert.deepEqual(
        retries.map((r) => r.reason),
        ['failed', 'failed', 'failed'],
      )
    })

    it('does not retry errors that another try cannot fix', async () => {
      for (const name of ['BadRequestException', 'NotFoundException', 'ConflictException', 'UnauthorizedException']) {
        aws.reset()
        aws.on(GetUsagePlanCommand).rejects(awsError(name, 'no'))
        await rejection(get(apigwWith()))
        assert.equal(aws.commandCalls(GetUsagePlanCommand).length, 1, name)
      }

      assert.deepEqual(sleeps, [])
    })
  })

  describe('error mapping', () => {
    const cases: Array<[string, Error, string, number, RegExp]> = [
      [
        'NotFound',
        awsError('NotFoundException', 'Invalid Usage Plan ID specified'),
        'NOT_FOUND',
        3,
        /^Not found while reading usage plan p1: Invalid Usage Plan ID specified$/,
      ],
      ['Conflict', awsError('ConflictException', 'already exists'), 'CONFLICT', 4, /^AWS refused reading usage plan p1: already exists$/],
      ['BadRequest', awsError('BadRequestException', 'Invalid patch path'), 'BAD_INPUT', 2, /^AWS refused reading usage plan p1: Invalid patch path$/],
      ['Unauthorized', awsError('UnauthorizedException', 'not authorized'), 'AWS_ACCESS', 6, /^AWS refused reading usage plan p1: not authorized$/],
      [
        'missing credentials',
        Object.assign(new Error('Could not load credentials from any providers'), {name: 'CredentialsProviderError'}),
        'AWS_ACCESS',
        6,
        /^No AWS credentials found while reading usage plan p1$/,
      ],
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
    ]
    for (const [label, error, code, exitCode, message] of cases) {
      it(`maps ${label} to ${code} (exit ${exitCode})`, async () => {
        aws.on(GetUsagePlanCommand).rejects(error)
        const mapped = await rejection(get(apigwWith()))
        assert.equal(mapped.code, code)
        assert.equal(mapped.exitCode, exitCode)
        assert.match(mapped.message, message)
      })
    }

    it('suggests how to fix credentials, Region and endpoint problems', async () => {
      const suggestionFor = async (error: Error) => {
        aws.reset()
        aws.on(GetUsagePlanCommand).rejects(error)
        return (await rejection(get(apigwWith()))).suggestions.join('\n')
      }

      assert.match(await suggestionFor(awsError('UnauthorizedException', 'no')), /--profile/)
      assert.match(await suggestionFor(Object.assign(new Error('x'), {name: 'CredentialsProviderError'})), /AWS_ACCESS_KEY_ID/)
      assert.match(await suggestionFor(new Error('Region is missing')), /--region/)
      assert.match(await suggestionFor(Object.assign(new Error('x'), {code: 'ECONNREFUSED'})), /--endpoint-url/)
    })
  })

  describe('list operations', () => {
    it('follow position across pages and return every item', async () => {
      aws
        .on(GetUsagePlansCommand)
        .resolvesOnce({items: [{id: 'p1'}], position: 'next1'})
        .resolvesOnce({items: [{id: 'p2'}, {id: 'p3'}], position: 'next2'})
        .resolvesOnce({items: []})
      const items = await apigwWith().getUsagePlans({}, 'listing usage plans')
      assert.deepEqual(
        items.map((p) => p.id),
        ['p1', 'p2', 'p3'],
      )
      assert.deepEqual(
        aws.commandCalls(GetUsagePlansCommand).map((c) => c.args[0].input),
        [
          {position: undefined, limit: 500},
          {position: 'next1', limit: 500},
          {position: 'next2', limit: 500},
        ],
      )
    })

    it('retry a throttled page alone, keeping the pages already read', async () => {
      aws
        .on(GetUsagePlansCommand)
        .resolvesOnce({items: [{id: 'p1'}], position: 'next1'})
        .rejectsOnce(awsError('TooManyRequestsException', 'Too Many Requests'))
        .resolvesOnce({items: [{id: 'p2'}]})
      const items = await apigwWith().getUsagePlans({keyId: 'k1'}, 'listing usage plans')
      assert.deepEqual(
        items.map((p) => p.id),
        ['p1', 'p2'],
      )
      assert.deepEqual(
        aws.commandCalls(GetUsagePlansCommand).map((c) => c.args[0].input),
        [
          {keyId: 'k1', position: undefined, limit: 500},
          {keyId: 'k1', position: 'next1', limit: 500},
          {keyId: 'k1', position: 'next1', limit: 500},
        ],
      )
      assert.equal(sleeps.length, 1)
    })
  })
})
