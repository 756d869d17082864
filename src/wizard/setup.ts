import type {UsagePlan} from '@aws-sdk/client-api-gateway'

import type {PlanChange, MethodRef, MethodThrottle, Quota, Throttle} from '../model/usage-plan.js'
import type {ApiKeySource} from '../model/key-source.js'

/**
 * The answers of the wizard, as the set of changes they ask for. Nothing has
 * been sent when this exists; `setupSteps` turns it into the steps to apply.
 */
export interface Setup {
  api: {id: string; name: string}
  /** Stages of `api` to cover with the plan, and to deploy at the end. */
  stages: string[]
  plan: NewPlan | ExistingPlan
  /** Per-method throttles, set on each stage the wizard attaches. */
  methodThrottles: MethodThrottle[]
  keys: KeysChoice
  requireKey: {on: MethodRef[]; off: MethodRef[]}
  keySource: {from: ApiKeySource; to: ApiKeySource}
}

export interface NewPlan {
  kind: 'new'
  name: string
  throttle: Throttle
  quota: Quota
}

export interface ExistingPlan {
  kind: 'existing'
  current: UsagePlan
  /** Limits as answered; only the fields that differ are sent. */
  change: PlanChange
  /** Of `Setup.stages`, those the plan does not cover yet. */
  newStages: string[]
}

export type KeysChoice =
  | {kind: 'existing'; keys: Array<{id: string; name: string}>}
  | {kind: 'generate'; names: string[]}
  | {kind: 'import'; file: string; names: string[]}
  | {kind: 'none'}
