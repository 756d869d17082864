import {methodKey} from '../model/usage-plan.js'
import {DEFAULT_ACCOUNT_THROTTLE, keyValueForms, type Snapshot, type SnapshotKey, type SnapshotPlan} from '../model/snapshot.js'
import type {Throttle} from '../model/usage-plan.js'
import {ANY_METHOD, NO_KEY, stageThrottleFor, UNKNOWN_KEY} from './rules.js'

export interface Route {
  stage: number
  path: string
  httpMethod: string
  apiKeyRequired: boolean
  /** The stage's methodSettings throttle for this method (exact entry, else "*\/*"). */
  stageThrottle?: Throttle
}

export interface PlanMethodSlot extends Throttle {
  plan: number
  route: number
}

/** A key's membership in a plan: the unit that owns a plan throttle bucket and a quota counter. */
export interface Member {
  key: number
  plan: number
}

/** Beyond this many distinct key values, hashing each again is cheaper than remembering them all. */
const VALUE_CACHE_LIMIT = 100_000

/**
 * The snapshot turned into integer indexes, so that enforcing a request costs a few
 * map lookups and array reads. Built once per snapshot; read-only afterwards.
 */
export class CompiledSnapshot {
  readonly accountThrottle: Throttle
  readonly plans: SnapshotPlan[]
  readonly keys: SnapshotKey[]
  readonly keyEnabled: Uint8Array
  readonly stages: Array<{apiId: string; stageName: string}> = []
  readonly routes: Route[] = []
  readonly members: Member[] = []
  /** Each key's memberships, by key index. */
  readonly keyMembers: number[][]
  readonly planMethodSlots: PlanMethodSlot[] = []
  /** apiId -> stage -> resourcePath -> httpMethod -> route index. */
  private readonly routeIndex = new Map<string, Map<string, Map<string, Map<string, number>>>>()
  private readonly slotIndex = new Map<number, number>()
  /** 1 for a route some plan sets a method throttle for: most have none, and need no map lookup per request. */
  private readonly routeHasSlot: Uint8Array
  private readonly memberByKeyStage: Int32Array
  private readonly keyById = new Map<string, number>()
  /** Keys by the forms their values are held in (model/snapshot.ts keyValueForms). */
  private readonly keyByValue = new Map<string, number>()
  private readonly valueForms: ReturnType<typeof keyValueForms>
  private readonly valueCache = new Map<string, number>()

  constructor(snapshot: Snapshot) {
    this.accountThrottle = {...DEFAULT_ACCOUNT_THROTTLE, ...snapshot.account?.throttle}
    this.plans = snapshot.usagePlans
    this.keys = snapshot.apiKeys
    this.valueForms = keyValueForms(snapshot)
    this.keyEnabled = Uint8Array.from(this.keys, (k) => (k.enabled ? 1 : 0))

    for (const api of snapshot.apis) {
      const stagesOfApi = new Map<string, Map<string, Map<string, number>>>()
      this.routeIndex.set(api.id, stagesOfApi)
      for (const stage of api.stages) {
        const s = this.stages.push({apiId: api.id, stageName: stage.stageName}) - 1
        const paths = new Map<string, Map<string, number>>()
        stagesOfApi.set(stage.stageName, paths)
        for (const method of api.methods) {
          const r =
            this.routes.push({
              stage: s,
              path: method.path,
              httpMethod: method.httpMethod.toUpperCase(),
              apiKeyRequired: method.apiKeyRequired,
              stageThrottle: stageThrottleFor(stage, method.path, method.httpMethod, this.accountThrottle),
            }) - 1
          if (!paths.has(method.path)) paths.set(method.path, new Map())
          paths.get(method.path)!.set(method.httpMethod.toUpperCase(), r)
        }
      }
    }

    this.keyMembers = this.keys.map(() => [])
    this.memberByKeyStage = new Int32Array(this.keys.length * this.stages.length).fill(-1)
    this.routeHasSlot = new Uint8Array(this.routes.length)
    const planIndex = new Map(this.plans.map((p, i) => [p.id, i]))
    for (const [k, key] of this.keys.entries()) {
      this.keyById.set(key.id, k)
      for (const form of this.valueForms.stored(key)) this.keyByValue.set(form, k)
      for (const planId of key.usagePlanIds) {
        const p = planIndex.get(planId)
        if (p === undefined) continue
        const m = this.members.push({key: k, plan: p}) - 1
        this.keyMembers[k].push(m)
        for (const s of this.stagesOfPlan(p)) {
          // AWS allows one plan per key per stage (the snapshot check refuses a second); the first wins.
          if (this.memberByKeyStage[k * this.stages.length + s] < 0) this.memberByKeyStage[k * this.stages.length + s] = m
        }
      }
    }

    for (const [p, plan] of this.plans.entries()) {
      for (const apiStage of plan.apiStages) {
        for (const [key, throttle] of Object.entries(apiStage.throttle ?? {})) {
          const paths = this.routeIndex.get(apiStage.apiId)?.get(apiStage.stage)
          if (!paths) continue
          for (const methods of paths.values()) {
            for (const r of methods.values()) {
              if (methodKey(this.routes[r]) !== key) continue
              this.slotIndex.set(p * this.routes.length + r, this.planMethodSlots.push({plan: p, route: r, ...throttle}) - 1)
              this.routeHasSlot[r] = 1
            }
          }
        }
      }
    }
  }

  /** The route for a logged request, or -1 when the snapshot has no such method. */
  route(apiId: string, stage: string, path: string, httpMethod: string): number {
    const methods = this.routeIndex.get(apiId)?.get(stage)?.get(path)
    if (!methods) return -1
    return methods.get(httpMethod) ?? methods.get(ANY_METHOD) ?? -1
  }

  hasStage(apiId: string, stage: string): boolean {
    return this.routeIndex.get(apiId)?.has(stage) ?? false
  }

  /** A key by id, else by value (in clear, or by the digest the snapshot holds). */
  keyFor(id: string | undefined, value: string | undefined): number {
    if (id !== undefined) return this.keyById.get(id) ?? UNKNOWN_KEY
    if (value === undefined) return NO_KEY
    let k = this.valueCache.get(value)
    if (k === undefined) {
      k =
        this.valueForms
          .of(value)
          .map((form) => this.keyByValue.get(form))
          .find((found) => found !== undefined) ?? UNKNOWN_KEY
      if (this.valueCache.size < VALUE_CACHE_LIMIT) this.valueCache.set(value, k)
    }

    return k
  }

  memberFor(key: number, stage: number): number {
    return this.memberByKeyStage[key * this.stages.length + stage]
  }

  planMethodSlot(plan: number, route: number): number {
    if (this.routeHasSlot[route] === 0) return -1
    return this.slotIndex.get(plan * this.routes.length + route) ?? -1
  }

  private stagesOfPlan(p: number): number[] {
    return this.plans[p].apiStages.flatMap(({apiId, stage}) => {
      const s = this.stages.findIndex((x) => x.apiId === apiId && x.stageName === stage)
      return s === -1 ? [] : [s]
    })
  }
}
