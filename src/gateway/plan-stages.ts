import type {Deployment, PatchOperation, RestApi, Stage, UsagePlan} from '@aws-sdk/client-api-gateway'

import type {Ref} from '../model/resolve.js'
import type {ApiGateway} from '../aws/api-gateway.js'
import type {PlanChange} from '../model/usage-plan.js'

import {awsCall, type WriteOutcome} from '../model/aws-calls.js'
import {badInput, conflict, notFound} from '../model/errors.js'
import {type MethodRef, methodKey, type MethodThrottle, refuseRepeatedMethods, stageId} from '../model/usage-plan.js'
import {labelOf, refOf} from '../model/resolve.js'
import {attachStageOps, detachStageOps, methodThrottleOps, removeMethodThrottleOp} from '../model/patches.js'
import {commandLine, placeholder} from '../model/command-line.js'
import {RestApis} from './rest-apis.js'
import {UsagePlans} from './usage-plans.js'

export interface StageChangeInput {
  /** Usage plan, API: id or name. */
  plan: string
  api: string
  stage: string
}

export interface StageChange extends WriteOutcome {
  usagePlan: UsagePlan
  apiId: string
  stage: string
  /** The patch of the one UpdateUsagePlan call; empty when nothing needed changing. */
  operations: PatchOperation[]
}

export interface StageCoverage extends Stage {
  /** The stage's current deployment, when it still exists. */
  deployment?: Deployment
  usagePlans: Ref[]
}

export interface MethodThrottleChange extends StageChangeInput {
  /** Per-method throttles to set (added, or replacing the method's current one). */
  set: MethodThrottle[]
  /** Methods whose per-method throttle to remove. */
  remove: MethodRef[]
  dryRun: boolean
}

const sameLimits = (a: {rateLimit?: number; burstLimit?: number} | undefined, b: MethodThrottle) =>
  a !== undefined && Number(a.rateLimit) === b.rateLimit && Number(a.burstLimit) === b.burstLimit

/** Which API stages a usage plan covers: attach, detach, per-method throttles in place, and a per-API overview. */
export class PlanStages {
  constructor(
    private readonly apigw: ApiGateway,
    readonly plans = new UsagePlans(apigw),
    readonly apis = new RestApis(apigw),
  ) {}

  /**
   * Covers a stage with a plan, with optional per-method throttles, in one call.
   * Checks first that the stage and each throttled method exist, and that no key
   * of the plan is already in another plan covering this stage. A plan already
   * covering the stage with these throttles is left as it is.
   */
  async attach(input: StageChangeInput & {methodThrottles: MethodThrottle[]; dryRun?: boolean}): Promise<StageChange> {
    const plan = await this.plans.resolve(input.plan)
    const api = await this.apis.resolve(input.api)
    const operations = await this.attachOps(plan, api, input.stage, input.methodThrottles)
    const dryRun = input.dryRun ?? false
    if (operations.length === 0) return {usagePlan: plan, apiId: api.id!, stage: input.stage, operations, changed: false, dryRun, calls: []}
    const id = stageId(api.id!, input.stage)
    return this.send(plan, {apiId: api.id!, stage: input.stage, operations, dryRun}, `attaching stage ${id} to usage plan ${labelOf(plan)}`)
  }

  /**
   * Changes a plan's settings and covers more stages of one API in a single
   * UpdateUsagePlan call (AWS allows one per 20 s per account), with the checks of
   * `plans update` and `stages attach`.
   */
  async extend(input: {plan: string; change: PlanChange; api: string; stages: string[]; methodThrottles: MethodThrottle[]}): Promise<UsagePlan> {
    const plan = await this.plans.resolve(input.plan)
    const api = await this.apis.resolve(input.api)
    const operations = await this.plans.changeOps(plan, input.change)
    for (const stage of input.stages) operations.push(...(await this.attachOps(plan, api, stage, input.methodThrottles)))
    if (operations.length === 0) return plan
    return this.plans.patch(plan.id!, operations, `updating usage plan ${labelOf(plan)}`)
  }

  /**
   * The operations that cover `stage` with `plan`, once checked; none when the plan
   * covers it already with these throttles.
   */
  private async attachOps(plan: UsagePlan, api: RestApi, stage: string, methodThrottles: MethodThrottle[]): Promise<PatchOperation[]> {
    refuseRepeatedMethods(methodThrottles, '--method-throttle')
    await this.apis.requireStage(api, stage)
    for (const t of methodThrottles) await this.apis.requireMethod(api, t.path, t.httpMethod)

    const id = stageId(api.id!, stage)
    const covered = plan.apiStages?.find((s) => stageId(s.apiId!, s.stage!) === id)
    if (covered) {
      if (methodThrottles.every((t) => sameLimits(covered.throttle?.[methodKey(t)], t))) return []
      throw conflict(`Usage plan ${labelOf(plan)} already covers ${id} with other per-method throttles`, {
        suggestions: [
          `Change them in place: ${commandLine('stages update', {plan: plan.id!, api: api.id!, stage, 'method-throttle': methodThrottles.map((t) => `${methodKey(t)}=${t.rateLimit}/${t.burstLimit}`)})}`,
        ],
      })
    }

    await this.plans.refuseCollisions([{planId: plan.id!, stages: [id]}])
    return attachStageOps(api.id!, stage, methodThrottles)
  }

  /**
   * Stops a plan covering a stage, removing its per-method throttles in the same call.
   * A stage the plan does not cover is left as it is (nothing changed, exit 0), as
   * `keys detach` does with a key that is not in the plan.
   */
  async detach(input: StageChangeInput & {dryRun?: boolean}): Promise<StageChange> {
    const plan = await this.plans.resolve(input.plan)
    const api = await this.apis.resolve(input.api)
    const id = stageId(api.id!, input.stage)
    const covered = plan.apiStages?.find((s) => stageId(s.apiId!, s.stage!) === id)
    if (!covered) return {usagePlan: plan, apiId: api.id!, stage: input.stage, operations: [], changed: false, dryRun: input.dryRun ?? false, calls: []}
    const operations = detachStageOps({apiId: api.id!, stage: input.stage, throttle: covered.throttle})
    return this.send(plan, {apiId: api.id!, stage: input.stage, operations, dryRun: input.dryRun}, `detaching stage ${id} from usage plan ${labelOf(plan)}`)
  }

  /**
   * Sets and removes per-method throttles of a stage the plan covers, in place, in one
   * UpdateUsagePlan call: the stage stays covered, so no key loses access. Each method
   * set must exist on the API; a throttle already at these limits, or a removal of a
   * method without one, sends nothing for that method.
   */
  async updateMethodThrottles(input: MethodThrottleChange): Promise<StageChange> {
    refuseRepeatedMethods(input.set, '--method-throttle')
    refuseRepeatedMethods(input.remove, '--remove-method-throttle')
    const both = input.set.find((t) => input.remove.some((r) => methodKey(r) === methodKey(t)))
    if (both) throw badInput(`${both.httpMethod} ${both.path} is given to both --method-throttle and --remove-method-throttle; give it to one`)
    const plan = await this.plans.resolve(input.plan)
    const api = await this.apis.resolve(input.api)
    const id = stageId(api.id!, input.stage)
    const covered = plan.apiStages?.find((s) => stageId(s.apiId!, s.stage!) === id)
    if (!covered) {
      const stages = (plan.apiStages ?? []).map((s) => stageId(s.apiId!, s.stage!)).join(', ') || 'none'
      throw notFound(`Usage plan ${labelOf(plan)} does not cover stage ${id} (it covers: ${stages})`, {
        suggestions: [
          `Attach it with its throttles: ${commandLine('stages attach', {plan: plan.id!, api: api.id!, stage: input.stage, 'method-throttle': [placeholder('/path/METHOD=RATE/BURST')]})}`,
        ],
      })
    }

    for (const t of input.set) await this.apis.requireMethod(api, t.path, t.httpMethod)
    const current = covered.throttle ?? {}
    const operations = [
      ...methodThrottleOps(
        api.id!,
        input.stage,
        input.set.filter((t) => !sameLimits(current[methodKey(t)], t)),
      ),
      ...input.remove.filter((ref) => current[methodKey(ref)] !== undefined).map((ref) => removeMethodThrottleOp(api.id!, input.stage, ref)),
    ]
    if (operations.length === 0) return {usagePlan: plan, apiId: api.id!, stage: input.stage, operations, changed: false, dryRun: input.dryRun, calls: []}
    return this.send(
      plan,
      {apiId: api.id!, stage: input.stage, operations, dryRun: input.dryRun},
      `changing per-method throttles of stage ${id} in usage plan ${labelOf(plan)}`,
    )
  }

  /** One UpdateUsagePlan with `operations`, or none with dryRun. */
  private async send(
    plan: UsagePlan,
    change: {apiId: string; stage: string; operations: PatchOperation[]; dryRun?: boolean},
    action: string,
  ): Promise<StageChange> {
    const calls = [awsCall('UpdateUsagePlan', {usagePlanId: plan.id, patchOperations: change.operations})]
    const {dryRun = false, ...rest} = change
    if (dryRun) return {...rest, usagePlan: plan, changed: false, dryRun, calls}
    const usagePlan = await this.plans.patch(plan.id!, change.operations, action)
    return {...rest, usagePlan, changed: true, dryRun, calls}
  }

  /** Every stage of an API with its deployment and the plans covering it. */
  async list(apiRef: string): Promise<StageCoverage[]> {
    const api = await this.apis.resolve(apiRef)
    const stages = await this.apis.stages(api.id!)
    const deployments = await this.apigw.getDeployments({restApiId: api.id!}, `listing deployments of API ${labelOf(api)}`)
    const plans = await this.plans.list()
    return stages.map((stage) => ({
      ...stage,
      deployment: deployments.find((d) => d.id === stage.deploymentId),
      usagePlans: plans.filter((p) => p.apiStages?.some((s) => s.apiId === api.id && s.stage === stage.stageName)).map(refOf),
    }))
  }
}
