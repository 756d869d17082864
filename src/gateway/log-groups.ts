import type {ResultField} from '@aws-sdk/client-cloudwatch-logs'

import type {CloudWatchLogs} from '../aws/cloudwatch-logs.js'

import {GwctlError} from '../model/errors.js'
import {type FetchedEvent, type FetchProgress, hourWindows, SETTLE_MS, type TimeRange, type WindowCache} from '../model/live-logs.js'
import {inOrder} from './ordered.js'

/** How events are read: Logs Insights queries, or FilterLogEvents pages. */
export const LOG_SOURCES = ['insights', 'filter'] as const
export type LogSourceKind = (typeof LOG_SOURCES)[number]

/** Rows a Logs Insights query returns at most unless told otherwise (AWS's default). */
export const INSIGHTS_ROW_LIMIT = 10_000
/** AWS allows 30 concurrent Logs Insights queries per account, dashboards included: gwctl leaves room for others. */
export const DEFAULT_CONCURRENT_QUERIES = 6
export const MAX_CONCURRENT_QUERIES = 30
/** The most events FilterLogEvents returns in one page. */
const FILTER_PAGE = 10_000

export interface LogGroupRead {
  logGroup: string
  range: TimeRange
  source: LogSourceKind
  streamPrefix?: string
  /** Rows per Insights query (10,000 by default); a window that returns this many is split. */
  rowLimit?: number
  /** Insights queries (or FilterLogEvents windows) at once. */
  concurrency?: number
}

export interface LogGroupReaderOptions {
  cache?: WindowCache
  onProgress?: (progress: FetchProgress) => void
  /** Waits between polls of a running query. */
  sleep?: (ms: number) => Promise<void>
  now?: () => number
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** "2026-11-18 12:00:00.123", Logs Insights' @timestamp (UTC), as epoch milliseconds. */
export function insightsTime(value: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z?$/.exec(value.trim())
  if (!match) return Number.NaN
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number)
  return Date.UTC(year, month - 1, day, hour, minute, second, Number((match[7] ?? '0').padEnd(3, '0')))
}

/** A regular expression matching names that start with `prefix`, for a Logs Insights filter. */
const startsWith = (prefix: string) => `/^${prefix.replaceAll(/[\\/^$.*+?()[\]{}|]/g, String.raw`\$&`)}/`

/**
 * Reads a log group's events over a time range, in time order, window by window:
 *
 * - The range is cut into whole UTC hours (hourWindows), fetched up to `concurrency` at
 *   a time and handed on in order; each window runs at most two batches ahead.
 * - Logs Insights (the default): `fields @timestamp, @message | sort @timestamp asc |
 *   limit N` over the window. A query that returns N rows may have been cut: its rows
 *   before the last whole second are kept, and the window goes on from that second (the
 *   window is split where the rows ran out). A second holding N events or more, which
 *   no time range can split, is read with FilterLogEvents, which pages.
 * - FilterLogEvents (`source: 'filter'`): pages of up to 10,000 events, followed by
 *   nextToken, paced to AWS's 5 requests per second (src/aws/cloudwatch-logs.ts).
 * - With a cache, windows that ended more than SETTLE_MS ago are kept and read from it
 *   on the next run.
 */
export class LogGroupReader {
  private readonly sleep: (ms: number) => Promise<void>
  private readonly now: () => number

  constructor(
    private readonly logs: CloudWatchLogs,
    private readonly options: LogGroupReaderOptions = {},
  ) {
    this.sleep = options.sleep ?? defaultSleep
    this.now = options.now ?? Date.now
  }

  /** The events, in batches, in time order. */
  events(read: LogGroupRead): AsyncGenerator<FetchedEvent[]> {
    const windows = hourWindows(read.range)
    const progress: FetchProgress = {logGroup: read.logGroup, windows: windows.length, windowsDone: 0, windowsCached: 0, events: 0, queries: 0}
    const producers = windows.map((window) => (signal: AbortSignal) => this.window(read, window, progress, signal))
    return inOrder(producers, Math.max(1, read.concurrency ?? DEFAULT_CONCURRENT_QUERIES))
  }

  private async *window(read: LogGroupRead, window: TimeRange, progress: FetchProgress, signal: AbortSignal): AsyncGenerator<FetchedEvent[]> {
    const key = JSON.stringify([read.logGroup, read.source, read.streamPrefix ?? '', window.from, window.to])
    const cached = await this.options.cache?.read(key)
    if (cached) {
      for await (const batch of cached) {
        progress.events += batch.length
        yield batch
      }

      progress.windowsCached++
      this.done(progress)
      return
    }

    const settled = window.to <= this.now() - SETTLE_MS
    const writer = settled ? this.options.cache?.write(key) : undefined
    try {
      const fetched = read.source === 'insights' ? this.queried(read, window, progress, signal) : this.filtered(read, window, progress, signal)
      for await (const batch of fetched) {
        if (batch.length === 0) continue
        writer?.add(batch)
        progress.events += batch.length
        yield batch
      }

      await writer?.commit()
      this.done(progress)
    } finally {
      writer?.discard()
    }
  }

  private done(progress: FetchProgress): void {
    progress.windowsDone++
    this.options.onProgress?.({...progress})
  }

  /** Logs Insights over the window, split where a query's rows reached the limit. */
  private async *queried(read: LogGroupRead, window: TimeRange, progress: FetchProgress, signal: AbortSignal): AsyncGenerator<FetchedEvent[]> {
    const limit = read.rowLimit ?? INSIGHTS_ROW_LIMIT
    const fields = read.streamPrefix === undefined ? '@timestamp, @message' : '@timestamp, @message, @logStream'
    const filter = read.streamPrefix === undefined ? '' : ` | filter @logStream like ${startsWith(read.streamPrefix)}`
    const queryString = `fields ${fields}${filter} | sort @timestamp asc | limit ${limit}`
    let from = window.from
    while (from < window.to && !signal.aborted) {
      progress.queries++
      const rows = await this.query(read.logGroup, queryString, {from, to: window.to}, signal)
      const {events, latest} = this.eventsOf(rows, read, {from, to: window.to})
      if (rows.length < limit) {
        yield events
        return
      }

      // The query was cut at `limit` rows: keep the whole seconds before its last row's second, go on from that second.
      const lastSecond = Math.floor(Math.max(latest, from) / 1000) * 1000
      if (lastSecond > from) {
        yield events.filter((e) => e.timestamp < lastSecond)
        from = lastSecond
        continue
      }

      // One second holds the limit or more: no time range splits it, so read it with FilterLogEvents, which pages.
      const second = {from, to: Math.min(window.to, Math.floor(from / 1000) * 1000 + 1000)}
      yield* this.filtered(read, second, progress, signal)
      from = second.to
    }
  }

  /** Runs one query to the end and returns its rows. */
  private async query(logGroup: string, queryString: string, range: TimeRange, signal: AbortSignal): Promise<ResultField[][]> {
    const when = `${new Date(range.from).toISOString()} to ${new Date(range.to).toISOString()}`
    // Insights takes whole seconds, both ends included: rows outside the range are dropped by the caller.
    const queryId = await this.logs.startQuery(
      {logGroupName: logGroup, startTime: Math.floor(range.from / 1000), endTime: Math.ceil(range.to / 1000), queryString},
      `starting a Logs Insights query of log group ${logGroup} from ${when}`,
    )
    let wait = 250
    for (;;) {
      if (signal.aborted) {
        await this.logs.stopQuery(queryId, `stopping query ${queryId}`).catch(() => undefined)
        return []
      }

      const answer = await this.logs.getQueryResults(queryId, `reading the results of query ${queryId} of log group ${logGroup}`)
      switch (answer.status) {
        case 'Complete': {
          return answer.results ?? []
        }

        case 'Running':
        case 'Scheduled':
        case undefined: {
          await this.sleep(wait)
          wait = Math.min(wait * 2, 4000)
          break
        }

        default: {
          throw new GwctlError('UNEXPECTED', `The Logs Insights query of log group ${logGroup} from ${when} ended ${answer.status}`, {
            suggestions: [
              answer.status === 'Timeout'
                ? 'Queries time out after 60 minutes: read a shorter range (--since, --until), or use --source filter'
                : 'Run the command again, or use --source filter to read with FilterLogEvents',
            ],
          })
        }
      }
    }
  }

  /** Rows as events (inside the range and, with --log-stream-prefix, of matching streams), and the latest time of any row. */
  private eventsOf(rows: ResultField[][], read: LogGroupRead, range: TimeRange): {events: FetchedEvent[]; latest: number} {
    const events: FetchedEvent[] = []
    let latest = Number.NEGATIVE_INFINITY
    for (const row of rows) {
      let message: string | undefined
      let timestamp = Number.NaN
      let stream: string | undefined
      for (const field of row) {
        switch (field.field) {
          case '@message': {
            message = field.value
            break
          }

          case '@timestamp': {
            timestamp = insightsTime(field.value ?? '')
            break
          }

          case '@logStream': {
            stream = field.value
            break
          }
        }
      }

      if (timestamp > latest) latest = timestamp
      if (message === undefined || !(timestamp >= range.from && timestamp < range.to)) continue
      if (read.streamPrefix !== undefined && !stream?.startsWith(read.streamPrefix)) continue
      events.push({message, timestamp})
    }

    return {events, latest}
  }

  /** FilterLogEvents over the range, page by page. */
  private async *filtered(read: LogGroupRead, range: TimeRange, progress: FetchProgress, signal: AbortSignal): AsyncGenerator<FetchedEvent[]> {
    let nextToken: string | undefined
    do {
      progress.queries++
      const page = await this.logs.filterLogEvents(
        {
          logGroupName: read.logGroup,
          startTime: range.from,
          endTime: range.to - 1,
          limit: FILTER_PAGE,
          nextToken,
          ...(read.streamPrefix === undefined ? {} : {logStreamNamePrefix: read.streamPrefix}),
        },
        `reading events of log group ${read.logGroup} from ${new Date(range.from).toISOString()}`,
      )
      const events: FetchedEvent[] = []
      for (const e of page.events ?? []) {
        const timestamp = Number(e.timestamp)
        if (e.message !== undefined && timestamp >= range.from && timestamp < range.to) events.push({message: e.message, timestamp})
      }

      yield events
      nextToken = page.nextToken
    } while (nextToken && !signal.aborted)
  }
}
