import type {ApiStage, PatchOperation, UsagePlan, UsagePlanKey} from '@aws-sdk/client-api-gateway'

import type {ApiGateway} from '../aws/api-gateway.js'
import type {PlanChange} from '../model/usage-plan.js'

import {awsCall, type WriteOutcome} from '../model/aws-calls.js'
import {checkQuotaOffset} from '../model/flag-values.js'
import {badInput, conflict, GwctlError} from '../model/errors.js'
import {describeCollision, findStageCollisions, type PlanAddition, type PlanCoverage, type StageCollision} from '../model/stage-collisions.js'
import {
  methodKey,
  type MethodThrottle,
  type PlanDifference,
  planDifferences,
  refuseRepeatedMethods,
  type Quota,
  type StageRef,
  type Throttle,
  stageId,
} from '../model/usage-plan.js'
import {labelOf, type Ref, refOf, resolveByIdOrName} from '../model/resolve.js'
import {commandArgv, commandLine, placeholder} from '../model/command-line.js'
import {detachStageOps, planUpdateOps, productCodeOp} from '../model/patches.js'
import type {ChangeStep} from '../model/change-steps.js'
import {RestApis} from './rest-apis.js'
import {runSteps} from './steps.js'
import {changeTags, type TagChange} from './tags.js'

export interface CreatePlanInput {
  name: string
  description?: string
  throttle?: Throttle
  quota?: Quota
  stages: StageRef[]
  methodThrottles: Array<StageRef & MethodThrottle>
  tags: Record<string, string>
  /** AWS Marketplace product code; set by an UpdateUsagePlan right after CreateUsagePlan, which has no field for it. */
  productCode?: string
  ifNotExists?: boolean
  dryRun?: boolean
}

export interface CreatePlanResult extends WriteOutcome {
  /** The new plan; the existing one with --if-not-exists; with --dry-run, the plan that would be created (no id). */
  usagePlan: UsagePlan
  /** With --if-not-exists on an existing plan: where it differs from the plan asked for (it is left unchanged). */
  differences: PlanDifference[]
}

export interface UpdatePlanResult extends WriteOutcome {
  usagePlan: UsagePlan
  operations: PatchOperation[]
}

export interface DeletePlanResult extends WriteOutcome {
  /** The plan deleted (as it was), or null when --if-exists found none. */
  usagePlan: UsagePlan | null
  detachedStages: string[]
}

export interface PlanDetails {
  usagePlan: UsagePlan
  apiKeys: UsagePlanKey[]
  /** The REST APIs of the plan's stages, with their names. */
  restApis: Ref[]
}

export interface PlanTagResult extends TagChange {
  usagePlan: UsagePlan
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

  /** One plan with its keys and the names of the APIs it covers. */
  async show(ref: string): Promise<PlanDetails> {
    const usagePlan = await this.resolve(ref)
    const apiIds = new Set((usagePlan.apiStages ?? []).map((s) => s.apiId!))
    const [apiKeys, apis] = await Promise.all([this.keys(usagePlan.id!), apiIds.size > 0 ? this.apis.list() : []])
    const restApis = [...apiIds].map((id) => refOf(apis.find((api) => api.id === id) ?? {id}))
    return {usagePlan, apiKeys, restApis}
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
   * methods exist, the name is free), then creates the plan in one call, and sets
   * its product code in a second one when asked. With `ifNotExists`, an existing
   * plan of that name is returned unchanged, with the settings in which it differs.
   * AWS has no conditional create: another process may create a plan of the same name
   * at the same moment, so the plans of that name are listed afterwards, and two are a
   * conflict (exit 4) that names both and the command that removes the extra one.
   */
  async create(input: CreatePlanInput): Promise<CreatePlanResult> {
    checkQuotaOffset(input.quota?.offset, input.quota?.limit)
    const existing = (await this.list()).filter((plan) => plan.name === input.name)
    if (existing.length > 0 && !(input.ifNotExists && existing.length === 1)) {
      throw conflict(`A usage plan named "${input.name}" already exists (${existing.map((p) => p.id).join(', ')})`, {
        suggestions: ['Choose another --name, or pass --if-not-exists to reuse the existing plan'],
      })
    }

    const apiStages = await this.buildApiStages(input.stages, input.methodThrottles)
    const request = {
      name: input.name,
      description: input.description,
      throttle: input.throttle,
      quota: input.quota ? {limit: input.quota.limit, period: input.quota.period, offset: input.quota.offset ?? 0} : undefined,
      apiStages: apiStages.length > 0 ? apiStages : undefined,
      tags: Object.keys(input.tags).length > 0 ? input.tags : undefined,
    }
    if (existing.length === 1) {
      const differences = planDifferences(existing[0], {...request, productCode: input.productCode})
      return {usagePlan: existing[0], changed: false, dryRun: input.dryRun ?? false, calls: [], differences}
    }

    const productCode = (planId: string) => ({usagePlanId: planId, patchOperations: [productCodeOp(input.productCode!, false)]})
    const calls = [awsCall('CreateUsagePlan', request), ...(input.productCode ? [awsCall('UpdateUsagePlan', productCode('<id of the new plan>'))] : [])]
    if (input.dryRun) return {usagePlan: {...request, productCode: input.productCode}, changed: false, dryRun: true, calls, differences: []}

    let plan: UsagePlan | undefined
    const steps: ChangeStep[] = [
      {
        title: `create usage plan ${input.name}`,
        finish: () => [
          commandArgv('plans create', {
            name: input.name,
            description: input.description,
            rate: input.throttle?.rateLimit,
            burst: input.throttle?.burstLimit,
            quota: input.quota ? `${input.quota.limit}/${input.quota.period}` : undefined,
            'quota-offset': input.quota?.offset,
            stage: input.stages.map((s) => `${s.api}:${s.stage}`),
            'method-throttle': input.methodThrottles.map((t) => `${t.api}:${t.stage}:${methodKey(t)}=${t.rateLimit}/${t.burstLimit}`),
            tag: Object.entries(input.tags).map(([k, v]) => `${k}=${v}`),
            'product-code': input.productCode,
          }),
        ],
        run: async (record) => {
          plan = await this.apigw.createUsagePlan(request, `creating usage plan "${input.name}"`)
          this.listCache = undefined
          record.created({kind: 'usage plan', id: plan.id!, name: input.name}, commandArgv('plans delete', {plan: plan.id!, force: true, yes: true}))
        },
      },
    ]
    if (input.productCode) {
      steps.push({
        title: `set product code ${input.productCode} on usage plan ${input.name}`,
        finish: () => [commandArgv('plans update', {plan: plan!.id!, 'product-code': input.productCode})],
        undo: () => [],
        run: async () => {
          plan = await this.patch(plan!.id!, productCode(plan!.id!).patchOperations, `setting the product code of usage plan ${labelOf(plan!)}`)
        },
      })
    }

    await runSteps(this.apigw, `Creating usage plan ${input.name}`, steps)
    await this.refuseTwins(input.name, plan!)
    return {usagePlan: plan!, changed: true, dryRun: false, calls, differences: []}
  }

  /** After creating `plan`: exit 4 if another plan now has its name, naming the one to remove (the same in every process that sees the pair). */
  private async refuseTwins(name: string, plan: UsagePlan): Promise<void> {
    const named = (await this.list()).filter((p) => p.name === name)
    if (named.length < 2) return
    const ids = named.map((p) => p.id!).toSorted()
    const extra = ids.slice(1)
    throw conflict(
      `${ids.length} usage plans are named "${name}" (${ids.join(', ')}): another process created one at the same time as this one (${plan.id}). By-name commands refuse the name until one remains`,
      {
        details: {created: plan.id, usagePlanIds: ids},
        suggestions: extra.map((id) => `Keep ${ids[0]} and remove the extra one: ${commandLine('plans delete', {plan: id, yes: true})}`),
      },
    )
  }

  /** Sends the minimal patch in one UpdateUsagePlan call (AWS allows one such call per 20 s). */
  async update(ref: string, change: PlanChange, options: {dryRun?: boolean} = {}): Promise<UpdatePlanResult> {
    const current = await this.resolve(ref)
    const operations = await this.changeOps(current, change)
    const calls = operations.length > 0 ? [awsCall('UpdateUsagePlan', {usagePlanId: current.id, patchOperations: operations})] : []
    if (options.dryRun || operations.length === 0) return {usagePlan: current, operations, changed: false, dryRun: options.dryRun ?? false, calls}
    const plan = await this.patch(current.id!, operations, `updating usage plan ${labelOf(current)}`)
    return {usagePlan: plan, operations, changed: true, dryRun: false, calls}
  }

  /** The patch operations for `change` to `current`, once it is checked against the account (a new name is free) and itself. */
  async changeOps(current: UsagePlan, change: PlanChange): Promise<PatchOperation[]> {
    if (change.name !== undefined && change.name !== current.name) {
      const clash = (await this.list()).find((plan) => plan.name === change.name && plan.id !== current.id)
      if (clash) throw conflict(`Another usage plan is already named "${change.name}" (${clash.id})`)
    }

    if (!change.removeQuota) checkQuotaOffset(change.quotaOffset ?? current.quota?.offset, change.quotaLimit ?? current.quota?.limit)

    const touchesQuota = change.quotaLimit !== undefined || change.quotaPeriod !== undefined || change.quotaOffset !== undefined
    if (!change.removeQuota && !current.quota && touchesQuota && (change.quotaLimit === undefined || change.quotaPeriod === undefined)) {
      throw badInput('This plan has no quota yet: give --quota as LIMIT/PERIOD')
    }

    if (!change.removeThrottle && !current.throttle && (change.rateLimit === undefined) !== (change.burstLimit === undefined)) {
      throw badInput('This plan has no throttle yet: give both --rate and --burst')
    }

    return planUpdateOps(current, change)
  }

  /** One UpdateUsagePlan call with all of `operations`. */
  async patch(planId: string, operations: PatchOperation[], action: string): Promise<UsagePlan> {
    const plan = await this.apigw.updateUsagePlan({usagePlanId: planId, patchOperations: operations}, action)
    this.listCache = undefined
    return plan
  }

  /** Adds or overwrites tags (`set`) or removes them (`remove`) on a plan; only what differs is sent. */
  async changeTags(ref: string, change: {set?: Record<string, string>; remove?: string[]; dryRun: boolean}): Promise<PlanTagResult> {
    const plan = await this.resolve(ref)
    const result = await changeTags(this.apigw, {path: `/usageplans/${plan.id}`, label: `usage plan ${labelOf(plan)}`, current: plan.tags, ...change})
    if (result.changed) this.listCache = undefined
    return {...result, usagePlan: {...plan, tags: result.tags}}
  }

  /**
   * AWS refuses to delete a plan with stages attached. With `force`, the stages and
   * their per-method throttles are detached in one call first (as `stages detach`
   * does), then the plan is deleted: two steps, so a failure of the delete reports the
   * detached stages and the `stages attach` commands, throttles included, that put them back.
   * With `ifExists`, a plan that does not exist is not an error: nothing changes.
   */
  async delete(ref: string, options: {force?: boolean; ifExists?: boolean; dryRun?: boolean} = {}): Promise<DeletePlanResult> {
    const plan = await this.resolveOrNull(ref, options.ifExists)
    const dryRun = options.dryRun ?? false
    if (!plan) return {usagePlan: null, detachedStages: [], changed: false, dryRun, calls: []}
    const stages = (plan.apiStages ?? []).map((s) => stageId(s.apiId!, s.stage!))
    if (stages.length > 0 && !options.force) {
      throw conflict(`Usage plan ${labelOf(plan)} still covers ${stages.length} stage(s): ${stages.join(', ')}`, {
        suggestions: [
          `Pass --force to detach them and delete the plan`,
          ...(plan.apiStages ?? []).map((s) => `or detach one: ${commandLine('stages detach', {plan: plan.id!, api: s.apiId!, stage: s.stage!})}`),
        ],
        details: {stages},
      })
    }

    const apiStages = plan.apiStages ?? []
    const operations = apiStages.flatMap((s) => detachStageOps({apiId: s.apiId!, stage: s.stage!, throttle: s.throttle}))
    const calls = [
      ...(operations.length > 0 ? [awsCall('UpdateUsagePlan', {usagePlanId: plan.id, patchOperations: operations})] : []),
      awsCall('DeleteUsagePlan', {usagePlanId: plan.id}),
    ]
    if (dryRun) return {usagePlan: plan, detachedStages: stages, changed: false, dryRun, calls}
    const detach: ChangeStep = {
      title: `detach stage(s) ${stages.join(', ')} from usage plan ${labelOf(plan)}`,
      finish: () => [commandArgv('plans delete', {plan: plan.id!, force: true, yes: true})],
      undo: () => apiStages.map((s) => attachCommand(plan.id!, s)),
      run: async () => {
        await this.patch(plan.id!, operations, `detaching the stages of usage plan ${labelOf(plan)}`)
      },
    }

    await runSteps(this.apigw, `Deleting usage plan ${labelOf(plan)}`, [
      ...(stages.length > 0 ? [detach] : []),
      {
        title: `delete usage plan ${labelOf(plan)}`,
        finish: () => [commandArgv('plans delete', {plan: plan.id!, yes: true})],
        run: async () => {
          await this.apigw.deleteUsagePlan({usagePlanId: plan.id!}, `deleting usage plan ${labelOf(plan)}`)
        },
      },
    ])
    this.listCache = undefined
    return {usagePlan: plan, detachedStages: stages, changed: true, dryRun, calls}
  }

  /** The plan named, or null when it does not exist and `ifExists` says that is fine. */
  private async resolveOrNull(ref: string, ifExists = false): Promise<UsagePlan | null> {
    try {
      return await this.resolve(ref)
    } catch (error) {
      if (ifExists && error instanceof GwctlError && error.code === 'NOT_FOUND') return null
      throw error
    }
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
    const throttled = []
    for (const mt of methodThrottles) throttled.push({...mt, ...(await ensureStage(mt))})
    // The API may be named by id in one flag and by name in another: compare them resolved.
    refuseRepeatedMethods(
      throttled.map((t) => ({...t, stage: stageId(t.apiStage.apiId!, t.apiStage.stage!)})),
      '--method-throttle',
    )
    for (const {api, apiStage, ...mt} of throttled) {
      await this.apis.requireMethod(api, mt.path, mt.httpMethod)
      apiStage.throttle = {...apiStage.throttle, [methodKey(mt)]: {rateLimit: mt.rateLimit, burstLimit: mt.burstLimit}}
    }

    return [...byStage.values()]
  }
}

/** The `stages attach` command that puts a stage back on a plan as it was, per-method throttles included. */
export function attachCommand(planId: string, stage: ApiStage): string[] {
  const throttles = Object.entries(stage.throttle ?? {}).map(([key, t]) => `${key}=${t.rateLimit}/${t.burstLimit}`)
  return commandArgv('stages attach', {plan: planId, api: stage.apiId!, stage: stage.stage!, 'method-throttle': throttles})
}
