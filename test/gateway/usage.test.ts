import {
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetUsageCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  UpdateApiKeyCommand,
  UpdateUsageCommand,
} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import type {ApiGateway} from '../../src/aws/api-gateway.js'

import {ApiKeys} from '../../src/gateway/api-keys.js'
import {LAG_WARNING, USAGE_CHUNK_DAYS, UsageReports} from '../../src/gateway/usage.js'
import {GwctlError} from '../../src/model/errors.js'
import {type ApiGatewayMock, awsError, mockApiGateway} from '../helpers/mock-aws.js'
import {rejection} from '../helpers/rejection.js'

/** Wednesday 2026-11-18, noon UTC: the month so far is the 1st to the 18th (18 days). */
const NOW = Date.parse('2026-11-18T12:00:00Z')

/** AWS's daily pairs for an allowance and the requests of each day: remaining falls by each day's use. */
function pairs(allowance: number, used: number[]): number[][] {
  let remaining = allowance
  return used.map((u) => [u, (remaining = Math.max(0, remaining - u))])
}

const days = (n: number, each: number) => Array.from({length: n}, () => each)
/** alice has used 50 a day this month: 900, 100 left. */
const aliceNow = () => ({startDate: '2026-11-01', items: {k1: pairs(1000, days(18, 50))}})

describe('gateway/UsageReports', () => {
  let aws: ApiGatewayMock
  let apigw: ApiGateway
  let sleeps: number[]
  const gold = {id: 'p1', name: 'gold', quota: {limit: 1000, offset: 0, period: 'MONTH' as const}}
  const free = {id: 'p2', name: 'free'}
  const alice = {id: 'k1', name: 'alice', value: 'AliceValue0123456789xy', createdDate: new Date('2026-01-01T00:00:00Z')}
  const bob = {id: 'k2', name: 'bob', value: 'BobValue0123456789abcd', createdDate: new Date('2026-01-01T00:00:00Z')}
  const carol = {id: 'k3', name: 'carol', value: 'CarolValue0123456789ab', createdDate: new Date('2026-01-01T00:00:00Z')}
  const planKey = (k: typeof alice) => ({id: k.id, name: k.name, type: 'API_KEY', value: k.value})

  beforeEach(() => {
    ;({mock: aws, apigw, sleeps} = mockApiGateway())
    aws.on(GetUsagePlansCommand).resolves({items: [gold, free]})
    aws.on(GetUsagePlansCommand, {keyId: 'k3'}).resolves({items: [free]})
    aws.on(GetApiKeysCommand).resolves({items: [alice, bob, carol]})
    aws.on(GetUsagePlanKeysCommand, {usagePlanId: 'p1'}).resolves({items: [planKey(alice), planKey(bob)]})
    aws.on(GetUsagePlanKeysCommand, {usagePlanId: 'p2'}).resolves({items: [planKey(carol)]})
  })
  afterEach(() => aws.restore())

  const reports = () => new UsageReports(apigw)
  const rotate = (action: 'disable' | 'keep') => {
    const keys = new ApiKeys(apigw)
    const usage = new UsageReports(apigw, keys.plans, keys)
    return keys.rotate('alice', action, {carryUsage: (oldKey, plans) => usage.remainingToCarry({id: oldKey.id!, name: oldKey.name}, plans, {now: NOW})})
  }
  const usageCalls = () => aws.commandCalls(GetUsageCommand).map((c) => c.args[0].input)

  describe('report', () => {
    it('reads every page of GetUsage (limit 500, following position) and merges the keys', async () => {
      aws
        .on(GetUsageCommand)
        .resolvesOnce({usagePlanId: 'p1', startDate: '2026-11-01', endDate: '2026-11-18', items: {k1: pairs(1000, days(18, 10))}, position: 'page2'})
        .resolvesOnce({usagePlanId: 'p1', startDate: '2026-11-01', endDate: '2026-11-18', items: {k2: pairs(1000, days(18, 50))}})
      const report = await reports().report('gold', {now: NOW})

      assert.deepEqual(
        usageCalls().map((i) => [i.usagePlanId, i.startDate, i.endDate, i.limit, i.position, i.keyId]),
        [
          ['p1', '2026-11-01', '2026-11-18', 500, undefined, undefined],
          ['p1', '2026-11-01', '2026-11-18', 500, 'page2', undefined],
        ],
      )
      assert.equal(report.keyedBy, 'id')
      // bob used 900 of 1000: he comes first (closest to running out)
      assert.deepEqual(
        report.keys.map((k) => [k.name, k.used, k.quota?.remaining, k.quota?.allowance, k.quota?.shareUsed]),
        [
          ['bob', 900, 100, 1000, 0.9],
          ['alice', 180, 820, 1000, 0.18],
        ],
      )
      // bob: 7 days of 50 (the 12th to today) over the 6.5 days since the 12th began: 53.85 a day;
      // 100 left lasts 100 * 6.5 / 350 = 1.857143 days = 1 d 20:34:17.143 -> 2026-11-20 08:34:17.143
      assert.ok(Math.abs(report.keys[0].forecast!.recentDailyRate! - 350 / 6.5) < 1e-9)
      assert.equal(new Date(report.keys[0].forecast!.runsOutAt!).toISOString(), '2026-11-20T08:34:17.143Z')
      assert.equal(report.keys[1].forecast?.outlook, 'not-this-period')
      assert.deepEqual([report.usage.startDate, report.usage.endDate, report.usage.items.k2?.[17]], ['2026-11-01', '2026-11-18', [50, 100]])
      assert.deepEqual(report.warnings, [LAG_WARNING])
    })

    it(`asks for long ranges in chunks of ${USAGE_CHUNK_DAYS} days and joins them day by day`, async () => {
      // 2026-08-01 to 2026-10-09: 70 days -> 31 + 31 + 8; a key with 1 request a day, 2 on the 1st of each month
      aws.on(GetUsageCommand).callsFake((input: {startDate: string; endDate: string}) => {
        const n = (Date.parse(input.endDate) - Date.parse(input.startDate)) / 86_400_000 + 1
        const used = Array.from({length: n}, (_, i) => (new Date(Date.parse(input.startDate) + i * 86_400_000).getUTCDate() === 1 ? 2 : 1))
        return {usagePlanId: 'p1', startDate: input.startDate, endDate: input.endDate, items: {k1: pairs(1000, used)}}
      })
      const report = await reports().report('gold', {now: NOW, from: '2026-08-01', to: '2026-10-09', keyRefs: ['alice']})
      assert.deepEqual(
        usageCalls().map((i) => [i.startDate, i.endDate, i.keyId]),
        [
          ['2026-08-01', '2026-08-31', 'k1'],
          ['2026-09-01', '2026-10-01', 'k1'],
          ['2026-10-02', '2026-10-09', 'k1'],
        ],
      )
      const [key] = report.keys
      assert.equal(key.days.length, 70)
      assert.equal(key.used, 73) // 70 days, three of them the 1st of a month
      assert.deepEqual(
        key.days.find((d) => d.date === '2026-10-01'),
        {date: '2026-10-01', used: 2, remaining: 967},
      )
      // the quota period holding --to is October: 9 days, 10 requests
      assert.deepEqual([key.quota?.periodUsed, report.window.current, key.forecast], [10, false, undefined])
      assert.deepEqual(report.warnings, [], 'no lag warning for days long past')
    })

    it('matches a map keyed by key value (as older AWS docs say), and says so', async () => {
      aws.on(GetUsageCommand).resolves({startDate: '2026-11-01', items: {[bob.value]: pairs(1000, days(18, 5))}})
      const report = await reports().report('gold', {now: NOW, keyRefs: ['bob']})
      assert.equal(report.keyedBy, 'value')
      assert.deepEqual([report.keys[0].id, report.keys[0].used, report.keys[0].reported], ['k2', 90, true])
      assert.deepEqual(Object.keys(report.usage.items), ['k2'], 'the numbers given back are keyed by id: a value is a secret')
    })

    it("fetches key values when the plan's key list lacks them and AWS keyed by value", async () => {
      aws.on(GetUsagePlanKeysCommand, {usagePlanId: 'p1'}).resolves({
        items: [
          {id: 'k1', name: 'alice', type: 'API_KEY'},
          {id: 'k2', name: 'bob', type: 'API_KEY'},
        ],
      })
      aws.on(GetUsageCommand).resolves({startDate: '2026-11-01', items: {[alice.value]: pairs(1000, days(18, 1)), [bob.value]: pairs(1000, days(18, 2))}})
      const report = await reports().report('gold', {now: NOW})
      assert.equal(report.keyedBy, 'value')
      assert.deepEqual(
        report.keys.map((k) => [k.id, k.used]),
        [
          ['k2', 36],
          ['k1', 18],
        ],
      )
      assert.ok(aws.commandCalls(GetApiKeysCommand).some((c) => c.args[0].input.includeValues === true))
    })

    it('says which keys AWS reported nothing for, and which entries match no key', async () => {
      aws.on(GetUsageCommand).resolves({startDate: '2026-11-01', items: {k1: pairs(1000, days(18, 1)), gonekey123: pairs(1000, days(18, 3))}})
      const report = await reports().report('gold', {now: NOW})
      const bobRow = report.keys.find((k) => k.id === 'k2')!
      assert.deepEqual([bobRow.reported, bobRow.used, bobRow.quota?.remaining, bobRow.forecast?.outlook], [false, 0, null, 'unknown'])
      assert.deepEqual(report.unmatched, [{entry: 'gonekey123', used: 54}])
      assert.deepEqual(report.warnings, [
        "AWS's usage map has 1 entry matching no key of usage plan gold (p1) by id or value (a key removed from the plan, or deleted?)",
        'AWS reported no usage for API key bob (k2) in usage plan gold (p1): counted as 0 requests, remaining unknown',
        LAG_WARNING,
      ])
    })

    it('reads an answer with fewer days than asked from its startDate, and says so', async () => {
      aws.on(GetUsageCommand).resolves({startDate: '2026-11-01', items: {k1: pairs(1000, days(17, 10)), k2: pairs(1000, days(18, 1))}})
      const report = await reports().report('gold', {now: NOW})
      const aliceRow = report.keys.find((k) => k.id === 'k1')!
      assert.deepEqual(aliceRow.days.at(-1), {date: '2026-11-18', used: 0, remaining: null})
      assert.deepEqual([aliceRow.used, aliceRow.quota?.remaining, aliceRow.quota?.allowance], [170, 830, 1000])
      assert.match(report.warnings[0], /AWS answered GetUsage with another number of days than asked for \(2026-11-01 to 2026-11-18: 17 days\)/)
      assert.equal(report.usage.items.k1?.[17], null)
    })

    it('refuses an unknown plan or key (exit 3), and a key of another plan naming the plans it is in (exit 3)', async () => {
      assert.equal((await rejection(reports().report('platinum', {now: NOW}))).exitCode, 3)
      assert.equal((await rejection(reports().report('gold', {now: NOW, keyRefs: ['dave']}))).exitCode, 3)
      const elsewhere = await rejection(reports().report('gold', {now: NOW, keyRefs: ['carol']}))
      assert.equal(elsewhere.exitCode, 3)
      assert.equal(elsewhere.message, 'API key carol (k3) is not in usage plan gold (p1): it is in free (p2)')
      assert.deepEqual(usageCalls(), [], 'nothing read before the names are checked')
    })

    it('refuses dates in the future or reversed (exit 2) before calling GetUsage', async () => {
      assert.match((await rejection(reports().report('gold', {now: NOW, to: '2026-11-19'}))).message, /--to 2026-11-19 is in the future/)
      assert.match(
        (await rejection(reports().report('gold', {now: NOW, from: '2026-11-10', to: '2026-11-01'}))).message,
        /--from 2026-11-10 is after --to 2026-11-01/,
      )
      assert.deepEqual(usageCalls(), [])
    })

    it('passes AWS errors on as gwctl errors, naming the days asked for', async () => {
      aws.on(GetUsageCommand).rejects(awsError('BadRequestException', 'Invalid startDate'))
      const bad = await rejection(reports().report('gold', {now: NOW}))
      assert.deepEqual(
        [bad.exitCode, bad.message],
        [2, 'AWS refused reading the usage of usage plan gold (p1) from 2026-11-01 to 2026-11-18: Invalid startDate'],
      )
    })

    it('retries a throttled page, as long as AWS asks', async () => {
      aws
        .on(GetUsageCommand)
        .rejectsOnce(awsError('TooManyRequestsException', 'Too Many Requests', {retryAfterSeconds: '2'}))
        .resolves({startDate: '2026-11-01', items: {k1: pairs(1000, days(18, 1)), k2: pairs(1000, days(18, 1))}})
      const report = await reports().report('gold', {now: NOW})
      assert.equal(report.keys[0].used, 18)
      assert.deepEqual(sleeps, [2000])
    })

    it('counts a plan without a quota in calendar months, with no allowance or forecast', async () => {
      aws.on(GetUsageCommand).resolves({startDate: '2026-11-01', items: {k3: days(18, 0).map(() => [4, 0])}})
      const report = await reports().report('free', {now: NOW})
      assert.deepEqual(
        [report.period, report.window.from, report.keys[0].used, report.keys[0].quota, report.keys[0].forecast],
        [null, '2026-11-01', 72, undefined, undefined],
      )
    })
  })

  describe('grant', () => {
    it('adds to what remains with one UpdateUsage (replace /remaining), then reads the standing again', async () => {
      aws
        .on(GetUsageCommand)
        .resolvesOnce(aliceNow())
        .resolves({startDate: '2026-11-01', items: {k1: pairs(5100, days(18, 50))}})
      aws.on(UpdateUsageCommand).resolves({})
      const grant = await reports().grant('alice', 'gold', {add: 5000}, {now: NOW})
      assert.deepEqual(
        aws.commandCalls(UpdateUsageCommand).map((c) => c.args[0].input),
        [{usagePlanId: 'p1', keyId: 'k1', patchOperations: [{op: 'replace', path: '/remaining', value: '5100'}]}],
      )
      assert.deepEqual(grant.before, {periodUsed: 900, remaining: 100, allowance: 1000, shareUsed: 0.9, ranOutOn: null})
      assert.deepEqual(grant.after, {periodUsed: 900, remaining: 4200, allowance: 5100, shareUsed: 900 / 5100, ranOutOn: null})
      assert.equal(grant.changed, true)
      assert.equal(usageCalls()[0].keyId, 'k1')
    })

    it('sets what remains, and warns when AWS then reports something else', async () => {
      aws
        .on(GetUsageCommand)
        .resolvesOnce(aliceNow())
        .resolves({startDate: '2026-11-01', items: {k1: [...pairs(1000, days(17, 50)), [60, 0]]}})
      aws.on(UpdateUsageCommand).resolves({})
      const grant = await reports().grant('alice', 'gold', {set: 0}, {now: NOW})
      assert.equal(aws.commandCalls(UpdateUsageCommand)[0].args[0].input.patchOperations?.[0].value, '0')
      assert.deepEqual(grant.planned, {periodUsed: 900, remaining: 0, allowance: 900, shareUsed: 1, ranOutOn: null})
      assert.equal(grant.after?.remaining, 0)
      assert.ok(!grant.warnings.some((w) => /just after/.test(w)))

      aws.on(GetUsageCommand).resolvesOnce(aliceNow()).resolves(aliceNow())
      const ignored = await reports().grant('alice', 'gold', {set: 700}, {now: NOW})
      assert.ok(
        ignored.warnings.includes(
          'AWS reports 100 requests remaining just after gwctl set 700: requests made meanwhile count against it, and the counters can lag',
        ),
      )
    })

    it('sends nothing on a dry run, or when the key already has that much left', async () => {
      aws.on(GetUsageCommand).resolves(aliceNow())
      const dry = await reports().grant('alice', 'gold', {add: 10}, {now: NOW, dryRun: true})
      assert.deepEqual([dry.changed, dry.after, dry.planned.remaining, dry.operations[0].value], [false, null, 110, '110'])
      const same = await reports().grant('alice', 'gold', {set: 100}, {now: NOW})
      assert.equal(same.changed, false)
      assert.equal(aws.commandCalls(UpdateUsageCommand).length, 0)
    })

    it('refuses a plan without a quota (exit 2), a key outside the plan (exit 3), and adding to an unknown remaining (exit 3)', async () => {
      const noQuota = await rejection(reports().grant('carol', 'free', {add: 10}, {now: NOW}))
      assert.deepEqual([noQuota.exitCode, noQuota.message], [2, 'Usage plan free (p2) has no quota: there is no remaining quota to grant'])
      assert.equal((await rejection(reports().grant('carol', 'gold', {add: 10}, {now: NOW}))).exitCode, 3)
      aws.on(GetUsageCommand).resolves({startDate: '2026-11-01', items: {}})
      const unknown = await rejection(reports().grant('alice', 'gold', {add: 10}, {now: NOW}))
      assert.equal(unknown.exitCode, 3)
      assert.match(unknown.suggestions[0], /--remaining N/)
      assert.equal(aws.commandCalls(UpdateUsageCommand).length, 0)
    })

    it('reports AWS refusing the update', async () => {
      aws.on(GetUsageCommand).resolves(aliceNow())
      aws.on(UpdateUsageCommand).rejects(awsError('NotFoundException', 'API Key k1 is not in Usage Plan p1'))
      const error = await rejection(reports().grant('alice', 'gold', {add: 1}, {now: NOW}))
      assert.ok(error instanceof GwctlError)
      assert.deepEqual(
        [error.exitCode, error.message],
        [3, 'Not found while setting the remaining quota of API key alice (k1) in usage plan gold (p1) to 101: API Key k1 is not in Usage Plan p1'],
      )
    })
  })

  describe('keys rotate --carry-usage', () => {
    beforeEach(() => {
      aws.on(GetUsagePlansCommand, {keyId: 'k1'}).resolves({items: [gold, free]})
      aws.on(GetApiKeyCommand, {apiKey: 'k1'}).resolves({...alice, enabled: true})
      aws.on(CreateApiKeyCommand).callsFake((input) => ({id: 'k9', ...input}))
      aws.on(CreateUsagePlanKeyCommand).resolves({})
      aws.on(UpdateUsageCommand).resolves({})
      aws.on(UpdateApiKeyCommand).resolves({})
    })

    it('gives the new key what the old one has left in each plan with a quota, after adding it there, before disabling the old one', async () => {
      aws.on(GetUsageCommand).resolves({startDate: '2026-11-01', items: {k1: pairs(1000, days(18, 40))}})
      const rotated = await rotate('disable')
      assert.deepEqual(rotated.carriedUsage, [{usagePlan: {id: 'p1', name: 'gold'}, remaining: 280}])
      assert.deepEqual(
        aws.commandCalls(UpdateUsageCommand).map((c) => c.args[0].input),
        [{usagePlanId: 'p1', keyId: 'k9', patchOperations: [{op: 'replace', path: '/remaining', value: '280'}]}],
      )
      const order = aws
        .calls()
        .map((c) => c.args[0].constructor.name)
        .filter((n) => /^(Create|Update)/.test(n))
      assert.deepEqual(order, ['CreateApiKeyCommand', 'CreateUsagePlanKeyCommand', 'CreateUsagePlanKeyCommand', 'UpdateUsageCommand', 'UpdateApiKeyCommand'])
      assert.deepEqual(
        usageCalls().map((i) => [i.usagePlanId, i.keyId]),
        [['p1', 'k1']],
        'read for the old key, in the plan with a quota only',
      )
    })

    it('refuses before changing anything when AWS reports no remaining quota for the old key', async () => {
      aws.on(GetUsageCommand).resolves({startDate: '2026-11-01', items: {}})
      const error = await rejection(rotate('keep'))
      assert.equal(error.exitCode, 3)
      assert.match(
        error.message,
        /AWS reports no remaining quota for API key alice \(k1\) in usage plan gold \(p1\), so there is none to carry over; nothing was changed/,
      )
      assert.equal(aws.commandCalls(CreateApiKeyCommand).length, 0)
    })

    it('reports a failing carry as part of the rotation, with the command that finishes it', async () => {
      aws.on(GetUsageCommand).resolves({startDate: '2026-11-01', items: {k1: pairs(1000, days(18, 40))}})
      aws.on(UpdateUsageCommand).rejects(awsError('BadRequestException', 'Invalid value'))
      const error = await rejection(rotate('disable'))
      assert.equal(error.exitCode, 7)
      assert.deepEqual(error.report?.finish, ['gwctl usage grant k9 --plan p1 --remaining 280', 'gwctl keys disable k1'])
      assert.equal(aws.commandCalls(UpdateApiKeyCommand).length, 0)
    })
  })

  describe('check', () => {
    beforeEach(() => {
      aws.on(GetUsageCommand, {usagePlanId: 'p1'}).resolves({startDate: '2026-11-01', items: {k1: pairs(1000, days(18, 45)), k2: pairs(1000, days(18, 44))}})
    })

    it('lists the keys whose share used reaches the threshold', async () => {
      // alice 810 of 1000 (81%), bob 792 (79.2%)
      const check = await reports().check([], 0.8, {now: NOW})
      assert.deepEqual(
        check.over.map((o) => [o.usagePlan.name, o.key.name, o.key.quota?.shareUsed]),
        [['gold', 'alice', 0.81]],
      )
      assert.deepEqual([check.keysChecked, check.usagePlans, check.withoutQuota], [2, [{id: 'p1', name: 'gold'}], [{id: 'p2', name: 'free'}]])
      assert.deepEqual(check.warnings, [LAG_WARNING], 'said once, not once per plan')
      assert.deepEqual((await reports().check([], 0.82, {now: NOW})).over, [])
    })

    it('says when a plan it was asked to check has no quota, and reads no usage for it', async () => {
      const check = await reports().check(['free', 'gold'], 0.5, {now: NOW})
      assert.equal(check.over.length, 2)
      assert.ok(check.warnings.includes('Usage plan free (p2) has no quota: no key of it can be over a threshold'))
      assert.ok(usageCalls().every((i) => i.usagePlanId === 'p1'))
      assert.equal((await rejection(reports().check(['platinum'], 0.5, {now: NOW}))).exitCode, 3)
    })
  })

  describe('quota seeds for simulate --seed-quota', () => {
    it("reads each plan's current period only, day by day, keyed by key id whichever way AWS keyed its map", async () => {
      // AWS keyed bob by his value: the older SDK docs' reading.
      aws
        .on(GetUsageCommand, {usagePlanId: 'p1'})
        .resolves({startDate: '2026-11-01', items: {k1: pairs(1000, days(18, 50)), [bob.value]: pairs(1000, days(18, 1))}})
      const {seeds, warnings} = await reports().quotaSeeds(['p1', 'p2'], {now: NOW})

      assert.deepEqual(
        usageCalls().map((i) => [i.usagePlanId, i.startDate, i.endDate]),
        [['p1', '2026-11-01', '2026-11-18']],
        'not the week before the period a report reads for its recent rate, and nothing for free, which has no quota',
      )
      assert.deepEqual(warnings, ['Usage plan free (p2) has no quota in the account, so AWS counts nothing to seed: its counters start at zero'])
      assert.equal(seeds.readAt, '2026-11-18T12:00:00.000Z')
      const [plan] = seeds.usagePlans
      assert.deepEqual([seeds.usagePlans.length, plan.usagePlanId, plan.period, plan.limit, plan.periodStart], [1, 'p1', 'MONTH', 1000, '2026-11-01'])
      assert.deepEqual(Object.keys(plan.keys).toSorted(), ['k1', 'k2'])
      assert.equal(plan.keys.k1.length, 18)
      assert.deepEqual(plan.keys.k1[0], {date: '2026-11-01', used: 50, remaining: 950})
      assert.deepEqual(plan.keys.k2.at(-1), {date: '2026-11-18', used: 1, remaining: 982})
    })

    it('uses the week start it is given, and refuses a plan the account does not have (exit 3)', async () => {
      aws.on(GetUsagePlansCommand).resolves({items: [{...gold, quota: {limit: 100, offset: 0, period: 'WEEK'}}]})
      aws.on(GetUsageCommand).resolves({startDate: '2026-11-16', items: {k1: pairs(100, [5, 6, 7])}})
      const {seeds} = await reports().quotaSeeds(['p1'], {now: NOW, weekStart: 'monday'})
      assert.deepEqual(usageCalls()[0].startDate, '2026-11-16')
      assert.deepEqual(
        seeds.usagePlans[0].keys.k1.map((d) => d.used),
        [5, 6, 7],
      )
      assert.equal((await rejection(reports().quotaSeeds(['p9'], {now: NOW}))).exitCode, 3)
    })
  })
})
