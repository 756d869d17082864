import {APIGatewayClient, CreateUsagePlanCommand, GetUsagePlansCommand} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import {runCli} from '../helpers/cli.js'
import {type FaultProxy, startFaultProxy} from '../helpers/fault-proxy.js'
import {sdkFor} from '../helpers/moto-api.js'
import {MOTO_ENV, useMoto} from '../helpers/moto.js'

/** What the SDK threw for `call`, in the fields the tests compare; it must fail. */
async function failure(call: Promise<unknown>) {
  try {
    await call
  } catch (error) {
    const e = error as Error & {code?: string; $metadata?: {httpStatusCode?: number; requestId?: string}; $retryable?: unknown}
    return {name: e.name, message: e.message, status: e.$metadata?.httpStatusCode, requestId: e.$metadata?.requestId, code: e.code}
  }

  throw new Error('expected the call to fail')
}

// The fault-injecting proxy (test/helpers/fault-proxy.ts) in front of the shared moto: each fault,
// seen through the SDK (one attempt, so the SDK's own retries do not hide what happened) and
// through the built CLI as a subprocess.
describe('fault proxy in front of moto', function () {
  this.timeout(30_000)
  const moto = useMoto()
  let proxy: FaultProxy
  beforeEach(async () => {
    proxy = await startFaultProxy(moto.current.url)
  })
  afterEach(async () => proxy.stop())

  const viaProxy = () =>
    new APIGatewayClient({region: 'us-east-1', endpoint: proxy.url, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}, maxAttempts: 1})
  const plansInMoto = async () => ((await sdkFor(moto.current.url).send(new GetUsagePlansCommand({}))).items ?? []).map((p) => p.name).toSorted()
  const create = (name: string) => viaProxy().send(new CreateUsagePlanCommand({name}))

  const CREATE_PLAN = {method: 'POST', path: /^\/usageplans$/}

  it('forwards what no rule matches, and records each request', async () => {
    const plan = await create('gold')
    assert.equal(plan.name, 'gold')
    assert.equal(proxy.requests.length, 1)
    const {receivedAt, ...request} = proxy.requests[0]
    assert.deepEqual(request, {
      method: 'POST',
      path: '/usageplans',
      query: '',
      body: '{"name":"gold"}',
      forwarded: true,
      fault: undefined,
      outcome: 'answered',
      status: 201,
      upstreamStatus: 201,
    })
    assert.ok(Math.abs(receivedAt - Date.now()) < 10_000)
  })

  it('failAfter: moto did the work, the client gets an AWS-shaped 500 with a request id', async () => {
    proxy.when(CREATE_PLAN).failAfter()
    const error = await failure(create('gold'))
    assert.deepEqual([error.name, error.status, error.message], ['InternalServerErrorException', 500, 'Internal server error'])
    assert.match(error.requestId ?? '', /^[\da-f-]{36}$/)
    assert.deepEqual(await plansInMoto(), ['gold'], 'the plan exists although the answer was lost')
    assert.deepEqual(
      proxy.requests.map((r) => [r.forwarded, r.upstreamStatus, r.status, r.fault]),
      [[true, 201, 500, 'failAfter']],
    )
  })

  it('failBefore: nothing reaches moto; a status and error type can be chosen', async () => {
    proxy.when(CREATE_PLAN).failBefore({status: 503, errorType: 'ServiceUnavailableException', message: 'try later'})
    const error = await failure(create('gold'))
    assert.deepEqual([error.name, error.status, error.message], ['ServiceUnavailableException', 503, 'try later'])
    assert.deepEqual(await plansInMoto(), [])
    assert.deepEqual(
      proxy.requests.map((r) => [r.forwarded, r.status]),
      [[false, 503]],
    )
  })

  it('nth and times pick which matching calls fail; every rule counts its matches', async () => {
    const second = proxy.when({...CREATE_PLAN, nth: 2, times: 2}).failBefore()
    const reads = proxy.when({method: 'GET', nth: 5}).failBefore()
    const outcomes = []
    for (const name of ['a', 'b', 'c', 'd'])
      outcomes.push(
        await create(name).then(
          () => 'ok',
          () => 'failed',
        ),
      )
    assert.deepEqual(outcomes, ['ok', 'failed', 'failed', 'ok'])
    assert.deepEqual([second.matched, second.applied, reads.matched, reads.applied], [4, 2, 0, 0])
    assert.deepEqual(await plansInMoto(), ['a', 'd'])
    reads.remove()
    proxy.when(CREATE_PLAN).failBefore().remove()
    await create('e')
    assert.equal(proxy.requests.at(-1)?.fault, undefined, 'a removed rule no longer applies')
  })

  it('reset before: the connection drops and nothing happened; reset after: it drops once moto has answered', async () => {
    proxy.when({...CREATE_PLAN, nth: 1}).reset('before')
    proxy.when({...CREATE_PLAN, nth: 2}).reset('after')
    const dropped = await failure(create('first'))
    assert.match(`${dropped.name} ${dropped.code} ${dropped.message}`, /ECONNRESET|socket hang up/)
    await failure(create('second'))
    assert.deepEqual(await plansInMoto(), ['second'])
    assert.deepEqual(
      proxy.requests.map((r) => [r.forwarded, r.outcome, r.status]),
      [
        [false, 'reset', undefined],
        [true, 'reset', undefined],
      ],
    )
  })

  it('throttle: 429 TooManyRequestsException with Retry-After, as the SDK models it', async () => {
    proxy.when({method: 'GET', path: /^\/usageplans$/}).throttle({retryAfter: 7})
    try {
      await viaProxy().send(new GetUsagePlansCommand({}))
      assert.fail('expected a throttle')
    } catch (error) {
      const e = error as {name: string; retryAfterSeconds?: string; $metadata: {httpStatusCode: number}}
      assert.deepEqual([e.name, e.$metadata.httpStatusCode, e.retryAfterSeconds], ['TooManyRequestsException', 429, '7'])
    }

    proxy.clearRules()
    proxy.when({method: 'GET'}).throttle({errorType: 'LimitExceededException'})
    assert.equal((await failure(viaProxy().send(new GetUsagePlansCommand({})))).name, 'LimitExceededException')
  })

  it('stall holds a request until the client gives up, or ends it after ms; stop() ends held connections', async () => {
    proxy.when({method: 'GET', nth: 1}).stall()
    proxy.when({method: 'GET', nth: 2}).stall(100)
    const givenUp = fetch(`${proxy.url}/usageplans`, {signal: AbortSignal.timeout(300)})
    await assert.rejects(givenUp, /aborted|timeout/i)
    assert.deepEqual([proxy.requests[0].outcome, proxy.requests[0].forwarded], ['stalled', false])
    await assert.rejects(fetch(`${proxy.url}/usageplans`), /fetch failed/)

    // A third stall, still held when the proxy stops: stop() closes it and resolves.
    proxy.when({method: 'GET', nth: 3}).stall()
    const held = fetch(`${proxy.url}/usageplans`).catch((error: Error) => error)
    await proxy.waitForRequest({method: 'GET'}, {after: 2})
    await proxy.stop()
    assert.ok((await held) instanceof Error, 'the held request ended when the proxy stopped')
  })

  it('delay forwards after the given time', async () => {
    proxy.when({method: 'POST'}).delay(200)
    const started = Date.now()
    await create('late')
    assert.ok(Date.now() - started >= 200, 'answered no sooner than the delay')
    assert.deepEqual(await plansInMoto(), ['late'])
  })

  it('hold forwards once released, so that two clients can be made to interleave', async () => {
    const held = proxy.when(CREATE_PLAN).hold()
    const first = create('first')
    await proxy.waitForRequest(CREATE_PLAN)
    assert.deepEqual(await plansInMoto(), [], 'held, not forwarded')
    held.release()
    assert.equal((await first).name, 'first')
    assert.equal((await create('second')).name, 'second', 'after release, later requests pass too')
  })

  it('failBefore with a raw body answers as a load balancer would: no AWS error type, an HTML page', async () => {
    proxy.when(CREATE_PLAN).failBefore({status: 502, rawBody: '<html><body>502 Bad Gateway</body></html>'})
    const error = await failure(create('gold'))
    assert.equal(error.status, 502)
    assert.doesNotMatch(error.name, /InternalServerError/)
  })

  it('serves the built CLI through --endpoint-url: a read that fails once is retried by gwctl', async () => {
    await create('gold')
    proxy.when({method: 'GET', path: /^\/usageplans$/, nth: 1}).failBefore()
    const listed = await runCli(['plans', 'list', '--endpoint-url', proxy.url], {env: MOTO_ENV})
    assert.equal(listed.code, 0, listed.stderr)
    assert.match(listed.stdout, /gold/)
    assert.deepEqual(
      proxy.requestsMatching({method: 'GET', path: /^\/usageplans$/}).map((r) => [r.status, r.fault]),
      [
        [500, 'failBefore'],
        [200, undefined],
      ],
    )
  })
})
