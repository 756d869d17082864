import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteUsagePlanCommand,
  GetApiKeysCommand,
  GetUsagePlanCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  ImportApiKeysCommand,
  UpdateApiKeyCommand,
  UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway'
import {type AwsClientStub, mockClient} from 'aws-sdk-client-mock'
import assert from 'node:assert/strict'
import {mock as nodeMock} from 'node:test'

import type {RetryOptions} from '../../src/aws/retry.js'

import {type ApiGateway, apiGatewayOver} from '../../src/aws/api-gateway.js'
import {Session} from '../../src/aws/session.js'
import {awsError} from '../helpers/mock-aws.js'
import {rejection} from '../helpers/rejection.js'

const lost500 = (requestId = 'req-1') =>
  Object.assign(new Error('Internal server error'), {name: 'InternalServerErrorException', $fault: 'server', $metadata: {httpStatusCode: 500, requestId}})
const get = (apigw: ApiGateway) => apigw.getUsagePlan({usagePlanId: 'p1'}, 'reading usage plan p1')
const patch = (apigw: ApiGateway) =>
  apigw.updateUsagePlan({usagePlanId: 'p1', patchOperations: [{op: 'replace', path: '/name', value: 'x'}]}, 'updating usage plan p1')
/** A request that never answers. */
const hang = () => new Promise<never>(() => {})
const reset = () => Object.assign(new Error('socket hang up'), {code: 'ECONNRESET'})

describe('aws: every API Gateway call goes through one retrying caller', () => {
  let client: APIGatewayClient
  let aws: AwsClientStub<APIGatewayClient>
  let sleeps: number[]
  let notices: string[]
  let clock: number
  let session: Session
  const realRandom = Math.random
  const apigwWith = (options: RetryOptions = {}) =>
    apiGatewayOver(client, {
      now: () => clock,
      async sleep(ms) {
        sleeps.push(ms)
        clock += ms
      },
      session,
      ...options,
    })
  beforeEach(() => {
    client = new APIGatewayClient({region: 'us-east-1', credentials: {accessKeyId: 'x', secretAccessKey: 'x'}})
    aws = mockClient(client)
    sleeps = []
    notices = []
    clock = 1_000_000
    session = new Session((line) => notices.push(line))
  })
  afterEach(() => {
    Math.random = realRandom
    aws.restore()
  })

  describe('throttled calls (429): nothing happened, so they are sent again within --max-wait', () => {
    it('waits as long as Retry-After asks, then succeeds, saying so', async () => {
      aws
        .on(GetUsagePlanCommand)
        .rejectsOnce(awsError('TooManyRequestsException', 'Too Many Requests', {retryAfterSeconds: '20'}))
        .resolves({id: 'p1', name: 'gold'})
      const plan = await get(apigwWith())
      assert.equal(plan.name, 'gold')
      assert.deepEqual(sleeps, [20_000])
      assert.deepEqual(notices, ['AWS is throttling reading usage plan p1; retrying in 20.0 s'])
      assert.equal(aws.commandCalls(GetUsagePlanCommand).length, 2)
    })

    it('Retry-After: 0 is no advice: the backoff still applies', async () => {
      Math.random = () => 1
      aws
        .on(GetUsagePlanCommand)
        .rejectsOnce(awsError('TooManyRequestsException', 'slow down', {retryAfterSeconds: '0'}))
        .rejectsOnce(awsError('TooManyRequestsException', 'slow down', {retryAfterSeconds: '0'}))
        .resolves({id: 'p1'})
      await get(apigwWith())
      assert.deepEqual(sleeps, [500, 1000])
    })

    it('backs off exponentially, capped at 20 s, for as long as --max-wait allows, then exit 5 naming it', async () => {
      Math.random = () => 1 // no jitter, to see the curve itself
      aws.on(GetUsagePlanCommand).rejects(awsError('TooManyRequestsException', 'Too Many Requests'))
      const error = await rejection(get(apigwWith({maxWaitMs: 60_000})))
      assert.deepEqual(sleeps, [500, 1000, 2000, 4000, 8000, 16_000, 20_000])
      assert.equal(error.code, 'AWS_THROTTLED')
      assert.equal(error.exitCode, 5)
      assert.equal(error.message, 'AWS kept throttling reading usage plan p1, after waiting 51.5 s (8 tries): Too Many Requests')
      assert.match(error.suggestions[0], /--max-wait \(now 60\)/)
    })

    it('a Retry-After beyond what --max-wait leaves gives up at once', async () => {
      aws.on(GetUsagePlanCommand).rejects(awsError('LimitExceededException', 'slow down', {retryAfterSeconds: '600'}))
      const error = await rejection(get(apigwWith({maxWaitMs: 30_000})))
      assert.deepEqual(sleeps, [])
      assert.equal(error.exitCode, 5)
    })

    it('jitters each backoff between half and all of it', async () => {
      aws.on(GetUsagePlanCommand).rejects(awsError('TooManyRequestsException', 'Too Many Requests'))
      await rejection(get(apigwWith({maxWaitMs: 10_000})))
      for (const [i, ms] of sleeps.entries()) {
        const full = 500 * 2 ** i
        assert.ok(ms >= full / 2 && ms <= full, `wait ${i + 1} was ${ms} ms, expected ${full / 2}..${full}`)
      }
    })

    it('treats any HTTP 429 as throttling', async () => {
      aws.on(GetUsagePlanCommand).rejects(Object.assign(new Error('Rate exceeded'), {name: 'SomethingNew', $metadata: {httpStatusCode: 429}}))
      const error = await rejection(get(apigwWith({maxWaitMs: 1000})))
      assert.equal(error.exitCode, 5)
    })

    it('an UpdateUsagePlan that AWS throttled waits a whole 20 s window, without Retry-After', async () => {
      aws.on(UpdateUsagePlanCommand).rejectsOnce(awsError('TooManyRequestsException', 'Too Many Requests')).resolves({id: 'p1'})
      await apigwWith().updateUsagePlan({usagePlanId: 'p1', patchOperations: [{op: 'replace', path: '/name', value: 'x'}]}, 'updating usage plan p1')
      assert.equal(sleeps.length, 1)
      assert.ok(sleeps[0] >= 20_000 && sleeps[0] <= 20_001, `waited ${sleeps[0]} ms`)
    })
  })

  describe("pacing to AWS's documented limits, within this process", () => {
    it('a second UpdateUsagePlan waits for its turn (one per 20 s), and says so', async () => {
      aws.on(UpdateUsagePlanCommand).resolves({id: 'p1'})
      const apigw = apigwWith()
      await patch(apigw)
      clock += 5000
      await patch(apigw)
      assert.deepEqual(sleeps, [15_000])
      assert.deepEqual(notices, ['Waiting 15.0 s before updating usage plan p1: AWS allows one UpdateUsagePlan call per 20 s per account'])
    })

    it('CreateApiKey goes 5 per second; other calls 10 per second after a burst of 40', async () => {
      aws.on(CreateApiKeyCommand).resolves({id: 'k'})
      aws.on(GetUsagePlanCommand).resolves({id: 'p1'})
      const apigw = apigwWith()
      for (let i = 0; i < 6; i++) await apigw.createApiKey({name: `k${i}`, value: 'v'.repeat(20)}, 'creating a key')
      assert.deepEqual(sleeps, [200])
      sleeps.length = 0
      clock += 10_000
      for (let i = 0; i < 41; i++) await get(apigw)
      assert.deepEqual(sleeps, [100])
    })

    it('paced waits do not count against --max-wait', async () => {
      aws.on(UpdateUsagePlanCommand).resolves({id: 'p1'})
      const apigw = apigwWith({maxWaitMs: 0})
      await patch(apigw)
      await patch(apigw)
      assert.deepEqual(sleeps, [20_000])
    })
  })

  describe('answers lost (HTTP 5xx, a dropped connection, a timeout): repeated only where that is safe', () => {
    it('reads are tried up to 5 times, then "API Gateway returned HTTP 500 (request id ...)", exit 11', async () => {
      aws.on(GetUsagePlanCommand).rejects(lost500('1c2d'))
      const error = await rejection(get(apigwWith()))
      assert.equal(aws.commandCalls(GetUsagePlanCommand).length, 5)
      assert.equal(error.code, 'AWS_SERVICE')
      assert.equal(error.exitCode, 11)
      assert.equal(error.message, 'API Gateway returned HTTP 500 (request id 1c2d) while reading usage plan p1 (5 tries): Internal server error')
      assert.match(notices[0], /^API Gateway answered HTTP 500 \(request id 1c2d\) while reading usage plan p1; retrying in \d\.\d s$/)
    })

    it('a body the SDK cannot read is reported by its status and request id, never as a deserialization error', async () => {
      const unreadable = Object.assign(
        new SyntaxError(
          'Unexpected token \'<\', "<html>" is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.',
        ),
        {
          $metadata: {httpStatusCode: 502, requestId: 'r9'},
        },
      )
      aws.on(GetUsagePlanCommand).rejects(unreadable)
      const error = await rejection(get(apigwWith()))
      assert.equal(error.message, 'API Gateway returned HTTP 502 (request id r9) while reading usage plan p1 (5 tries)')
      assert.equal(error.exitCode, 11)
    })

    it('retries 5xx answers and dropped connections of reads, then succeeds', async () => {
      aws
        .on(GetUsagePlanCommand)
        .rejectsOnce(awsError('ServiceUnavailableException', 'try later'))
        .rejectsOnce(lost500())
        .rejectsOnce(reset())
        .resolves({id: 'p1'})
      assert.equal((await get(apigwWith())).id, 'p1')
      assert.equal(aws.commandCalls(GetUsagePlanCommand).length, 4)
    })

    it('repeats a PATCH that only replaces values as it is', async () => {
      aws.on(UpdateApiKeyCommand).rejectsOnce(lost500()).resolves({id: 'k1', enabled: false})
      await apigwWith().updateApiKey({apiKey: 'k1', patchOperations: [{op: 'replace', path: '/enabled', value: 'false'}]}, 'disabling API key k1')
      assert.equal(aws.commandCalls(UpdateApiKeyCommand).length, 2)
    })

    it('a DELETE whose repeat answers 404 is done', async () => {
      aws.on(DeleteUsagePlanCommand).rejectsOnce(lost500()).rejectsOnce(awsError('NotFoundException', 'Invalid Usage Plan ID specified'))
      await apigwWith().deleteUsagePlan({usagePlanId: 'p1'}, 'deleting usage plan p1')
      assert.equal(aws.commandCalls(DeleteUsagePlanCommand).length, 2)
    })

    it('a DELETE that answers 404 at once is not found (exit 3)', async () => {
      aws.on(DeleteUsagePlanCommand).rejects(awsError('NotFoundException', 'Invalid Usage Plan ID specified'))
      assert.equal((await rejection(apigwWith().deleteUsagePlan({usagePlanId: 'p1'}, 'deleting usage plan p1'))).exitCode, 3)
    })

    it('CreateUsagePlan: looks for a plan of that name before creating again, and uses it', async () => {
      aws.on(CreateUsagePlanCommand).rejects(lost500())
      aws.on(GetUsagePlansCommand).resolves({items: [{id: 'p7', name: 'gold'}]})
      const plan = await apigwWith().createUsagePlan({name: 'gold'}, 'creating usage plan "gold"')
      assert.equal(plan.id, 'p7')
      assert.equal(aws.commandCalls(CreateUsagePlanCommand).length, 1)
      assert.deepEqual(
        notices.at(-1),
        'API Gateway\'s answer to creating usage plan "gold" was lost (HTTP 500 (request id req-1)); found it (p7) in the account, so it was not created again',
      )
    })

    it('CreateUsagePlan: creates again when the look finds nothing', async () => {
      aws.on(CreateUsagePlanCommand).rejectsOnce(reset()).resolves({id: 'p8', name: 'gold'})
      aws.on(GetUsagePlansCommand).resolves({items: [{id: 'p1', name: 'silver'}]})
      assert.equal((await apigwWith().createUsagePlan({name: 'gold'}, 'creating usage plan "gold"')).id, 'p8')
      assert.equal(aws.commandCalls(CreateUsagePlanCommand).length, 2)
    })

    it('CreateApiKey: looks for a key of that name and value', async () => {
      aws.on(CreateApiKeyCommand).rejects(lost500())
      aws.on(GetApiKeysCommand).resolves({
        items: [
          {id: 'k1', name: 'alice', value: 'other0123456789abcdefgh'},
          {id: 'k2', name: 'alice', value: 'mine0123456789abcdefghij'},
        ],
      })
      const key = await apigwWith().createApiKey({name: 'alice', value: 'mine0123456789abcdefghij'}, 'creating API key "alice"')
      assert.equal(key.id, 'k2')
      assert.deepEqual(aws.commandCalls(GetApiKeysCommand)[0].args[0].input, {nameQuery: 'alice', includeValues: true, position: undefined, limit: 500})
    })

    it('CreateApiKey without a value is not repeated: the error says it may have happened', async () => {
      aws.on(CreateApiKeyCommand).rejects(lost500())
      const error = await rejection(apigwWith().createApiKey({name: 'alice'}, 'creating API key "alice"'))
      assert.equal(aws.commandCalls(CreateApiKeyCommand).length, 1)
      assert.ok(error.mayHaveChanged)
      assert.match(error.message, /gwctl did not repeat it, as it cannot look for its effect: it may have taken effect/)
    })

    it("CreateUsagePlanKey: looks for the key among the plan's keys", async () => {
      aws.on(CreateUsagePlanKeyCommand).rejects(reset())
      aws.on(GetUsagePlanKeysCommand).resolves({items: [{id: 'k1', name: 'alice', type: 'API_KEY'}]})
      const member = await apigwWith().createUsagePlanKey({usagePlanId: 'p1', keyId: 'k1', keyType: 'API_KEY'}, 'adding API key k1 to usage plan p1')
      assert.equal(member.id, 'k1')
      assert.equal(aws.commandCalls(CreateUsagePlanKeyCommand).length, 1)
    })

    it("ImportApiKeys: looks for the batch's keys by value; rows not found are reported as skipped", async () => {
      const csv = 'Name,Key,Description,Enabled,UsagePlanIds\nacme,Acme0123456789abcdefghij,,true,\nglobex,Globex0123456789abcdefgh,,true,\n'
      aws.on(ImportApiKeysCommand).rejects(lost500())
      aws.on(GetApiKeysCommand).resolves({items: [{id: 'k9', name: 'acme', value: 'Acme0123456789abcdefghij'}]})
      const out = await apigwWith().importApiKeys({body: new TextEncoder().encode(csv), format: 'csv'}, 'importing API keys')
      assert.deepEqual(out.ids, ['k9'])
      assert.deepEqual(out.warnings, ['API key globex is not in the account: AWS skipped it, and its reason was lost with the answer'])
      assert.equal(aws.commandCalls(ImportApiKeysCommand).length, 1)
    })

    it('UpdateUsagePlan adding a stage: reads the plan, and does not send the patch again when it shows', async () => {
      aws.on(UpdateUsagePlanCommand).rejects(lost500())
      aws.on(GetUsagePlanCommand).resolves({id: 'p1', apiStages: [{apiId: 'a1', stage: 'prod'}]})
      const plan = await apigwWith().updateUsagePlan(
        {usagePlanId: 'p1', patchOperations: [{op: 'add', path: '/apiStages', value: 'a1:prod'}]},
        'attaching stage a1:prod',
      )
      assert.deepEqual(plan.apiStages, [{apiId: 'a1', stage: 'prod'}])
      assert.equal(aws.commandCalls(UpdateUsagePlanCommand).length, 1)
    })

    it('UpdateUsagePlan adding a stage: sends it again, after its 20 s window, when the plan does not show it', async () => {
      aws.on(UpdateUsagePlanCommand).rejectsOnce(lost500()).resolves({id: 'p1'})
      aws.on(GetUsagePlanCommand).resolves({id: 'p1', apiStages: []})
      await apigwWith().updateUsagePlan({usagePlanId: 'p1', patchOperations: [{op: 'add', path: '/apiStages', value: 'a1:prod'}]}, 'attaching stage a1:prod')
      assert.equal(aws.commandCalls(UpdateUsagePlanCommand).length, 2)
      assert.ok(sleeps[0] >= 20_000)
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

  describe('timeouts (--timeout)', () => {
    it('a read that never answers is abandoned after the timeout and tried 3 times in all, then exit 6', async () => {
      aws.on(GetUsagePlanCommand).callsFake(hang)
      const error = await rejection(get(apigwWith({timeoutMs: 20})))
      assert.equal(aws.commandCalls(GetUsagePlanCommand).length, 3)
      assert.equal(error.code, 'AWS_ACCESS')
      assert.equal(error.message, 'API Gateway did not answer within 0.02 s while reading usage plan p1 (3 tries)')
      assert.match(error.suggestions[0], /--timeout SECONDS/)
    })

    it('aborts the request of a try it abandons', async () => {
      aws.on(GetUsagePlanCommand).callsFake(hang)
      await rejection(get(apigwWith({timeoutMs: 10})))
      const signals = aws.commandCalls(GetUsagePlanCommand).map((c) => (c.args as unknown[])[1] as {abortSignal?: AbortSignal} | undefined)
      assert.equal(signals.length, 3)
      assert.ok(
        signals.every((s) => s?.abortSignal?.aborted),
        'each abandoned try was aborted',
      )
    })

    it('with the defaults, a stalled endpoint ends with an error within two minutes', async () => {
      // Real timers, faked: the default 30 s timeout and every wait run on a mocked clock.
      const warnings = process.listeners('warning')
      process.removeAllListeners('warning') // MockTimers is experimental and says so on stderr
      nodeMock.timers.enable({apis: ['setTimeout', 'Date']})
      setImmediate(() => {
        for (const listener of warnings) process.on('warning', listener)
      })
      try {
        aws.on(GetUsagePlansCommand).callsFake(hang)
        const started = Date.now()
        let settled: unknown
        apiGatewayOver(client, {session})
          .getUsagePlans({}, 'listing usage plans')
          .then(
            () => (settled = 'answered'),
            (error: unknown) => (settled = error),
          )
        while (settled === undefined && Date.now() - started < 600_000) {
          nodeMock.timers.tick(250)
          await new Promise((resolve) => setImmediate(resolve))
        }

        const elapsed = Date.now() - started
        assert.ok(settled instanceof Error, 'it ended with an error')
        assert.equal((settled as {exitCode?: number}).exitCode, 6)
        assert.ok(elapsed <= 120_000, `ended after ${elapsed / 1000} s`)
        assert.ok(elapsed >= 90_000, `three tries of 30 s each: ended after ${elapsed / 1000} s`)
      } finally {
        nodeMock.timers.reset()
      }
    })
  })

  describe('interrupts (Ctrl-C, SIGTERM)', () => {
    it('refuses a change once interrupted; reads still run', async () => {
      aws.on(CreateUsagePlanCommand).resolves({id: 'p1'})
      aws.on(GetUsagePlansCommand).resolves({items: []})
      const apigw = apigwWith()
      session.interrupt('SIGINT')
      assert.deepEqual(await apigw.getUsagePlans({}, 'listing usage plans'), [])
      const error = await rejection(apigw.createUsagePlan({name: 'gold'}, 'creating usage plan "gold"'))
      assert.equal(error.exitCode, 130)
      assert.equal(error.message, 'Interrupted (SIGINT) before creating usage plan "gold": it was not sent')
      assert.equal(aws.commandCalls(CreateUsagePlanCommand).length, 0)
    })

    it('cuts a wait short: a throttled change is not sent again', async () => {
      aws.on(CreateUsagePlanCommand).rejects(awsError('TooManyRequestsException', 'Too Many Requests', {retryAfterSeconds: '30'}))
      const apigw = apigwWith({
        async sleep(ms) {
          sleeps.push(ms)
          session.interrupt('SIGTERM') // the person gives up while gwctl waits
        },
      })
      const error = await rejection(apigw.createUsagePlan({name: 'gold'}, 'creating usage plan "gold"'))
      assert.equal(error.exitCode, 130)
      assert.match(error.message, /^Interrupted \(SIGTERM\) before repeating creating usage plan "gold"/)
      assert.equal(aws.commandCalls(CreateUsagePlanCommand).length, 1)
    })

    it('a change whose answer was lost, interrupted while waiting to repeat it, may have happened: exit 7', async () => {
      aws.on(UpdateApiKeyCommand).rejects(lost500())
      const apigw = apigwWith({
        async sleep() {
          session.interrupt('SIGINT')
        },
      })
      const error = await rejection(
        apigw.updateApiKey({apiKey: 'k1', patchOperations: [{op: 'replace', path: '/enabled', value: 'false'}]}, 'disabling API key k1'),
      )
      assert.equal(error.exitCode, 7)
      assert.ok(error.mayHaveChanged)
      assert.match(
        error.message,
        /^Interrupted \(SIGINT\) while waiting to repeat disabling API key k1, whose answer was lost \(HTTP 500 \(request id req-1\)\): it may have taken effect/,
      )
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
      assert.equal(aws.commandCalls(GetUsagePlansCommand).length, 3)
      assert.equal(sleeps.length, 1)
    })
  })
})
