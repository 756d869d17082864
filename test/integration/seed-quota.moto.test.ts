import {CreateApiKeyCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand, PutMethodCommand, type QuotaSettings} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {runCli} from '../helpers/cli.js'
import {jsonResult} from '../helpers/json-contract.js'
import {createDeployedApi, sdkFor, seedUsage} from '../helpers/moto-api.js'
import {MOTO_ENV, useMoto} from '../helpers/moto.js'

const DAY = 86_400_000
const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10)

/**
 * A quota period holding today and at least the day before it, whatever today is (the CLI
 * keeps the real clock): the month, or on the 1st the week (Sunday to Saturday, or Monday to
 * Sunday when the 1st is a Sunday).
 */
function periodWithYesterday(now: number): {quota: QuotaSettings; weekStart: string} {
  const today = new Date(now)
  if (today.getUTCDate() > 1) return {quota: {limit: 100, offset: 0, period: 'MONTH'}, weekStart: 'sunday'}
  return {quota: {limit: 100, offset: 0, period: 'WEEK'}, weekStart: today.getUTCDay() === 0 ? 'monday' : 'sunday'}
}

function keyOutcome(report: {keys: Array<{id: string | null; allowed: number; quotaExceeded: number}>}, keyId: string) {
  const key = report.keys.find((k) => k.id === keyId)!
  return [key.allowed, key.quotaExceeded]
}

// Petstore's GET /pets needs a key; plan gold allows 100 requests a period. alice used 97
// of them yesterday; today's log has alice calling ten times and bob five.
describe('simulate --seed-quota against the extended moto (built CLI as a subprocess)', function () {
  this.timeout(120_000)
  const moto = useMoto()
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-seed-'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  const gwctl = (...args: string[]) => runCli([...args, '--endpoint-url', moto.current.url], {env: MOTO_ENV})

  async function setUp() {
    const now = Date.now()
    const {quota, weekStart} = periodWithYesterday(now)
    const apigw = sdkFor(moto.current.url)
    const api = await createDeployedApi(moto.current.url, {name: 'petstore', methods: {'/': ['GET'], '/pets': []}, stages: ['prod']})
    await apigw.send(
      new PutMethodCommand({restApiId: api.id, resourceId: api.resourceIds['/pets'], httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: true}),
    )
    const plan = await apigw.send(
      new CreateUsagePlanCommand({name: 'gold', quota, throttle: {rateLimit: 10, burstLimit: 20}, apiStages: [{apiId: api.id, stage: 'prod'}]}),
    )
    const keys: Record<string, string> = {}
    for (const name of ['alice', 'bob']) {
      keys[name] = (await apigw.send(new CreateApiKeyCommand({name, enabled: true}))).id!
      await apigw.send(new CreateUsagePlanKeyCommand({usagePlanId: plan.id, keyId: keys[name], keyType: 'API_KEY'}))
    }

    const yesterday = dayOf(now - DAY)
    await seedUsage(moto.current.url, {usagePlanId: plan.id!, keyId: keys.alice, days: {[yesterday]: 97}})
    // Today, from 00:00:30 UTC, one call a second.
    const start = Date.parse(`${dayOf(now)}T00:00:30Z`)
    const call = (t: number, keyId: string) =>
      JSON.stringify({requestTimeEpoch: String(t), apiId: api.id, stage: 'prod', resourcePath: '/pets', httpMethod: 'GET', status: '200', apiKeyId: keyId})
    const lines = [
      ...Array.from({length: 10}, (_, i) => call(start + i * 1000, keys.alice)),
      ...Array.from({length: 5}, (_, i) => call(start + 500 + i * 1000, keys.bob)),
    ]
    const log = join(dir, 'today.jsonl')
    writeFileSync(log, lines.toSorted((a, b) => Number(JSON.parse(a).requestTimeEpoch) - Number(JSON.parse(b).requestTimeEpoch)).join('\n') + '\n')
    return {log, weekStart, planId: plan.id!, keys, yesterday, period: quota.period!}
  }

  it("starts each key's counter at what AWS counted before today: alice has 3 left, bob all 100", async () => {
    const {log, weekStart, keys, planId, yesterday, period} = await setUp()
    const plain = await gwctl('simulate', '--log', log, '--week-start', weekStart, '--json')
    assert.equal(plain.code, 0, plain.stderr)
    assert.deepEqual(keyOutcome(JSON.parse(plain.stdout), keys.alice), [10, 0])

    const seeded = await gwctl('simulate', '--log', log, '--week-start', weekStart, '--seed-quota', '--json')
    assert.equal(seeded.code, 0, seeded.stderr)
    const report = jsonResult('simulate', seeded.stdout)
    assert.deepEqual(keyOutcome(report, keys.alice), [3, 7])
    assert.deepEqual(keyOutcome(report, keys.bob), [5, 0])
    const [plan] = report.quotaSeed.usagePlans
    assert.deepEqual([plan.usagePlanId, plan.period, plan.applied, plan.days.to, plan.keysWithUse, plan.used], [planId, period, true, yesterday, 1, 97])
    assert.match(report.quotaSeed.partialDay, /before 00:00:30 UTC/)

    const human = await gwctl('simulate', '--log', log, '--week-start', weekStart, '--seed-quota')
    assert.equal(human.code, 0, human.stderr)
    assert.match(human.stdout, /Quota counters started from AWS's counts \(GetUsage, read /)
    assert.match(human.stdout, new RegExp(String.raw`gold \(${period} from \d{4}-\d{2}-\d{2}\): 97 requests by 1 key\(s\) on [-0-9 to]*${yesterday}`))
  })

  it('works with a saved snapshot too, reading only usage from the account; says what it could not seed; refuses plans without a quota', async () => {
    const {log, weekStart, keys} = await setUp()
    const snapshotFile = join(dir, 'snapshot.json')
    const exported = await gwctl('export', '--out', snapshotFile)
    assert.equal(exported.code, 0, exported.stderr)
    const seeded = await gwctl('simulate', '--snapshot', snapshotFile, '--log', log, '--week-start', weekStart, '--seed-quota', '--json')
    assert.equal(seeded.code, 0, seeded.stderr)
    assert.deepEqual(keyOutcome(JSON.parse(seeded.stdout), keys.alice), [3, 7])

    // A snapshot that gives gold another period than the account's: not seeded, and said so.
    const snapshot = JSON.parse(readFileSync(snapshotFile, 'utf8'))
    const accountPeriod = snapshot.usagePlans[0].quota.period
    snapshot.usagePlans[0].quota.period = accountPeriod === 'DAY' ? 'WEEK' : 'DAY'
    writeFileSync(snapshotFile, JSON.stringify(snapshot))
    const otherPeriod = jsonResult('simulate', (await gwctl('simulate', '--snapshot', snapshotFile, '--log', log, '--seed-quota', '--json')).stdout)
    assert.deepEqual([otherPeriod.quotaSeed.usagePlans[0].applied, keyOutcome(otherPeriod, keys.alice)], [false, [10, 0]])
    assert.match(otherPeriod.quotaSeed.usagePlans[0].reason, new RegExp(`the account counts it by ${accountPeriod}`))

    // A plan with a quota in the snapshot and none in the account: a warning, in --json too.
    const silver = await sdkFor(moto.current.url).send(new CreateUsagePlanCommand({name: 'silver'}))
    snapshot.usagePlans[0].quota.period = accountPeriod
    snapshot.usagePlans.push({id: silver.id, name: 'silver', quota: {limit: 5, offset: 0, period: 'MONTH'}, apiStages: []})
    writeFileSync(snapshotFile, JSON.stringify(snapshot))
    const unquoted = await gwctl('simulate', '--snapshot', snapshotFile, '--log', log, '--week-start', weekStart, '--seed-quota', '--json')
    assert.equal(unquoted.code, 0, unquoted.stderr)
    const warned = jsonResult('simulate', unquoted.stdout)
    assert.deepEqual(warned.warnings, [
      `Usage plan silver (${silver.id}) has no quota in the account, so AWS counts nothing to seed: its counters start at zero`,
    ])
    assert.match(unquoted.stderr, /Warning: Usage plan silver .* has no quota in the account/)
    assert.deepEqual(keyOutcome(warned, keys.alice), [3, 7])

    snapshot.usagePlans.pop()
    delete snapshot.usagePlans[0].quota
    writeFileSync(snapshotFile, JSON.stringify(snapshot))
    const noQuota = await gwctl('simulate', '--snapshot', snapshotFile, '--log', log, '--seed-quota')
    assert.equal(noQuota.code, 2, noQuota.stderr)
    assert.match(noQuota.stderr, /--seed-quota: no usage plan of the snapshot has a quota/)
  })
})
