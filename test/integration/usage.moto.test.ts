import {CreateApiKeyCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand, GetUsageCommand} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import {runCli} from '../helpers/cli.js'
import {sdkFor, seedUsage, setMotoClock} from '../helpers/moto-api.js'
import {MOTO_ENV, useMoto} from '../helpers/moto.js'
import {hasScript, onTerminal} from '../helpers/terminal.js'

const DAY = 86_400_000
const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10)
const today = () => dayOf(Date.now())
/** What alice (seeded below) used this month: today's 500 and the 1,000 of each of the 6 days before that fall in this month. */
const aliceThisMonth = () => 500 + [1, 2, 3, 4, 5, 6].filter((back) => dayOf(Date.now() - back * DAY).slice(0, 7) === today().slice(0, 7)).length * 1000

// The CLI keeps its own clock (the real one), so the usage seeded here is placed relative to
// today. The keys are created at an emulator clock set ten days back, so that the week of use
// before today is use they could have made (gwctl measures a key's rate from its creation).
describe('usage against the extended moto (built CLI as a subprocess)', function () {
  this.timeout(120_000)
  const moto = useMoto()
  const sdk = () => sdkFor(moto.current.url)
  const gwctl = (...args: string[]) => runCli([...args, '--endpoint-url', moto.current.url], {env: MOTO_ENV})
  async function ok(...args: string[]) {
    const result = await gwctl(...args)
    assert.equal(result.code, 0, `gwctl ${args.join(' ')}\n${result.stderr}`)
    return result
  }

  const json = async (...args: string[]) => JSON.parse((await ok(...args, '--json')).stdout)

  let planId: string
  let ids: Record<'alice' | 'bob' | 'carol', string>

  /** gold: 1,000,000 requests a month. alice used 1,000 on each of the 6 days before today and 500 today; bob 10 today; carol nothing. */
  beforeEach(async () => {
    await setMotoClock(moto.current.url, new Date(Date.now() - 10 * DAY))
    planId = (await sdk().send(new CreateUsagePlanCommand({name: 'gold', quota: {limit: 1_000_000, offset: 0, period: 'MONTH'}}))).id!
    ids = {} as typeof ids
    for (const name of ['alice', 'bob', 'carol'] as const) {
      ids[name] = (await sdk().send(new CreateApiKeyCommand({name, enabled: true}))).id!
      await sdk().send(new CreateUsagePlanKeyCommand({usagePlanId: planId, keyId: ids[name], keyType: 'API_KEY'}))
    }

    await setMotoClock(moto.current.url, null)
    const days: Record<string, number> = {[today()]: 500}
    for (let back = 1; back <= 6; back++) days[dayOf(Date.now() - back * DAY)] = 1000
    await seedUsage(moto.current.url, {usagePlanId: planId, keyId: ids.alice, days})
    await seedUsage(moto.current.url, {usagePlanId: planId, keyId: ids.bob, days: {[today()]: 10}})
  })

  it("`usage gold` shows each key's used and remaining with a forecast", async () => {
    const {stdout, stderr} = await ok('usage', 'gold')
    const used = aliceThisMonth()
    const row = (name: string) => stdout.split('\n').find((line) => line.startsWith(`${name} `))
    assert.match(
      row('alice')!,
      new RegExp(
        String.raw`^alice\s+${ids.alice}\s+${used.toLocaleString('en-US')}\s+${(1_000_000 - used).toLocaleString('en-US')}\s+1,000,000\s+\d+\.\d%\s+[\d,.]+\s+not this period$`,
      ),
    )
    assert.match(row('bob')!, new RegExp(String.raw`^bob\s+${ids.bob}\s+10\s+999,990\s+1,000,000\s+0\.0%\s+[\d.]+\s+not this period$`))
    assert.match(row('carol')!, /^carol\s+\S+\s+0\s+1,000,000\s+1,000,000\s+0\.0%\s+0\s+not this period$/)
    assert.match(stdout, /AWS keyed these numbers by API key id\./)
    assert.match(stderr, /AWS's usage counters can lag by tens of minutes/)

    // Ten requests left: at alice's rate (6,500 over the last 6 days and today so far) they last minutes.
    await ok('usage', 'grant', 'alice', '--plan', 'gold', '--remaining', '10')
    const body = await json('usage', 'gold', '--key', 'alice')
    const alice = body.keys[0]
    assert.deepEqual([alice.id, alice.periodUsed, alice.remaining, alice.allowance], [ids.alice, used, 10, used + 10])
    const rate = 6500 / ((Date.now() - Date.parse(`${dayOf(Date.now() - 6 * DAY)}T00:00:00Z`)) / DAY)
    assert.ok(Math.abs(alice.recentDailyRate - rate) / rate < 0.01, `recent rate ${alice.recentDailyRate}, about ${rate} expected`)
    const monthEnds = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1)
    const runsOut = Date.now() + (10 / rate) * DAY
    if (runsOut < monthEnds - 60_000) {
      assert.equal(alice.outlook, 'runs-out')
      assert.ok(Math.abs(Date.parse(alice.runsOutAt) - runsOut) < 120_000, `runs out at ${alice.runsOutAt}, about ${new Date(runsOut).toISOString()} expected`)
    }

    assert.deepEqual(body.usage.items[ids.alice].at(-1), [500, 10], "AWS's own numbers for today")
  })

  it('`usage grant` changes what GetUsage then reports; --dry-run changes nothing', async () => {
    const remainingToday = async () =>
      (await sdk().send(new GetUsageCommand({usagePlanId: planId, keyId: ids.bob, startDate: today(), endDate: today()}))).items![ids.bob][0]
    assert.deepEqual(await remainingToday(), [10, 999_990])

    const dry = await ok('usage', 'grant', 'bob', '--plan', 'gold', '--requests', '5000', '--dry-run')
    assert.match(dry.stdout, /would be\s+10\s+1,004,990\s+1,005,000/)
    assert.deepEqual(await remainingToday(), [10, 999_990])

    const granted = await ok('usage', 'grant', 'bob', '--plan', 'gold', '--requests', '5000')
    assert.match(granted.stdout, /before\s+10\s+999,990\s+1,000,000\s+0\.0%/)
    assert.match(granted.stdout, /after\s+10\s+1,004,990\s+1,005,000\s+0\.0%/)
    assert.deepEqual(await remainingToday(), [10, 1_004_990])

    const set = await json('usage', 'grant', ids.bob, '--plan', planId, '--remaining', '90')
    assert.deepEqual([set.changed, set.dryRun, set.before.remaining, set.after.remaining, set.after.allowance], [true, false, 1_004_990, 90, 100])
    assert.deepEqual(await remainingToday(), [10, 90])

    // refused: a key outside the plan, and a plan without a quota
    const other = (await sdk().send(new CreateUsagePlanCommand({name: 'free'}))).id!
    const dave = (await sdk().send(new CreateApiKeyCommand({name: 'dave', enabled: true}))).id!
    await sdk().send(new CreateUsagePlanKeyCommand({usagePlanId: other, keyId: dave, keyType: 'API_KEY'}))
    const outside = await gwctl('usage', 'grant', 'dave', '--plan', 'gold', '--requests', '1')
    assert.equal(outside.code, 3, outside.stderr)
    assert.match(outside.stderr, new RegExp(String.raw`API key dave \(${dave}\) is not in usage plan gold \(${planId}\): it is in free \(${other}\)`))
    const noQuota = await gwctl('usage', 'grant', 'dave', '--plan', 'free', '--requests', '1')
    assert.equal(noQuota.code, 2, noQuota.stderr)
    assert.match(noQuota.stderr, /has no quota/)
  })

  it('`usage check --threshold 80%` exits 9 only when a key is over', async () => {
    const clear = await gwctl('usage', 'check', '--threshold', '80%')
    assert.equal(clear.code, 0, clear.stderr)
    assert.equal(clear.stdout, '')
    assert.match(clear.stderr, /0 of 3 keys in 1 usage plan are at or over 80%/)

    await ok('usage', 'grant', 'alice', '--plan', 'gold', '--remaining', '10')
    const over = await gwctl('usage', 'check', '--threshold', '80%')
    assert.equal(over.code, 9, over.stderr)
    assert.equal(over.stdout.trim().split('\n').length, 1)
    assert.match(
      over.stdout,
      new RegExp(
        String.raw`^plan=gold planId=${planId} key=alice keyId=${ids.alice} share=\d+\.\d% used=${aliceThisMonth()} allowance=${aliceThisMonth() + 10} remaining=10 `,
      ),
    )
    assert.match(over.stderr, /Error: 1 of 3 keys in 1 usage plan is at or over 80% of their allowance this period/)

    const asJson = await gwctl('usage', 'check', '--plan', 'gold', '--threshold', '80%', '--json')
    assert.equal(asJson.code, 9)
    assert.deepEqual(
      JSON.parse(asJson.stdout).items.map((i: {id: string}) => i.id),
      [ids.alice],
    )

    const bad = await gwctl('usage', 'check', '--threshold', '120%')
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /--threshold must be a percentage from 1% to 100%, e.g. 80%; got "120%"/)
  })

  it('keys show and plans show give the usage of the current period', async () => {
    const shown = await ok('keys', 'show', 'bob')
    assert.match(shown.stdout, /Usage in gold\s+10 of 1,000,000 used this month \(0\.0%\), 999,990 left; not this period/)
    const plan = await ok('plans', 'show', 'gold')
    assert.match(plan.stdout, new RegExp(String.raw`${ids.bob}\s+bob\s+\S+\s+10\s+999,990\s+1,000,000\s+0\.0%\s+not this period`))
  })

  it('keys rotate --carry-usage starts the new key with what the old one has left', async () => {
    await ok('usage', 'grant', 'alice', '--plan', 'gold', '--remaining', '1234')
    const rotated = await json('keys', 'rotate', ids.alice, '--carry-usage', '--disable-old')
    assert.deepEqual(rotated.carriedUsage, [{usagePlan: {id: planId, name: 'gold'}, remaining: 1234}])
    const fresh = rotated.apiKey.id
    const todayOf = async (keyId: string) =>
      (await sdk().send(new GetUsageCommand({usagePlanId: planId, keyId, startDate: today(), endDate: today()}))).items![keyId][0]
    assert.deepEqual(await todayOf(fresh), [0, 1234])

    // without --carry-usage a new key starts with the full allowance
    const plain = await json('keys', 'rotate', ids.bob)
    assert.deepEqual(await todayOf(plain.apiKey.id), [0, 1_000_000])
  })

  it('on a terminal, --daily draws a sparkline per key and check prints a table', async function () {
    if (!hasScript()) {
      console.warn('  [skipped] util-linux `script` is missing: the terminal tests need it to open a pseudo-terminal')
      this.skip()
    }

    const from = dayOf(Date.now() - 6 * DAY)
    const daily = onTerminal(['usage', 'gold', '--daily', '--from', from, '--endpoint-url', moto.current.url], {...MOTO_ENV, NO_COLOR: '1'})
    await daily.expect(/Trend/)
    assert.equal(await daily.exit(), 0)
    assert.match(daily.screen(), new RegExp(String.raw`alice\s+${ids.alice}\s+1,000\s+1,000\s+1,000\s+1,000\s+1,000\s+1,000\s+500\s+6,500\s+██████▄`))
    assert.match(daily.screen(), /bob\s+\S+\s+0\s+0\s+0\s+0\s+0\s+0\s+10\s+10\s+▁▁▁▁▁▁█/)

    await ok('usage', 'grant', 'alice', '--plan', 'gold', '--remaining', '0')
    const check = onTerminal(['usage', 'check', '--threshold', '80%', '--endpoint-url', moto.current.url], {...MOTO_ENV, NO_COLOR: '1'})
    await check.expect(/Plan\s+Key\s+ID\s+Used\s+Remaining\s+Allowance\s+Share\s+Runs out/)
    assert.equal(await check.exit(), 9)
    assert.match(check.screen(), new RegExp(String.raw`gold \(${planId}\)\s+alice\s+${ids.alice}\s+[\d,]+\s+0\s+[\d,]+\s+100\.0%\s+ran out ${today()}`))
  })
})
