import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  GetQueryResultsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs'
import {CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client} from '@aws-sdk/client-s3'
import assert from 'node:assert/strict'
import {gunzipSync, gzipSync} from 'node:zlib'

import {useMoto} from '../helpers/moto.js'

// CloudWatch Logs and S3 are moto's own: this checks that they answer through the same server as
// the extended API Gateway, with the SDK clients gwctl will use (issue 10), and pins what
// simulate's readers rely on.
describe('extended moto: CloudWatch Logs and S3 through the same server', function () {
  this.timeout(30_000)
  const moto = useMoto()
  const config = () => ({region: 'us-east-1', endpoint: moto.current.url, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}})
  const group = 'API-Gateway-Access-Logs_abc123/prod'

  async function logWithEvents(count: number, startMs: number) {
    const logs = new CloudWatchLogsClient(config())
    await logs.send(new CreateLogGroupCommand({logGroupName: group}))
    await logs.send(new PutRetentionPolicyCommand({logGroupName: group, retentionInDays: 30}))
    await logs.send(new CreateLogStreamCommand({logGroupName: group, logStreamName: 's1'}))
    const logEvents = Array.from({length: count}, (_, i) => ({timestamp: startMs + i * 1000, message: JSON.stringify({requestId: `r${i}`, status: '200'})}))
    await logs.send(new PutLogEventsCommand({logGroupName: group, logStreamName: 's1', logEvents}))
    return logs
  }

  it('CloudWatch Logs: a log group with retention, events read back by FilterLogEvents pages and by a Logs Insights query', async () => {
    const start = Date.now() - 60_000
    const logs = await logWithEvents(5, start)
    const [described] = (await logs.send(new DescribeLogGroupsCommand({logGroupNamePrefix: 'API-Gateway'}))).logGroups ?? []
    assert.deepEqual([described.logGroupName, described.retentionInDays], [group, 30])

    const first = await logs.send(new FilterLogEventsCommand({logGroupName: group, startTime: start, limit: 3}))
    assert.deepEqual(
      first.events?.map((e) => JSON.parse(e.message!).requestId),
      ['r0', 'r1', 'r2'],
    )
    assert.ok(first.nextToken)
    const second = await logs.send(new FilterLogEventsCommand({logGroupName: group, startTime: start, limit: 3, nextToken: first.nextToken}))
    assert.deepEqual(
      second.events?.map((e) => JSON.parse(e.message!).requestId),
      ['r3', 'r4'],
    )

    const {queryId} = await logs.send(
      new StartQueryCommand({
        logGroupName: group,
        startTime: Math.floor(start / 1000) - 1,
        endTime: Math.floor(Date.now() / 1000) + 1,
        queryString: 'fields @timestamp, @message | sort @timestamp asc | limit 4',
      }),
    )
    let results = await logs.send(new GetQueryResultsCommand({queryId}))
    for (let tries = 0; results.status !== 'Complete' && tries < 50; tries += 1) {
      await new Promise((r) => setTimeout(r, 100))
      results = await logs.send(new GetQueryResultsCommand({queryId}))
    }

    assert.equal(results.status, 'Complete')
    const rows = (results.results ?? []).map((row) => Object.fromEntries(row.map((f) => [f.field, f.value])))
    assert.deepEqual(
      rows.map((r) => JSON.parse(r['@message']).requestId),
      ['r0', 'r1', 'r2', 'r3'],
      'sorted and limited',
    )
    // AWS's shape (extensions/logs_insights.py): UTC "YYYY-MM-DD HH:MM:SS.mmm", fields in the query's order, then @ptr.
    const expected = [0, 1, 2, 3].map((i) => new Date(start + i * 1000).toISOString().replace('T', ' ').replace('Z', ''))
    assert.deepEqual(
      rows.map((r) => r['@timestamp']),
      expected,
    )
    assert.deepEqual(
      results.results?.[0].map((f) => f.field),
      ['@timestamp', '@message', '@ptr'],
    )
    assert.equal(results.statistics?.recordsMatched, 5, 'rows before the limit: the window was cut')
  })

  it('S3: objects under a Firehose-style prefix, gzip kept as is, listed in key order', async () => {
    // Path-style requests without forcePathStyle: the SDK uses them for an IP-address endpoint.
    const s3 = new S3Client(config())
    await s3.send(new CreateBucketCommand({Bucket: 'access-logs'}))
    const lines = '{"requestId":"r1"}\n{"requestId":"r2"}\n'
    for (const key of ['2026/11/18/13/b.gz', '2026/11/18/12/a.gz', '2026/11/19/00/c.gz']) {
      await s3.send(new PutObjectCommand({Bucket: 'access-logs', Key: key, Body: gzipSync(lines)}))
    }

    const listed = await s3.send(new ListObjectsV2Command({Bucket: 'access-logs', Prefix: '2026/11/18/'}))
    assert.deepEqual(
      listed.Contents?.map((o) => o.Key),
      ['2026/11/18/12/a.gz', '2026/11/18/13/b.gz'],
    )
    const object = await s3.send(new GetObjectCommand({Bucket: 'access-logs', Key: '2026/11/18/12/a.gz'}))
    assert.equal(gunzipSync(await object.Body!.transformToByteArray()).toString(), lines)
  })
})
