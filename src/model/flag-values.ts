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

/** `raw` as a whole number of at least `min`, written in digits only (spaces around allowed); undefined when it is not one. */
export function wholeNumber(raw: string, min = 0): number | undefined {
  const value = Number(raw)
  return /^\d+$/.test(raw.trim()) && Number.isSafeInteger(value) && value >= min ? value : undefined
}

const refuse = (message: string): never => {
  throw badInput(message)
}

export function parseRate(raw: string, flag = '--rate'): number {
  const value = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw badInput(`${flag} must be a number of requests per second, 0 or more; got "${raw}"`)
  }

  return value
}

export function parseBurst(raw: string, flag = '--burst'): number {
  return wholeNumber(raw) ?? refuse(`${flag} must be a whole number of requests, 0 or more; got "${raw}"`)
}

export function parsePeriod(raw: string, flag = '--quota'): Period {
  const period = raw.trim().toUpperCase()
  if (!(PERIODS as readonly string[]).includes(period)) {
    throw badInput(`${flag} period must be DAY, WEEK or MONTH; got "${raw}"`)
  }

  return period as Period
}

/** "5000/month" -> {limit: 5000, period: 'MONTH'}. */
export function parseQuota(raw: string, flag = '--quota'): Quota {
  const match = /^\s*([^/\s]+)\s*\/\s*(\S+)\s*$/.exec(raw)
  if (!match) throw badInput(`${flag} must look like LIMIT/PERIOD, e.g. 5000/MONTH; got "${raw}"`)
  return {limit: parseQuotaLimit(match[1], flag), period: parsePeriod(match[2], flag)}
}

/** The LIMIT half of a quota: a whole number of requests above 0. */
export function parseQuotaLimit(raw: string, flag = '--quota'): number {
  return wholeNumber(raw, 1) ?? refuse(`${flag} limit must be a whole number above 0; got "${raw}"`)
}

export function parseQuotaOffset(raw: string, limit: number | undefined, flag = '--quota-offset'): number {
  const value = wholeNumber(raw) ?? refuse(`${flag} must be a whole number of requests, 0 or more; got "${raw}"`)
  if (limit !== undefined && value >= limit) {
    throw badInput(`${flag} (${value}) must be less than the quota limit (${limit})`)
  }

  return value
}

/** Both halves of a throttle are needed: AWS documents no default for the missing one. */
export function throttleFrom(rate: string | undefined, burst: string | undefined): Throttle | undefined {
  if (rate === undefined && burst === undefined) return undefined
  if (rate === undefined) throw badInput('--burst needs --rate: a throttle has both a rate and a burst')
  if (burst === undefined) throw badInput('--rate needs --burst: a throttle has both a rate and a burst')
  return {rateLimit: parseRate(rate), burstLimit: parseBurst(burst)}
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
  if (eq < 0) throw badInput(`${flag} must look like /path/METHOD=RATE/BURST, e.g. /pets/GET=10/20; got "${raw}"`)
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

export function parseTag(raw: string, flag = '--tag'): [string, string] {
  const eq = raw.indexOf('=')
  if (eq <= 0) throw badInput(`${flag} must look like KEY=VALUE; got "${raw}"`)
  return [raw.slice(0, eq), raw.slice(eq + 1)]
}

/** "2026-11-28": a UTC calendar day, as AWS names usage days; a day not on the calendar (2026-02-30) is refused. */
export function parseDay(raw: string, flag: string): string {
  const day = raw.trim()
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T00:00:00Z`) : undefined
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day) {
    throw badInput(`${flag} must be a day written YYYY-MM-DD (UTC), e.g. 2026-11-28; got "${raw}"`)
  }

  return day
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
