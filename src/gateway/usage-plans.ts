import type {ApiStage, PatchOperation, UsagePlan, UsagePlanKey} from '@aws-sdk/client-api-gateway'

import type {ApiGateway} from '../aws/api-gateway.js'
import type {PlanChange} from '../model/usage-plan.js'

import {conflict, GwctlError} from '../model/errors.js'
import {checkQuotaOffset} from '../model/flag-values.js'
import {describeCollision, findStageCollisions, type PlanAddition, type PlanCoverage, type StageCollision} from '../model/stage-collisions.js'
import {methodKey, type MethodThrottle, type Quota, type StageRef, type Throttle, stageId} from '../model/usage-plan.js'
import {commandLine, placeholder} from '../model/command-line.js'
import {labelOf, type Ref, refOf, resolveByIdOrName} from '../model/resolve.js'
import {planUpdateOps, removeStageOp} from '../model/patches.js'
import {RestApis} from './rest-apis.js'

export interface CreatePlanInput {
  name: string
  description?: string
  throttle?: Throttle
  quota?: Quota
  stages: StageRef[]
  methodThrottles: Array<StageRef & MethodThrottle>
  tags: Record<string, string>
  ifNotExists?: boolean
}

export interface CreatePlanResult {
  plan: UsagePlan
  created: boolean
}

export interface UpdatePlanResult {
  plan: UsagePlan
  operations: PatchOperation[]
  applied: boolean
}

export interface DeletePlanResult {
  id: string
  name?: string
  detachedStages: string[]
}

/** Usage plans: list, resolve by id or name, create, patch and delete. */
export class UsagePlans {
  private listCache?: Promise<UsagePlan[]>

  constructor(
    private readonly apigw: ApiGateway,
    private readonly apis = new RestApis(apigw),
  ) {}

  list(): Promise<UsagePlan[]> {
    this.listCache ??= this.apigw.getUsagePlans({}, 'listing usage plans')
    return this.listCache
  }

  async resolve(ref: string): Promise<UsagePlan> {
    return resolveByIdOrName(await this.list(), ref, 'usage plan', commandLine('plans list'))
  }

  /** Each plan named, once, in order: resolved up front so that a typo fails before anything changes. */
  async resolveEach(refs: string[]): Promise<UsagePlan[]> {
    const plans: UsagePlan[] = []
    for (const ref of refs) {
      const plan = await this.resolve(ref)
      if (!plans.some((p) => p.id === plan.id)) plans.push(plan)
    }

    return plans
  }

  async get(id: string): Promise<UsagePlan> {
    return this.apigw.getUsagePlan({usagePlanId: id}, `reading usage plan ${id}`)
  }

  keys(planId: string): Promise<UsagePlanKey[]> {
    return this.apigw.getUsagePlanKeys({usagePlanId: planId}, `listing the keys of usage plan ${planId}`)
  }

  /**
   * The keys that `additions` would put in two plans covering one API stage, which
   * AWS does not allow. Gathers what the rule needs (every plan that covers a stage
   * in play, with its keys) and asks the model. `newKeys` says the keys added do not
   * exist yet, so no plan's key list matters and none is fetched; `newPlan` is a plan
   * about to be created (no stages, no keys yet) that additions may name.
   */
  async findCollisions(additions: PlanAddition[], options: {newKeys?: boolean; newPlan?: Ref} = {}): Promise<StageCollision[]> {
    const all = await this.list()
    const targets = new Set(additions.map((a) => a.planId))
    const stagesOf = (planId: string) => (all.find((p) => p.id === planId)?.apiStages ?? []).map((s) => stageId(s.apiId!, s.stage!))
    const inPlay = new Set([...[...targets].flatMap((id) => stagesOf(id)), ...additions.flatMap((a) => a.stages ?? [])])
    const relevant = all.filter((p) => targets.has(p.id!) || stagesOf(p.id!).some((s) => inPlay.has(s)))
    const needKeys = !options.newKeys || additions.some((a) => (a.stages ?? []).length > 0)

    const coverage: PlanCoverage[] = options.newPlan ? [{...options.newPlan, stages: [], keys: []}] : []
    for (const plan of relevant) {
      const keys = needKeys ? (await this.keys(plan.id!)).map(refOf) : []
      coverage.push({...refOf(plan), stages: stagesOf(plan.id!), keys})
    }

    return findStageCollisions(coverage, additions)
  }

  /** Refuses (exit 4) a change that would put a key in two plans covering one API stage, naming each case. */
  async refuseCollisions(additions: PlanAddition[], options: {newKeys?: boolean} = {}): Promise<void> {
    const collisions = await this.findCollisions(additions, options)
    if (collisions.length === 0) return
    throw conflict(
      [
        'AWS allows an API key in only one usage plan per API stage, and this change would break that:',
        ...collisions.map((c) => `  - ${describeCollision(c)}`),
      ].join('\n'),
      {
        details: {collisions},
        suggestions: [
          `Detach the key from the other plan first (${commandLine('keys detach', {key: placeholder('KEY'), plan: placeholder('PLAN')})}), or use a plan that does not cover that stage`,
        ],
      },
    )
  }

  /**
   * Validates everything against the account first (stages exist, throttled
   * methods exist, the name is free), then creates the plan in one call.
   */
  async create(input: CreatePlanInput): Promise<CreatePlanResult> {
    checkQuotaOffset(input.quota?.offset, input.quota?.limit)
    const existing = (await this.list()).filter((plan) => plan.name === input.name)
    if (existing.length > 0) {
      if (input.ifNotExists && existing.length === 1) return {plan: existing[0], created: false}
      throw conflict(`A usage plan named "${input.name}" already exists (${existing.map((p) => p.id).join(', ')})`, {
        suggestions: ['Choose another --name, or pass --if-not-exists to reuse the existing plan'],
      })
    }

    const apiStages = await this.buildApiStages(input.stages, input.methodThrottles)
    const plan = await this.apigw.createUsagePlan(
      {
        name: input.name,
        description: input.description,
        throttle: input.throttle,
        quota: input.quota ? {limit: input.quota.limit, period: input.quota.period, offset: input.quota.offset ?? 0} : undefined,
        apiStages: apiStages.length > 0 ? apiStages : undefined,
        tags: Object.keys(input.tags).length > 0 ? input.tags : undefined,
      },
      `creating usage plan "${input.name}"`,
    )
    this.listCache = undefined
    return {plan, created: true}
  }

  /** Sends the minimal patch in one UpdateUsagePlan call (AWS allows one such call per 20 s). */
  async update(ref: string, change: PlanChange, options: {dryRun?: boolean} = {}): Promise<UpdatePlanResult> {
    const current = await this.resolve(ref)
    if (change.name !== undefined && change.name !== current.name) {
      const clash = (await this.list()).find((plan) => plan.name === change.name && plan.id !== current.id)
      if (clash) throw conflict(`Another usage plan is already named "${change.name}" (${clash.id})`)
    }

    if (!change.removeQuota) checkQuotaOffset(change.quotaOffset ?? current.quota?.offset, change.quotaLimit ?? current.quota?.limit)

    const touchesQuota = change.quotaLimit !== undefined || change.quotaPeriod !== undefined || change.quotaOffset !== undefined
    if (!change.removeQuota && !current.quota && touchesQuota && (change.quotaLimit === undefined || change.quotaPeriod === undefined)) {
      throw new GwctlError('BAD_INPUT', 'This plan has no quota yet: give --quota as LIMIT/PERIOD')
    }

    if (!change.removeThrottle && !current.throttle && (change.rateLimit === undefined) !== (change.burstLimit === undefined)) {
      throw new GwctlError('BAD_INPUT', 'This plan has no throttle yet: give both --rate and --burst')
    }

    const operations = planUpdateOps(current, change)
    if (options.dryRun || operations.length === 0) return {plan: current, operations, applied: false}
    const plan = await this.patch(current.id!, operations, `updating usage plan ${labelOf(current)}`)
    return {plan, operations, applied: true}
  }

  /** One UpdateUsagePlan call with all of `operations`. */
  async patch(planId: string, operations: PatchOperation[], action: string): Promise<UsagePlan> {
    const plan = await this.apigw.updateUsagePlan({usagePlanId: planId, patchOperations: operations}, action)
    this.listCache = undefined
    return plan
  }

  /**
   * AWS refuses to delete a plan with stages attached. With `force`, detach them
   * all in one call first; if the delete then fails, the error says what was detached.
   */
  async delete(ref: string, options: {force?: boolean} = {}): Promise<DeletePlanResult> {
    const plan = await this.resolve(ref)
    const apiStages = plan.apiStages ?? []
    const stages = apiStages.map((s) => stageId(s.apiId!, s.stage!))
    if (stages.length > 0 && !options.force) {
      throw conflict(`Usage plan ${labelOf(plan)} still covers ${stages.length} stage(s): ${stages.join(', ')}`, {
        suggestions: [
          `Pass --force to detach them and delete the plan`,
          ...apiStages.map((s) => `or detach one: ${commandLine('stages detach', {plan: plan.id, api: s.apiId, stage: s.stage})}`),
        ],
        details: {stages},
      })
    }

    if (stages.length > 0) {
      await this.patch(
        plan.id!,
        apiStages.map((s) => removeStageOp(s.apiId!, s.stage!)),
        `detaching the stages of usage plan ${plan.id}`,
      )
    }

    try {
      await this.apigw.deleteUsagePlan({usagePlanId: plan.id!}, `deleting usage plan ${labelOf(plan)}`)
    } catch (error) {
      if (stages.length === 0 || !(error instanceof GwctlError)) throw error
      throw new GwctlError('PARTIAL_FAILURE', `Detached the plan's stages, then deleting it failed: ${error.message}`, {
        cause: error,
        done: stages.map((s) => `detached stage ${s} from usage plan ${plan.id}`),
        suggestions: [
          `Run the same command again to retry the delete`,
          ...apiStages.map((s) => `to undo: ${commandLine('stages attach', {plan: plan.id, api: s.apiId, stage: s.stage})}`),
        ],
      })
    }

    this.listCache = undefined
    return {id: plan.id!, name: plan.name, detachedStages: stages}
  }

  /** Resolves API names, checks each stage and throttled method exists, and groups throttles by stage. */
  private async buildApiStages(stages: StageRef[], methodThrottles: Array<StageRef & MethodThrottle>): Promise<ApiStage[]> {
    const byStage = new Map<string, ApiStage>()
    const ensureStage = async (ref: StageRef) => {
      const api = await this.apis.resolve(ref.api)
      await this.apis.requireStage(api, ref.stage)
      const id = stageId(api.id!, ref.stage)
      if (!byStage.has(id)) byStage.set(id, {apiId: api.id!, stage: ref.stage})
      return {api, apiStage: byStage.get(id)!}
    }

    for (const ref of stages) await ensureStage(ref)
    for (const mt of methodThrottles) {
      const {api, apiStage} = await ensureStage(mt)
      await this.apis.requireMethod(api, mt.path, mt.httpMethod)
      apiStage.throttle = {...apiStage.throttle, [methodKey(mt)]: {rateLimit: mt.rateLimit, burstLimit: mt.burstLimit}}
    }

    return [...byStage.values()]
  }
}
