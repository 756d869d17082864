import type {Deployment, PatchOperation, RestApi, Stage, UsagePlan} from '@aws-sdk/client-api-gateway'

import type {Ref} from '../model/resolve.js'
import type {ApiGateway} from '../aws/api-gateway.js'
import type {PlanChange} from '../model/usage-plan.js'

import {badInput, conflict, notFound} from '../model/errors.js'
import {methodKey, type MethodThrottle, stageId} from '../model/usage-plan.js'
import {commandLine} from '../model/command-line.js'
import {labelOf, refOf} from '../model/resolve.js'
import {attachStageOps, detachStageOps} from '../model/patches.js'
import {RestApis} from './rest-apis.js'
import {UsagePlans} from './usage-plans.js'

export interface StageChangeInput {
  /** Usage plan, API: id or name. */
  plan: string
  api: string
  stage: string
}

export interface StageChange {
  usagePlan: UsagePlan
  apiId: string
  stage: string
  /** The patch sent in one UpdateUsagePlan call; empty when nothing needed changing. */
  operations: PatchOperation[]
}

export interface StageCoverage extends Stage {
  /** The stage's current deployment, when it still exists. */
  deployment?: Deployment
  usagePlans: Ref[]
}

/** Which API stages a usage plan covers: attach, detach, and a per-API overview. */
export class PlanStages {
  constructor(
    private readonly apigw: ApiGateway,
    readonly plans = new UsagePlans(apigw),
    readonly apis = new RestApis(apigw),
  ) {}

  /**
   * Covers a stage with a plan, with optional per-method throttles, in one call.
   * Checks first that the stage and each throttled method exist, and that no key
   * of the plan is already in another plan covering this stage.
   */
  async attach(input: StageChangeInput & {methodThrottles: MethodThrottle[]}): Promise<StageChange> {
    const plan = await this.plans.resolve(input.plan)
    const api = await this.apis.resolve(input.api)
    const operations = await this.attachOps(plan, api, input.stage, input.methodThrottles)
    if (operations.length === 0) return {usagePlan: plan, apiId: api.id!, stage: input.stage, operations}
    const usagePlan = await this.plans.patch(plan.id!, operations, `attaching stage ${stageId(api.id!, input.stage)} to usage plan ${labelOf(plan)}`)
    return {usagePlan, apiId: api.id!, stage: input.stage, operations}
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

  /** The operations that cover `stage` with `plan`, once checked; none when the plan covers it already. */
  private async attachOps(plan: UsagePlan, api: RestApi, stage: string, methodThrottles: MethodThrottle[]): Promise<PatchOperation[]> {
    const seen = new Set<string>()
    for (const t of methodThrottles) {
      if (seen.has(methodKey(t))) throw badInput(`--method-throttle names ${methodKey(t)} twice`)
      seen.add(methodKey(t))
    }

    await this.apis.requireStage(api, stage)
    for (const t of methodThrottles) await this.apis.requireMethod(api, t.path, t.httpMethod)

    const id = stageId(api.id!, stage)
    if (plan.apiStages?.some((s) => stageId(s.apiId!, s.stage!) === id)) {
      if (methodThrottles.length === 0) return []
      throw conflict(`Usage plan ${labelOf(plan)} already covers ${id}; per-method throttles are set when a stage is attached`, {
        suggestions: [`Detach it and attach it again with the throttles: ${commandLine('stages detach', {plan: plan.id, api: api.id, stage})}`],
      })
    }

    await this.plans.refuseCollisions([{planId: plan.id!, stages: [id]}])
    return attachStageOps(api.id!, stage, methodThrottles)
  }

  /** Stops a plan covering a stage, removing its per-method throttles in the same call. */
  async detach(input: StageChangeInput): Promise<StageChange> {
    const plan = await this.plans.resolve(input.plan)
    const api = await this.apis.resolve(input.api)
    const id = stageId(api.id!, input.stage)
    const covered = plan.apiStages?.find((s) => stageId(s.apiId!, s.stage!) === id)
    if (!covered) {
      const stages = (plan.apiStages ?? []).map((s) => stageId(s.apiId!, s.stage!)).join(', ') || 'none'
      throw notFound(`Usage plan ${labelOf(plan)} does not cover stage ${id} (it covers: ${stages})`)
    }

    const operations = detachStageOps({apiId: api.id!, stage: input.stage, throttle: covered.throttle})
    const usagePlan = await this.plans.patch(plan.id!, operations, `detaching stage ${id} from usage plan ${labelOf(plan)}`)
    return {usagePlan, apiId: api.id!, stage: input.stage, operations}
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
