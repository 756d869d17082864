import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  GetApiKeysCommand,
  GetUsageCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  UpdateUsageCommand,
} from '@aws-sdk/client-api-gateway'
import {type AwsClientStub, mockClient} from 'aws-sdk-client-mock'
import assert from 'node:assert/strict'

import {ROOT} from '../helpers/cli.js'
import {jsonResult} from '../helpers/json-contract.js'
import {runCommand} from '../helpers/run-command.js'
import {usageToday} from '../helpers/usage-fake.js'

const today = () => new Date().toISOString().slice(0, 10)
const run = (args: string[]) => runCommand(args, {root: ROOT})
const LAG = /Warning: AWS's usage counters can lag by tens of minutes/

describe('usage commands (in-process, mocked AWS)', () => {
  let aws: AwsClientStub<APIGatewayClient>
  before(() => {
    aws = mockClient(APIGatewayClient)
  })
  const gold = {id: 'p1', name: 'gold', quota: {limit: 1000, offset: 0, period: 'MONTH' as const}}
  const silver = {id: 'p2', name: 'silver', quota: {limit: 50, offset: 0, period: 'DAY' as const}}
  const free = {id: 'p3', name: 'free'}
  const created = new Date('2026-01-01T00:00:00Z')
  const keys = [
    {id: 'k1', name: 'alice', value: 'AliceValue0123456789xy', createdDate: created},
    {id: 'k2', name: 'bob', value: 'BobValue0123456789abcd', createdDate: created},
    {id: 'k3', name: 'carol', value: 'CarolValue0123456789ab', createdDate: created},
  ]
  const member = (k: (typeof keys)[number]) => ({id: k.id, name: k.name, type: 'API_KEY', value: k.value})

  beforeEach(() => {
    aws.reset()
    process.exitCode = undefined
    aws.on(GetUsagePlansCommand).resolves({items: [gold, silver, free]})
    aws.on(GetUsagePlansCommand, {keyId: 'k3'}).resolves({items: [silver, free]})
    aws.on(GetApiKeysCommand).resolves({items: keys})
    aws.on(GetUsagePlanKeysCommand, {usagePlanId: 'p1'}).resolves({items: [member(keys[0]), member(keys[1])]})
    aws.on(GetUsagePlanKeysCommand, {usagePlanId: 'p2'}).resolves({items: [member(keys[2])]})
    aws.on(GetUsagePlanKeysCommand, {usagePlanId: 'p3'}).resolves({items: [member(keys[2])]})
    aws.on(GetUsageCommand, {usagePlanId: 'p1'}).callsFake(usageToday({k1: {used: 900, remaining: 100}, k2: {used: 0, remaining: 1000}}))
    aws.on(GetUsageCommand, {usagePlanId: 'p2'}).callsFake(usageToday({k3: {used: 20, remaining: 30}}))
    aws.on(GetUsageCommand, {usagePlanId: 'p3'}).callsFake(usageToday({k3: {used: 7, remaining: 0}}))
  })
  afterEach(() => {
    process.exitCode = undefined
  })
  after(() => aws.restore())

  /** Runs a command that must fail with `exit`, naming `message` on stderr, having sent no UpdateUsage. */
  async function refuses(args: string[], exit: number, message: RegExp) {
    const result = await run(args)
    assert.equal(result.error?.oclif?.exit, exit, `exit code of ${args.join(' ')}: ${result.error?.message}`)
    assert.match(result.stderr || result.error.message, message)
    assert.equal(aws.commandCalls(UpdateUsageCommand).length, 0)
    return result
  }

  describe('usage PLAN', () => {
    it("shows each key's used, remaining, allowance, share, daily average and forecast, closest to running out first", async () => {
      const {stdout, stderr} = await run(['usage', 'gold'])
      assert.match(
        stdout,
        new RegExp(
          String.raw`Usage plan gold \(p1\): quota 1000/MONTH; ${today().slice(0, 8)}01 to ${today()} \(UTC\), so far|Usage plan gold \(p1\): quota 1000/MONTH; ${today()} \(UTC\), so far`,
        ),
      )
      assert.match(stdout, /Key\s+ID\s+Used\s+Remaining\s+Allowance\s+Share\s+Daily avg\s+Runs out/)
      // alice's 900 were all today: at that rate 100 more last less than the period, whatever the hour
      const lines = stdout.split('\n')
      assert.match(lines[2], /^alice\s+k1\s+900\s+100\s+1,000\s+90\.0%\s+[\d,.]+\s+(\d{4}-\d{2}-\d{2} \d{2}:\d{2}Z|not this period)$/)
      assert.match(lines[3], /^bob\s+k2\s+0\s+1,000\s+1,000\s+0\.0%\s+0\s+not this period$/)
      assert.match(stdout, /AWS keyed these numbers by API key id\./)
      assert.equal(stderr.match(new RegExp(LAG, 'g'))?.length, 1, 'the lag warning, once')
    })

    it("gives AWS's numbers and gwctl's figures under --json, nothing undefined", async () => {
      const {stdout} = await run(['usage', 'gold', '--json'])
      const body = JSON.parse(stdout)
      assert.deepEqual(Object.keys(body), [
        'usage',
        'usagePlan',
        'period',
        'weekStart',
        'from',
        'to',
        'current',
        'quotaPeriod',
        'keyedBy',
        'keys',
        'unmatched',
        'warnings',
      ])
      assert.deepEqual([body.usage.usagePlanId, body.usage.endDate, body.usage.items.k1.at(-1)], ['p1', today(), [900, 100]])
      assert.deepEqual([body.period, body.weekStart, body.to, body.current, body.keyedBy], ['MONTH', 'sunday', today(), true, 'id'])
      const alice = body.keys[0]
      assert.deepEqual(
        [alice.id, alice.name, alice.reported, alice.used, alice.periodUsed, alice.remaining, alice.allowance, alice.shareUsed, alice.ranOutOn],
        ['k1', 'alice', true, 900, 900, 100, 1000, 0.9, null],
      )
      assert.ok(['runs-out', 'not-this-period'].includes(alice.outlook))
      assert.equal(alice.outlook === 'runs-out', typeof alice.runsOutAt === 'string')
      assert.match(body.warnings[0], /lag by tens of minutes/)
      assert.ok(!stdout.includes('undefined'))
    })

    it('prints CSV for spreadsheets, one line per key, or per key and day with --daily', async () => {
      const {stdout} = await run(['usage', 'gold', '--csv'])
      const lines = stdout.trim().split('\n')
      assert.equal(
        lines[0],
        'usagePlanId,usagePlanName,keyId,keyName,from,to,used,periodUsed,remaining,allowance,shareUsed,dailyAverage,recentDailyRate,outlook,runsOutAt,ranOutOn',
      )
      assert.match(lines[1], new RegExp(String.raw`^p1,gold,k1,alice,\d{4}-\d{2}-01,${today()},900,900,100,1000,0\.9,`))
      assert.equal(lines.length, 3)

      const daily = (await run(['usage', 'gold', '--csv', '--daily', '--from', '2026-01-01', '--to', '2026-01-03'])).stdout.trim().split('\n')
      assert.deepEqual(daily, [
        'usagePlanId,usagePlanName,keyId,keyName,date,used,remaining',
        'p1,gold,k1,alice,2026-01-01,0,1000',
        'p1,gold,k1,alice,2026-01-02,0,1000',
        'p1,gold,k1,alice,2026-01-03,0,1000',
        'p1,gold,k2,bob,2026-01-01,0,1000',
        'p1,gold,k2,bob,2026-01-02,0,1000',
        'p1,gold,k2,bob,2026-01-03,0,1000',
      ])
    })

    it('shows one column a day with --daily, and no sparkline without a terminal', async () => {
      const {stdout} = await run(['usage', 'gold', '--daily', '--from', '2026-01-30', '--to', '2026-02-02'])
      assert.match(stdout, /Key\s+ID\s+01-30\s+01-31\s+02-01\s+02-02\s+Total$/m)
      assert.match(stdout, /alice\s+k1\s+0\s+0\s+0\s+0\s+0$/m)
      assert.doesNotMatch(stdout, /[▁▂▃▄▅▆▇█]/)
    })

    it('asks GetUsage only for the key given with --key', async () => {
      const {stdout} = await run(['usage', 'gold', '--key', 'bob', '--json'])
      assert.deepEqual(
        JSON.parse(stdout).keys.map((k: {id: string}) => k.id),
        ['k2'],
      )
      assert.ok(aws.commandCalls(GetUsageCommand).every((c) => c.args[0].input.keyId === 'k2'))
    })

    it('refuses bad input: unknown plan or key, a key of other plans, bad or future or reversed dates, --csv with --json', async () => {
      await refuses(['usage', 'platinum'], 3, /No usage plan with id or name "platinum"/)
      await refuses(['usage', 'gold', '--key', 'mallory'], 3, /No API key with id or name "mallory"/)
      await refuses(['usage', 'gold', '--key', 'carol'], 3, /API key carol \(k3\) is not in usage plan gold \(p1\): it is in silver \(p2\), free \(p3\)/)
      await refuses(['usage', 'gold', '--from', '2026-02-30'], 2, /--from must be a date \(2026-11-28, read as UTC\)/)
      await refuses(['usage', 'gold', '--to', '2999-01-01'], 2, /--to 2999-01-01 is in the future/)
      await refuses(['usage', 'gold', '--from', '2026-03-02', '--to', '2026-03-01'], 2, /--from 2026-03-02 is after --to 2026-03-01/)
      const both = JSON.parse((await run(['usage', 'gold', '--csv', '--json'])).stdout)
      assert.deepEqual([both.error.code, both.error.exitCode, process.exitCode], ['BAD_INPUT', 2, 2])
      assert.match(both.error.message, /--csv and --json both ask for the output format/)
      await refuses(
        ['usage', 'gold', '--period', 'previous', '--from', '2026-03-01'],
        2,
        /--period=previous cannot also be provided when using --from|cannot also be provided/,
      )
      assert.equal(aws.commandCalls(GetUsageCommand).length, 0, 'nothing read for bad input')
    })

    it('reports a plan without a quota by use alone', async () => {
      const {stdout} = await run(['usage', 'free'])
      assert.match(stdout, /Usage plan free \(p3\): no quota;/)
      assert.match(stdout, /Key\s+ID\s+Used\s+Daily avg$/m)
      assert.match(stdout, /carol\s+k3\s+7\s+/)
    })
  })

  describe('usage check', () => {
    it('exits 9 when a key is at or over the threshold, a logfmt line per key on stdout without a terminal', async () => {
      const {stdout, stderr, error} = await run(['usage', 'check', '--threshold', '80%'])
      assert.equal(error?.oclif?.exit, 9)
      const lines = stdout.trim().split('\n')
      assert.deepEqual(
        lines.map((l) => l.replace(/ outlook=.*$/, '')),
        ['plan=gold planId=p1 key=alice keyId=k1 share=90.0% used=900 allowance=1000 remaining=100'],
      )
      assert.match(stderr, /1 of 3 keys in 2 usage plans is at or over 80% of their allowance this period/)
      assert.equal(stderr.match(new RegExp(LAG, 'g'))?.length, 1, 'the lag warning once, not once per plan')
    })

    it('exits 0, printing nothing on stdout, when no key reaches the threshold', async () => {
      const {stdout, stderr, error} = await run(['usage', 'check', '--threshold', '95%'])
      assert.equal(error, undefined)
      assert.equal(stdout, '')
      assert.match(stderr, /0 of 3 keys in 2 usage plans are at or over 95%/)
    })

    it('prints the result and still exits 9 under --json', async () => {
      const {stdout} = await run(['usage', 'check', '--plan', 'silver', '--plan', 'gold', '--threshold', '40', '--json'])
      const body = JSON.parse(stdout)
      assert.equal(process.exitCode, 9)
      assert.deepEqual(
        body.items.map((i: {usagePlan: {name: string}; name: string; shareUsed: number}) => [i.usagePlan.name, i.name, i.shareUsed]),
        [
          ['silver', 'carol', 0.4],
          ['gold', 'alice', 0.9],
        ],
      )
      assert.deepEqual([body.threshold, body.over, body.keysChecked], [0.4, true, 3])
    })

    it('refuses a threshold outside 1% to 100% (exit 2) before reading anything', async () => {
      for (const bad of ['0.8', '0%', '101%', 'most'])
        await refuses(['usage', 'check', '--threshold', bad], 2, /--threshold must be a percentage from 1% to 100%/)
      await refuses(['usage', 'check', '--plan', 'platinum', '--threshold', '80%'], 3, /No usage plan with id or name "platinum"/)
      assert.equal(aws.commandCalls(GetUsageCommand).length, 0)
    })
  })

  describe('usage grant', () => {
    beforeEach(() => aws.on(UpdateUsageCommand).resolves({}))

    it('adds requests with UpdateUsage and prints the standing before and after', async () => {
      aws
        .on(GetUsageCommand, {usagePlanId: 'p1'})
        .callsFakeOnce(usageToday({k1: {used: 900, remaining: 100}}))
        .callsFake(usageToday({k1: {used: 900, remaining: 600}}))
      const {stdout} = await run(['usage', 'grant', 'alice', '--plan', 'gold', '--requests', '500'])
      assert.deepEqual(aws.commandCalls(UpdateUsageCommand)[0].args[0].input, {
        usagePlanId: 'p1',
        keyId: 'k1',
        patchOperations: [{op: 'replace', path: '/remaining', value: '600'}],
      })
      assert.match(stdout, /API key alice \(k1\) in usage plan gold \(p1\), quota period MONTH:/)
      assert.match(stdout, /before\s+900\s+100\s+1,000\s+90\.0%/)
      assert.match(stdout, /after\s+900\s+600\s+1,500\s+60\.0%/)
    })

    it('prints what it would send with --dry-run, and sends nothing', async () => {
      const {stdout} = await run(['usage', 'grant', 'alice', '--plan', 'gold', '--remaining', '0', '--dry-run', '--json'])
      const body = JSON.parse(stdout)
      assert.deepEqual([body.changed, body.dryRun, body.after, body.planned.remaining, body.planned.shareUsed], [false, true, null, 0, 1])
      assert.deepEqual(body.operations, [{op: 'replace', path: '/remaining', value: '0'}])
      assert.equal(aws.commandCalls(UpdateUsageCommand).length, 0)
    })

    it('refuses bad input before sending anything', async () => {
      await refuses(['usage', 'grant', 'alice', '--plan', 'gold'], 2, /Exactly one of the following must be provided: --remaining, --requests|exactly one/i)
      await refuses(['usage', 'grant', 'alice', '--plan', 'gold', '--requests', '1', '--remaining', '5'], 2, /--remaining|--requests/)
      await refuses(['usage', 'grant', 'alice', '--plan', 'gold', '--requests', '0'], 2, /--requests must be a whole number of requests, 1 or more; got "0"/)
      await refuses(
        ['usage', 'grant', 'alice', '--plan', 'gold', '--remaining', 'lots'],
        2,
        /--remaining must be a whole number of requests, 0 or more; got "lots"/,
      )
      await refuses(['usage', 'grant', 'alice', '--plan', 'free', '--requests', '5'], 2, /Usage plan free \(p3\) has no quota/)
      await refuses(['usage', 'grant', 'carol', '--plan', 'gold', '--requests', '5'], 3, /not in usage plan gold \(p1\): it is in silver \(p2\), free \(p3\)/)
    })
  })

  describe('keys rotate --carry-usage', () => {
    it('starts the new key with what the old one has left, and says so', async () => {
      const {GetApiKeyCommand} = await import('@aws-sdk/client-api-gateway')
      aws.on(GetApiKeyCommand, {apiKey: 'k1'}).resolves(keys[0])
      aws.on(GetUsagePlansCommand, {keyId: 'k1'}).resolves({items: [gold]})
      aws.on(CreateApiKeyCommand).callsFake((input) => ({id: 'k9', ...input}))
      aws.on(CreateUsagePlanKeyCommand).resolves({})
      aws.on(UpdateUsageCommand).resolves({})
      const {stdout, stderr} = await run(['keys', 'rotate', 'alice', '--carry-usage'])
      assert.deepEqual(aws.commandCalls(UpdateUsageCommand)[0].args[0].input, {
        usagePlanId: 'p1',
        keyId: 'k9',
        patchOperations: [{op: 'replace', path: '/remaining', value: '100'}],
      })
      assert.match(stdout, /In usage plan gold \(p1\) the new key starts with the old key's 100 remaining requests this period/)
      assert.match(stderr, /While the old key stays enabled it keeps its own remaining quota too/)
      const body = JSON.parse((await run(['keys', 'rotate', 'alice', '--carry-usage', '--disable-old', '--json'])).stdout)
      assert.deepEqual(body.carriedUsage, [{usagePlan: {id: 'p1', name: 'gold'}, remaining: 100}])
    })
  })

  describe('keys rotate --carry-usage --dry-run', () => {
    it('reads what the old key has left and lists the UpdateUsage it would send, sending nothing', async () => {
      const {GetApiKeyCommand} = await import('@aws-sdk/client-api-gateway')
      aws.on(GetApiKeyCommand, {apiKey: 'k1'}).resolves(keys[0])
      aws.on(GetUsagePlansCommand, {keyId: 'k1'}).resolves({items: [gold]})
      const {stdout} = await run(['keys', 'rotate', 'alice', '--carry-usage', '--disable-old', '--dry-run', '--json'])
      const body = jsonResult('keys:rotate', stdout)
      assert.deepEqual([body.changed, body.dryRun], [false, true])
      assert.deepEqual(body.carriedUsage, [{usagePlan: {id: 'p1', name: 'gold'}, remaining: 100}])
      assert.deepEqual(body.calls.find((c: {operation: string}) => c.operation === 'UpdateUsage').input, {
        usagePlanId: 'p1',
        keyId: '<id of the new key>',
        patchOperations: [{op: 'replace', path: '/remaining', value: '100'}],
      })
      assert.deepEqual(
        [aws.commandCalls(CreateApiKeyCommand).length, aws.commandCalls(CreateUsagePlanKeyCommand).length, aws.commandCalls(UpdateUsageCommand).length],
        [0, 0, 0],
      )
    })
  })

  describe('usage in keys show and plans show', () => {
    it('keys show gives a line per plan for the current period', async () => {
      const {GetApiKeyCommand} = await import('@aws-sdk/client-api-gateway')
      aws.on(GetApiKeyCommand).resolves(keys[2])
      const {stdout} = await run(['keys', 'show', 'carol'])
      assert.match(stdout, /Usage in silver\s+20 of 50 used today \(40\.0%\), 30 left; (runs out \d{4}-\d{2}-\d{2} \d{2}:\d{2}Z|not this period)/)
      assert.match(stdout, /Usage in free\s+7 requests this month \(no quota\)/)
      const body = JSON.parse((await run(['keys', 'show', 'carol', '--json'])).stdout)
      assert.deepEqual(
        body.currentUsage.map((u: {usagePlan: {name: string}; period: string; periodUsed: number; remaining: number}) => [
          u.usagePlan.name,
          u.period,
          u.periodUsed,
          u.remaining,
        ]),
        [
          ['silver', 'DAY', 20, 30],
          ['free', null, null, null],
        ],
      )
    })

    it('plans show adds used, remaining, allowance, share and run-out to each key', async () => {
      const {stdout} = await run(['plans', 'show', 'gold'])
      assert.match(stdout, /API keys \(2\), use this month so far/)
      assert.match(stdout, /ID\s+Name\s+Value\s+Used\s+Remaining\s+Allowance\s+Share\s+Runs out/)
      assert.match(stdout, /k1\s+alice\s+Alic\*{6}xy\s+900\s+100\s+1,000\s+90\.0%/)
      const body = JSON.parse((await run(['plans', 'show', 'gold', '--json'])).stdout)
      assert.deepEqual([body.apiKeys[1].id, body.apiKeys[1].currentUsage.periodUsed, body.apiKeys[1].currentUsage.allowance], ['k2', 0, 1000])
    })
  })
})
