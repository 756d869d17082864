import {badInput} from './errors.js'

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

/**
 * Refuses a method named twice in one command (e.g. two --method-throttle for GET /pets),
 * rather than letting the last one win silently. `stage` groups methods: the same method
 * on two stages is fine.
 */
export function refuseRepeatedMethods(refs: ReadonlyArray<MethodRef & {stage?: string}>, flag: string): void {
  const seen = new Set<string>()
  for (const ref of refs) {
    const id = `${ref.stage ?? ''} ${methodKey(ref)}`
    if (seen.has(id)) throw badInput(`${flag} names ${ref.httpMethod} ${ref.path}${ref.stage ? ` on ${ref.stage}` : ''} more than once; give each method once`)
    seen.add(id)
  }
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
  /** AWS Marketplace product code. */
  productCode?: string
  removeProductCode?: boolean
}

/** A usage plan's settings as AWS returns them (numbers may arrive as strings from some emulators). */
export interface PlanShape {
  description?: string
  throttle?: {rateLimit?: number; burstLimit?: number}
  quota?: {limit?: number; period?: string; offset?: number}
  apiStages?: Array<{apiId?: string; stage?: string; throttle?: Record<string, {rateLimit?: number; burstLimit?: number}>}>
  tags?: Record<string, string>
  productCode?: string
}

/** One setting in which an existing plan differs from the one asked for. */
export interface PlanDifference {
  field: 'apiStages' | 'description' | 'productCode' | 'quota' | 'tags' | 'throttle'
  existing: unknown
  requested: unknown
}

const num = (v: unknown) => (v === undefined || v === null ? undefined : Number(v))

/** Each setting in a form where equal settings are equal JSON: absent is null, lists and maps sorted. */
function canonicalPlan(plan: PlanShape): Record<PlanDifference['field'], unknown> {
  const limits = (t: {rateLimit?: number; burstLimit?: number}) => ({rateLimit: num(t.rateLimit) ?? null, burstLimit: num(t.burstLimit) ?? null})
  const sortedMap = <V>(map: Record<string, V>, value: (v: V) => unknown) =>
    Object.fromEntries(
      Object.entries(map)
        .toSorted(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, value(v)]),
    )
  const stages = (plan.apiStages ?? [])
    .map((s) => ({stage: stageId(s.apiId!, s.stage!), ...(Object.keys(s.throttle ?? {}).length > 0 ? {throttle: sortedMap(s.throttle!, limits)} : {})}))
    .toSorted((a, b) => a.stage.localeCompare(b.stage))
  return {
    description: plan.description || null,
    throttle: plan.throttle && (plan.throttle.rateLimit !== undefined || plan.throttle.burstLimit !== undefined) ? limits(plan.throttle) : null,
    quota: plan.quota?.limit === undefined ? null : {limit: num(plan.quota.limit), period: plan.quota.period, offset: num(plan.quota.offset) ?? 0},
    apiStages: stages,
    tags: sortedMap(plan.tags ?? {}, (v) => v),
    productCode: plan.productCode || null,
  }
}

/** The settings in which `existing` differs from `requested` (what `plans create` was asked for), in a fixed order. */
export function planDifferences(existing: PlanShape, requested: PlanShape): PlanDifference[] {
  const was = canonicalPlan(existing)
  const asked = canonicalPlan(requested)
  return (Object.keys(asked) as Array<PlanDifference['field']>)
    .filter((field) => JSON.stringify(was[field]) !== JSON.stringify(asked[field]))
    .map((field) => ({field, existing: was[field], requested: asked[field]}))
}

/** Whether `change` asks for anything at all. */
export const changesSomething = (change: PlanChange) => Object.values(change).some((v) => v !== undefined && v !== false)
