import {badInput} from './errors.js'
import {parseDate} from './flag-values.js'

/**
 * Where access logs are read from in the account, and over which time: pure parts of
 * `simulate --log-group` and `simulate --log s3://...` (times, windows, S3 URLs and
 * Firehose's date paths). The services that fetch are src/gateway/log-groups.ts and s3-logs.ts.
 */

/** A --since/--until value: a moment, or a length of time before now. */
export type TimeRef = {at: number} | {ago: number}

const RELATIVE = /^(\d+(?:\.\d+)?)\s*(m|min|h|d|w)$/i
const MS_PER = {m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000} as const

/** "24h", "7d", "30m", "2w" (that long before now), "now", or an ISO date or date and time with its zone. */
export function parseTimeRef(raw: string, flag: string): TimeRef {
  const text = raw.trim()
  if (text.toLowerCase() === 'now') return {ago: 0}
  const relative = RELATIVE.exec(text)
  if (relative) return {ago: Math.round(Number(relative[1]) * MS_PER[relative[2].toLowerCase() as keyof typeof MS_PER])}
  if (/^\d/.test(text) && text.includes('-')) return {at: parseDate(text, flag).getTime()}
  throw badInput(
    `${flag} must be a time: relative (30m, 24h, 7d, 2w: that long ago), now, or ISO (2026-11-28, read as UTC, or 2026-11-28T09:30:00Z); got "${raw}"`,
  )
}

export const timeOf = (ref: TimeRef, now: number): number => ('at' in ref ? ref.at : now - ref.ago)

/** A half-open range of epoch milliseconds: from (included) to to (excluded). */
export interface TimeRange {
  from: number
  to: number
}

/** --since and --until made into a range, checked: --since before --until, neither in the future. */
export function timeRange(since: TimeRef, until: TimeRef | undefined, now: number): TimeRange {
  const from = timeOf(since, now)
  const to = until === undefined ? now : timeOf(until, now)
  if (from >= to) throw badInput(`--since (${new Date(from).toISOString()}) must be before --until (${new Date(to).toISOString()})`)
  if (from > now) throw badInput(`--since (${new Date(from).toISOString()}) is in the future`)
  return {from, to: Math.min(to, now)}
}

export const HOUR_MS = 3_600_000

/**
 * The windows a range is fetched in: whole UTC hours (the first and last cut to the
 * range), so that a re-run over an overlapping range finds the same windows in its cache.
 */
export function hourWindows(range: TimeRange): TimeRange[] {
  const windows: TimeRange[] = []
  for (let start = range.from; start < range.to;) {
    const end = Math.min(range.to, (Math.floor(start / HOUR_MS) + 1) * HOUR_MS)
    windows.push({from: start, to: end})
    start = end
  }

  return windows
}

/**
 * CloudWatch Logs can take events a while after they happened (API Gateway delivers
 * access logs within minutes; AWS documents no bound): a window that ended less than
 * this long ago may still grow, so it is neither cached nor trusted to be whole.
 */
export const SETTLE_MS = 15 * 60_000

/** The log group API Gateway's console suggests for a stage's access logs. */
export const defaultLogGroupName = (apiId: string, stage: string) => `API-Gateway-Access-Logs_${apiId}/${stage}`

// ---------------------------------------------------------------------------
// S3
// ---------------------------------------------------------------------------

export interface S3Location {
  bucket: string
  /** Key prefix, possibly empty. */
  prefix: string
}

export const isS3Url = (value: string) => /^s3:\/\//i.test(value)

/** "s3://bucket/some/prefix/" -> bucket and prefix. */
export function parseS3Url(url: string, flag = '--log'): S3Location {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/i.exec(url.trim())
  if (!match || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(match[1])) {
    throw badInput(`${flag} ${url}: not an S3 location; write s3://BUCKET/PREFIX, e.g. s3://my-logs/2026/11/`)
  }

  return {bucket: match[1], prefix: match[2] ?? ''}
}

/**
 * The UTC hour in an object key's date path, as Kinesis Data Firehose writes it by default
 * (".../YYYY/MM/DD/HH/..."), or undefined when the key has none.
 */
export function dateHourOfKey(key: string): number | undefined {
  const match = /(?:^|\/)(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\//.exec(key)
  if (!match) return undefined
  const [year, month, day, hour] = match.slice(1).map(Number)
  const t = Date.UTC(year, month - 1, day, hour)
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 ? t : undefined
}

/**
 * Whether an object may hold requests in `range`, judged by its date path. Firehose files
 * an object under an hour near the time it received the records (a request is logged
 * after it happened, and records are buffered for up to 15 minutes before they are
 * written), so an object under hour H holds requests from a little before H to the end
 * of H. Objects whose hour ends before the range starts are skipped, and those filed an
 * hour or more after it ends; objects without a date path are always read. Replay then
 * keeps only the requests inside the range.
 */
export function keyMayHold(key: string, range: Partial<TimeRange>): boolean {
  const hour = dateHourOfKey(key)
  if (hour === undefined) return true
  if (range.from !== undefined && hour + HOUR_MS <= range.from) return false
  if (range.to !== undefined && hour >= range.to + HOUR_MS) return false
  return true
}

// ---------------------------------------------------------------------------
// The cache of fetched windows
// ---------------------------------------------------------------------------

/** One event of a log group: its message (an access-log line) and its timestamp. */
export interface FetchedEvent {
  message: string
  timestamp: number
}

/** What has been fetched of one log group so far: progress on stderr, and `fetched` in simulate's report. */
export interface FetchProgress {
  logGroup: string
  windows: number
  windowsDone: number
  /** Windows taken from the cache rather than fetched. */
  windowsCached: number
  events: number
  /** Logs Insights queries and FilterLogEvents pages sent. */
  queries: number
}

/** Where fetched windows are kept between runs (`simulate --cache DIR`); src/io/window-cache.ts keeps them in files. */
export interface WindowCache {
  /** The events of the window `key`, batch by batch, or undefined when it is not cached. */
  read(key: string): Promise<AsyncIterable<FetchedEvent[]> | undefined>
  /** Starts writing window `key`; it is kept only when committed. */
  write(key: string): WindowWriter
}

export interface WindowWriter {
  add(events: readonly FetchedEvent[]): void
  commit(): Promise<void>
  discard(): void
}
