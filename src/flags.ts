import {Flags} from '@oclif/core'

import {GwctlError} from './model/errors.js'
import {
  parseBurst,
  parseDate,
  parseDuration,
  parseMethodKey,
  parseEndpointUrl,
  parseMethodThrottle,
  parseName,
  parseQuota,
  parseQuotaOffset,
  parseRate,
  parseRegion,
  parseSeconds,
  parseRequests,
  parseStageMethodThrottle,
  parseStageName,
  parseStageRef,
  parseTag,
  parseWaitSeconds,
  parseThreshold,
} from './model/flag-values.js'
import {parseTimeRef, type TimeRef} from './model/live-logs.js'
import {DEFAULT_WEEK_START, WEEK_STARTS, type WeekStart} from './model/quota-period.js'
import type {MethodRef, MethodThrottle, Quota, StageRef} from './model/usage-plan.js'

/**
 * The typed flags commands share: each reads its value with the parser in
 * model/flag-values.ts (the one the wizard and `simulate --set` use too), so a
 * command receives numbers, quotas and references, never strings to parse.
 *
 *   static override flags = {rate: flags.rate({description: '...'})}
 *   this.flags.rate  // number | undefined
 */

/**
 * Carries a parser's error out of oclif's flag parsing. oclif rewrites the message of
 * whatever a flag's parse throws ("Parsing --rate ... See more help with --help");
 * BaseCommand takes `reason` back out, so a bad value is reported in gwctl's own words,
 * naming the flag and the value, with exit 2.
 */
export class FlagValueError extends Error {
  constructor(readonly reason: GwctlError) {
    super(reason.message)
  }
}

/** A flag parser reading the value with `parse`, which gets the flag as typed ("--rate") to name it in errors. */
function using<T>(parse: (raw: string, flag: string) => T) {
  return (raw: string, _context: unknown, options: {name: string}): Promise<T> =>
    new Promise<T>((resolve) => resolve(parse(raw, `--${options.name}`))).catch((error: unknown) => {
      throw error instanceof GwctlError ? new FlagValueError(error) : error
    })
}

/** Requests per second per key, a number from 0. */
export const rate = Flags.custom<number>({parse: using(parseRate)})
/** Token bucket size, a whole number from 0. */
export const burst = Flags.custom<number>({parse: using(parseBurst)})
/** LIMIT/PERIOD, e.g. 5000/MONTH. */
export const quota = Flags.custom<Quota>({parse: using(parseQuota)})
/** Requests taken off the first quota period; the service checks it against the limit. */
export const quotaOffset = Flags.custom<number>({parse: using((raw, flag) => parseQuotaOffset(raw, undefined, flag))})
/** A stage name as API Gateway allows it. */
export const stageName = Flags.custom<string>({parse: using(parseStageName)})
/** API:STAGE, the API by id or name. */
export const stageRef = Flags.custom<StageRef>({parse: using(parseStageRef)})
/** /path/METHOD=RATE/BURST, within one stage. */
export const methodThrottle = Flags.custom<MethodThrottle>({parse: using(parseMethodThrottle)})
/** API:STAGE:/path/METHOD=RATE/BURST. */
export const stageMethodThrottle = Flags.custom<StageRef & MethodThrottle>({parse: using(parseStageMethodThrottle)})
/** KEY=VALUE. */
export const tag = Flags.custom<{key: string; value: string}>({parse: using(parseTag)})
/** A plan or key name: any text but an empty or blank one. */
export const name = Flags.custom<string>({parse: using(parseName)})
/** An AWS Region name, e.g. us-east-1. */
export const region = Flags.custom<string>({parse: using(parseRegion)})
/** An http or https URL; it may come from an environment variable too, which the message names. */
export const endpointUrl = Flags.custom<string>({parse: using((raw, flag) => parseEndpointUrl(raw, `${flag} (or AWS_ENDPOINT_URL_API_GATEWAY)`))})
/** Seconds above 0, e.g. 30 or 2.5. */
export const seconds = Flags.custom<number>({parse: using(parseSeconds)})
/** Seconds from 0, e.g. 60. */
export const waitSeconds = Flags.custom<number>({parse: using(parseWaitSeconds)})
/** Milliseconds, from "10" (seconds), "10s", "500ms", "1.5m" or "2h". */
export const duration = Flags.custom<number>({parse: using(parseDuration)})
/** A Date, from an ISO date (midnight UTC) or date and time with its zone. */
export const date = Flags.custom<Date>({parse: using(parseDate)})
/** /path/METHOD, a method of a resource: //GET is the root. */
export const methodRef = Flags.custom<MethodRef>({parse: using(parseMethodKey)})
/** A moment: relative ("24h", "7d": that long before now) or ISO; resolved against one clock by the command. */
export const timeRef = Flags.custom<TimeRef>({parse: using(parseTimeRef)})
/** A whole number of requests, `min` or more. */
export const requests = (min: number) => Flags.custom<number>({parse: using((raw, flag) => parseRequests(raw, flag, min))})
/** A share of an allowance as a fraction, from "80%" or "80" (1% to 100%). */
export const threshold = Flags.custom<number>({parse: using(parseThreshold)})
/** The first day of a WEEK quota period (UTC): Sunday unless told otherwise (model/quota-period.ts says why). */
export const weekStart = Flags.custom<WeekStart>({
  description: 'first day of a WEEK quota period (UTC)',
  options: [...WEEK_STARTS],
  default: DEFAULT_WEEK_START,
  parse: (raw) => Promise.resolve(raw as WeekStart),
})
