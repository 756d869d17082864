import type {ApiKey, Resource, RestApi, Stage, UsagePlan, UsagePlanKey} from '@aws-sdk/client-api-gateway'

import type {PlanChange} from '../gateway/patches.js'
import type {CreatePlanInput} from '../gateway/usage-plans.js'
import type {MethodThrottle} from '../model/limits.js'

/**
 * What the wizard needs from the service layer, and nothing more. Each call is
 * the one a gwctl command makes, with the same inputs as that command's flags,
 * so the wizard holds no logic of its own about AWS.
 */

export type KeySource = 'AUTHORIZER' | 'HEADER'

/** One key that may not join a plan: AWS allows a key in one plan per API stage. */
export interface KeyCollision {
  keyId: string
  keyName?: string
  /** The other plan that already covers the stage with this key. */
  planId: string
  planName?: string
  apiId: string
  stage: string
}

/** Reads, to offer choices and to check answers on the spot. */
export interface WizardReads {
  apis(): Promise<RestApi[]>
  stages(apiId: string): Promise<Stage[]>
  /** Every resource with its methods embedded. */
  resources(apiId: string): Promise<Resource[]>
  plans(): Promise<UsagePlan[]>
  keys(): Promise<ApiKey[]>
  planKeys(planId: string): Promise<UsagePlanKey[]>
  /** Keys among `keyIds` already in a plan other than `planId` that covers one of `stages`. */
  collisions(input: {keyIds: string[]; stages: Array<{apiId: string; stage: string}>; planId?: string}): Promise<KeyCollision[]>
  /** Validates a CSV file as `keys import` does; returns the key names, or throws listing every problem. */
  checkKeysFile(file: string): Promise<string[]>
  /** Whether the API has a TOKEN or REQUEST authorizer that could supply the key. */
  hasLambdaAuthorizer(apiId: string): Promise<boolean>
}

/** Writes, one per step of the setup; the argument mirrors the flags of the equivalent command. */
export interface WizardWrites {
  createPlan(input: CreatePlanInput): Promise<{id: string}>
  updatePlan(plan: string, change: PlanChange): Promise<void>
  attachStage(input: {plan: string; api: string; stage: string; methodThrottles: MethodThrottle[]}): Promise<void>
  createKey(input: {name: string; plans: string[]}): Promise<{id: string; name: string; value: string}>
  importKeys(input: {file: string; plans: string[]}): Promise<{ids: string[]}>
  attachKey(input: {key: string; plan: string}): Promise<void>
  requireKey(input: {api: string; path: string; methods: string[]; off: boolean}): Promise<void>
  setKeySource(input: {api: string; source: KeySource}): Promise<void>
  deploy(input: {api: string; stage: string; description?: string}): Promise<{id: string}>
}
