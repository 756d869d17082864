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
    public line: number,
    /** Index of the --log the record came from. */
    public source: number,
    /** The status AWS answered, 0 when the log has none. */
    public status: number,
    public where: Where,
    public apiKeyId: string | undefined,
    public apiKey: string | undefined,
  ) {}
}

/**
 * Records are recycled once enforced. Replay holds a reorder window of them; reusing
 * them keeps the garbage collector from copying and promoting a fresh window's worth
 * every few milliseconds.
 */
const pool: LogRecord[] = []
const POOL_LIMIT = 1 << 16

export function makeRecord(t: number, coarse: boolean, line: number, source: number, status: number, where: Where, apiKeyId: string | undefined, apiKey: string | undefined): LogRecord {
  const rec = pool.pop()
  if (rec === undefined) return new LogRecord(t, coarse, line, source, status, where, apiKeyId, apiKey)
  rec.t = t
  rec.coarse = coarse
  rec.line = line
  rec.source = source
  rec.status = status
  rec.where = where
  rec.apiKeyId = apiKeyId
  rec.apiKey = apiKey
  return rec
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
  /** The route index in each snapshot being enforced, once looked up (-1: not in it). */
  readonly routes: number[] = []
  /** Set by the simulator on first use: whether this route is replayed, skipped or unmatched. */
  verdict = 0

  constructor(
    readonly apiId: string | undefined,
    readonly stage: string | undefined,
    readonly resourcePath: string | undefined,
    readonly httpMethod: string | undefined,
  ) {}
}

/** Past this many distinct routes (a malformed or hostile log), new ones are not interned. */
const WHERE_LIMIT = 10_000

export class WhereTable {
  private readonly table = new Map<string, Where>()

  get(apiId: string | undefined, stage: string | undefined, resourcePath: string | undefined, httpMethod: string | undefined): Where {
    const id = `${apiId}\u0000${stage}\u0000${resourcePath}\u0000${httpMethod}`
    let where = this.table.get(id)
    if (where === undefined) {
      where = new Where(apiId, stage, resourcePath, httpMethod)
      if (this.table.size < WHERE_LIMIT) this.table.set(id, where)
    }

    return where
  }
}

/** The fields replay needs, by the name `--field NAME=PATH` uses. */
export const FIELD_NAMES = ['requestTimeEpoch', 'requestTime', 'apiId', 'stage', 'resourcePath', 'httpMethod', 'status', 'apiKeyId', 'apiKey'] as const
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

/** Parses the digits in s[start, end) as a whole number; NaN when there are none or another character. */
export function digitsAt(s: string, start: number, end: number): number {
  if (end <= start) return Number.NaN
  let n = 0
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) return Number.NaN
    n = n * 10 + c
  }

  return n
}

/** AWS renders an unset `$context` variable as "-"; treat it, and empty strings, as absent. */
export function present(value: string | undefined): string | undefined {
  return value === undefined || value === '' || value === '-' ? undefined : value
}
