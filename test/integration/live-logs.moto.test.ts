import {
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetStagesCommand,
  PutMethodCommand,
  UpdateAccountCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway'
import {CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs'
import {CreateBucketCommand, PutObjectCommand, S3Client} from '@aws-sdk/client-s3'
import assert from 'node:assert/strict'
import {mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'

import {runCli} from '../helpers/cli.js'
import {type FaultProxy, startFaultProxy} from '../helpers/fault-proxy.js'
import {createDeployedApi, sdkFor} from '../helpers/moto-api.js'
import {MOTO_ENV, useMoto} from '../helpers/moto.js'

const ROLE = 'arn:aws:iam::123456789012:role/apigateway-cloudwatch'
const HOUR = 3_600_000

interface Account {
  apiId: string
  keys: Record<'alice' | 'bob', string>
}

/** The numbers of a report that must not depend on where the log was read from. */
function replayed(report: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(report).filter(([field]) => !['sources', 'problems', 'snapshotSource', 'fetched'].includes(field)))
}

/** "2026/11/30/08": the date path Kinesis Data Firehose files an object under. */
const hourPath = (t: number) => new Date(t).toISOString().slice(0, 13).replaceAll(/[-T]/g, '/')

/**
 * One account as a user has it: API petstore (GET /pets needs a key) on stage prod, plan
 * free (5 requests per second, burst 10, 2000 a day) with alice and bob, and access logs
 * in the format `gwctl logs format` prints: alice calls twice a second for ten minutes,
 * bob sends bursts of 20 in one second every minute, and a few calls come without a key.
 */
describe('replay from the account: logs enable, simulate --log-group and --log s3:// (built CLI against moto)', function () {
  this.timeout(120_000)
  const moto = useMoto()
  let dir: string
  const endpoint = () => ['--endpoint-url', moto.current.url]
  const gwctl = (...args: string[]) => runCli([...args, ...endpoint()], {env: MOTO_ENV})
  const config = () => ({region: 'us-east-1', endpoint: moto.current.url, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}})

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-live-'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  async function account(): Promise<Account> {
    const apigw = sdkFor(moto.current.url)
    const api = await createDeployedApi(moto.current.url, {name: 'petstore', methods: {'/': ['GET'], '/pets': []}, stages: ['prod']})
    await apigw.send(
      new PutMethodCommand({restApiId: api.id, resourceId: api.resourceIds['/pets'], httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: true}),
    )
    const plan = await apigw.send(
      new CreateUsagePlanCommand({
        name: 'free',
        throttle: {rateLimit: 5, burstLimit: 10},
        quota: {limit: 2000, period: 'DAY'},
        apiStages: [{apiId: api.id, stage: 'prod'}],
      }),
    )
    const keys = {} as Account['keys']
    for (const name of ['alice', 'bob'] as const) {
      const key = await apigw.send(new CreateApiKeyCommand({name, enabled: true, value: `${name}-key-value-0123456789`}))
      await apigw.send(new CreateUsagePlanKeyCommand({usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY'}))
      keys[name] = key.id!
    }

    return {apiId: api.id, keys}
  }

  /** Ten minutes of traffic starting at `start`, as JSON access-log lines in time order. */
  function traffic(a: Account, start: number): Array<{t: number; line: string}> {
    const lines: Array<{t: number; line: string}> = []
    const add = (t: number, keyId: string | undefined, i: number) =>
      lines.push({
        t,
        line: JSON.stringify({
          requestId: `r-${t}-${i}`,
          requestTimeEpoch: String(t),
          apiId: a.apiId,
          stage: 'prod',
          resourcePath: '/pets',
          httpMethod: 'GET',
          status: '200',
          apiKeyId: keyId ?? '',
        }),
      })
    for (let s = 0; s < 600; s++) {
      add(start + s * 1000, a.keys.alice, 0)
      add(start + s * 1000 + 500, a.keys.alice, 1)
      if (s % 60 === 7) for (let i = 0; i < 20; i++) add(start + s * 1000 + 100 + i * 10, a.keys.bob, i)
      if (s % 100 === 3) add(start + s * 1000 + 250, undefined, 0)
    }

    return lines.toSorted((x, y) => x.t - y.t)
  }

  /** Puts the lines into a log group, in two log streams (every other line), as API Gateway writes from several hosts. */
  async function putEvents(group: string, lines: Array<{t: number; line: string}>) {
    const logs = new CloudWatchLogsClient(config())
    for (const [i, stream] of ['host-a', 'host-b'].entries()) {
      await logs.send(new CreateLogStreamCommand({logGroupName: group, logStreamName: stream}))
      const events = lines.filter((_, j) => j % 2 === i).map((l) => ({timestamp: l.t, message: l.line}))
      for (let j = 0; j < events.length; j += 5000) {
        await logs.send(new PutLogEventsCommand({logGroupName: group, logStreamName: stream, logEvents: events.slice(j, j + 5000)}))
      }
    }
  }

  type Json = Record<string, unknown> & {fetched?: Array<Record<string, number>>}

  async function json(...args: string[]): Promise<Json> {
    const result = await gwctl(...args, '--json')
    assert.equal(result.code, 0, `gwctl ${args.join(' ')}: ${result.stderr}${result.stdout}`)
    return JSON.parse(result.stdout) as Json
  }

  /** A replay of files against a snapshot file: no account, so no --endpoint-url. */
  async function offline(...args: string[]): Promise<Json> {
    const result = await runCli([...args, '--json'])
    assert.equal(result.code, 0, `gwctl ${args.join(' ')}: ${result.stderr}${result.stdout}`)
    return JSON.parse(result.stdout) as Json
  }

  async function loggedAccount() {
    const a = await account()
    await sdkFor(moto.current.url).send(new UpdateAccountCommand({patchOperations: [{op: 'replace', path: '/cloudwatchRoleArn', value: ROLE}]}))
    const enabled = await gwctl('logs', 'enable', 'petstore:prod')
    assert.equal(enabled.code, 0, enabled.stderr)
    const group = `API-Gateway-Access-Logs_${a.apiId}/prod`
    const lines = traffic(a, Math.floor((Date.now() - 3 * HOUR) / 60_000) * 60_000)
    await putEvents(group, lines)
    const file = join(dir, 'access.jsonl')
    writeFileSync(file, lines.map((l) => l.line).join('\n') + '\n')
    const snapshot = join(dir, 'snapshot.json')
    assert.equal((await gwctl('export', '--out', snapshot)).code, 0)
    const fromFile = await offline('simulate', '--snapshot', snapshot, '--log', file)
    return {a, group, lines, file, snapshot, fromFile}
  }

  it('logs enable: sets the destination and format read back through the SDK; refuses without the account role, naming the fix', async () => {
    const a = await account()
    const refused = await gwctl('logs', 'enable', 'petstore:prod')
    assert.equal(refused.code, 2)
    assert.match(refused.stderr, /CloudWatch Logs role ARN must be set in account settings/)
    assert.match(refused.stderr, /gwctl logs enable petstore:prod --cloudwatch-role-arn arn:aws:iam::ACCOUNT_ID:role\/ROLE_NAME/)
    const untouched = await sdkFor(moto.current.url).send(new GetStagesCommand({restApiId: a.apiId}))
    assert.equal(untouched.item?.[0].accessLogSettings, undefined, 'nothing was changed')

    const enabled = await json('logs', 'enable', 'petstore:prod', '--cloudwatch-role-arn', ROLE, '--retention-days', '30')
    assert.equal(enabled.changed, true)
    const [stage] = (await sdkFor(moto.current.url).send(new GetStagesCommand({restApiId: a.apiId}))).item ?? []
    assert.equal(stage.accessLogSettings?.destinationArn, `arn:aws:logs:us-east-1:123456789012:log-group:API-Gateway-Access-Logs_${a.apiId}/prod`)
    const format = await runCli(['logs', 'format'])
    assert.equal(stage.accessLogSettings?.format, format.stdout.trim())
    assert.deepEqual(enabled.logGroup, {name: `API-Gateway-Access-Logs_${a.apiId}/prod`, created: true, retentionInDays: 30})

    const status = await json('logs', 'status')
    assert.deepEqual(
      (status.items as Array<Record<string, unknown>>).map((s) => [s.stageName, s.enabled, s.destination]),
      [['prod', true, {type: 'cloudwatch-logs', logGroup: `API-Gateway-Access-Logs_${a.apiId}/prod`}]],
    )
    const again = await json('logs', 'enable', 'petstore:prod')
    assert.equal(again.changed, false, 'a second run finds nothing to change')
  })

  it('logs enable --dry-run prints the calls and sends nothing', async () => {
    const a = await account()
    const dry = await gwctl('logs', 'enable', 'petstore:prod', '--cloudwatch-role-arn', ROLE, '--dry-run')
    assert.equal(dry.code, 0, dry.stderr)
    assert.match(dry.stdout, /1\. API Gateway UpdateAccount\n\s+replace \/cloudwatchRoleArn arn:aws:iam::123456789012:role\/apigateway-cloudwatch/)
    assert.match(dry.stdout, /2\. CloudWatch Logs CreateLogGroup logGroupName=API-Gateway-Access-Logs_\w+\/prod/)
    assert.match(dry.stdout, /3\. API Gateway UpdateStage restApiId=\w+ stageName=prod\n\s+replace \/accessLogSettings\/destinationArn/)
    const [stage] = (await sdkFor(moto.current.url).send(new GetStagesCommand({restApiId: a.apiId}))).item ?? []
    assert.equal(stage.accessLogSettings, undefined)
    const status = await json('logs', 'status')
    assert.equal((status.items as Array<{enabled: boolean}>)[0].enabled, false)
    const groups = await runCli(['simulate', '--log-group', `API-Gateway-Access-Logs_${a.apiId}/prod`, '--since', '1h', ...endpoint()], {env: MOTO_ENV})
    assert.match(groups.stderr, /log group|Not found/i, 'no log group was created')
    assert.notEqual(groups.code, 0)
  })

  it('logs enable --firehose checks the stream name before calling AWS', async () => {
    await account()
    const refused = await gwctl('logs', 'enable', 'petstore:prod', '--firehose', 'arn:aws:firehose:us-east-1:123456789012:deliverystream/access-logs')
    assert.equal(refused.code, 2)
    assert.match(refused.stderr, /name starts with "amazon-apigateway-"; "access-logs" does not/)
    const ok = await json('logs', 'enable', 'petstore:prod', '--firehose', 'arn:aws:firehose:us-east-1:123456789012:deliverystream/amazon-apigateway-access')
    assert.deepEqual([ok.changed, ok.destinationArn], [true, 'arn:aws:firehose:us-east-1:123456789012:deliverystream/amazon-apigateway-access'])
  })

  it('simulate --log-group gives the report the file of the same events gives: Logs Insights, split windows, FilterLogEvents, the cache', async () => {
    const {a, group, fromFile, lines} = await loggedAccount()
    assert.equal(fromFile.requests, lines.length)
    assert.ok((fromFile.throttled as number) > 0, 'bob is throttled')

    const insights = await json('simulate', '--log-group', group, '--since', '6h')
    assert.deepEqual(replayed(insights), replayed(fromFile))
    assert.deepEqual(insights.snapshotSource, {account: true, region: 'us-east-1', stages: [`${a.apiId}:prod`]})
    assert.equal(insights.fetched?.[0].events, lines.length)

    // A row limit of 100 cuts every query of the hour with traffic: the window is split until each part fits.
    const split = await json('simulate', '--log-group', group, '--since', '6h', '--query-row-limit', '100')
    assert.deepEqual(replayed(split), replayed(fromFile))
    assert.ok(split.fetched![0].queries >= lines.length / 100, `${split.fetched![0].queries} queries`)

    const filtered = await json('simulate', '--log-group', group, '--since', '6h', '--source', 'filter')
    assert.deepEqual(replayed(filtered), replayed(fromFile))

    const cache = join(dir, 'cache')
    const first = await json('simulate', '--log-group', group, '--since', '6h', '--cache', cache)
    assert.equal(first.fetched![0].windowsCached, 0)
    assert.ok(readdirSync(cache).length > 0, 'settled windows were kept')
    const second = await json('simulate', '--log-group', group, '--since', '6h', '--cache', cache, '--set', 'free:rate=1,burst=2')
    assert.ok(second.fetched![0].windowsCached >= 1, 'read again from the cache')
    assert.equal(second.requests, lines.length)
  })

  it('simulate --log s3://... reads every object under the prefix, gzip or plain, and gives the same report', async () => {
    const {fromFile, lines, snapshot} = await loggedAccount()
    const s3 = new S3Client(config())
    await s3.send(new CreateBucketCommand({Bucket: 'access-logs'}))
    // Firehose's date paths, records run together; one object plain, the others gzip; one outside the range.
    const start = lines[0].t
    const thirds = [lines.slice(0, 500), lines.slice(500, 900), lines.slice(900)]
    for (const [i, part] of thirds.entries()) {
      const body = part.map((l) => l.line).join('')
      await s3.send(new PutObjectCommand({Bucket: 'access-logs', Key: `firehose/${hourPath(start)}/part-${i}.gz`, Body: i === 1 ? body : gzipSync(body)}))
    }

    await s3.send(new PutObjectCommand({Bucket: 'access-logs', Key: `firehose/${hourPath(start - 30 * HOUR)}/old.gz`, Body: gzipSync(lines[0].line)}))
    const fromS3 = await json('simulate', '--snapshot', snapshot, '--log', 's3://access-logs/firehose/', '--since', '6h')
    assert.deepEqual(replayed(fromS3), replayed(fromFile))
    assert.deepEqual(fromS3.fetched, [
      {source: 's3', location: 's3://access-logs/firehose/', objects: 3, skipped: 1, bytes: (fromS3.fetched![0] as {bytes: number}).bytes},
    ])
  })

  /** Sets the stage's access logging as a user (or the console) did before gwctl: to log group `group`, in `format`. */
  async function ownLogging(a: Account, group: string, format: string) {
    await sdkFor(moto.current.url).send(new UpdateAccountCommand({patchOperations: [{op: 'replace', path: '/cloudwatchRoleArn', value: ROLE}]}))
    await new CloudWatchLogsClient(config()).send(new CreateLogGroupCommand({logGroupName: group}))
    await sdkFor(moto.current.url).send(
      new UpdateStageCommand({
        restApiId: a.apiId,
        stageName: 'prod',
        patchOperations: [
          {op: 'replace', path: '/accessLogSettings/destinationArn', value: `arn:aws:logs:us-east-1:123456789012:log-group:${group}`},
          {op: 'replace', path: '/accessLogSettings/format', value: format},
        ],
      }),
    )
  }

  const stageFormat = async (a: Account) =>
    (await sdkFor(moto.current.url).send(new GetStagesCommand({restApiId: a.apiId}))).item?.[0].accessLogSettings?.format

  it('logs enable asks before replacing a format that lacks what simulate reads (refused without a terminal unless --yes), and keeps one that has it all', async () => {
    const a = await account()
    // AWS's CLF sample: no key, no epoch time, no API or stage.
    const clf =
      '$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId'
    await ownLogging(a, 'team-logs', clf)

    const status = await json('logs', 'status')
    const [before] = status.items as Array<{enabled: boolean; replay: {replayable: boolean; complete: boolean; missing: string[]}}>
    assert.deepEqual([before.enabled, before.replay.replayable, before.replay.complete], [true, false, false])
    assert.ok(before.replay.missing.includes('$context.identity.apiKeyId'), before.replay.missing.join(', '))
    const table = await gwctl('logs', 'status')
    assert.match(table.stdout, /cannot replay: it lacks \$context\.identity\.apiKeyId/)

    const refused = await gwctl('logs', 'enable', 'petstore:prod', '--log-group', 'team-logs')
    assert.equal(refused.code, 2, refused.stderr)
    assert.match(refused.stderr, /petstore:prod logs in a format simulate cannot replay \(it lacks \$context\.identity\.apiKeyId[^)]*\)/)
    assert.match(refused.stderr, /--yes/)
    assert.equal(await stageFormat(a), clf, 'the format was not touched')

    const replaced = await json('logs', 'enable', 'petstore:prod', '--log-group', 'team-logs', '--yes')
    assert.deepEqual([replaced.changed, replaced.formatKept, replaced.replacedFormat], [true, false, clf])
    assert.equal(await stageFormat(a), (await runCli(['logs', 'format'])).stdout.trim())
    assert.deepEqual(
      (replaced.operations as Array<{operation: string}>).map((o) => o.operation),
      ['UpdateStage'],
      'the log group existed: only the format changed',
    )

    // A format of the team's own that has every field simulate reads, and more: kept as it is.
    const own = JSON.stringify({
      ...Object.fromEntries(['requestId', 'requestTimeEpoch', 'apiId', 'stage', 'resourcePath', 'httpMethod', 'status'].map((f) => [f, `$context.${f}`])),
      apiKeyId: '$context.identity.apiKeyId',
      sourceIp: '$context.identity.sourceIp',
    })
    await ownLogging(a, 'team-logs-2', own)
    const kept = await json('logs', 'enable', 'petstore:prod', '--log-group', 'team-logs-2')
    assert.deepEqual([kept.changed, kept.formatKept, kept.replacedFormat, kept.format], [false, true, null, own])
    assert.equal(await stageFormat(a), own)
    const keptStatus = await json('logs', 'status')
    assert.deepEqual((keptStatus.items as Array<{replay: unknown}>)[0].replay, {replayable: true, complete: true, missing: [], problems: [], fieldFlags: []})
  })

  describe('a log the source cannot read: gwctl says so and exits non-zero, never a partial replay (fault proxy)', () => {
    let proxy: FaultProxy
    afterEach(async () => proxy?.stop())
    const viaProxy = (...args: string[]) => runCli([...args, '--endpoint-url', proxy.url], {env: MOTO_ENV})
    // CloudWatch Logs speaks JSON to POST /; API Gateway uses REST paths.
    const LOGS = {method: 'POST', path: /^\/$/}

    it('Logs Insights refused part way (access denied): exit 6 naming the log group, no report', async () => {
      const {group} = await loggedAccount()
      proxy = await startFaultProxy(moto.current.url)
      proxy
        .when({...LOGS, nth: 3, times: 1000})
        .failBefore({status: 400, errorType: 'AccessDeniedException', message: 'User is not authorized to perform: logs:GetQueryResults'})
      const result = await viaProxy('simulate', '--log-group', group, '--since', '6h')
      assert.equal(result.code, 6, result.stderr)
      assert.match(result.stderr, new RegExp(`log group ${group.replace('/', String.raw`\/`)}`))
      assert.match(result.stderr, /not authorized/)
      assert.doesNotMatch(result.stdout, /Replayed/, 'no report of what was read before the failure')
      assert.ok(proxy.requestsMatching(LOGS).length >= 3)

      const asJson = await viaProxy('simulate', '--log-group', group, '--since', '6h', '--json')
      assert.equal(asJson.code, 6)
      const out = JSON.parse(asJson.stdout) as {error: {exitCode: number}; requests?: number}
      assert.deepEqual([out.error.exitCode, out.requests], [6, undefined])
    })

    it("FilterLogEvents throttled once: waited out, and the report is the file's, nothing lost or read twice", async () => {
      const {group, fromFile} = await loggedAccount()
      proxy = await startFaultProxy(moto.current.url)
      const throttled = proxy.when({...LOGS, nth: 4}).throttle({retryAfter: 1, errorType: 'LimitExceededException'})
      const result = await viaProxy('simulate', '--log-group', group, '--since', '6h', '--source', 'filter', '--json')
      assert.equal(result.code, 0, result.stderr)
      assert.equal(throttled.applied, 1)
      assert.deepEqual(replayed(JSON.parse(result.stdout) as Json), replayed(fromFile))
    })

    it('an S3 object that cannot be read: retried, then exit 6 naming the object, no report', async () => {
      const {snapshot, lines} = await loggedAccount()
      const s3 = new S3Client(config())
      await s3.send(new CreateBucketCommand({Bucket: 'access-logs'}))
      for (const [i, part] of [lines.slice(0, 700), lines.slice(700)].entries()) {
        await s3.send(new PutObjectCommand({Bucket: 'access-logs', Key: `logs/part-${i}.gz`, Body: gzipSync(part.map((l) => `${l.line}\n`).join(''))}))
      }

      proxy = await startFaultProxy(moto.current.url)
      // Every attempt at the second object loses its connection: retried, then given up.
      const lost = proxy.when({method: 'GET', path: /^\/access-logs\/logs\/part-1\.gz$/}).reset('before')
      const result = await viaProxy('simulate', '--snapshot', snapshot, '--log', 's3://access-logs/logs/')
      assert.equal(result.code, 6, result.stderr)
      assert.match(result.stderr, /Could not reach the S3 endpoint while reading s3:\/\/access-logs\/logs\/part-1\.gz/)
      assert.equal(lost.applied, 5, 'tried five times: the retry rule for answers that were lost')
      assert.doesNotMatch(result.stdout, /Replayed/)
    })
  })

  it('logs enable failing part way (UpdateStage refused after the log group was made): exit 7, what was done, how to finish and undo', async () => {
    const a = await account()
    await sdkFor(moto.current.url).send(new UpdateAccountCommand({patchOperations: [{op: 'replace', path: '/cloudwatchRoleArn', value: ROLE}]}))
    const proxy = await startFaultProxy(moto.current.url)
    try {
      proxy.when({method: 'PATCH', path: /\/stages\/prod$/}).failBefore({status: 400, errorType: 'BadRequestException', message: 'Invalid destination'})
      const result = await runCli(['logs', 'enable', 'petstore:prod', '--retention-days', '7', '--endpoint-url', proxy.url], {env: MOTO_ENV})
      assert.equal(result.code, 7, result.stderr)
      const group = `API-Gateway-Access-Logs_${a.apiId}/prod`
      assert.match(
        result.stderr,
        new RegExp(`Done:\n  - CloudWatch Logs CreateLogGroup logGroupName=${group.replace('/', String.raw`\/`)}\n  - CloudWatch Logs PutRetentionPolicy`),
      )
      assert.match(result.stderr, /Not done:\n {2}- API Gateway UpdateStage/)
      assert.match(result.stderr, /To finish, once the cause is fixed:\n {2}gwctl logs enable petstore:prod --retention-days 7/)
      assert.match(result.stderr, new RegExp(`To undo:\n(.*\n)*  aws logs delete-log-group --log-group-name ${group.replace('/', String.raw`\/`)}`))
    } finally {
      await proxy.stop()
    }

    // The same command, run again, finds the log group and finishes.
    const again = await json('logs', 'enable', 'petstore:prod', '--retention-days', '7')
    assert.deepEqual(
      (again.operations as Array<{operation: string}>).map((o) => o.operation),
      ['UpdateStage'],
    )
  })

  it('done when: a new user turns logging on and later replays the log group with a proposal, with no other step', async () => {
    const a = await account()
    const first = await gwctl('logs', 'enable', 'petstore:prod')
    assert.equal(first.code, 2)
    // The printed fix, with the role filled in.
    const fix = /Give API Gateway a role to write with: gwctl (.+)/.exec(first.stderr)![1].replace('arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME', ROLE)
    const enabled = await gwctl(...fix.split(' '))
    assert.equal(enabled.code, 0, enabled.stderr)
    const group = `API-Gateway-Access-Logs_${a.apiId}/prod`
    assert.match(enabled.stderr, new RegExp(`gwctl simulate --log-group ${group.replace('/', String.raw`\/`)} --since 24h`))
    await putEvents(group, traffic(a, Math.floor((Date.now() - 2 * HOUR) / 60_000) * 60_000))

    const replay = await gwctl('simulate', '--log-group', group, '--since', '24h', '--set', 'free:rate=2,burst=4')
    assert.equal(replay.code, 0, replay.stderr)
    assert.match(replay.stderr, /Limits read from the account \(us-east-1\) for the stages logging to/)
    assert.match(replay.stdout, /Replayed 1,406 requests/)
    assert.match(replay.stdout, /If you apply/)
  })
})
