import assert from 'node:assert/strict'
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'

import {BIN, ROOT} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'

/**
 * Issue 9: logs the way API Gateway users really have them. Each block is one numbered
 * item of the issue; every case here failed (wrong numbers, exit 0, or a raw V8 error)
 * before the simulator was changed.
 */

const T0 = Date.parse('2026-03-04T12:00:00Z') // a Wednesday
const API = 'api0000001'

interface Options {
  rate?: number
  burst?: number
  quota?: {limit: number; offset?: number; period: 'DAY' | 'MONTH' | 'WEEK'}
  methodSettings?: Record<string, {throttlingRateLimit?: number; throttlingBurstLimit?: number}>
}

function snapshotJson(o: Options = {}) {
  return {
    version: 1,
    apis: [
      {
        id: API,
        name: 'shop',
        apiKeySource: 'HEADER',
        methods: [
          {path: '/items', httpMethod: 'GET', apiKeyRequired: true},
          {path: '/items', httpMethod: 'POST', apiKeyRequired: true},
          {path: '/open', httpMethod: 'GET', apiKeyRequired: false},
        ],
        stages: [{stageName: 'prod', ...(o.methodSettings ? {methodSettings: o.methodSettings} : {})}],
      },
    ],
    usagePlans: [
      {
        id: 'p1',
        name: 'basic',
        throttle: {rateLimit: o.rate ?? 10, burstLimit: o.burst ?? 20},
        ...(o.quota ? {quota: o.quota} : {}),
        apiStages: [{apiId: API, stage: 'prod'}],
      },
    ],
    apiKeys: [
      {id: 'k1', name: 'alice', enabled: true, usagePlanIds: ['p1']},
      {id: 'k2', name: 'bob', enabled: true, usagePlanIds: ['p1']},
    ],
  }
}

const dir = () => mkdtempSync(join(tmpdir(), 'gwctl-real-'))

function write(name: string, content: Buffer | string): string {
  const file = join(dir(), name)
  writeFileSync(file, content)
  return file
}

const snapshotFile = (o: Options = {}) => write('snapshot.json', JSON.stringify(snapshotJson(o)))

/** One line in gwctl's recommended JSON layout. */
const line = (t: number, keyId: string | undefined, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    requestId: `r-${t}`,
    requestTimeEpoch: String(t),
    apiId: API,
    stage: 'prod',
    resourcePath: '/items',
    httpMethod: 'GET',
    status: '200',
    apiKeyId: keyId ?? '-',
    ...extra,
  })

const lines = (items: string[]) => items.join('\n') + '\n'

async function simulate(args: string[], o: Options = {}) {
  const result = await runCommand(['simulate', '--snapshot', snapshotFile(o), ...args], {root: ROOT})
  const exit = result.error ? (result.error as {oclif?: {exit?: number}}).oclif?.exit : 0
  return {...result, exit}
}

async function report(args: string[], o: Options = {}) {
  const result = await simulate([...args, '--json'], o)
  assert.equal(result.error, undefined, result.stderr + String(result.error))
  return JSON.parse(result.stdout)
}

/** The built CLI with bytes on stdin (runCommand cannot feed stdin). */
function cli(args: string[], input: Buffer | string) {
  const result = spawnSync(process.execPath, [BIN, ...args], {input, cwd: ROOT, env: {...process.env, NO_COLOR: '1'}, timeout: 60_000})
  return {code: result.status, stdout: result.stdout.toString(), stderr: result.stderr.toString()}
}

/** A steady customer: one request a second for `seconds` seconds, starting at `from`. */
const steady = (from: number, seconds: number, keyId = 'k1', step = 1000) => Array.from({length: seconds}, (_, i) => line(from + i * step, keyId))

const awsSampleLine = (t: number) =>
  JSON.stringify({
    requestId: 'r',
    ip: '198.51.100.7',
    caller: '-',
    user: '-',
    requestTime: '04/Mar/2026:12:00:00 +0000',
    httpMethod: 'GET',
    resourcePath: '/items',
    status: '200',
    protocol: 'HTTP/1.1',
    responseLength: '42',
    requestTimeEpoch: t,
    apiId: API,
    stage: 'prod',
  })

const refuses = async (args: string[], message: RegExp) => {
  const result = await simulate(args)
  assert.equal(result.exit, 2, result.stdout)
  // In-process, oclif itself refuses an empty flag value before the command runs, without printing it.
  assert.match(result.stderr || String(result.error), message)
}

const exportPage = (from: number) =>
  JSON.stringify({events: [0, 1].map((i) => ({timestamp: from + i, message: line(from + i, 'k1')})), searchedLogStreams: []}, null, 2)

const clfLine = (t: number, keyId: string) => `198.51.100.7 - - [04/Mar/2026:12:00:00 +0000]"GET /items HTTP/1.1" 200 42 r-1 e-1 ${keyId} ${t}`

const twoCustomers = () => {
  const items: string[] = []
  for (let s = 0; s < 120; s++) {
    for (let i = 0; i < 5; i++) items.push(line(T0 + s * 1000 + i * 10, 'k1'))
    items.push(line(T0 + s * 1000 + 500, 'k2'))
  }

  return write('traffic.jsonl', lines(items))
}

const stdinLine = (i: number) =>
  JSON.stringify({requestTimeEpoch: T0 + (i % 1000), apiId: 'api0000001', stage: 'prod', resourcePath: '/items', httpMethod: 'GET', apiKeyId: 'k1'}) + '\n'

describe('simulate on real logs (issue 9)', () => {
  beforeEach(() => {
    process.exitCode = undefined
  })

  describe('1. logs far out of order', () => {
    it('sorts concatenated per-stream logs instead of piling late lines onto one instant', async () => {
      // Two log streams of the same customer, 2 requests a second together, concatenated
      // the way `zcat export/*/*.gz` does: the second stream starts 10 minutes in the past.
      const file = write('concatenated.jsonl', lines([...steady(T0, 600), ...steady(T0 + 500, 600)]))
      const r = await report(['--log', file], {rate: 10, burst: 20})
      assert.deepEqual([r.requests, r.allowed, r.throttled, r.late], [1200, 1200, 0, 0])
      assert.match(r.sorted.reason, /line 601 is [\d.]+ s older than lines already replayed/)
      const human = await simulate(['--log', file], {rate: 10, burst: 20})
      assert.match(human.stderr, /concatenated\.jsonl line 601 .*sorting all input by time/)
      assert.match(human.stdout, /allowed 1,200 \(100\.0%\)/)
    })

    it('keeps the input order of requests with equal times, through the sort', async () => {
      const out = join(dir(), 'decisions.jsonl')
      const file = write(
        'ties.jsonl',
        lines([
          line(T0 + 60_000, 'k1'),
          line(T0, 'k1', {requestId: 'a'}),
          line(T0, 'k2', {requestId: 'b'}),
          line(T0, 'k1', {requestId: 'c'}),
          line(T0 + 30_000, 'k2', {requestId: 'd'}),
        ]),
      )
      await report(['--log', file, '--decisions', out, '--reorder-window', '0', '--sort', 'auto'])
      const order = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).line)
      assert.deepEqual(order, [2, 3, 4, 5, 1])
    })

    it('sorts stdin too, and --sort never refuses late lines instead', () => {
      const input = lines([...steady(T0 + 60_000, 30), ...steady(T0, 30)])
      const snapshot = snapshotFile({rate: 1, burst: 1})
      const sorted = cli(['simulate', '--snapshot', snapshot, '--log', '-', '--json'], input)
      assert.equal(sorted.code, 0, sorted.stderr)
      assert.deepEqual([JSON.parse(sorted.stdout).allowed, JSON.parse(sorted.stdout).throttled], [60, 0])
      const refused = cli(['simulate', '--snapshot', snapshot, '--log', '-', '--sort', 'never'], input)
      assert.equal(refused.code, 2)
      assert.match(refused.stderr, /stdin line 31 is [\d.]+ s older than lines already replayed/)
    })
  })

  describe('2. a log with no key field', () => {
    it("refuses AWS's sample JSON (no apiKeyId) on methods that need a key, naming the field and how to log it", async () => {
      const result = await simulate(['--log', write('aws.jsonl', lines([awsSampleLine(T0), awsSampleLine(T0 + 1)]))])
      assert.equal(result.exit, 2)
      assert.match(result.stderr, /no line .*apiKeyId or apiKey/i)
      assert.match(result.stderr, /gwctl logs format/)
    })

    it('replays a log whose lines carry the key field, even when every request had no key', async () => {
      const r = await report(['--log', write('nokeys.jsonl', lines([line(T0, undefined), line(T0 + 1, undefined)]))])
      assert.deepEqual([r.requests, r.forbidden], [2, 2])
    })
  })

  describe('3. replaying nothing', () => {
    it('refuses an empty file', () => refuses(['--log', write('empty.jsonl', '')], /empty\.jsonl.*(is empty|no lines)/))
    it('refuses a binary file', () =>
      refuses(['--log', write('binary.jsonl', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3, 0, 0]))], /binary\.jsonl.*binary/))
    it('refuses a log whose every line is malformed', () => refuses(['--log', write('junk.jsonl', '{"a":\n{"b":\n')], /junk\.jsonl.*every line .*malformed/i))
    it('refuses lines that match no API or stage of the snapshot, saying what they hold', () =>
      refuses(['--log', write('other.jsonl', lines([line(T0, 'k1', {apiId: 'zzz9999999', stage: 'dev'})]))], /zzz9999999:dev.*snapshot has .*api0000001:prod/s))

    it('--strict fails on late lines, unmatched lines, and lines that are not JSON even when every field was found', async () => {
      await refuses(
        ['--strict', '--log', write('late.jsonl', lines([line(T0 + 30_000, 'k1'), line(T0 + 60_000, 'k1'), line(T0, 'k1')]))],
        /late\.jsonl line 3 .*older than lines already replayed/,
      )
      await refuses(
        ['--strict', '--log', write('unmatched.jsonl', lines([line(T0, 'k1'), line(T0, 'k1', {resourcePath: '/nope'})]))],
        /unmatched\.jsonl line 2: GET \/nope .* not in the snapshot/,
      )
      const bad = line(T0, 'k1').replace(/}$/, ', bad}')
      await refuses(['--strict', '--log', write('bad.jsonl', lines([line(T0, 'k1'), bad]))], /bad\.jsonl line 2: not valid JSON/)
    })

    it("refuses --stage '' like --api ''", () => refuses(['--log', write('ok.jsonl', lines([line(T0, 'k1')])), '--stage', ''], /--stage/))
  })

  describe('4. nested objects', () => {
    it('reads top-level fields only, whatever nested objects say', async () => {
      const nested = JSON.stringify({
        requestTimeEpoch: T0,
        integration: {status: '502', apiKeyId: 'k2'},
        apiId: API,
        stage: 'prod',
        resourcePath: '/items',
        httpMethod: 'GET',
        status: '200',
        apiKeyId: 'k1',
      })
      const r = await report(['--log', write('nested.jsonl', lines([nested]))])
      assert.deepEqual(
        r.keys.map((k: {id: string}) => k.id),
        ['k1'],
      )
      assert.equal(r.agreement.rows.find((row: {predicted: string}) => row.predicted === 'ALLOWED').logged2xx, 1)
    })

    it('reads nested fields named by --field in every line, whatever path a line takes', async () => {
      const a = JSON.stringify({requestTimeEpoch: T0, apiId: API, stage: 'prod', resourcePath: '/items', httpMethod: 'GET', identity: {apiKeyId: 'k1'}})
      const escaped = JSON.stringify({
        requestTimeEpoch: T0 + 1,
        apiId: API,
        stage: 'prod',
        resourcePath: '/items',
        httpMethod: 'GET',
        note: 'a "quoted" word',
        identity: {apiKeyId: 'k2'},
      })
      const r = await report(['--log', write('identity.jsonl', lines([a, escaped])), '--field', 'apiKeyId=identity.apiKeyId'])
      assert.deepEqual(r.keys.map((k: {id: string}) => k.id).toSorted(), ['k1', 'k2'])
    })
  })

  describe('5. Firehose and S3 exports', () => {
    const records = [line(T0, 'k1'), line(T0 + 100, 'k2'), line(T0 + 200, 'k1')]

    it('reads Firehose deliveries: JSON records run together with no newline', async () => {
      for (const args of [[], ['--format', 'firehose']]) {
        const r = await report(['--log', write('firehose-delivery', records.join('')), ...args])
        assert.deepEqual([r.requests, r.malformed], [3, 0])
      }
    })

    it('reads CloudWatch Logs export-to-S3 lines: an ISO timestamp, a space, the message', async () => {
      const exported = records.map((l, i) => `${new Date(T0 + i * 100 + 5).toISOString()} ${l}`)
      for (const args of [[], ['--format', 's3export']]) {
        const r = await report(['--log', write('000000.gz', gzipSync(lines(exported))), ...args])
        assert.deepEqual([r.requests, r.malformed], [3, 0])
      }
    })
  })

  describe('6. CloudWatch exports are streamed', () => {
    it('reads several filter-log-events documents in one file (pages saved one after another)', async () => {
      const r = await report(['--log', write('pages.json', exportPage(T0) + '\n' + exportPage(T0 + 10))])
      assert.deepEqual([r.requests, r.malformed], [4, 0])
    })
  })

  describe('7. CLF and CSV by field position', () => {
    // AWS's sample CLF layout with the key id and epoch appended, and no apiId/stage.

    it('--field NAME=POSITION reads CLF fields appended after the sample layout', async () => {
      const r = await report([
        '--log',
        write('custom.clf', lines([clfLine(T0 + 250, 'k1'), clfLine(T0 + 500, 'k2')])),
        '--field',
        'apiKeyId=12',
        '--field',
        'requestTimeEpoch=13',
        '--api',
        'shop',
        '--stage',
        'prod',
      ])
      assert.deepEqual([r.requests, r.allowed, r.oneSecondTimes, r.from], [2, 2, false, '2026-03-04T12:00:00.250Z'])
      assert.deepEqual(r.keys.map((k: {id: string}) => k.id).toSorted(), ['k1', 'k2'])
    })

    it('refuses --field values that do not apply to the format', async () => {
      const result = await simulate(['--log', write('custom.clf', lines([clfLine(T0, 'k1')])), '--field', 'apiKeyId=identity.apiKeyId'])
      assert.equal(result.exit, 2)
      assert.match(result.stderr, /custom\.clf.*CLF.*position/)
    })
  })

  describe('8. a stage with throttling switched off', () => {
    it('reads -1 (Terraform and the console) as no stage throttle', async () => {
      const r = await report(['--log', write('burst.jsonl', lines(Array.from({length: 10}, () => line(T0, 'k1'))))], {
        methodSettings: {'*/*': {throttlingRateLimit: -1, throttlingBurstLimit: -1}},
      })
      assert.deepEqual([r.allowed, r.throttled], [10, 0])
    })
  })

  describe('9. --set and --compare: current against proposed', () => {
    // alice sends 5 a second for 2 minutes; bob 1 a second.

    it('answers "what changes if I apply --set", with keys ranked by harm', async () => {
      const r = await report(['--log', twoCustomers(), '--set', 'basic:rate=2,burst=4'])
      // The report's own numbers stay those of the current limits.
      assert.deepEqual([r.requests, r.allowed, r.throttled], [720, 720, 0])
      assert.equal(r.proposal.label, '--set basic:rate=2,burst=4')
      assert.deepEqual(r.proposal.totals.current.allowed, 720)
      assert.ok(r.proposal.totals.proposed.throttled > 300)
      const [first, second] = r.proposal.keys
      assert.equal(first.id, 'k1')
      assert.equal(first.requests, 600)
      assert.ok(first.newlyDenied > 300)
      assert.equal(first.shareNewlyDenied, first.newlyDenied / 600)
      assert.deepEqual([first.minutesAffected, first.daysAffected], [2, 1])
      assert.equal(second, undefined) // bob is untouched
    })

    it('writes the proposed decision beside the current one in --decisions', async () => {
      const out = join(dir(), 'decisions.jsonl')
      await report(['--log', twoCustomers(), '--set', 'basic:rate=2,burst=4', '--decisions', out])
      const decisions = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
      const harmed = decisions.find((d) => d.decision === 'ALLOWED' && d.proposed.decision === 'THROTTLED')
      assert.equal(harmed.keyId, 'k1')
      assert.equal(harmed.proposed.limit, 'PLAN_THROTTLE')
      assert.match(harmed.proposed.reason, /usage plan basic throttle per key \(2 rps, burst 4\)/)
    })

    it('--compare FILE is the proposal, the snapshot the current limits', async () => {
      const proposed = write('proposed.json', JSON.stringify(snapshotJson({rate: 2, burst: 4})))
      const r = await report(['--log', twoCustomers(), '--compare', proposed])
      assert.equal(r.allowed, 720)
      assert.equal(r.proposal.keys[0].id, 'k1')
      assert.equal(r.proposal.keys[0].current.allowed, 600)
      assert.ok(r.proposal.keys[0].proposed.throttled > 300)
    })

    it('--fail-on takes thresholds and "worse"', async () => {
      const log = twoCustomers()
      const worse = await simulate(['--log', log, '--set', 'basic:rate=2,burst=4', '--fail-on', 'worse'])
      assert.equal(worse.exit, 8)
      assert.match(worse.stderr, /alice/)
      const share = await simulate(['--log', log, '--set', 'basic:rate=4,burst=8', '--fail-on', 'throttled>50%'])
      assert.equal(share.exit, 0, share.stderr)
      const over = await simulate(['--log', log, '--set', 'basic:rate=4,burst=8', '--fail-on', 'throttled>1%'])
      assert.equal(over.exit, 8)
      assert.match(over.stderr, /throttled .*% > 1%/)
      const bad = await simulate(['--log', log, '--fail-on', 'throttled>lots'])
      assert.equal(bad.exit, 2)
    })
  })

  describe('10. a far-future timestamp', () => {
    it('reports the line and replays the others in order', async () => {
      const far = line(Date.parse('2099-01-01T00:00:00Z'), 'k1')
      const r = await report(['--log', write('future.jsonl', lines([...steady(T0, 30), far, ...steady(T0 + 30_000, 30)]))], {rate: 1, burst: 1})
      assert.deepEqual([r.requests, r.allowed, r.late], [61, 61, 0])
      assert.equal(r.farAhead, 1)
      assert.deepEqual(
        r.problems.farAhead.map((p: {line: number}) => p.line),
        [31],
      )
    })
  })

  describe('11. hostile input', () => {
    it('counts a line longer than --max-line-bytes as malformed without reading it whole', async () => {
      const long = line(T0, 'k1', {padding: 'x'.repeat(3 << 20)})
      const r = await report(['--log', write('long.jsonl.gz', gzipSync(lines([line(T0, 'k1'), long, line(T0 + 1, 'k2')])))])
      assert.deepEqual([r.requests, r.malformed], [2, 1])
      assert.match(r.problems.malformed[0].message, /longer than 1 MiB/)
      const small = await report(['--log', write('short.jsonl', lines([line(T0, 'k1'), line(T0, 'k2', {pad: 'y'.repeat(600)})])), '--max-line-bytes', '512'])
      assert.deepEqual([small.requests, small.malformed], [1, 1])
    })

    it('names the file when a CloudWatch-looking document never ends', async () => {
      const result = await simulate(['--log', write('events.json.gz', gzipSync('{"events": [' + 'x'.repeat(1 << 20)))])
      assert.equal(result.exit, 2)
      assert.match(result.stderr, /events\.json\.gz/)
    })
  })

  describe('12. smaller things', () => {
    it('reads line 1 after a UTF-8 byte-order mark', async () => {
      const r = await report(['--log', write('bom.jsonl', '\uFEFF' + lines([line(T0, 'k1'), line(T0 + 1, 'k2')]))])
      assert.deepEqual([r.requests, r.malformed], [2, 0])
    })

    it('reads gzip on stdin and UTF-16 files', async () => {
      const body = lines([line(T0, 'k1'), line(T0 + 1, 'k2')])
      const gz = cli(['simulate', '--snapshot', snapshotFile(), '--log', '-', '--json'], gzipSync(body))
      assert.equal(gz.code, 0, gz.stderr)
      assert.equal(JSON.parse(gz.stdout).requests, 2)
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')])
      const r = await report(['--log', write('powershell.jsonl', utf16)])
      assert.equal(r.requests, 2)
    })

    it('names stdin once in messages', () => {
      const result = cli(['simulate', '--snapshot', snapshotFile(), '--log', '-'], 'hello\n')
      assert.equal(result.code, 2)
      assert.doesNotMatch(result.stderr, /--log -: --log -/)
      assert.match(result.stderr, /stdin/)
    })

    it("checks the snapshot's version", async () => {
      const s = snapshotJson()
      s.version = 2
      const result = await runCommand(['simulate', '--snapshot', write('v2.json', JSON.stringify(s)), '--log', write('a.jsonl', lines([line(T0, 'k1')]))], {
        root: ROOT,
      })
      assert.equal((result.error as {oclif?: {exit?: number}})?.oclif?.exit, 2)
      assert.match(result.stderr, /version: .*1/)
    })

    it('refuses --region, --profile and --endpoint-url: simulate reads no AWS account', async () => {
      for (const flag of [
        ['--region', 'eu-west-1'],
        ['--profile', 'prod'],
        ['--endpoint-url', 'http://127.0.0.1:1'],
      ]) {
        const result = await simulate(['--log', write('a.jsonl', lines([line(T0, 'k1')])), ...flag])
        assert.equal(result.exit, 2, flag[0])
        assert.match(result.stderr, new RegExp(flag[0]))
      }
    })

    it('shows per plan the busiest key against per-key limits, not a sum over keys', async () => {
      const r = await report(['--log', write('two.jsonl', lines([line(T0, 'k1'), line(T0 + 1, 'k1'), line(T0 + 2, 'k2')]))])
      assert.equal(r.plans[0].peakKeyRps, 2)
      assert.equal(r.plans[0].peakRps, undefined)
    })

    it('draws the seconds without requests in the chart', async () => {
      const r = await report(['--log', write('gap.jsonl', lines([line(T0, 'k1'), line(T0 + 5000, 'k1')])), '--chart', 'alice'])
      assert.deepEqual(
        r.chart.points.map((p: {requests: number}) => p.requests),
        [1, 0, 0, 0, 0, 1],
      )
    })

    it('--decisions carries requestId and the logged status, to join back to the log', async () => {
      const out = join(dir(), 'd.jsonl')
      await report(['--log', write('a.jsonl', lines([line(T0, 'k1', {requestId: 'abc-1', status: '429'})])), '--decisions', out])
      const d = JSON.parse(readFileSync(out, 'utf8').trim())
      assert.equal(d.requestId, 'abc-1')
      assert.equal(d.loggedStatus, 429)
    })

    it('tells THROTTLED from QUOTA_EXCEEDED in the agreement table when the log has responseType', async () => {
      const r = await report(['--log', write('types.jsonl', lines([line(T0, 'k1'), line(T0 + 1, 'k1', {status: '429', responseType: 'QUOTA_EXCEEDED'})]))], {
        quota: {limit: 1, period: 'DAY'},
      })
      const quota = r.agreement.rows.find((row: {predicted: string}) => row.predicted === 'QUOTA_EXCEEDED')
      assert.equal(quota.loggedQuotaExceeded, 1)
      assert.equal(r.agreement.agreeing, 2)
    })
  })

  describe('the temporary directory', () => {
    it('removes the temporary directory when the replay is interrupted (Ctrl-C)', async function () {
      this.timeout(30_000)
      const parent = mkdtempSync(join(tmpdir(), 'gwctl-interrupt-'))
      const snapshot = join(ROOT, 'test/fixtures/snapshot.json')
      const child = spawn(process.execPath, [BIN, 'simulate', '--snapshot', snapshot, '--log', '-'], {
        cwd: ROOT,
        env: {...process.env, TMPDIR: parent},
        stdio: ['pipe', 'ignore', 'ignore'],
      })
      child.stdin.write(Array.from({length: 1000}, (_, i) => stdinLine(i)).join(''))
      // stdin stays open: the replay waits for more, with its copy of stdin in the temporary directory.
      const started = Date.now()
      while (readdirSync(parent).length === 0 && Date.now() - started < 20_000) await new Promise((resolve) => setTimeout(resolve, 50))
      assert.equal(readdirSync(parent).length, 1, 'the replay made a temporary directory')
      const made = join(parent, readdirSync(parent)[0])
      child.kill('SIGINT')
      const code = await new Promise((resolve) => child.on('close', (c, signal) => resolve(signal ?? c)))
      // Every command turns Ctrl-C before any change into exit 130 ("cancelled; nothing was changed").
      assert.equal(code, 130)
      assert.equal(existsSync(made), false)
    })
  })

  describe('rules that changed', () => {
    it('starts WEEK quotas on Sunday by default, and on Monday with --week-start monday', async () => {
      // Saturday 7 March and Sunday 8 March 2026.
      const log = write('weekend.jsonl', lines([line(Date.parse('2026-03-07T12:00:00Z'), 'k1'), line(Date.parse('2026-03-08T12:00:00Z'), 'k1')]))
      const quota = {limit: 1, period: 'WEEK' as const}
      assert.equal((await report(['--log', log], {quota})).quotaExceeded, 0)
      assert.equal((await report(['--log', log, '--week-start', 'monday'], {quota})).quotaExceeded, 1)
    })

    it('takes the offset off only with --first-period', async () => {
      const log = write('three.jsonl', lines([line(T0, 'k1'), line(T0 + 1000, 'k1'), line(T0 + 2000, 'k1')]))
      const quota = {limit: 3, offset: 2, period: 'DAY' as const}
      assert.equal((await report(['--log', log], {quota})).quotaExceeded, 0)
      assert.equal((await report(['--log', log, '--first-period'], {quota})).quotaExceeded, 2)
    })

    it('takes the missing half of a method setting from the stage-wide */* setting', async () => {
      const log = write('burst.jsonl', lines(Array.from({length: 10}, () => line(T0, 'k1'))))
      const r = await report(['--log', log], {
        methodSettings: {'*/*': {throttlingRateLimit: 100, throttlingBurstLimit: 3}, '~1items/GET': {throttlingRateLimit: 50}},
      })
      assert.deepEqual([r.allowed, r.throttled], [3, 7])
    })

    it('says once in every report that AWS applies these limits on a best-effort basis', async () => {
      const log = write('a.jsonl', lines([line(T0, 'k1')]))
      const human = await simulate(['--log', log])
      assert.equal(human.stdout.match(/best-effort/g)?.length, 1)
      assert.ok((await report(['--log', log])).notes.some((n: string) => /best-effort/.test(n)))
    })
  })
})
