import type {FilterLogEventsCommandInput, GetQueryResultsCommandOutput, StartQueryCommandInput} from '@aws-sdk/client-cloudwatch-logs'

import assert from 'node:assert/strict'

import type {CloudWatchLogs} from '../../src/aws/cloudwatch-logs.js'

import {insightsTime, LogGroupReader} from '../../src/gateway/log-groups.js'
import {type FetchedEvent, type FetchProgress, type WindowCache} from '../../src/model/live-logs.js'
import {rejection} from '../helpers/rejection.js'

const HOUR = 3_600_000
const T0 = Date.UTC(2026, 10, 18, 12)

/** "2026-11-18 12:00:00.123", as Logs Insights writes @timestamp. */
const insightsStamp = (t: number) => new Date(t).toISOString().replace('T', ' ').replace('Z', '')

/**
 * A log group in memory behind the CloudWatchLogs interface, answering as AWS does:
 * Insights takes whole seconds with both ends included, sorts by time and stops at
 * `limit`; FilterLogEvents pages by `limit` with a token.
 */
function fakeLogs(events: FetchedEvent[], options: {queryStatus?: string} = {}) {
  const sorted = events.toSorted((a, b) => a.timestamp - b.timestamp)
  const queries: StartQueryCommandInput[] = []
  const pages: FilterLogEventsCommandInput[] = []
  const results = new Map<string, GetQueryResultsCommandOutput['results']>()
  const logs: CloudWatchLogs = {
    region: async () => 'us-east-1',
    describeLogGroup: async () => undefined,
    createLogGroup: async () => undefined,
    putRetentionPolicy: async () => undefined,
    async startQuery(input) {
      queries.push(input)
      const limit = Number(/limit (\d+)/.exec(input.queryString!)?.[1] ?? 10_000)
      const rows = sorted
        .filter((e) => e.timestamp >= input.startTime! * 1000 && e.timestamp < (input.endTime! + 1) * 1000)
        .slice(0, limit)
        .map((e) => [
          {field: '@timestamp', value: insightsStamp(e.timestamp)},
          {field: '@message', value: e.message},
        ])
      const id = `q${queries.length}`
      results.set(id, rows)
      return id
    },
    getQueryResults: async (id) => ({status: (options.queryStatus ?? 'Complete') as 'Complete', results: results.get(id), $metadata: {}}),
    stopQuery: async () => undefined,
    async filterLogEvents(input) {
      pages.push(input)
      const inRange = sorted.filter((e) => e.timestamp >= input.startTime! && e.timestamp <= input.endTime!)
      const from = Number(input.nextToken ?? 0)
      const page = inRange.slice(from, from + input.limit!)
      const next = from + page.length
      return {events: page, nextToken: next < inRange.length ? String(next) : undefined, $metadata: {}}
    },
  }
  return {logs, queries, pages}
}

async function readAll(reader: LogGroupReader, read: Parameters<LogGroupReader['events']>[0]): Promise<FetchedEvent[]> {
  const out: FetchedEvent[] = []
  for await (const batch of reader.events(read)) out.push(...batch)
  return out
}

/** `n` events spread evenly over [from, to), a few sharing each millisecond when crowded. */
function spread(n: number, from: number, to: number): FetchedEvent[] {
  return Array.from({length: n}, (_, i) => {
    const timestamp = Math.floor(from + ((to - from) * i) / n)
    return {timestamp, message: `line ${i} at ${timestamp}`}
  })
}

const noWait = async () => {}

describe('LogGroupReader', () => {
  it('reads Logs Insights @timestamp as UTC milliseconds', () => {
    assert.equal(insightsTime('2026-11-18 12:00:00.123'), Date.UTC(2026, 10, 18, 12, 0, 0, 123))
    assert.equal(insightsTime('2026-11-18 12:00:01'), Date.UTC(2026, 10, 18, 12, 0, 1))
    assert.ok(Number.isNaN(insightsTime('1763467200123')))
  })

  it('splits a window whose query returns as many rows as the limit, and returns every event once, in time order', async () => {
    const events = spread(1000, T0, T0 + HOUR)
    const {logs, queries} = fakeLogs(events)
    const got = await readAll(new LogGroupReader(logs, {sleep: noWait}), {logGroup: 'g', range: {from: T0, to: T0 + HOUR}, source: 'insights', rowLimit: 100})
    assert.deepEqual(got, events)
    assert.ok(queries.length >= 10, `${queries.length} queries`)
    assert.match(queries[0].queryString!, /^fields @timestamp, @message \| sort @timestamp asc \| limit 100$/)
  })

  it('reads a second holding more events than the row limit with FilterLogEvents, which no time range splits', async () => {
    const crowded = spread(250, T0 + 5000, T0 + 6000)
    const events = [...spread(50, T0, T0 + 5000), ...crowded, ...spread(50, T0 + 6000, T0 + 60_000)]
    const {logs, pages} = fakeLogs(events)
    const got = await readAll(new LogGroupReader(logs, {sleep: noWait}), {logGroup: 'g', range: {from: T0, to: T0 + 60_000}, source: 'insights', rowLimit: 100})
    assert.deepEqual(got, events)
    assert.deepEqual(
      pages.map((p) => [p.startTime, p.endTime]),
      [[T0 + 5000, T0 + 5999]],
    )
  })

  it('reads hour windows in time order with FilterLogEvents, and counts what it did', async () => {
    const events = spread(3000, T0 - HOUR / 2, T0 + 2 * HOUR)
    const {logs, pages} = fakeLogs(events)
    const progress: FetchProgress[] = []
    const range = {from: T0 - HOUR / 2, to: T0 + 2 * HOUR}
    const got = await readAll(new LogGroupReader(logs, {sleep: noWait, onProgress: (p) => progress.push(p)}), {logGroup: 'g', range, source: 'filter'})
    assert.deepEqual(got, events)
    assert.equal(pages.length, 3, 'one page per window: half an hour, then two whole hours')
    assert.deepEqual(progress.at(-1), {logGroup: 'g', windows: 3, windowsDone: 3, windowsCached: 0, events: 3000, queries: 3})
  })

  it('a query that ends other than Complete is an error that says so and what to try', async () => {
    const {logs} = fakeLogs(spread(10, T0, T0 + 1000), {queryStatus: 'Timeout'})
    const error = await rejection(readAll(new LogGroupReader(logs, {sleep: noWait}), {logGroup: 'g', range: {from: T0, to: T0 + HOUR}, source: 'insights'}))
    assert.match(error.message, /query of log group g from 2026-11-18T12:00:00\.000Z .* ended Timeout/)
    assert.match(error.suggestions.join('\n'), /--source filter/)
  })

  it('keeps settled windows in the cache and reads them from it; a window that may still grow is fetched each time', async () => {
    const stored = new Map<string, FetchedEvent[]>()
    const cache: WindowCache = {
      async read(key) {
        const events = stored.get(key)
        return (
          events &&
          (async function* () {
            yield events
          })()
        )
      },
      write(key) {
        const events: FetchedEvent[] = []
        return {add: (batch) => events.push(...batch), commit: async () => void stored.set(key, events), discard() {}}
      },
    }
    const now = T0 + 2 * HOUR + 20 * 60_000
    const range = {from: T0, to: now}
    const events = spread(600, T0, now)
    const first = fakeLogs(events)
    const reader = (logs: CloudWatchLogs) => new LogGroupReader(logs, {sleep: noWait, cache, now: () => now})
    assert.deepEqual(await readAll(reader(first.logs), {logGroup: 'g', range, source: 'insights'}), events)
    assert.equal(stored.size, 2, 'the two whole hours, not the last 20 minutes')

    const second = fakeLogs(events)
    assert.deepEqual(await readAll(reader(second.logs), {logGroup: 'g', range, source: 'insights'}), events)
    assert.equal(second.queries.length, 1, 'only the unsettled window is queried again')
    assert.equal(second.queries[0].startTime, Math.floor((T0 + 2 * HOUR) / 1000))
  })
})
