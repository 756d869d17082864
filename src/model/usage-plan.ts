/**
 * The ideas a usage plan is made of, as gwctl names them everywhere: periods,
 * throttles, quotas, the API stages a plan covers and its per-method throttles,
 * and a change to a plan's settings. Field names are AWS's.
 */

export const PERIODS = ['DAY', 'WEEK', 'MONTH'] as const
/** A quota period; AWS's QuotaPeriodType. */
export type Period = (typeof PERIODS)[number]

/** A token bucket: `rateLimit` tokens added per second, at most `burstLimit` held. */
export interface Throttle {
  rateLimit: number
  burstLimit: number
}

export interface Quota {
  limit: number
  period: Period
  /** Requests taken off the first period. */
  offset?: number
}

/** An API stage as a person names it: the API by id or name, as typed. */
export interface StageRef {
  api: string
  stage: string
}

/** "apiId:stage", the way AWS writes an API stage in a usage plan (and in its patch paths). */
export const stageId = (apiId: string, stage: string) => `${apiId}:${stage}`

export const HTTP_METHODS = ['ANY', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] as const

/** A usage-plan per-method throttle target; AWS keys it `/path/METHOD` on the resource template. */
export interface MethodRef {
  path: string
  httpMethod: string
}

export interface MethodThrottle extends MethodRef, Throttle {}

/** The HTTP methods of `refs` grouped by resource path, paths in first-seen order: one `--path` each. */
export function verbsByPath(refs: readonly MethodRef[]): Array<[path: string, verbs: string[]]> {
  const groups = new Map<string, string[]>()
  for (const ref of refs) groups.set(ref.path, [...(groups.get(ref.path) ?? []), ref.httpMethod])
  return [...groups]
}

/** AWS's key for a per-method throttle in a usage plan: the resource path, "/", the method ("//GET" for the root). */
export function methodKey(ref: MethodRef): string {
  return `${ref.path === '/' ? '/' : ref.path}/${ref.httpMethod}`
}

/** The settings `plans update` (and the wizard, extending a plan) asks to change; absent fields stay as they are. */
export interface PlanChange {
  name?: string
  description?: string
  rateLimit?: number
  burstLimit?: number
  quotaLimit?: number
  quotaPeriod?: Period
  quotaOffset?: number
  removeThrottle?: boolean
  removeQuota?: boolean
}

/** Whether `change` asks for anything at all. */
export const changesSomething = (change: PlanChange) => Object.values(change).some((v) => v !== undefined && v !== false)
