/**
 * One request read from an access log, in the simulator's own terms. A class (not
 * object literals) so that every record shares one hidden class on the hot path.
 */
export class LogRecord {
  constructor(
    /** Request time, ms since the epoch (UTC). */
    public t: number,
    /** True when the log only had one-second resolution (CLF `requestTime`). */
    public coarse: boolean,
    /** Line (or event) number within its file, from 1. */
    public line: number,
    /** Index of the file (or S3 object, or stdin) the record came from, in the replay's list of files. */
    public file: number,
    /** The status AWS answered, 0 when the log has none. */
    public status: number,
    public where: Where,
    public caller: Caller,
    /** `$context.requestId`; read only when decisions are written (one string per line costs time). */
    public requestId: string | undefined,
    /** `$context.error.responseType` as logged (THROTTLED, QUOTA_EXCEEDED, ...), when logged. */
    public responseType: string | undefined,
  ) {}
}

/**
 * Records are recycled once enforced. Replay holds a reorder window of them; reusing
 * them keeps the garbage collector from copying and promoting a fresh window's worth
 * every few milliseconds.
 */
const pool: LogRecord[] = []
const POOL_LIMIT = 1 << 16

export function makeRecord(
  t: number,
  coarse: boolean,
  line: number,
  file: number,
  status: number,
  where: Where,
  caller: Caller,
  requestId: string | undefined,
  responseType: string | undefined,
): LogRecord {
  const rec = pool.pop()
  if (rec === undefined) return new LogRecord(t, coarse, line, file, status, where, caller, requestId, responseType)
  rec.t = t
  rec.coarse = coarse
  rec.line = line
  rec.file = file
  rec.status = status
  rec.where = where
  rec.caller = caller
  rec.requestId = requestId
  rec.responseType = responseType
  return rec
}

/** A record to fill in (see RecordReader.fill), kept out of the pool. */
export function emptyRecord(): LogRecord {
  return new LogRecord(0, false, 0, 0, 0, new Where(undefined, undefined, undefined, undefined), new Caller(undefined, undefined), undefined, undefined)
}

/** Hands a record back once nothing refers to it any more. */
export function recycle(rec: LogRecord): void {
  if (pool.length < POOL_LIMIT) pool.push(rec)
}

/**
 * Where a request went (API, stage, resource, method). Interned: the records of one
 * route share one object, which also remembers what the simulator made of it, so
 * that a route is looked up once per log, not once per request.
 */
export class Where {
  /** The route index in the snapshot enforced, and in the proposed one (--set, --compare), once looked up (-1: not in it). Fields, not an array: read for every request. */
  route = -1
  proposedRoute = -1
  /** Set by the simulator on first use: whether this route is replayed, skipped or unmatched. */
  verdict = 0

  constructor(
    readonly apiId: string | undefined,
    readonly stage: string | undefined,
    readonly resourcePath: string | undefined,
    /** Upper-cased, as AWS logs it anyway. */
    readonly httpMethod: string | undefined,
  ) {}
}

/** Caller's key before it is looked up (the keys are indexes, NO_KEY or UNKNOWN_KEY, all above it). */
export const NOT_LOOKED_UP = -3

/**
 * Who sent a request, as the log names them: the key id and the key value, either or
 * neither. Interned like Where: the requests of one key share one object, which
 * remembers the snapshot key it is in each snapshot being enforced.
 */
export class Caller {
  /** The key index in the snapshot enforced, and in the proposed one (or NO_KEY, UNKNOWN_KEY); NOT_LOOKED_UP until the first request. */
  key = NOT_LOOKED_UP
  proposedKey = NOT_LOOKED_UP

  constructor(
    readonly apiKeyId: string | undefined,
    readonly apiKey: string | undefined,
  ) {}
}

/** The fields replay reads, by the name `--field NAME=PATH` uses. */
export const FIELD_NAMES = [
  'requestTimeEpoch',
  'requestTime',
  'apiId',
  'stage',
  'resourcePath',
  'httpMethod',
  'status',
  'apiKeyId',
  'apiKey',
  'requestId',
  'responseType',
] as const
export type FieldName = (typeof FIELD_NAMES)[number]
export type FieldPaths = Record<FieldName, string>

const MONTHS: Record<string, number> = {Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11}
const CLF_TIME = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/

/**
 * `$context.requestTime` ("20/Feb/2018:22:48:57 +0000") to ms; ISO 8601 is accepted
 * too. NaN when it is neither.
 */
export function parseRequestTime(text: string): number {
  const m = CLF_TIME.exec(text)
  if (!m) return /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN
  const month = MONTHS[m[2]]
  if (month === undefined) return Number.NaN
  const offsetMs = (Number(m[8]) * 60 + Number(m[9])) * 60_000 * (m[7] === '-' ? -1 : 1)
  return Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offsetMs
}

/**
 * `$context.requestTimeEpoch` to ms. AWS logs milliseconds; a 10-digit value is
 * taken as seconds, so that hand-made logs in seconds still replay.
 */
export function epochToMs(value: number): number {
  return value < 1e11 ? value * 1000 : value
}

/** AWS renders an unset `$context` variable as "-"; treat it, and empty strings, as absent. */
export function present(value: string | undefined): string | undefined {
  return value === undefined || value === '' || value === '-' ? undefined : value
}

/** The latest time a JavaScript Date holds (ms). */
const MAX_TIME = 8.64e15

/** `requestTimeEpoch` as a number to ms; NaN when it is not a time a Date can hold. */
export function epochFrom(n: number): number {
  if (!Number.isFinite(n) || n < 0) return Number.NaN
  const t = epochToMs(n)
  return t <= MAX_TIME ? t : Number.NaN
}

/** `requestTimeEpoch` as written in a log (text, or a JSON number's text) to ms; NaN when it is absent or not a time. */
export function epochOf(text: string | undefined): number {
  return text === undefined ? Number.NaN : epochFrom(Number(text))
}

/**
 * A request's time from its fields: the epoch (ms) when it has one, else
 * `requestTime` (one-second resolution), else the time of the event that carried the
 * line (`fallbackTime`, NaN when there is none); or why there is no time.
 */
export function timeOf(epochMs: number, requestTime: string | undefined, fallbackTime: number): {t: number; coarse: boolean} | string {
  if (!Number.isNaN(epochMs)) return {t: epochMs, coarse: false}
  if (requestTime === undefined) return Number.isNaN(fallbackTime) ? 'no request time (requestTimeEpoch or requestTime)' : {t: fallbackTime, coarse: false}
  const t = parseRequestTime(requestTime)
  return Number.isNaN(t) ? `requestTime "${requestTime}" is not dd/MMM/yyyy:HH:mm:ss +hhmm` : {t, coarse: true}
}

/** The status a log line records, 0 when it records none or not a whole number. */
export function statusOf(text: string | undefined): number {
  if (text === undefined) return 0
  const n = Number(text)
  return Number.isInteger(n) && n >= 0 && n < 1000 ? n : 0
}
