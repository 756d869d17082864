import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Readable} from 'node:stream'
import {fileURLToPath} from 'node:url'

import type {QuotaSeeds, SeedDay} from '../../src/model/quota-seed.js'
import type {Snapshot} from '../../src/model/snapshot.js'
import {parseFieldMappings} from '../../src/simulator/formats.js'
import {applyOverrides} from '../../src/simulator/overrides.js'
import {type RecordBatch, RecordReader, RecordWriter, Rows} from '../../src/simulator/record-batch.js'
import {Caller, LogRecord, Where} from '../../src/simulator/records.js'
import {ReorderWindow} from '../../src/simulator/reorder.js'
import {simulate, type SimulateOptions} from '../../src/simulator/simulate.js'
import {sourceFor} from '../../src/simulator/sources.js'
import {parseSnapshot, validateSnapshot} from '../../src/simulator/validate-snapshot.js'
import {random} from './seeded.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url))
const log = (name: string) => join(FIXTURES, 'logs', name)
const snapshot = (): Snapshot => JSON.parse(readFileSync(join(FIXTURES, 'snapshot.json'), 'utf8'))
const T0 = Date.parse('2026-03-01T12:00:00Z')
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

function run(logs: string[], options: Partial<SimulateOptions> & {stdin?: Readable} = {}) {
  const {stdin = Readable.from([]), ...rest} = options
  return simulate({
    snapshot: snapshot(),
    sources: logs.map((l) => sourceFor(l, stdin)),
    format: 'auto',
    fields: {},
    reorderWindowMs: 10_000,
    weekStart: 'sunday',
    firstPeriod: false,
    strict: false,
    sort: 'auto',
    maxLineBytes: 1 << 20,
    ...rest,
  })
}

function tempLog(name: string, lines: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'gwctl-sim-')), name)
  writeFileSync(file, lines.join('\n') + '\n')
  return file
}

const line = (t: number, keyId: string | undefined, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    requestTimeEpoch: String(t),
    apiId: 'api0000001',
    stage: 'prod',
    resourcePath: '/items',
    httpMethod: 'GET',
    status: '200',
    apiKeyId: keyId ?? '-',
    ...extra,
  })

describe('simulate: log formats', () => {
  // Every fixture holds the same seven requests: alice three times in one second (rate 1,
  // burst 2), then the disabled bob, carol in no plan, no key, and an unknown key.
  const expected = {requests: 7, allowed: 2, throttled: 1, quotaExceeded: 0, forbidden: 4, malformed: 0}
  const fixtures: Array<[string, string]> = [
    ['recommended JSON lines', 'recommended.jsonl'],
    ["AWS's sample JSON field names (another order, numbers and nulls)", 'aws-sample.jsonl'],
    ['gzip', 'recommended.jsonl.gz'],
    ["AWS's sample CSV layout", 'aws-sample.csv'],
    ['CSV under a header row', 'with-header.csv'],
    ["AWS's sample CLF layout", 'aws-sample.clf'],
    ['a CloudWatch Logs export (filter-log-events)', 'cloudwatch-export.json'],
  ]
  for (const [title, file] of fixtures) {
    it(`reads ${title}`, async () => {
      const r = await run([log(file)])
      assert.deepEqual(
        {requests: r.requests, allowed: r.allowed, throttled: r.throttled, quotaExceeded: r.quotaExceeded, forbidden: r.forbidden, malformed: r.malformed},
        expected,
      )
      assert.deepEqual(r.limits, {PLAN_THROTTLE: 1, MISSING_KEY: 1, UNKNOWN_KEY: 1, DISABLED_KEY: 1, KEY_NOT_IN_PLAN: 1})
      assert.equal(r.from, '2026-03-01T12:00:00.000Z')
    })
  }

  it('says when times have one-second resolution (CLF) and spreads a second evenly', async () => {
    const clf = await run([log('aws-sample.clf')])
    assert.equal(clf.oneSecondTimes, true)
    assert.equal((await run([log('recommended.jsonl')])).oneSecondTimes, false)
  })

  it('reads the epoch the recommended CLF and CSV formats add, and CSV columns named by number', async () => {
    const clf = tempLog('epoch.clf', [`198.51.100.7 - - [01/Mar/2026:12:00:00 +0000]"GET /items HTTP/1.1" 200 42 r-1 e-1 api0000001 prod k1 ${T0 + 250}`])
    const r = await run([clf])
    assert.deepEqual([r.requests, r.oneSecondTimes, r.from], [1, false, '2026-03-01T12:00:00.250Z'])
    const csv = tempLog('plain.csv', [`k1,${T0},GET,/items,api0000001,prod`])
    const mapped = await run([csv], {
      fields: parseFieldMappings(['apiKeyId=1', 'requestTimeEpoch=2', 'httpMethod=3', 'resourcePath=4', 'apiId=5', 'stage=6']),
      format: 'csv',
    })
    assert.deepEqual(
      mapped.keys.map((k) => [k.name, k.allowed]),
      [['alice', 1]],
    )
  })

  it('honours --format over detection, and refuses a log of which no line could be read', async () => {
    await assert.rejects(
      run([log('aws-sample.csv')], {format: 'jsonl'}),
      /aws-sample\.csv: every line is malformed \(7\), e\.g\. .*aws-sample\.csv line 1: not valid JSON/,
    )
  })

  it('reads stdin as "-"', async () => {
    const r = await run(['-'], {stdin: Readable.from([readFileSync(log('recommended.jsonl'))])})
    assert.equal(r.requests, 7)
  })

  it('merges several logs by time', async () => {
    const a = tempLog('a.jsonl', [line(T0, 'k1'), line(T0 + 2000, 'k1')])
    const b = tempLog('b.jsonl', [line(T0 + 1000, 'k1'), line(T0 + 3000, 'k1')])
    const r = await run([a, b], {reorderWindowMs: 0})
    assert.equal(r.requests, 4)
    assert.equal(r.late, 0)
  })

  it('maps other field names with --field, including nested JSON paths', async () => {
    const file = tempLog('nested.jsonl', [
      JSON.stringify({ts: T0, apiId: 'api0000001', stage: 'prod', resourcePath: '/items', httpMethod: 'GET', identity: {apiKeyId: 'k1'}}),
    ])
    const r = await run([file], {fields: parseFieldMappings(['requestTimeEpoch=ts', 'apiKeyId=identity.apiKeyId'])})
    assert.equal(r.keys[0].name, 'alice')
    assert.equal(r.allowed, 1)
  })

  it('finds a key by its value through the snapshot SHA-256, and never by a wrong one', async () => {
    const file = tempLog('values.jsonl', [
      line(T0, undefined, {apiKeyId: undefined, apiKey: 'alicesecretvalue000000001'}),
      line(T0, undefined, {apiKeyId: undefined, apiKey: 'wrongvalue'}),
    ])
    const r = await run([file])
    assert.deepEqual(
      r.keys.map((k) => [k.name, k.allowed, k.forbidden]),
      [
        ['alice', 1, 0],
        ['(unknown keys)', 0, 1],
      ],
    )
  })

  it('compares its prediction with the status AWS logged', async () => {
    const r = await run([log('recommended.jsonl')])
    assert.equal(r.agreement?.requests, 7)
    assert.equal(r.agreement?.agreeing, 7)
    assert.deepEqual(
      r.agreement?.rows.find((row) => row.predicted === 'THROTTLED'),
      {predicted: 'THROTTLED', logged2xx: 0, logged403: 0, loggedThrottled: 0, loggedQuotaExceeded: 0, logged429: 1, loggedOther: 0},
    )
  })

  it('counts requests for methods the snapshot lacks as unmatched, and --api/--stage fill in missing fields', async () => {
    const file = tempLog('partial.jsonl', [
      line(T0, 'k1', {resourcePath: '/nope'}),
      JSON.stringify({requestTimeEpoch: T0, resourcePath: '/items', httpMethod: 'GET', apiKeyId: 'k1'}),
    ])
    const r = await run([file])
    assert.equal(r.unmatched, 1) // one API with one stage: lines without apiId/stage default to it
    assert.match(r.problems.unmatched[0].message, /GET \/nope on api0000001:prod is not in the snapshot/)
    const scoped = await run([file], {api: 'shop', stage: 'prod'})
    assert.equal(scoped.requests, 1)
  })
})

describe('simulate: malformed and late lines', () => {
  it('counts malformed lines and reports the first ones with line numbers', async () => {
    const r = await run([log('malformed.jsonl')])
    assert.equal(r.malformed, 3)
    assert.equal(r.requests, 3)
    assert.deepEqual(
      r.problems.malformed.map((p) => [p.line, p.message]),
      [
        [3, 'not valid JSON'],
        [4, 'not valid JSON'],
        [6, 'no request time (requestTimeEpoch or requestTime)'],
      ],
    )
  })

  it('stops at the first malformed line with --strict, naming file and line', async () => {
    await assert.rejects(run([log('malformed.jsonl')], {strict: true}), (error: Error & {exitCode?: number}) => {
      assert.match(error.message, /malformed\.jsonl line 3: not valid JSON/)
      assert.equal(error.exitCode, 2)
      return true
    })
  })

  it('puts lines back in order within the reorder window', async () => {
    // Alice (rate 1, burst 2) at 0 s, 2 s, 1 s: sorted, all three pass.
    const file = tempLog('unsorted.jsonl', [line(T0, 'k1'), line(T0 + 2000, 'k1'), line(T0 + 1000, 'k1')])
    const r = await run([file])
    assert.deepEqual([r.requests, r.allowed, r.late], [3, 3, 0])
  })

  it('sorts the input when a line is later than the window, and refuses it with --sort never', async () => {
    const file = tempLog('late.jsonl', [line(T0 + 20_000, 'k1'), line(T0 + 30_000, 'k1'), line(T0, 'k1')])
    const notices: string[] = []
    const r = await run([file], {reorderWindowMs: 5000, onNotice: (m) => notices.push(m)})
    assert.deepEqual([r.requests, r.late, r.allowed], [3, 0, 3])
    assert.match(r.sorted?.reason ?? '', /late\.jsonl line 3 is 20\.0 s older than lines already replayed, more than the 5 s reorder window allows/)
    assert.equal(notices.length, 1)
    await assert.rejects(run([file], {reorderWindowMs: 5000, sort: 'never'}), /late\.jsonl line 3 is 20\.0 s older than lines already replayed/)
  })
})

describe('reorder window', () => {
  const where = new Where('a', 'prod', '/', 'GET')
  const rec = (t: number, coarse = false, lineNo = 0) => new LogRecord(t, coarse, lineNo, 0, 0, where, new Caller(undefined, undefined), undefined, undefined)

  it('releases records in time order, keeping log order for equal times', () => {
    const out: number[] = []
    const w = new ReorderWindow(
      1000,
      (r) => out.push(r.line),
      () => assert.fail('nothing is late'),
    )
    for (const [t, n] of [
      [500, 1],
      [100, 2],
      [500, 3],
      [300, 4],
      [1400, 5],
      [2000, 6],
    ])
      w.push(rec(t, false, n))
    assert.deepEqual(out, [2, 4, 1, 3]) // older than 2000 - 1000
    w.flush()
    assert.deepEqual(out, [2, 4, 1, 3, 5, 6])
  })

  it('spreads records sharing a one-second time evenly across that second', () => {
    const times: number[] = []
    const w = new ReorderWindow(
      0,
      (r) => times.push(r.t),
      () => {},
    )
    for (let i = 0; i < 4; i++) w.push(rec(T0, true))
    w.push(rec(T0 + 1000, true))
    w.flush()
    assert.deepEqual(
      times.map((t) => t - T0),
      [0, 250, 500, 750, 1000],
    )
  })
})

/** A log of `n` lines: mostly in time order, with equal times, lines back in time (some later than the window), a line dated far ahead, and runs of one-second times. */
function lines(next: () => number, n: number, windowMs: number) {
  const out: Array<{t: number; coarse: boolean}> = []
  let t = T0
  for (let i = 0; i < n; i++) {
    const r = next()
    if (r < 0.05) out.push({t: t - Math.floor(next() * 3 * (windowMs + 5)), coarse: false})
    else if (r < 0.06) out.push({t: t + 86_400_000 * 2, coarse: false})
    else if (r < 0.16) {
      t = Math.floor(t / 1000) * 1000 + 1000
      for (let k = Math.floor(next() * 6); k >= 0; k--) out.push({t, coarse: true})
    } else {
      t += next() < 0.3 ? 0 : Math.floor(next() * 4)
      out.push({t, coarse: false})
    }
  }

  return out
}

describe('reorder window over rows of batches', () => {
  it('replays one log from its rows as it replays the records of several logs merged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwctl-rows-'))
    const next = random(7)
    const lines: string[] = []
    let t = T0
    for (let i = 0; i < 3000; i++) {
      const r = next()
      const key = `k${1 + (i % 3)}`
      if (r < 0.1) lines.push(line(t - Math.floor(next() * 4000), key))
      else if (r < 0.2) {
        // A run of one-second times: requestTime only.
        t = Math.floor(t / 1000) * 1000 + 1000
        const [, y, m, d, hms] = /^(\d+)-(\d+)-(\d+)T([\d:]+)/.exec(new Date(t).toISOString())!
        const requestTime = `${d}/${MONTHS[Number(m) - 1]}/${y}:${hms} +0000`
        for (let k = Math.floor(next() * 5); k >= 0; k--) lines.push(line(t, key, {requestTimeEpoch: undefined, requestTime}))
      } else {
        t += next() < 0.3 ? 0 : Math.floor(next() * 300)
        lines.push(line(t, key))
      }
    }

    const file = tempLog('rows.jsonl', lines)
    const fromRows = await run([file], {decisionsPath: join(dir, 'rows.jsonl')})
    // With a second log (empty: stdin), the records are merged as objects; the decisions then name their file.
    const fromRecords = await run([file, '-'], {decisionsPath: join(dir, 'records.jsonl')})
    const decisions = (name: string) =>
      readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .map((l) => l.replace(/"file":"[^"]*",/, ''))
    assert.ok(fromRows.oneSecondTimes && fromRows.sorted === null)
    assert.deepEqual({...fromRows, sources: []}, {...fromRecords, sources: []})
    assert.deepEqual(decisions('rows.jsonl'), decisions('records.jsonl'))
  })

  for (let seed = 1; seed <= 60; seed++) {
    it(`releases rows as it releases the same records pushed one by one (seed ${seed})`, () => {
      const next = random(seed)
      const windowMs = [0, 3, 1000, 60_000][seed % 4]
      const capacity = [4, 16, 64, 1 << 17][Math.floor(seed / 4) % 4]
      const writer = new RecordWriter(true)
      const batches: RecordBatch[] = []
      let pending = 0
      for (const [i, {t, coarse}] of lines(next, 300, windowMs).entries()) {
        const where = writer.where('a', 'prod', `/r${i % 3}`, 'GET')
        writer.add(t, coarse, i + 1, 0, 200 + (i % 7), where, writer.caller(`k${i % 5}`, undefined), writer.string(i % 2 ? 'THROTTLED' : undefined), `id${i}`)
        if (++pending >= 1 + Math.floor(next() * 40)) {
          batches.push(writer.take())
          pending = 0
        }
      }

      batches.push(writer.take())
      const replay = (byRow: boolean) => {
        const out: string[] = []
        const window = new ReorderWindow(
          windowMs,
          (r) => out.push(`${r.line} ${r.t} ${r.status} ${r.where.resourcePath} ${r.caller.apiKeyId} ${r.responseType} ${r.requestId}`),
          (r, lateBy) => out.push(`late ${r.line} by ${lateBy}`),
          capacity,
        )
        const reader = new RecordReader()
        let outstanding = 0
        let mostOutstanding = 0
        for (const batch of batches) {
          reader.enter(batch)
          outstanding++
          mostOutstanding = Math.max(mostOutstanding, outstanding)
          const rows = new Rows(batch, reader, 1000, () => outstanding--)
          for (let i = 0; i < batch.length; i++) {
            if (byRow) window.pushRow(rows, i)
            else window.push(rows.record(i))
          }

          rows.letGo()
        }

        window.flush()
        return {out, outstanding, mostOutstanding}
      }

      const byRecord = replay(false)
      const byRow = replay(true)
      assert.deepEqual(byRow.out, byRecord.out)
      assert.equal(byRow.outstanding, 0, 'every batch is handed back')
      assert.ok(byRow.mostOutstanding <= 5, `at most 4 batches held besides the one read (${byRow.mostOutstanding})`)
    })
  }
})

describe('snapshot checks', () => {
  it('names the JSON path of each problem', () => {
    const s = snapshot() as unknown as {
      usagePlans: Array<{quota: {period: string}; apiStages: Array<{stage: string}>}>
      apiKeys: Array<{usagePlanIds: string[]}>
      apis: Array<{methods: Array<{httpMethod: string}>}>
    }
    s.usagePlans[0].quota.period = 'YEAR'
    s.usagePlans[0].apiStages[0].stage = 'dev'
    s.apiKeys[1].usagePlanIds = ['nope']
    s.apis[0].methods[0].httpMethod = 'FETCH'
    assert.deepEqual(validateSnapshot(s), [
      'apis[0].methods[0].httpMethod: must be one of ANY, DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT',
      'usagePlans[0].quota.period: must be DAY, WEEK or MONTH',
      'usagePlans[0].apiStages[0].stage: API api0000001 has no stage "dev"',
      'apiKeys[1].usagePlanIds[0]: no usage plan with id "nope" in usagePlans',
    ])
  })

  it('refuses a key in two plans for one stage, as AWS does', () => {
    const s = snapshot()
    s.usagePlans.push({id: 'pb2', name: 'other', apiStages: [{apiId: 'api0000001', stage: 'prod'}]})
    s.apiKeys[0].usagePlanIds.push('pb2')
    assert.deepEqual(validateSnapshot(s), ['apiKeys[0].usagePlanIds[1]: plans pb1 and pb2 both cover api0000001:prod; AWS allows a key in one plan per stage'])
  })

  it('refuses a file that is not JSON with exit code 2', () => {
    assert.throws(() => parseSnapshot('{', 'x.json'), /x\.json is not JSON/)
    assert.throws(() => parseSnapshot('[]', 'x.json'), /x\.json is not a valid snapshot:\n {2}\(root\)/)
  })
})

describe('--set overrides', () => {
  it('changes a plan by name or id without touching the original', () => {
    const original = snapshot()
    const changed = applyOverrides(original, ['basic:rate=5,burst=10', 'pb1:quota=100/week,offset=10'])
    assert.deepEqual(changed.usagePlans[0].throttle, {rateLimit: 5, burstLimit: 10})
    assert.deepEqual(changed.usagePlans[0].quota, {limit: 100, period: 'WEEK', offset: 10})
    assert.deepEqual(original.usagePlans[0].throttle, {rateLimit: 1, burstLimit: 2})
    assert.equal(applyOverrides(original, ['basic:quota=none']).usagePlans[0].quota, undefined)
  })

  it('names the bad part of a --set value', () => {
    assert.throws(() => applyOverrides(snapshot(), ['basic']), /--set must look like PLAN:SETTING=VALUE/)
    assert.throws(() => applyOverrides(snapshot(), ['basic:speed=3']), /"speed=3" in "basic:speed=3" is not one of rate=R/)
    assert.throws(() => applyOverrides(snapshot(), ['gold:rate=3']), /No usage plan with id or name "gold"/)
    assert.throws(() => applyOverrides(snapshot(), ['basic:burst=1.5']), /--set basic burst must be a whole number/)
  })
})

// Plan basic with 10 requests a month; alice calls six times on 2026-03-05, two seconds apart
// (well under her throttle), from 09:00 UTC.
const monthly = (): Snapshot => {
  const s = snapshot()
  s.usagePlans[0].quota = {limit: 10, offset: 0, period: 'MONTH'}
  return s
}

const firstCall = Date.parse('2026-03-05T09:00:00Z')
const aliceCalls = () =>
  tempLog(
    'seeded.jsonl',
    Array.from({length: 6}, (_, i) => line(firstCall + i * 2000, 'k1')),
  )
/** alice's days in March as GetUsage gives them: used, and remaining after `allowance`. */
const march = (used: number[], allowance = 10): SeedDay[] => {
  let remaining = allowance
  return used.map((u, i) => ({date: `2026-03-0${i + 1}`, used: u, remaining: (remaining -= u)}))
}

const seeds = (days: SeedDay[], periodStart = '2026-03-01'): QuotaSeeds => ({
  readAt: '2026-03-05T12:00:00.000Z',
  weekStart: 'sunday',
  usagePlans: [{usagePlanId: 'pb1', period: 'MONTH', limit: 10, periodStart, keys: {k1: days}}],
})

describe('simulate: quota counters seeded from the account (--seed-quota)', () => {
  it('starts the counter at what AWS counted on the days of the period before the replay, not on its first day', async () => {
    const log = aliceCalls()
    const plain = await run([log], {snapshot: monthly()})
    assert.deepEqual([plain.allowed, plain.quotaExceeded, plain.quotaSeed], [6, 0, undefined])

    // 6 used on March 1-4; the 2 of March 5 are the day the replay starts in, so they are not counted again.
    const seeded = await run([log], {snapshot: monthly(), quotaSeeds: seeds(march([1, 1, 1, 3, 2]))})
    assert.deepEqual([seeded.allowed, seeded.quotaExceeded], [4, 2])
    assert.deepEqual(seeded.quotaSeed, {
      readAt: '2026-03-05T12:00:00.000Z',
      usagePlans: [
        {usagePlanId: 'pb1', period: 'MONTH', periodStart: '2026-03-01', applied: true, days: {from: '2026-03-01', to: '2026-03-04'}, keysWithUse: 1, used: 6},
      ],
      partialDay:
        "AWS counts usage per day, so the requests of 2026-03-05 before 09:00:00 UTC (the replay's first request) are in neither the seed nor the replay",
    })
  })

  it('keeps a grant: the allowance is what AWS reported as used + remaining, also under proposed limits', async () => {
    const log = aliceCalls()
    // Granted 6 more on March 4: 16 in all, 6 used.
    const granted = seeds(march([1, 1, 1, 3], 16))
    assert.deepEqual(pick(await run([log], {snapshot: monthly(), quotaSeeds: granted})), [6, 0])
    // A proposed limit of 8 keeps the extension of 6: 14 in all, 8 left.
    const proposed = await run([log], {
      snapshot: monthly(),
      quotaSeeds: granted,
      proposal: {snapshot: applyOverrides(monthly(), ['basic:quota=8/month']), label: 'x'},
    })
    assert.deepEqual(pick(proposed.proposal!.totals.proposed), [6, 0])
    // A limit of 4 with the same extension: 10 in all, 4 left.
    const tighter = await run([log], {
      snapshot: monthly(),
      quotaSeeds: granted,
      proposal: {snapshot: applyOverrides(monthly(), ['basic:quota=4/month']), label: 'x'},
    })
    assert.deepEqual(pick(tighter.proposal!.totals.proposed), [4, 2])
  })

  it('does nothing, and says why, when the replay starts in another period than the one AWS was read in', async () => {
    const report = await run([aliceCalls()], {snapshot: monthly(), quotaSeeds: seeds(march([9]), '2026-04-01')})
    assert.deepEqual(pick(report), [6, 0])
    const [plan] = report.quotaSeed!.usagePlans
    assert.equal(plan.applied, false)
    assert.match(plan.reason!, /the replay starts on 2026-03-05, before the current MONTH quota period \(from 2026-04-01\)/)
    assert.equal(report.quotaSeed!.partialDay, null)
  })

  it("says it did not seed a plan whose quota period in the snapshot is not the account's, as the counters do not", async () => {
    const weekly = seeds(march([5, 5]))
    weekly.usagePlans[0].period = 'WEEK' // 2026-03-01 was a Sunday
    const report = await run([aliceCalls()], {snapshot: monthly(), quotaSeeds: weekly})
    assert.deepEqual(pick(report), [6, 0])
    const [plan] = report.quotaSeed!.usagePlans
    assert.deepEqual([plan.applied, plan.used], [false, 0])
    assert.match(plan.reason!, /the snapshot gives usage plan pb1 a MONTH quota; the account counts it by WEEK/)
    assert.equal(report.quotaSeed!.partialDay, null)
  })

  it('does not apply a seed to a proposal that changes the quota period', async () => {
    const report = await run([aliceCalls()], {
      snapshot: monthly(),
      quotaSeeds: seeds(march([5, 5])),
      proposal: {snapshot: applyOverrides(monthly(), ['basic:quota=10/day']), label: 'x'},
    })
    assert.deepEqual([report.allowed, report.quotaExceeded], [0, 6])
    assert.deepEqual(pick(report.proposal!.totals.proposed), [6, 0])
  })
})

const pick = (r: {allowed: number; quotaExceeded: number}) => [r.allowed, r.quotaExceeded]
