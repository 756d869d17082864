import {badInput} from './errors.js'
import {HTTP_METHODS, type MethodRef, type MethodThrottle, type Period, PERIODS, type Quota, type StageRef, type Throttle} from './usage-plan.js'

/**
 * Parsers for the values people type in flags: throttle rates and bursts, quotas,
 * stage references, per-method throttles and tags. The wizard's answers and
 * `simulate --set` go through the same parsers, so a value is refused with the same
 * words everywhere. Every error names the flag (or field) and the value, so a script
 * author knows what to fix.
 */

const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/

/**
 * The largest whole number AWS takes for a burst, a quota limit or offset: they are
 * 32-bit integers in API Gateway's model (ThrottleSettings.burstLimit, QuotaSettings).
 */
export const AWS_INT_MAX = 2_147_483_647

/**
 * `raw` as a whole number of at least `min`, written in decimal digits only (no spaces,
 * sign, exponent or 0x); undefined when it is not one.
 */
export function wholeNumber(raw: string, min = 0): number | undefined {
  const value = Number(raw)
  return /^\d+$/.test(raw) && Number.isSafeInteger(value) && value >= min ? value : undefined
}

const refuse = (message: string): never => {
  throw badInput(message)
}

/** A decimal number such as 10 or 0.5: no spaces, sign, exponent or 0x, so that what runs is what was meant. */
const DECIMAL = /^\d+(\.\d+)?$/

export function parseRate(raw: string, flag = '--rate'): number {
  const value = Number(raw)
  if (!DECIMAL.test(raw) || !Number.isFinite(value)) {
    throw badInput(`${flag} must be a number of requests per second, 0 or more; got "${raw}"`)
  }

  return value
}

/** A count that AWS keeps as a 32-bit integer: refused above AWS_INT_MAX with a message of its own. */
function awsCount(raw: string, min: number, flag: string, wrong: string): number {
  const value = wholeNumber(raw, min)
  if (value === undefined) return refuse(`${wrong}; got "${raw}"`)
  if (value > AWS_INT_MAX) return refuse(`${flag} is ${raw}, above AWS's limit of ${AWS_INT_MAX}`)
  return value
}

/** A whole number of requests, `min` or more: a burst, what a key has left. */
export function parseRequests(raw: string, flag: string, min = 0): number {
  return awsCount(raw, min, flag, `${flag} must be a whole number of requests, ${min} or more`)
}

export function parseBurst(raw: string, flag = '--burst'): number {
  return parseRequests(raw, flag)
}

export function parsePeriod(raw: string, flag = '--quota'): Period {
  const period = raw.toUpperCase()
  if (!(PERIODS as readonly string[]).includes(period)) {
    throw badInput(`${flag} period must be DAY, WEEK or MONTH; got "${raw}"`)
  }

  return period as Period
}

/** "5000/month" -> {limit: 5000, period: 'MONTH'}. */
export function parseQuota(raw: string, flag = '--quota'): Quota {
  const match = /^([^/\s]+)\/(\S+)$/.exec(raw)
  if (!match) throw badInput(`${flag} must look like LIMIT/PERIOD, e.g. 5000/MONTH; got "${raw}"`)
  return {limit: parseQuotaLimit(match[1], flag), period: parsePeriod(match[2], flag)}
}

/** The LIMIT half of a quota: a whole number of requests above 0. */
export function parseQuotaLimit(raw: string, flag = '--quota'): number {
  return awsCount(raw, 1, `${flag} limit`, `${flag} limit must be a whole number above 0`)
}

/** A quota offset, checked against the quota `limit` when there is one. */
export function parseQuotaOffset(raw: string, limit: number | undefined, flag = '--quota-offset'): number {
  const value = parseRequests(raw, flag)
  checkQuotaOffset(value, limit, flag)
  return value
}

/**
 * An offset must leave something of the first period: AWS does not document how it
 * validates the pair, and an offset at or above the limit would leave nothing.
 */
export function checkQuotaOffset(offset: number | undefined, limit: number | undefined, flag = '--quota-offset'): void {
  if (offset !== undefined && limit !== undefined && offset >= limit) {
    throw badInput(`${flag} (${offset}) must be less than the quota limit (${limit})`)
  }
}

/** Both halves of a throttle are needed: AWS documents no default for the missing one. */
export function throttleFrom(rateLimit: number | undefined, burstLimit: number | undefined): Throttle | undefined {
  if (rateLimit === undefined && burstLimit === undefined) return undefined
  if (rateLimit === undefined) throw badInput('--burst needs --rate: a throttle has both a rate and a burst')
  if (burstLimit === undefined) throw badInput('--rate needs --burst: a throttle has both a rate and a burst')
  return {rateLimit, burstLimit}
}

export function parseStageName(raw: string, flag = '--stage'): string {
  if (!STAGE_NAME.test(raw)) {
    throw badInput(`${flag}: "${raw}" is not a stage name (letters, digits, - and _, at most 128 characters)`)
  }

  return raw
}

/** "API:STAGE" where API is an id or a name (which may itself contain ':'). */
export function parseStageRef(raw: string, flag = '--stage'): StageRef {
  const cut = raw.lastIndexOf(':')
  if (cut <= 0 || cut === raw.length - 1) throw badInput(`${flag} must look like API:STAGE, e.g. pets-api:prod; got "${raw}"`)
  return {api: raw.slice(0, cut), stage: parseStageName(raw.slice(cut + 1), flag)}
}

/** "/pets/{id}/GET" -> {path: '/pets/{id}', httpMethod: 'GET'}; "//GET" is the root resource. */
export function parseMethodKey(raw: string, flag: string): MethodRef {
  const match = /^(\/.*)\/([A-Za-z]+)$/.exec(raw)
  const method = match?.[2].toUpperCase()
  if (!match || !(HTTP_METHODS as readonly string[]).includes(method!)) {
    throw badInput(`${flag}: "${raw}" is not a method; write the resource path then the HTTP method, e.g. /pets/GET or //GET for the root`)
  }

  const path = match[1] === '/' ? '/' : match[1].replace(/\/$/, '')
  return {path, httpMethod: method!}
}

/** "/pets/GET=10/20" -> path, method, rate 10, burst 20. */
export function parseMethodThrottle(raw: string, flag = '--method-throttle'): MethodThrottle {
  const eq = raw.lastIndexOf('=')
  if (eq === -1) throw badInput(`${flag} must look like /path/METHOD=RATE/BURST, e.g. /pets/GET=10/20; got "${raw}"`)
  const ref = parseMethodKey(raw.slice(0, eq), flag)
  const limits = raw.slice(eq + 1).split('/')
  if (limits.length !== 2) throw badInput(`${flag}: "${raw.slice(eq + 1)}" must be RATE/BURST, e.g. 10/20`)
  return {...ref, rateLimit: parseRate(limits[0], `${flag} rate`), burstLimit: parseBurst(limits[1], `${flag} burst`)}
}

/** "API:STAGE:/path/METHOD=RATE/BURST", as `plans create` takes it. */
export function parseStageMethodThrottle(raw: string, flag = '--method-throttle'): StageRef & MethodThrottle {
  const match = /^(.+):([^:/]+):(\/.*)$/.exec(raw)
  if (!match) throw badInput(`${flag} must look like API:STAGE:/path/METHOD=RATE/BURST, e.g. pets-api:prod:/pets/GET=10/20; got "${raw}"`)
  return {api: match[1], stage: parseStageName(match[2], flag), ...parseMethodThrottle(match[3], flag)}
}

/** "KEY=VALUE", split at the first "=" so that values may hold one. */
export function parseTag(raw: string, flag = '--tag'): {key: string; value: string} {
  const eq = raw.indexOf('=')
  if (eq <= 0) throw badInput(`${flag} must look like KEY=VALUE; got "${raw}"`)
  return {key: raw.slice(0, eq), value: raw.slice(eq + 1)}
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/
const MS_PER_UNIT = {ms: 1, s: 1000, m: 60_000, h: 3_600_000} as const

/** "10" or "10s" (seconds), "500ms", "1.5m", "2h" -> milliseconds, 0 or more. */
export function parseDuration(raw: string, flag: string): number {
  const match = DURATION.exec(raw.trim())
  if (!match) throw badInput(`${flag} must be a duration, 0 or more, in seconds or with a unit: 10, 10s, 500ms, 1.5m, 2h; got "${raw}"`)
  return Math.round(Number(match[1]) * MS_PER_UNIT[(match[2] ?? 's') as keyof typeof MS_PER_UNIT])
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/

/**
 * A moment in time as ISO 8601: a date (midnight UTC, as AWS counts quota days) or a
 * date and time with its zone ("Z" or an offset), so that no one's local zone is guessed.
 */
export function parseDate(raw: string, flag: string): Date {
  const text = raw.trim()
  const [year, month, day] = text.slice(0, 10).split('-').map(Number)
  // JavaScript rolls 2026-02-30 over into March; a date that is not on the calendar is a typo.
  const onCalendar = new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day && month >= 1 && month <= 12
  const date = ISO_DATE_TIME.test(text) && onCalendar ? new Date(text.length === 10 ? `${text}T00:00:00Z` : text.replace(' ', 'T')) : undefined
  if (!date || Number.isNaN(date.getTime())) {
    throw badInput(`${flag} must be a date (2026-11-28, read as UTC) or a date and time with its zone (2026-11-28T09:30:00Z); got "${raw}"`)
  }

  return date
}

/** A name for a plan or key: any text but an empty or blank one. */
export function parseName(raw: string, flag = '--name'): string {
  if (raw.trim() === '') throw badInput(`${flag} must not be empty or blank; got "${raw}"`)
  return raw
}

/** A number of seconds above 0 and at most `max`, such as 30 or 2.5. */
export function parseSeconds(raw: string, flag: string, max = 3600): number {
  const value = Number(raw)
  if (!DECIMAL.test(raw) || value <= 0 || value > max)
    throw badInput(`${flag} must be a number of seconds above 0 and at most ${max}, such as 30; got "${raw}"`)
  return value
}

/** A number of seconds from 0 to `max`, such as 60; 0 means not at all. */
export function parseWaitSeconds(raw: string, flag: string, max = 3600): number {
  const value = Number(raw)
  if (!DECIMAL.test(raw) || value > max) throw badInput(`${flag} must be a number of seconds from 0 to ${max}, such as 60; got "${raw}"`)
  return value
}

/** An AWS Region name as AWS writes them: lower-case words and a number joined by "-" (us-east-1, eu-central-2). */
export function parseRegion(raw: string, flag = '--region'): string {
  if (!/^[a-z]+(-[a-z]+)+-\d+$/.test(raw)) throw badInput(`${flag} must be an AWS Region such as us-east-1; got "${raw}"`)
  return raw
}

/** An endpoint to send AWS calls to: an http or https URL. */
export function parseEndpointUrl(raw: string, flag = '--endpoint-url'): string {
  let url: URL | undefined
  try {
    url = new URL(raw)
  } catch {
    // refused below
  }

  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw badInput(`${flag} must be an http:// or https:// URL, such as http://127.0.0.1:5000; got "${raw}"`)
  }

  return raw
}

/** "80%" or "80" -> 0.8: a share from 1% to 100%. */
export function parseThreshold(raw: string, flag = '--threshold'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(raw)
  const percent = match ? Number(match[1]) : Number.NaN
  if (!(percent >= 1 && percent <= 100)) {
    const hint = match && percent > 0 && percent < 1 ? ` (a percentage: did you mean ${Number((percent * 100).toFixed(2))}%?)` : ''
    throw badInput(`${flag} must be a percentage from 1% to 100%, e.g. 80%; got "${raw}"${hint}`)
  }

  return percent / 100
}
