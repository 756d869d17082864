import type {ApiKeySource} from './key-source.js'

import {type MethodRef, methodKey, type MethodThrottle, type PlanChange, stageId} from './usage-plan.js'

/**
 * Every JSON-Patch operation gwctl sends to API Gateway is built here, so the
 * paths (some of them only documented in AWS CLI examples) live in one place.
 * Values are strings on the wire, as the API requires.
 */

/** One JSON-Patch operation as API Gateway's update calls take it (AWS's PatchOperation). */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace'
  path: string
  value?: string
}

/** What the plan patch compares against: a usage plan's current settings, as AWS returns them. */
export interface PlanSettings {
  name?: string
  description?: string
  throttle?: {rateLimit?: number; burstLimit?: number}
  quota?: {limit?: number; period?: string; offset?: number}
  productCode?: string
}

/** JSON Pointer escaping: "~" -> "~0", "/" -> "~1". */
export const escapePointer = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1')

/** UpdateMethod: whether callers must present an API key (reaches callers at the next deployment). */
export const apiKeyRequiredOp = (required: boolean): PatchOperation => ({op: 'replace', path: '/apiKeyRequired', value: String(required)})

/** UpdateRestApi: where API Gateway reads the key from, HEADER or AUTHORIZER. */
export const apiKeySourceOp = (source: ApiKeySource): PatchOperation => ({op: 'replace', path: '/apiKeySource', value: source})

const differs = (value: string | number, now: string | number | undefined) => String(value) !== (now === undefined ? undefined : String(now))

/**
 * The smallest patch that turns `current` into the plan `change` describes:
 * unchanged fields produce no operation. A throttle that changes at all is sent whole
 * (rate and burst), and so is a quota's limit and period: another change racing this
 * one (say a `--no-throttle`) can then never leave half of one behind, a state gwctl
 * itself refuses to create. The ops for /name, /description and /quota/offset are
 * `replace` (AWS documents no other; see the README).
 */
export function planUpdateOps(current: PlanSettings, change: PlanChange): PatchOperation[] {
  const ops: PatchOperation[] = []
  const replace = (path: string, value: string | number, now: string | number | undefined) => {
    if (differs(value, now)) ops.push({op: 'replace', path, value: String(value)})
  }

  /** Both halves, when either differs from what the plan has; a half not given keeps its current value. */
  const whole = (halves: Array<[path: string, value: string | number | undefined, now: string | number | undefined]>) => {
    if (!halves.some(([, value, now]) => value !== undefined && differs(value, now))) return
    for (const [path, value, now] of halves) {
      const sent = value ?? now
      if (sent !== undefined) ops.push({op: 'replace', path, value: String(sent)})
    }
  }

  if (change.name !== undefined) replace('/name', change.name, current.name)
  if (change.description !== undefined) replace('/description', change.description, current.description ?? '')
  if (change.removeThrottle) {
    if (current.throttle) ops.push({op: 'remove', path: '/throttle'})
  } else {
    whole([
      ['/throttle/rateLimit', change.rateLimit, current.throttle?.rateLimit],
      ['/throttle/burstLimit', change.burstLimit, current.throttle?.burstLimit],
    ])
  }

  if (change.removeQuota) {
    if (current.quota) ops.push({op: 'remove', path: '/quota'})
  } else {
    whole([
      ['/quota/limit', change.quotaLimit, current.quota?.limit],
      ['/quota/period', change.quotaPeriod, current.quota?.period],
    ])
    if (change.quotaOffset !== undefined) replace('/quota/offset', change.quotaOffset, current.quota?.offset ?? 0)
  }

  if (change.removeProductCode) {
    if (current.productCode) ops.push({op: 'remove', path: '/productCode'})
  } else if (change.productCode !== undefined && change.productCode !== current.productCode) {
    ops.push(productCodeOp(change.productCode, current.productCode !== undefined && current.productCode !== ''))
  }

  return ops
}

/**
 * Sets a plan's AWS Marketplace product code. CreateUsagePlan has no field for it, so a
 * new plan gets it from an UpdateUsagePlan right after: `add` when the plan has none,
 * `replace` when it has one (what Terraform's AWS provider sends in each case).
 */
export const productCodeOp = (productCode: string, hasOne: boolean): PatchOperation => ({
  op: hasOne ? 'replace' : 'add',
  path: '/productCode',
  value: productCode,
})
/** A usage plan as AWS returns it, as far as its patches touch it. */
export interface PlanState extends PlanSettings {
  apiStages?: Array<{apiId?: string; stage?: string; throttle?: Record<string, {rateLimit?: number; burstLimit?: number}>}>
}

const sameValue = (now: number | string | undefined, sent: string | undefined) =>
  now !== undefined && sent !== undefined && (String(now) === sent || Number(now) === Number(sent))

/**
 * Whether every operation of a usage-plan patch shows in `plan`: after an UpdateUsagePlan
 * whose answer was lost, this says whether it took effect (and need not be sent again).
 * An operation of a kind gwctl does not send counts as not in effect.
 */
export function planPatchInEffect(plan: PlanState, ops: readonly PatchOperation[]): boolean {
  const stages = plan.apiStages ?? []
  const stageOf = (id: string | undefined) => stages.find((s) => stageId(s.apiId ?? '', s.stage ?? '') === id)
  const inEffect = ({op, path, value}: PatchOperation): boolean => {
    if (path === '/apiStages') return op === 'add' ? stageOf(value) !== undefined : op === 'remove' && stageOf(value) === undefined
    const perMethod = /^\/apiStages\/([^/]+)\/throttle(\/.*)?$/.exec(path)
    if (perMethod) {
      const throttle = stageOf(perMethod[1])?.throttle ?? {}
      // After "/throttle/" comes the method key as AWS keys the throttle map: "/pets/GET", "//GET" for the root.
      const rest = perMethod[2]?.slice(1)
      if (rest === undefined || rest === '') return op === 'remove' && Object.keys(throttle).length === 0
      const half = /^(.*)\/(rateLimit|burstLimit)$/.exec(rest)
      if (op === 'replace' && half) return sameValue(throttle[half[1]]?.[half[2] as 'rateLimit' | 'burstLimit'], value)
      return op === 'remove' && throttle[rest] === undefined
    }

    if (path === '/productCode') return op === 'remove' ? !plan.productCode : (op === 'add' || op === 'replace') && plan.productCode === value
    if (op === 'remove') return path === '/throttle' ? plan.throttle === undefined : path === '/quota' && plan.quota === undefined
    const current: Record<string, number | string | undefined> = {
      '/name': plan.name,
      '/description': plan.description ?? '',
      '/throttle/rateLimit': plan.throttle?.rateLimit,
      '/throttle/burstLimit': plan.throttle?.burstLimit,
      '/quota/limit': plan.quota?.limit,
      '/quota/period': plan.quota?.period,
      '/quota/offset': plan.quota?.offset ?? 0,
    }
    return op === 'replace' && path in current && sameValue(current[path], value)
  }

  return ops.every((op) => inEffect(op))
}

export const addStageOp = (apiId: string, stage: string): PatchOperation => ({op: 'add', path: '/apiStages', value: stageId(apiId, stage)})

// AWS needs the stage in `value` for remove too, although its docs say value is for add/replace.
export const removeStageOp = (apiId: string, stage: string): PatchOperation => ({op: 'remove', path: '/apiStages', value: stageId(apiId, stage)})

/**
 * Per-method throttles inside a plan's stage. AWS documents the path as
 * /apiStages/{apiId}:{stage}/throttle/{resourcePath}/{httpMethod}/rateLimit, and a
 * resource path begins with "/", so GET /pets is `throttle//pets/GET` and GET on the
 * root `throttle///GET`: the throttle map key ("/pets/GET") written after "throttle/",
 * unescaped, exactly as Terraform's AWS provider sends it (see docs/aws-behaviour.md).
 * Kept here and only here.
 */
const stageThrottlePath = (apiId: string, stage: string) => `/apiStages/${stageId(apiId, stage)}/throttle`
export const methodThrottlePath = (apiId: string, stage: string, ref: MethodRef) => `${stageThrottlePath(apiId, stage)}/${methodKey(ref)}`

/** Sets (adds or replaces) per-method throttles of a stage the plan covers or covers in the same call. */
export function methodThrottleOps(apiId: string, stage: string, throttles: ReadonlyArray<MethodThrottle>): PatchOperation[] {
  return throttles.flatMap((t) => {
    const path = methodThrottlePath(apiId, stage, t)
    return [
      {op: 'replace' as const, path: `${path}/rateLimit`, value: String(t.rateLimit)},
      {op: 'replace' as const, path: `${path}/burstLimit`, value: String(t.burstLimit)},
    ]
  })
}

/** Removes one per-method throttle; the method then has only the plan's own throttle. */
export const removeMethodThrottleOp = (apiId: string, stage: string, ref: MethodRef): PatchOperation => ({
  op: 'remove',
  path: methodThrottlePath(apiId, stage, ref),
})

/** Covers a stage and sets its per-method throttles, for one UpdateUsagePlan call. */
export function attachStageOps(apiId: string, stage: string, throttles: ReadonlyArray<MethodThrottle>): PatchOperation[] {
  return [addStageOp(apiId, stage), ...methodThrottleOps(apiId, stage, throttles)]
}

/**
 * Stops covering a stage (as the plan lists it). Per-method throttles are removed first
 * in the same call: gwctl does not rely on AWS dropping them along with the stage.
 */
export function detachStageOps({apiId, stage, throttle}: {apiId: string; stage: string; throttle?: Record<string, unknown>}): PatchOperation[] {
  const hasMethodThrottles = Object.keys(throttle ?? {}).length > 0
  return [...(hasMethodThrottles ? [{op: 'remove' as const, path: stageThrottlePath(apiId, stage)}] : []), removeStageOp(apiId, stage)]
}

/** UpdateApiKey operations. */
export const keyEnabledOp = (enabled: boolean): PatchOperation => ({op: 'replace', path: '/enabled', value: String(enabled)})
export const keyNameOp = (name: string): PatchOperation => ({op: 'replace', path: '/name', value: name})
export const keyDescriptionOp = (description: string): PatchOperation => ({op: 'replace', path: '/description', value: description})
export const keyCustomerIdOp = (customerId: string): PatchOperation => ({op: 'replace', path: '/customerId', value: customerId})

/**
 * A stage's method settings are keyed "*\/*" (every method) or the resource path with
 * "/" escaped as "~1", then the method: "~1pets~1{id}/GET", "~1/GET" for the root
 * (AWS's update-stage example writes /~1resourceName/GET/throttling/rateLimit).
 */
export const stageMethodSettingKey = (ref?: MethodRef) => (ref ? `${escapePointer(ref.path)}/${ref.httpMethod}` : '*/*')

/** The value AWS stores for a stage throttle that is switched off. */
export const STAGE_THROTTLE_OFF = -1

/** UpdateStage: a stage's throttle for one method setting (-1 and -1 switch it off). */
export const stageThrottleOps = (key: string, limits: {rateLimit: number; burstLimit: number}): PatchOperation[] => [
  {op: 'replace', path: `/${key}/throttling/rateLimit`, value: String(limits.rateLimit)},
  {op: 'replace', path: `/${key}/throttling/burstLimit`, value: String(limits.burstLimit)},
]
