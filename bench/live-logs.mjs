#!/usr/bin/env node
// Wall time and peak memory of `gwctl simulate --log-group` (Logs Insights, split windows;
// FilterLogEvents; a re-run from --cache) beside the same events replayed from a file, against
// the extended moto (test/moto/server.py). Not part of `npm test`.
//
//   npm run build && node bench/live-logs.mjs [--events 50000] [--hours 2]
//
// Puts --events access-log events of the examples' keys, spread over --hours hours that ended two
// hours ago (so every window is settled and cacheable), into one log group in two streams, and
// writes the same lines to a file. Each replay runs under /usr/bin/time against
// examples/snapshot.json. The figures measure gwctl and moto on this machine, not AWS: moto
// answers a Logs Insights query by scanning the whole group in Python.
import {CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {startMoto} from './moto.mjs'

const {values: options} = parseArgs({options: {events: {type: 'string', default: '50000'}, hours: {type: 'string', default: '2'}}})
const EVENTS = Number(options.events)
const HOURS = Number(options.hours)
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const env = {
  ...process.env,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
  NO_COLOR: '1',
}
const KEYS = ['k8acme0001', 'k8bursty02', 'k8quota003']
const GROUP = 'API-Gateway-Access-Logs_a1b2c3d4e5/prod'

if (!existsSync(join(ROOT, 'dist/cli.js'))) {
  console.error('dist is missing: run `npm run build` first')
  process.exit(1)
}

/** Runs gwctl under /usr/bin/time: seconds, peak RSS in MB, and the JSON report. */
function timed(args) {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, 'bin/run.js', 'simulate', ...args, '--json'], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  })
  if (result.status !== 0) throw new Error(`gwctl ${args.join(' ')} exited ${result.status}: ${result.stderr}`)
  const [seconds, kb] = result.stderr.trim().split('\n').at(-1).split(' ').map(Number)
  return {seconds, mb: kb / 1024, report: JSON.parse(result.stdout)}
}

const dir = mkdtempSync(join(tmpdir(), 'gwctl-bench-live-'))
const moto = await startMoto({extended: true})
try {
  const end = Math.floor((Date.now() - 2 * 3_600_000) / 3_600_000) * 3_600_000
  const start = end - HOURS * 3_600_000
  const step = (end - start) / EVENTS
  const lines = Array.from({length: EVENTS}, (_, i) => {
    const t = Math.floor(start + i * step)
    const line = JSON.stringify({
      requestId: `r-${i}`,
      requestTimeEpoch: String(t),
      apiId: 'a1b2c3d4e5',
      stage: 'prod',
      resourcePath: '/pets',
      httpMethod: 'GET',
      status: '200',
      apiKeyId: KEYS[i % KEYS.length],
    })
    return {t, line}
  })
  const file = join(dir, 'access.jsonl')
  writeFileSync(file, lines.map((l) => l.line).join('\n') + '\n')

  const logs = new CloudWatchLogsClient({region: 'us-east-1', endpoint: moto.url, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}})
  await logs.send(new CreateLogGroupCommand({logGroupName: GROUP}))
  for (const [s, stream] of ['host-a', 'host-b'].entries()) {
    await logs.send(new CreateLogStreamCommand({logGroupName: GROUP, logStreamName: stream}))
    const events = lines.filter((_, i) => i % 2 === s).map((l) => ({timestamp: l.t, message: l.line}))
    for (let i = 0; i < events.length; i += 5000)
      await logs.send(new PutLogEventsCommand({logGroupName: GROUP, logStreamName: stream, logEvents: events.slice(i, i + 5000)}))
  }

  const since = new Date(start).toISOString()
  const until = new Date(end).toISOString()
  const live = ['--snapshot', 'examples/snapshot.json', '--log-group', GROUP, '--since', since, '--until', until, '--endpoint-url', moto.url]
  const cache = join(dir, 'cache')
  const runs = [
    ['file', ['--snapshot', 'examples/snapshot.json', '--log', file]],
    ['log group, Logs Insights (10,000-row limit: windows split)', live],
    ['log group, FilterLogEvents (--source filter)', [...live, '--source', 'filter']],
    ['log group, Insights, filling --cache', [...live, '--cache', cache]],
    ['log group, again from --cache', [...live, '--cache', cache]],
  ]
  const load = loadavg()[0].toFixed(1)
  console.log(`${EVENTS.toLocaleString('en-US')} events over ${HOURS} h; load average ${load} on this machine at start`)
  console.log('| source | wall s | events/s | peak RSS MB | AWS calls (queries or pages) | windows from cache |')
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |')
  let reference
  for (const [name, args] of runs) {
    const {seconds, mb, report} = timed(args)
    if (report.requests !== EVENTS) throw new Error(`${name}: replayed ${report.requests} of ${EVENTS} events`)
    reference ??= report.throttled
    if (report.throttled !== reference) throw new Error(`${name}: ${report.throttled} throttled, the file gave ${reference}`)
    const fetched = report.fetched?.[0]
    console.log(
      `| ${name} | ${seconds.toFixed(1)} | ${Math.round(EVENTS / seconds).toLocaleString('en-US')} | ${mb.toFixed(0)} | ${fetched ? fetched.queries : '-'} | ${fetched ? fetched.windowsCached : '-'} |`,
    )
  }
} finally {
  moto.stop()
  rmSync(dir, {recursive: true, force: true})
}
