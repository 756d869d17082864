import type {ApiKeySource} from './key-source.js'

import {methodKey, type MethodThrottle, type PlanChange, stageId} from './usage-plan.js'

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
}

/** JSON Pointer escaping: "~" -> "~0", "/" -> "~1". */
export const escapePointer = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1')

/** UpdateMethod: whether callers must present an API key (reaches callers at the next deployment). */
export const apiKeyRequiredOp = (required: boolean): PatchOperation => ({op: 'replace', path: '/apiKeyRequired', value: String(required)})

/** UpdateRestApi: where API Gateway reads the key from, HEADER or AUTHORIZER. */
export const apiKeySourceOp = (source: ApiKeySource): PatchOperation => ({op: 'replace', path: '/apiKeySource', value: source})

/**
 * The smallest patch that turns `current` into the plan `change` describes:
 * unchanged fields produce no operation. The ops for /name, /description and
 * /quota/offset are `replace` (AWS documents no other; see docs/aws-behaviour.md).
 */
export function planUpdateOps(current: PlanSettings, change: PlanChange): PatchOperation[] {
  const ops: PatchOperation[] = []
  const replace = (path: string, value: string | number, now: string | number | undefined) => {
    if (String(value) !== (now === undefined ? undefined : String(now))) ops.push({op: 'replace', path, value: String(value)})
  }

  if (change.name !== undefined) replace('/name', change.name, current.name)
  if (change.description !== undefined) replace('/description', change.description, current.description ?? '')
  if (change.removeThrottle) {
    if (current.throttle) ops.push({op: 'remove', path: '/throttle'})
  } else {
    if (change.rateLimit !== undefined) replace('/throttle/rateLimit', change.rateLimit, current.throttle?.rateLimit)
    if (change.burstLimit !== undefined) replace('/throttle/burstLimit', change.burstLimit, current.throttle?.burstLimit)
  }

  if (change.removeQuota) {
    if (current.quota) ops.push({op: 'remove', path: '/quota'})
  } else {
    if (change.quotaLimit !== undefined) replace('/quota/limit', change.quotaLimit, current.quota?.limit)
    if (change.quotaPeriod !== undefined) replace('/quota/period', change.quotaPeriod, current.quota?.period)
    if (change.quotaOffset !== undefined) replace('/quota/offset', change.quotaOffset, current.quota?.offset ?? 0)
  }

  return ops
}

export const addStageOp = (apiId: string, stage: string): PatchOperation => ({op: 'add', path: '/apiStages', value: stageId(apiId, stage)})

// AWS needs the stage in `value` for remove too, although its docs say value is for add/replace.
export const removeStageOp = (apiId: string, stage: string): PatchOperation => ({op: 'remove', path: '/apiStages', value: stageId(apiId, stage)})

/**
 * Per-method throttles inside a plan's stage. The path appends AWS's throttle map
 * key ("/pets/GET", "//GET" for the root) unescaped after `/throttle`, as AWS's
 * own example writes `<resourcePath>/<httpMethod>`; AWS does not say whether "/"
 * in the resource path needs "~1" (see docs/aws-behaviour.md). Kept here and only here.
 */
const stageThrottlePath = (apiId: string, stage: string) => `/apiStages/${stageId(apiId, stage)}/throttle`

/** Covers a stage and sets its per-method throttles, for one UpdateUsagePlan call. */
export function attachStageOps(apiId: string, stage: string, throttles: ReadonlyArray<MethodThrottle>): PatchOperation[] {
  const ops: PatchOperation[] = [addStageOp(apiId, stage)]
  for (const t of throttles) {
    const path = `${stageThrottlePath(apiId, stage)}${methodKey(t)}`
    ops.push({op: 'replace', path: `${path}/rateLimit`, value: String(t.rateLimit)}, {op: 'replace', path: `${path}/burstLimit`, value: String(t.burstLimit)})
  }

  return ops
}

/**
 * Stops covering a stage. Per-method throttles are removed first in the same
 * call: gwctl does not rely on AWS dropping them along with the stage.
 */
export function detachStageOps(apiId: string, stage: string, hasMethodThrottles: boolean): PatchOperation[] {
  return [...(hasMethodThrottles ? [{op: 'remove' as const, path: stageThrottlePath(apiId, stage)}] : []), removeStageOp(apiId, stage)]
}

/** UpdateApiKey operations. */
export const keyEnabledOp = (enabled: boolean): PatchOperation => ({op: 'replace', path: '/enabled', value: String(enabled)})
export const keyNameOp = (name: string): PatchOperation => ({op: 'replace', path: '/name', value: name})
