import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteUsagePlanKeyCommand,
  GetUsageCommand,
  type PatchOperation,
  type QuotaSettings,
  UpdateUsageCommand,
} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import {awsErrorOf, rawApiGateway, sdkFor, seedUsage, setMotoClock, usageState} from '../helpers/moto-api.js'
import {useMoto} from '../helpers/moto.js'

/** The patch UpdateUsage is meant for: grant a key 5 more requests in the current period. */
const REMAINING_5: PatchOperation = {op: 'replace', path: '/remaining', value: '5'}

// GetUsage and UpdateUsage of the extended moto (test/moto/extensions/usage.py), through the SDK.
// The emulator's clock is fixed to Wednesday 2026-11-18 (UTC): its week began on Sunday the 15th.
describe('extended moto: GetUsage, UpdateUsage and usage seeding', function () {
  this.timeout(30_000)
  const moto = useMoto()
  const sdk = () => sdkFor(moto.current.url)

  beforeEach(async () => setMotoClock(moto.current.url, '2026-11-18T12:00:00Z'))

  async function planWithKeys(quota: QuotaSettings | undefined, names: string[]) {
    const plan = await sdk().send(new CreateUsagePlanCommand({name: 'gold', quota}))
    const keyIds: string[] = []
    for (const name of names) {
      const key = await sdk().send(new CreateApiKeyCommand({name, enabled: true}))
      await sdk().send(new CreateUsagePlanKeyCommand({usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY'}))
      keyIds.push(key.id!)
    }

    return {planId: plan.id!, keyIds}
  }

  const usage = (usagePlanId: string, startDate: string, endDate: string, more: {keyId?: string; limit?: number; position?: string} = {}) =>
    sdk().send(new GetUsageCommand({usagePlanId, startDate, endDate, ...more}))

  it('reports one [used, remaining] pair per day, both dates included, for every key of the plan', async () => {
    const {
      planId,
      keyIds: [alice, bob],
    } = await planWithKeys({limit: 1000, offset: 0, period: 'MONTH'}, ['alice', 'bob'])
    await seedUsage(moto.current.url, {usagePlanId: planId, keyId: alice, days: {'2026-10-30': 100, '2026-10-31': 50, '2026-11-01': 200, '2026-11-03': 300}})

    const out = await usage(planId, '2026-10-30', '2026-11-03')
    assert.deepEqual([out.usagePlanId, out.startDate, out.endDate, out.position], [planId, '2026-10-30', '2026-11-03', undefined])
    // October's use does not count against November's quota.
    assert.deepEqual(out.items, {
      [alice]: [
        [100, 900],
        [50, 850],
        [200, 800],
        [0, 800],
        [300, 500],
      ],
      [bob]: [
        [0, 1000],
        [0, 1000],
        [0, 1000],
        [0, 1000],
        [0, 1000],
      ],
    })
  })

  it('sends AWS\'s wire shapes: the map under "values", errors as {"message"} with x-amzn-ErrorType', async () => {
    const {
      planId,
      keyIds: [alice],
    } = await planWithKeys({limit: 10, period: 'DAY'}, ['alice'])
    const ok = await rawApiGateway(moto.current.url, 'GET', `/usageplans/${planId}/usage?startDate=2026-11-18&endDate=2026-11-18`)
    assert.deepEqual([ok.status, ok.json], [200, {usagePlanId: planId, startDate: '2026-11-18', endDate: '2026-11-18', values: {[alice]: [[0, 10]]}}])
    const refused = await rawApiGateway(moto.current.url, 'GET', `/usageplans/${planId}/usage?endDate=2026-11-18`)
    assert.deepEqual(
      [refused.status, refused.headers.get('x-amzn-errortype'), refused.json],
      [400, 'BadRequestException', {message: 'startDate is required (YYYY-MM-DD)'}],
    )
  })

  it('starts weeks on Sunday, takes the offset off the first period only, and resets daily quotas each day', async () => {
    const weekly = await planWithKeys({limit: 100, offset: 30, period: 'WEEK'}, ['alice'])
    const [alice] = weekly.keyIds
    await seedUsage(moto.current.url, {usagePlanId: weekly.planId, keyId: alice, days: {'2026-11-14': 10, '2026-11-15': 20, '2026-11-18': 5, '2026-11-22': 7}})
    const week = await usage(weekly.planId, '2026-11-14', '2026-11-22')
    assert.deepEqual(week.items?.[alice], [
      [10, 90], // Saturday: the week before the plan's first, full allowance
      [20, 50], // Sunday: the first week, 100 - 30 offset - 20
      [0, 50],
      [0, 50],
      [5, 45],
      [0, 45],
      [0, 45],
      [0, 45],
      [7, 93], // the next Sunday: a new week, no offset
    ])

    const daily = await planWithKeys({limit: 10, period: 'DAY'}, ['bob'])
    const [bob] = daily.keyIds
    await seedUsage(moto.current.url, {usagePlanId: daily.planId, keyId: bob, days: {'2026-11-16': 4, '2026-11-17': 12}})
    const days = await usage(daily.planId, '2026-11-16', '2026-11-18')
    assert.deepEqual(
      days.items?.[bob],
      [
        [4, 6],
        [12, 0],
        [0, 10],
      ],
      'use beyond the quota leaves 0, not a negative count',
    )
  })

  it('pages keys by limit and position, and filters by keyId', async () => {
    const {planId, keyIds} = await planWithKeys({limit: 5, period: 'DAY'}, ['k1', 'k2', 'k3'])
    const sorted = keyIds.toSorted()
    const first = await usage(planId, '2026-11-18', '2026-11-18', {limit: 2})
    assert.deepEqual(Object.keys(first.items ?? {}), sorted.slice(0, 2))
    assert.ok(first.position, 'a position to the next page')
    const second = await usage(planId, '2026-11-18', '2026-11-18', {limit: 2, position: first.position})
    assert.deepEqual(Object.keys(second.items ?? {}), sorted.slice(2))
    assert.equal(second.position, undefined)

    const one = await usage(planId, '2026-11-18', '2026-11-18', {keyId: keyIds[1]})
    assert.deepEqual(one.items, {[keyIds[1]]: [[0, 5]]})
  })

  it('refuses missing, malformed or reversed dates and unknown plans as AWS does', async () => {
    const {planId} = await planWithKeys({limit: 5, period: 'DAY'}, ['k1'])
    for (const [startDate, endDate, message] of [
      ['', '2026-11-18', /startDate is required/],
      ['2026-11-18', '', /endDate is required/],
      ['18/11/2026', '2026-11-18', /Invalid startDate '18\/11\/2026': expected YYYY-MM-DD/],
      ['2026-11-19', '2026-11-18', /startDate 2026-11-19 is after endDate 2026-11-18/],
    ] as const) {
      const error = await awsErrorOf(usage(planId, startDate, endDate))
      assert.deepEqual([error.name, error.status], ['BadRequestException', 400])
      assert.match(error.message, message)
    }

    assert.deepEqual(await awsErrorOf(usage('nosuchplan', '2026-11-18', '2026-11-18')), {
      name: 'NotFoundException',
      status: 404,
      message: 'Invalid Usage Plan ID specified',
    })
  })

  it('UpdateUsage sets what remains in the current period; later use counts against it', async () => {
    const {
      planId,
      keyIds: [alice],
    } = await planWithKeys({limit: 1000, period: 'MONTH'}, ['alice'])
    await seedUsage(moto.current.url, {usagePlanId: planId, keyId: alice, days: {'2026-11-01': 200, '2026-11-17': 100}})

    const granted = await sdk().send(
      new UpdateUsageCommand({usagePlanId: planId, keyId: alice, patchOperations: [{op: 'replace', path: '/remaining', value: '2000'}]}),
    )
    assert.deepEqual([granted.startDate, granted.endDate], ['2026-11-01', '2026-11-18'])
    assert.equal(granted.items?.[alice].length, 18)
    assert.deepEqual(granted.items?.[alice].at(-1), [0, 2000])

    await seedUsage(moto.current.url, {usagePlanId: planId, keyId: alice, days: {'2026-11-18': 50}})
    const after = await usage(planId, '2026-11-17', '2026-12-01')
    assert.deepEqual(
      after.items?.[alice].slice(0, 2),
      [
        [100, 700],
        [50, 1950],
      ],
      'the grant counts from the day it was made',
    )
    assert.deepEqual(after.items?.[alice].at(-1), [0, 1000], 'and only in its period')
    assert.deepEqual((await usageState(moto.current.url, planId)).grants, {[alice]: [{periodStart: '2026-11-01', madeOn: '2026-11-18', requestsAdded: 1300}]})
  })

  it('UpdateUsage refuses a key outside the plan, a plan without quota and other patch paths', async () => {
    const {
      planId,
      keyIds: [alice],
    } = await planWithKeys({limit: 10, period: 'DAY'}, ['alice'])
    const grant = (usagePlanId: string, keyId: string, op: PatchOperation = REMAINING_5) =>
      sdk().send(new UpdateUsageCommand({usagePlanId, keyId, patchOperations: [op]}))

    assert.deepEqual(await awsErrorOf(grant(planId, alice, {op: 'replace', path: '/used', value: '5'})), {
      name: 'BadRequestException',
      status: 400,
      message: "Invalid patch path '/used' specified for op 'replace'. Must be one of: [/remaining]",
    })
    assert.match((await awsErrorOf(grant(planId, alice, {op: 'replace', path: '/remaining', value: 'lots'}))).message, /Invalid value 'lots' for \/remaining/)
    assert.deepEqual(await awsErrorOf(grant(planId, 'nosuchkey')), {name: 'NotFoundException', status: 404, message: 'Invalid API Key identifier specified'})

    await sdk().send(new DeleteUsagePlanKeyCommand({usagePlanId: planId, keyId: alice}))
    assert.deepEqual(await awsErrorOf(grant(planId, alice)), {
      name: 'NotFoundException',
      status: 404,
      message: `API Key ${alice} is not in Usage Plan ${planId}`,
    })

    const unlimited = await planWithKeys(undefined, ['bob'])
    assert.match((await awsErrorOf(grant(unlimited.planId, unlimited.keyIds[0]))).message, /has no quota/)
    assert.deepEqual(
      (await usage(unlimited.planId, '2026-11-18', '2026-11-18')).items,
      {[unlimited.keyIds[0]]: [[0, 0]]},
      'no quota: nothing remaining to report',
    )
  })

  it('seeding refuses keys outside the plan and bad counts, naming them', async () => {
    const {
      planId,
      keyIds: [alice],
    } = await planWithKeys({limit: 10, period: 'DAY'}, ['alice'])
    await assert.rejects(
      seedUsage(moto.current.url, {usagePlanId: planId, keyId: 'nosuchkey', days: {'2026-11-18': 1}}),
      /HTTP 400 .*nosuchkey is not in Usage Plan/,
    )
    await assert.rejects(seedUsage(moto.current.url, {usagePlanId: planId, keyId: alice, days: {'2026-11-18': -1}}), /HTTP 400 .*is not a count of requests/)
    await assert.rejects(seedUsage(moto.current.url, {usagePlanId: 'nosuchplan', keyId: alice, days: {'2026-11-18': 1}}), /HTTP 404 .*Invalid Usage Plan ID/)
    const state = await seedUsage(moto.current.url, {usagePlanId: planId, keyId: alice, days: {'2026-11-18': 3}})
    assert.deepEqual(state.used, {[alice]: {'2026-11-18': 3}})
    assert.equal(state.createdDate, '2026-11-18')
  })

  it('seeds and reads plans of other Regions when told the Region', async () => {
    const paris = new APIGatewayClient({region: 'eu-west-3', endpoint: moto.current.url, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}})
    const plan = await paris.send(new CreateUsagePlanCommand({name: 'gold', quota: {limit: 10, period: 'DAY'}}))
    const key = await paris.send(new CreateApiKeyCommand({name: 'alice'}))
    await paris.send(new CreateUsagePlanKeyCommand({usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY'}))
    await assert.rejects(seedUsage(moto.current.url, {usagePlanId: plan.id!, keyId: key.id!, days: {'2026-11-18': 4}}), /HTTP 404/, 'not in us-east-1')
    await seedUsage(moto.current.url, {usagePlanId: plan.id!, keyId: key.id!, days: {'2026-11-18': 4}, region: 'eu-west-3'})
    assert.deepEqual((await usageState(moto.current.url, plan.id!, 'eu-west-3')).used, {[key.id!]: {'2026-11-18': 4}})
    assert.deepEqual((await paris.send(new GetUsageCommand({usagePlanId: plan.id, startDate: '2026-11-18', endDate: '2026-11-18'}))).items, {
      [key.id!]: [[4, 6]],
    })
  })
})
