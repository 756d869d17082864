import assert from 'node:assert/strict'

import type {Snapshot} from '../../src/model/snapshot.js'
import {CompiledSnapshot} from '../../src/simulator/compiled-snapshot.js'
import {Enforcer} from '../../src/simulator/enforcer.js'
import {nextPeriodStart, periodStart} from '../../src/model/quota-period.js'
import {Limit, NO_KEY, QuotaCounters, stageThrottleFor, TokenBuckets, UNKNOWN_KEY} from '../../src/simulator/rules.js'

const utc = (iso: string) => Date.parse(iso)

/** Serves `times` through one bucket and counts what passed. */
function served(rate: number, burst: number, times: number[]): number {
  const buckets = new TokenBuckets()
  const b = buckets.add(rate, burst)
  return times.filter((t) => buckets.take(b, t)).length
}

const repeat = (n: number, t: number) => Array.from({length: n}, () => t)

describe('token buckets', () => {
  describe("AWS's worked examples (rate 10000, burst 5000)", () => {
    it('serves 5000 of 10000 requests arriving in the same millisecond', () => {
      assert.equal(served(10_000, 5000, repeat(10_000, 0)), 5000)
    })

    it('serves all 10000 when 5000 arrive at t=0 and 5000 spread evenly over the next 999 ms', () => {
      const spread = Array.from({length: 5000}, (_, i) => 1 + Math.floor((i * 999) / 5000))
      assert.equal(served(10_000, 5000, [...repeat(5000, 0), ...spread]), 10_000)
    })

    it('serves 6000 when 5000 arrive in the 1st millisecond and 5000 in the 101st (100 ms of refill = 1000 tokens)', () => {
      // AWS counts milliseconds from one: the 101st millisecond starts at t = 100 ms.
      assert.equal(served(10_000, 5000, [...repeat(5000, 0), ...repeat(5000, 100)]), 6000)
      // A refill is continuous, so one more millisecond brings ten more tokens.
      assert.equal(served(10_000, 5000, [...repeat(5000, 0), ...repeat(5000, 101)]), 6010)
    })
  })

  it('starts full, refills continuously at rate per second, and never holds more than burst', () => {
    // rate 2/s burst 3: 3 at t=0, then 1 token per 500 ms.
    assert.equal(served(2, 3, repeat(5, 0)), 3)
    assert.equal(served(2, 3, [0, 0, 0, 499, 500]), 4) // 499 ms refills 0.998 tokens: not enough
    assert.equal(served(2, 3, [0, 0, 0, 10_000, 10_000, 10_000, 10_000]), 6) // a long pause refills only to burst
  })

  it('accumulates fractional rates without losing a token to rounding', () => {
    // 0.1 rps burst 1: one request every 10 s passes, ten times in a row.
    assert.equal(
      served(
        0.1,
        1,
        Array.from({length: 10}, (_, i) => i * 10_000),
      ),
      10,
    )
    assert.equal(served(0.1, 1, [0, 9999]), 1)
  })

  it('refills nothing for a request earlier than the last one (late lines)', () => {
    assert.equal(served(1, 1, [5000, 1000, 4999]), 1)
  })

  it('passes nothing through a burst of 0', () => {
    assert.equal(served(100, 0, [0, 1000, 2000]), 0)
  })
})

const start = (iso: string, period: 'DAY' | 'MONTH' | 'WEEK', weekStart?: 'monday' | 'sunday') =>
  new Date(periodStart(utc(iso), period, weekStart)).toISOString()

describe('quota windows', () => {
  it('cuts days at midnight UTC', () => {
    assert.equal(start('2026-03-01T23:59:59.999Z', 'DAY'), '2026-03-01T00:00:00.000Z')
    assert.equal(start('2026-03-02T00:00:00.000Z', 'DAY'), '2026-03-02T00:00:00.000Z')
    assert.equal(new Date(nextPeriodStart(utc('2026-03-01T00:00:00Z'), 'DAY')).toISOString(), '2026-03-02T00:00:00.000Z')
  })

  it('starts weeks on Sunday (the weekday AWS names), or on Monday with --week-start monday', () => {
    // 2026-03-01 is a Sunday.
    assert.equal(start('2026-03-01T12:00:00Z', 'WEEK'), '2026-03-01T00:00:00.000Z')
    assert.equal(start('2026-02-28T23:59:59Z', 'WEEK'), '2026-02-22T00:00:00.000Z')
    assert.equal(start('2026-03-01T12:00:00Z', 'WEEK', 'monday'), '2026-02-23T00:00:00.000Z')
    assert.equal(start('2026-03-02T00:00:00Z', 'WEEK', 'monday'), '2026-03-02T00:00:00.000Z')
    assert.equal(new Date(nextPeriodStart(utc('2026-03-02T00:00:00Z'), 'WEEK')).toISOString(), '2026-03-09T00:00:00.000Z')
  })

  it('cuts calendar months, including month ends and the leap day 2028-02-29', () => {
    assert.equal(start('2026-01-31T23:59:59Z', 'MONTH'), '2026-01-01T00:00:00.000Z')
    assert.equal(start('2026-02-01T00:00:00Z', 'MONTH'), '2026-02-01T00:00:00.000Z')
    assert.equal(start('2028-02-29T12:00:00Z', 'MONTH'), '2028-02-01T00:00:00.000Z')
    assert.equal(start('2028-02-29T12:00:00Z', 'DAY'), '2028-02-29T00:00:00.000Z')
    assert.equal(new Date(nextPeriodStart(utc('2028-02-01T00:00:00Z'), 'MONTH')).toISOString(), '2028-03-01T00:00:00.000Z')
    assert.equal(new Date(nextPeriodStart(utc('2026-12-01T00:00:00Z'), 'MONTH')).toISOString(), '2027-01-01T00:00:00.000Z')
  })

  it('applies no offset by default: a log of a running plan is not in its first period', () => {
    const q = new QuotaCounters([{limit: 3, offset: 2, period: 'DAY'}], {weekStart: 'sunday', firstPeriod: false})
    const first = utc('2026-03-01T23:00:00Z')
    q.startAt(first)
    assert.deepEqual([q.take(0, first), q.take(0, first), q.take(0, first), q.take(0, first)], [true, true, true, false])
  })

  it('resets the count at the boundary and, with --first-period, takes the offset off the first window only', () => {
    const q = new QuotaCounters([{limit: 3, offset: 2, period: 'DAY'}], {weekStart: 'sunday', firstPeriod: true})
    const first = utc('2026-03-01T23:00:00Z')
    q.startAt(first)
    assert.deepEqual([q.take(0, first), q.take(0, first + 1)], [true, false]) // 3 - 2 = 1 in the first day
    const next = utc('2026-03-02T00:00:00Z')
    assert.deepEqual([q.take(0, next), q.take(0, next), q.take(0, next), q.take(0, next)], [true, true, true, false])
  })

  it('counts a week from Monday 00:00 UTC to the next Monday with --week-start monday', () => {
    const q = new QuotaCounters([{limit: 2, offset: 0, period: 'WEEK'}], {weekStart: 'monday', firstPeriod: false})
    const sunday = utc('2026-03-08T23:59:59Z')
    q.startAt(utc('2026-03-02T00:00:00Z'))
    assert.deepEqual([q.take(0, utc('2026-03-02T00:00:00Z')), q.take(0, sunday), q.take(0, sunday)], [true, true, false])
    assert.equal(q.take(0, utc('2026-03-09T00:00:00Z')), true)
  })
})

const account = {rateLimit: 10_000, burstLimit: 5000}

const stage = (methodSettings: Record<string, {throttlingRateLimit?: number; throttlingBurstLimit?: number}>) => ({stageName: 'prod', methodSettings})

describe('stage throttles', () => {
  it('takes the method entry, else the stage-wide */*, half by half', () => {
    assert.deepEqual(stageThrottleFor(stage({'*/*': {throttlingRateLimit: 100, throttlingBurstLimit: 50}}), '/pets/{id}', 'get', account), {
      rateLimit: 100,
      burstLimit: 50,
    })
    assert.deepEqual(
      stageThrottleFor(
        stage({'*/*': {throttlingRateLimit: 100, throttlingBurstLimit: 50}, '~1pets~1{id}/GET': {throttlingRateLimit: 5, throttlingBurstLimit: 2}}),
        '/pets/{id}',
        'GET',
        account,
      ),
      {rateLimit: 5, burstLimit: 2},
    )
    // UNCONFIRMED: a method entry with one half takes the other from */*.
    assert.deepEqual(
      stageThrottleFor(stage({'*/*': {throttlingRateLimit: 100, throttlingBurstLimit: 50}, '~1pets/GET': {throttlingBurstLimit: 7}}), '/pets', 'GET', account),
      {rateLimit: 100, burstLimit: 7},
    )
    // With neither level setting a half, it is the account's.
    assert.deepEqual(stageThrottleFor(stage({'~1pets/GET': {throttlingRateLimit: 3}}), '/pets', 'GET', account), {rateLimit: 3, burstLimit: 5000})
  })

  it('reads -1 (throttling switched off, as Terraform and the console store it) as no stage throttle', () => {
    assert.equal(stageThrottleFor(stage({'*/*': {throttlingRateLimit: -1, throttlingBurstLimit: -1}}), '/pets', 'GET', account), undefined)
    assert.deepEqual(
      stageThrottleFor(
        stage({'*/*': {throttlingRateLimit: 100, throttlingBurstLimit: 50}, '~1pets/GET': {throttlingRateLimit: -1, throttlingBurstLimit: -1}}),
        '/pets',
        'GET',
        account,
      ),
      {rateLimit: 100, burstLimit: 50},
    )
    assert.equal(stageThrottleFor(stage({}), '/pets', 'GET', account), undefined)
  })
})

const snapshot = (): Snapshot => ({
  version: 1,
  account: {throttle: {rateLimit: 1000, burstLimit: 6}},
  apis: [
    {
      id: 'a1',
      name: 'shop',
      apiKeySource: 'HEADER',
      methods: [
        {path: '/items', httpMethod: 'GET', apiKeyRequired: true},
        {path: '/items', httpMethod: 'POST', apiKeyRequired: true},
        {path: '/open', httpMethod: 'GET', apiKeyRequired: false},
      ],
      stages: [
        {
          stageName: 'prod',
          methodSettings: {'*/*': {throttlingRateLimit: 100, throttlingBurstLimit: 5}, '~1items/POST': {throttlingRateLimit: 100, throttlingBurstLimit: 3}},
        },
        {stageName: 'beta'},
      ],
    },
  ],
  usagePlans: [
    {
      id: 'p1',
      name: 'basic',
      throttle: {rateLimit: 1, burstLimit: 4},
      quota: {limit: 3, period: 'DAY'},
      apiStages: [{apiId: 'a1', stage: 'prod', throttle: {'/items/POST': {rateLimit: 1, burstLimit: 2}}}],
    },
    {id: 'p2', name: 'beta', apiStages: [{apiId: 'a1', stage: 'beta'}]},
  ],
  apiKeys: [
    {id: 'k1', name: 'alice', enabled: true, usagePlanIds: ['p1']},
    {id: 'k2', name: 'bob', enabled: false, usagePlanIds: ['p1']},
    {id: 'k3', name: 'carol', enabled: true, usagePlanIds: ['p2']},
  ],
})

const setup = (s = snapshot()) => {
  const model = new CompiledSnapshot(s)
  return {model, enforcer: new Enforcer(model, {weekStart: 'sunday', firstPeriod: false})}
}

describe('enforcer', () => {
  it('refuses each bad key on a key-required method with its own reason', () => {
    const {model, enforcer} = setup()
    const items = model.route('a1', 'prod', '/items', 'GET')
    assert.equal(enforcer.decide(0, items, NO_KEY), Limit.MISSING_KEY)
    assert.equal(enforcer.decide(0, items, UNKNOWN_KEY), Limit.UNKNOWN_KEY)
    assert.equal(enforcer.decide(0, items, model.keyFor('k2', undefined)), Limit.DISABLED_KEY)
    assert.equal(enforcer.decide(0, items, model.keyFor('k3', undefined)), Limit.KEY_NOT_IN_PLAN)
    assert.equal(enforcer.decide(0, items, model.keyFor('k1', undefined)), Limit.NONE)
  })

  it('does not meter methods that need no key, but still applies stage and account throttles', () => {
    const {model, enforcer} = setup()
    const open = model.route('a1', 'prod', '/open', 'GET')
    const decisions = Array.from({length: 7}, () => enforcer.decide(0, open, NO_KEY))
    assert.deepEqual(decisions, [0, 0, 0, 0, 0, Limit.STAGE_THROTTLE, Limit.STAGE_THROTTLE])
  })

  it('checks plan method, plan key, stage, account, then quota, and keeps tokens taken before a failure', () => {
    const {model, enforcer} = setup()
    const post = model.route('a1', 'prod', '/items', 'POST')
    const get = model.route('a1', 'prod', '/items', 'GET')
    const alice = model.keyFor('k1', undefined)
    // POST: plan method bucket burst 2 fires first on the third call.
    assert.deepEqual(
      [enforcer.decide(0, post, alice), enforcer.decide(0, post, alice), enforcer.decide(0, post, alice)],
      [Limit.NONE, Limit.NONE, Limit.PLAN_METHOD_THROTTLE],
    )
    // The two POSTs also took plan tokens (burst 4) and quota (3): one GET fits, the next passes
    // the throttle but not the quota, and then the plan bucket is empty.
    assert.deepEqual(
      [enforcer.decide(0, get, alice), enforcer.decide(0, get, alice), enforcer.decide(0, get, alice)],
      [Limit.NONE, Limit.QUOTA, Limit.PLAN_THROTTLE],
    )
  })

  it('gives each key its own bucket for each method its plan throttles', () => {
    const s = snapshot()
    s.usagePlans[0].quota = undefined
    s.usagePlans[0].throttle = undefined
    s.usagePlans[0].apiStages[0].throttle = {'/items/POST': {rateLimit: 1, burstLimit: 2}, '/items/GET': {rateLimit: 1, burstLimit: 1}}
    s.usagePlans[1].apiStages[0].throttle = {'/items/GET': {rateLimit: 1, burstLimit: 3}}
    s.apiKeys.push({id: 'k4', name: 'dave', enabled: true, usagePlanIds: ['p1']}, {id: 'k5', name: 'erin', enabled: true, usagePlanIds: ['p2']})
    s.account = {throttle: {rateLimit: 1000, burstLimit: 1000}}
    s.apis[0].stages[0].methodSettings = {}
    const {model, enforcer} = setup(s)
    const [post, get, betaGet] = [
      model.route('a1', 'prod', '/items', 'POST'),
      model.route('a1', 'prod', '/items', 'GET'),
      model.route('a1', 'beta', '/items', 'GET'),
    ]
    const calls = (route: number, keyId: string, n: number) => Array.from({length: n}, () => enforcer.decide(0, route, model.keyFor(keyId, undefined)))
    const ok = Limit.NONE
    const no = Limit.PLAN_METHOD_THROTTLE
    assert.deepEqual(calls(post, 'k1', 3), [ok, ok, no])
    assert.deepEqual(calls(get, 'k1', 2), [ok, no])
    assert.deepEqual(calls(post, 'k4', 3), [ok, ok, no])
    assert.deepEqual(calls(betaGet, 'k3', 4), [ok, ok, ok, no])
    assert.deepEqual(calls(betaGet, 'k5', 4), [ok, ok, ok, no])
    assert.deepEqual(calls(get, 'k4', 2), [ok, no])
  })

  it('counts only requests that passed every throttle against the quota', () => {
    const {model, enforcer} = setup()
    const get = model.route('a1', 'prod', '/items', 'GET')
    const alice = model.keyFor('k1', undefined)
    const day = utc('2026-03-01T00:00:00Z')
    const outcomes = [0, 0, 0, 0, 0, 0].map(() => enforcer.decide(day, get, alice))
    // burst 4: 4 pass the throttle, of which 3 fit the quota; the throttled ones do not use quota.
    assert.deepEqual(outcomes, [0, 0, 0, Limit.QUOTA, Limit.PLAN_THROTTLE, Limit.PLAN_THROTTLE])
    // Next day: the quota is back.
    assert.equal(enforcer.decide(utc('2026-03-02T00:00:00Z'), get, alice), Limit.NONE)
  })

  it('applies the account bucket across every key and stage', () => {
    const s = snapshot()
    s.usagePlans[0].throttle = undefined
    s.usagePlans[0].quota = undefined
    s.apis[0].stages[0].methodSettings = {}
    const {model, enforcer} = setup(s)
    const get = model.route('a1', 'prod', '/items', 'GET')
    const open = model.route('a1', 'prod', '/open', 'GET')
    const alice = model.keyFor('k1', undefined)
    const outcomes = [get, open, get, open, get, open, get].map((route) => enforcer.decide(0, route, route === open ? NO_KEY : alice))
    assert.deepEqual(outcomes, [0, 0, 0, 0, 0, 0, Limit.ACCOUNT_THROTTLE])
  })

  it('finds keys by id, by value, or by the SHA-256 of the value', () => {
    const s = snapshot()
    s.apiKeys[0].value = 'alicevalue0000000000001'
    const {model} = setup(s)
    assert.equal(model.keyFor(undefined, 'alicevalue0000000000001'), 0)
    const sha = new CompiledSnapshot({
      ...s,
      apiKeys: [{id: 'kx', name: 'x', enabled: true, usagePlanIds: [], valueSha256: 'A665A45920422F9D417E4867EFDC4FB8A04A1F3FFF1FA07E998E86F7F7A27AE3'}],
    })
    assert.equal(sha.keyFor(undefined, '123'), 0) // sha256("123"), matched case-insensitively
    assert.equal(model.keyFor(undefined, 'nobody'), UNKNOWN_KEY)
    assert.equal(model.keyFor(undefined, undefined), NO_KEY)
  })

  it('routes a method without its own entry to the resource ANY method', () => {
    const s = snapshot()
    s.apis[0].methods.push({path: '/any', httpMethod: 'ANY', apiKeyRequired: false})
    const {model} = setup(s)
    assert.equal(model.route('a1', 'prod', '/any', 'DELETE'), model.route('a1', 'prod', '/any', 'ANY'))
    assert.equal(model.route('a1', 'prod', '/nope', 'GET'), -1)
  })
})
