import type {ApiKey, RestApi, Stage, UsagePlan, UsagePlanKey} from '@aws-sdk/client-api-gateway'

import type {PlanChange, MethodThrottle} from '../model/usage-plan.js'
import type {CreatePlanInput} from '../gateway/usage-plans.js'
import type {ApiKeySource} from '../model/key-source.js'
import type {Ref} from '../model/resolve.js'
import type {StageCollision} from '../model/stage-collisions.js'

/**
 * The wizard's ports: what it needs from the service layer, and nothing more.
 * Each call is the one a gwctl command makes, with the same inputs as that
 * command's flags, so the wizard holds no logic of its own about AWS.
 * ./aws.ts binds them to the services; the tests bind them to fakes.
 */

/** A method of the API and whether it requires a key now. */
export interface ApiMethod {
  path: string
  httpMethod: string
  apiKeyRequired: boolean
}

/** Reads, to offer choices and to check answers on the spot. */
export interface WizardReads {
  apis(): Promise<RestApi[]>
  stages(apiId: string): Promise<Stage[]>
  /** Every method of the API, sorted by path then HTTP method. */
  methods(apiId: string): Promise<ApiMethod[]>
  plans(): Promise<UsagePlan[]>
  keys(): Promise<ApiKey[]>
  planKeys(planId: string): Promise<UsagePlanKey[]>
  /**
   * What AWS's one-plan-per-stage rule says about adding `keys` and `stages` (as "apiId:stage")
   * to a plan: `plan.id` undefined for a plan not created yet.
   */
  collisions(input: {plan: {id?: string; name: string}; keys: Ref[]; stages: string[]}): Promise<StageCollision[]>
  /**
   * Checks a CSV file as `keys import --dry-run` does (against `planId` when the plan exists);
   * returns the names of the keys it would import, or throws listing every problem.
   */
  checkKeysFile(file: string, planId?: string): Promise<string[]>
  /** What is wrong with taking keys from `source` on this API (AUTHORIZER without a Lambda authorizer). */
  keySourceWarnings(apiId: string, source: ApiKeySource): Promise<string[]>
}

/** Writes, one per step of the setup; the argument mirrors the flags of the equivalent command. */
export interface WizardWrites {
  createPlan(input: CreatePlanInput): Promise<{id: string}>
  /** Changes an existing plan's limits and covers more stages of one API, in one UpdateUsagePlan call. */
  extendPlan(input: {plan: string; change: PlanChange; api: string; stages: string[]; methodThrottles: MethodThrottle[]}): Promise<void>
  createKey(input: {name: string; plans: string[]}): Promise<{id: string; name: string; value: string}>
  importKeys(input: {file: string; plans: string[]}): Promise<{ids: string[]}>
  attachKey(input: {key: string; plan: string}): Promise<void>
  requireKey(input: {api: string; path: string; methods: string[]; off: boolean}): Promise<void>
  setKeySource(input: {api: string; source: ApiKeySource}): Promise<void>
  deploy(input: {api: string; stage: string; description?: string}): Promise<{id: string}>
}
