import {runCommand} from '../helpers/run-command.js'
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {packagesLoadedBy, ROOT} from '../helpers/cli.js'
import {jsonResult} from '../helpers/json-contract.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url))
const SNAPSHOT = join(FIXTURES, 'snapshot.json')
const LOG = join(FIXTURES, 'logs', 'recommended.jsonl')
const base = ['simulate', '--snapshot', SNAPSHOT, '--log', LOG]
const tmp = () => mkdtempSync(join(tmpdir(), 'gwctl-simcmd-'))

describe('simulate command (in-process)', () => {
  beforeEach(() => {
    process.exitCode = undefined
  })

  it('prints totals, a table per key and per plan, what denied, and the agreement with logged statuses', async () => {
    const {stdout, error} = await runCommand(base, {root: ROOT})
    assert.equal(error, undefined)
    assert.match(stdout, /Replayed 7 requests from 2026-03-01 12:00:00Z to 2026-03-01 12:00:00Z/)
    assert.match(stdout, /allowed 2 \(28\.6%\)\s+throttled 1\s+quota exceeded 0\s+forbidden 4/)
    assert.match(stdout, /alice\s+k1\s+basic\s+3\s+2\s+1\s+0\s+0\s+3\s+2026-03-01 12:00:00Z/)
    assert.match(stdout, /bob\s+k2\s+-\s+1\s+0\s+0\s+0\s+1/)
    assert.match(stdout, /\(no key\)\s+-\s+-\s+1\s+0\s+0\s+0\s+1/)
    assert.match(stdout, /basic\s+pb1\s+1\s+3\s+2\s+1\s+0\s+3/)
    assert.match(stdout, /DISABLED_KEY\s+1/)
    assert.match(stdout, /100\.0% agree \(7 of 7\)/)
  })

  it('--json gives the documented shape with AWS-style ids', async () => {
    const {stdout} = await runCommand([...base, '--json'], {root: ROOT})
    const r = jsonResult('simulate', stdout)
    assert.deepEqual(
      Object.keys(r).filter((k) => ['requests', 'allowed', 'throttled', 'quotaExceeded', 'forbidden', 'malformed', 'keys', 'plans'].includes(k)),
      ['requests', 'allowed', 'throttled', 'quotaExceeded', 'forbidden', 'malformed', 'keys', 'plans'],
    )
    assert.deepEqual([r.requests, r.allowed, r.throttled, r.quotaExceeded, r.forbidden, r.malformed], [7, 2, 1, 0, 4, 0])
    assert.deepEqual(r.keys[0], {
      id: 'k1',
      name: 'alice',
      usagePlanIds: ['pb1'],
      requests: 3,
      allowed: 2,
      throttled: 1,
      quotaExceeded: 0,
      forbidden: 0,
      peakRps: 3,
      firstDenial: '2026-03-01T12:00:00.000Z',
    })
    assert.deepEqual(r.plans[0], {id: 'pb1', name: 'basic', keys: 1, requests: 3, allowed: 2, throttled: 1, quotaExceeded: 0, forbidden: 0, peakKeyRps: 3})
  })

  it('--fail-on exits 8 when a listed outcome occurs, and 0 when none does', async () => {
    const failed = await runCommand([...base, '--fail-on', 'quota,throttled'], {root: ROOT})
    assert.equal(failed.error?.oclif?.exit, 8)
    assert.match(failed.stderr, /--fail-on throttled: throttled 1 > 0/)
    assert.match(failed.stdout, /Replayed 7 requests/) // the report still comes first
    const passed = await runCommand([...base, '--fail-on', 'quota'], {root: ROOT})
    assert.equal(passed.error, undefined)
  })

  it('--fail-on under --json prints the report and sets exit code 8', async () => {
    const {stdout} = await runCommand([...base, '--fail-on', 'forbidden', '--json'], {root: ROOT})
    assert.equal(JSON.parse(stdout).forbidden, 4)
    assert.equal(process.exitCode, 8)
    process.exitCode = undefined
  })

  it('--decisions writes one JSON line per request with the limit that fired, and no key values', async () => {
    const out = join(tmp(), 'decisions.jsonl')
    const {stderr} = await runCommand([...base, '--decisions', out], {root: ROOT})
    assert.match(stderr, /Wrote 7 decisions to/)
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    assert.equal(lines.length, 7)
    assert.deepEqual(lines[0], {
      line: 1,
      requestId: 'r-0',
      time: '2026-03-01T12:00:00.000Z',
      keyId: 'k1',
      decision: 'ALLOWED',
      status: 200,
      reason: null,
      limit: null,
      loggedStatus: 200,
    })
    assert.deepEqual(lines[2], {
      line: 3,
      requestId: 'r-2',
      time: '2026-03-01T12:00:00.000Z',
      keyId: 'k1',
      decision: 'THROTTLED',
      status: 429,
      reason: 'usage plan basic throttle per key (1 rps, burst 2)',
      limit: 'PLAN_THROTTLE',
      loggedStatus: 429,
    })
    assert.deepEqual(
      lines.slice(3).map((l) => [l.keyId, l.decision, l.status, l.limit]),
      [
        ['k2', 'FORBIDDEN', 403, 'DISABLED_KEY'],
        ['k3', 'FORBIDDEN', 403, 'KEY_NOT_IN_PLAN'],
        [null, 'FORBIDDEN', 403, 'MISSING_KEY'],
        ['k9', 'FORBIDDEN', 403, 'UNKNOWN_KEY'],
      ],
    )
  })

  it('--set proposes a changed plan without editing the snapshot: the report stays the current one', async () => {
    const {stdout} = await runCommand([...base, '--set', 'basic:rate=1,burst=3', '--json'], {root: ROOT})
    const r = JSON.parse(stdout)
    assert.deepEqual([r.allowed, r.throttled], [2, 1])
    assert.deepEqual([r.proposal.totals.proposed.allowed, r.proposal.totals.proposed.throttled], [3, 0])
    assert.deepEqual(
      r.proposal.keys.map((k: {name: string; newlyAllowed: number; newlyDenied: number}) => [k.name, k.newlyDenied, k.newlyAllowed]),
      [['alice', 0, 1]],
    )
    assert.equal(JSON.parse(readFileSync(SNAPSHOT, 'utf8')).usagePlans[0].throttle.burstLimit, 2)
    const bad = await runCommand([...base, '--set', 'basic:rate=fast'], {root: ROOT})
    assert.equal(bad.error?.oclif?.exit, 2)
    assert.match(bad.stderr, /--set basic rate must be a number of requests per second/)
  })

  it('--compare lists the keys whose outcome changes under a proposed snapshot, current first', async () => {
    const other = JSON.parse(readFileSync(SNAPSHOT, 'utf8'))
    other.usagePlans[0].throttle.burstLimit = 5
    other.apiKeys[1].enabled = true
    other.apiKeys[2].enabled = false
    const file = join(tmp(), 'proposed.json')
    writeFileSync(file, JSON.stringify(other))
    const {stdout} = await runCommand([...base, '--compare', file, '--json'], {root: ROOT})
    const {proposal} = JSON.parse(stdout)
    assert.equal(proposal.label, file)
    assert.deepEqual(
      proposal.keys.map((c: {name: string; current: {allowed: number}; proposed: {allowed: number}; newlyAllowed: number}) => [
        c.name,
        c.current.allowed,
        c.proposed.allowed,
        c.newlyAllowed,
      ]),
      [
        ['alice', 2, 3, 1],
        ['bob', 0, 1, 1],
      ],
    )
    const human = await runCommand([...base, '--compare', file], {root: ROOT})
    assert.match(human.stdout, /If you apply .*proposed\.json/)
    assert.match(human.stdout, /alice\s+k1\s+3\s+0\s+0\.0%\s+0\s+0\s+1\s+1 -> 0/)
  })

  it('--chart draws the key against its plan rate', async () => {
    const {stdout} = await runCommand([...base, '--chart', 'alice'], {root: ROOT})
    assert.match(stdout, /Requests per second for alice \(k1\)/)
    assert.match(stdout, /2026-03-01 12:00:00Z\s+#+\|?#*x+\s+3\/s, 1 denied/)
  })

  it('--strict stops at the first malformed line with exit 2', async () => {
    const {error, stderr} = await runCommand(['simulate', '--snapshot', SNAPSHOT, '--log', join(FIXTURES, 'logs', 'malformed.jsonl'), '--strict'], {root: ROOT})
    assert.equal(error?.oclif?.exit, 2)
    assert.match(stderr, /malformed\.jsonl line 3: not valid JSON/)
  })

  it('reports malformed lines with their numbers without --strict', async () => {
    const {stdout} = await runCommand(['simulate', '--snapshot', SNAPSHOT, '--log', join(FIXTURES, 'logs', 'malformed.jsonl')], {root: ROOT})
    assert.match(stdout, /\(lines: 3 malformed\)/)
    assert.match(stdout, /malformed: .*malformed\.jsonl line 4: not valid JSON/)
  })

  it('refuses an invalid snapshot naming the JSON path, and a missing log naming the file', async () => {
    const s = JSON.parse(readFileSync(SNAPSHOT, 'utf8'))
    s.usagePlans[0].quota.period = 'YEAR'
    const file = join(tmp(), 'bad.json')
    writeFileSync(file, JSON.stringify(s))
    const bad = await runCommand(['simulate', '--snapshot', file, '--log', LOG], {root: ROOT})
    assert.equal(bad.error?.oclif?.exit, 2)
    assert.match(bad.stderr, /usagePlans\[0\]\.quota\.period: must be DAY, WEEK or MONTH/)
    const missing = await runCommand(['simulate', '--snapshot', SNAPSHOT, '--log', 'nope.jsonl'], {root: ROOT})
    assert.equal(missing.error?.oclif?.exit, 2)
    assert.match(missing.stderr, /--log nope\.jsonl: no such file/)
    const window = await runCommand([...base, '--reorder-window', 'soon'], {root: ROOT})
    assert.match(window.stderr, /--reorder-window must be a duration/)
  })

  it('--week-start changes which requests share a weekly quota', async () => {
    const s = JSON.parse(readFileSync(SNAPSHOT, 'utf8'))
    s.usagePlans[0].throttle = undefined
    s.usagePlans[0].quota = {limit: 1, offset: 0, period: 'WEEK'}
    const dir = tmp()
    writeFileSync(join(dir, 'weekly.json'), JSON.stringify(s))
    // Saturday 28 Feb and Sunday 1 Mar 2026: one Monday-week, two Sunday-weeks.
    const line = (iso: string) =>
      JSON.stringify({requestTimeEpoch: Date.parse(iso), apiId: 'api0000001', stage: 'prod', resourcePath: '/items', httpMethod: 'GET', apiKeyId: 'k1'})
    writeFileSync(join(dir, 'weekend.jsonl'), [line('2026-02-28T12:00:00Z'), line('2026-03-01T12:00:00Z')].join('\n'))
    const args = ['simulate', '--snapshot', join(dir, 'weekly.json'), '--log', join(dir, 'weekend.jsonl'), '--json']
    assert.equal(JSON.parse((await runCommand(args, {root: ROOT})).stdout).quotaExceeded, 0)
    assert.equal(JSON.parse((await runCommand([...args, '--week-start', 'monday'], {root: ROOT})).stdout).quotaExceeded, 1)
  })
})

describe('logs format command', () => {
  it('prints one line of JSON with the fields replay needs, logging the key id and not its value', async () => {
    const {stdout, stderr} = await runCommand(['logs', 'format'], {root: ROOT})
    const lines = stdout.trim().split('\n')
    assert.equal(lines.length, 1)
    const format = JSON.parse(lines[0])
    for (const [field, variable] of Object.entries({
      requestId: '$context.requestId',
      extendedRequestId: '$context.extendedRequestId',
      requestTimeEpoch: '$context.requestTimeEpoch',
      apiId: '$context.apiId',
      stage: '$context.stage',
      resourcePath: '$context.resourcePath',
      httpMethod: '$context.httpMethod',
      status: '$context.status',
      apiKeyId: '$context.identity.apiKeyId',
    })) {
      assert.equal(format[field], variable)
    }

    assert.doesNotMatch(stdout, /identity\.apiKey"/)
    assert.match(stderr, /the key value is a secret/)
  })

  it('says how to set the format on a stage: gwctl logs enable, with the style when not JSON', async () => {
    assert.match((await runCommand(['logs', 'format'], {root: ROOT})).stderr, /Set it on a stage with: gwctl logs enable API:STAGE \(/)
    assert.match(
      (await runCommand(['logs', 'format', '--format', 'csv'], {root: ROOT})).stderr,
      /Set it on a stage with: gwctl logs enable API:STAGE --format csv \(/,
    )
  })

  it('refuses --region, --profile and --endpoint-url instead of ignoring them', async () => {
    const {error, stderr, stdout} = await runCommand(['logs', 'format', '--region', 'eu-west-1'], {root: ROOT})
    assert.equal(error?.oclif?.exit, 2)
    assert.match(stderr, /--region does not apply: logs format prints a format and reads no AWS account/)
    assert.equal(stdout, '')
  })

  it('prints CSV and CLF variants that simulate reads back', async () => {
    const csv = (await runCommand(['logs', 'format', '--format', 'csv'], {root: ROOT})).stdout.trim()
    assert.match(csv, /^\$context\.identity\.sourceIp,.*,\$context\.identity\.apiKeyId,\$context\.requestTimeEpoch$/)
    const clf = (await runCommand(['logs', 'format', '--format', 'clf'], {root: ROOT})).stdout.trim()
    assert.match(clf, /\[\$context\.requestTime\]"\$context\.httpMethod \$context\.resourcePath \$context\.protocol"/)
  })
})

describe('simulate start-up (built CLI)', () => {
  it('never loads the AWS SDK', function () {
    this.timeout(30_000)
    const {packages, sources, stdout} = packagesLoadedBy(['simulate', '--snapshot', SNAPSHOT, '--log', LOG, '--json'])
    assert.equal(JSON.parse(stdout).requests, 7)
    assert.ok(packages.includes('@oclif/core'), 'the hook saw oclif load')
    assert.deepEqual(
      packages.filter((name) => /^@(aws-sdk|smithy)\//.test(name)),
      [],
    )
    // src/aws's plumbing without the SDK (retry, session, errors) may come with BaseCommand; the client module may not.
    assert.ok(!sources.includes('src/aws/api-gateway.ts'), 'simulate loaded the API Gateway client module')
  })
})
