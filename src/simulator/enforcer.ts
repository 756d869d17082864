import type {CompiledSnapshot} from './compiled-snapshot.js'

import {Limit, type LimitCode, type MemberQuota, NO_KEY, QuotaCounters, type QuotaRules, TokenBuckets, UNKNOWN_KEY} from './rules.js'

/**
 * Decides one request. For a method that requires a key: a missing, unknown or
 * disabled key, or a key in no plan covering this (API, stage), is refused with 403.
 * Otherwise the checks run in this order and the first that fails decides:
 *   1. the plan's per-method throttle, when the plan sets one for this /path/METHOD
 *      on this stage (per key);
 *   2. the plan's throttle (per key, one bucket shared by all stages of the plan);
 *   3. the stage's method throttle (the exact methodSettings entry, else "*\/*");
 *   4. the account throttle;
 *   5. the quota.
 * A check that passes keeps its token even when a later check fails (UNCONFIRMED:
 * so a request under a plan per-method throttle is charged to both that bucket and
 * the plan's per-key bucket). Methods that require no key skip the key check and
 * every plan limit, but still meet the stage and account throttles.
 * UNCONFIRMED: a "*\/*" stage setting gives each method its own bucket with those
 * limits (a default per method, not one bucket for the whole stage).
 */
export class Enforcer {
  /** The (key, plan) membership the last decision was metered under, or -1. */
  member = -1
  private readonly buckets = new TokenBuckets()
  private readonly account: number
  private readonly routeBucket: Int32Array
  private readonly memberBucket: Int32Array
  /**
   * Per membership and method throttle of its plan, the bucket, -1 until made: a
   * membership's entries start at memberSlots[member], a slot's place among its
   * plan's is slotInPlan[slot].
   */
  private readonly planMethodBucket: Int32Array
  private readonly memberSlots: Int32Array
  private readonly slotInPlan: Int32Array
  private readonly quotas: QuotaCounters

  constructor(
    private readonly model: CompiledSnapshot,
    quotaRules: QuotaRules,
  ) {
    const {rateLimit, burstLimit} = model.accountThrottle
    this.account = this.buckets.add(rateLimit, burstLimit)
    this.routeBucket = Int32Array.from(model.routes, (r) => (r.stageThrottle ? this.buckets.add(r.stageThrottle.rateLimit, r.stageThrottle.burstLimit) : -1))
    this.memberBucket = Int32Array.from(model.members, (m) => {
      const throttle = model.plans[m.plan].throttle
      return throttle ? this.buckets.add(throttle.rateLimit, throttle.burstLimit) : -1
    })
    const slotsOfPlan = new Int32Array(model.plans.length)
    this.slotInPlan = Int32Array.from(model.planMethodSlots, (slot) => slotsOfPlan[slot.plan]++)
    let slots = 0
    this.memberSlots = Int32Array.from(model.members, (m) => (slots += slotsOfPlan[m.plan]) - slotsOfPlan[m.plan])
    this.planMethodBucket = new Int32Array(slots).fill(-1)
    const seeds = new Map(quotaRules.seeds?.usagePlans.map((p) => [p.usagePlanId, p]))
    this.quotas = new QuotaCounters(
      model.members.map((m): MemberQuota | undefined => {
        const plan = model.plans[m.plan]
        if (!plan.quota) return undefined
        const seed = seeds.get(plan.id)
        return {
          limit: plan.quota.limit,
          offset: plan.quota.offset ?? 0,
          period: plan.quota.period,
          ...(seed ? {seed: {plan: seed, days: seed.keys[model.keys[m.key].id] ?? []}} : {}),
        }
      }),
      quotaRules,
    )
  }

  decide(t: number, route: number, key: number): LimitCode {
    const model = this.model
    this.member = -1
    this.quotas.startAt(t)
    const r = model.routes[route]
    let member = -1
    if (r.apiKeyRequired) {
      if (key === NO_KEY) return Limit.MISSING_KEY
      if (key === UNKNOWN_KEY) return Limit.UNKNOWN_KEY
      if (!model.keyEnabled[key]) return Limit.DISABLED_KEY
      member = model.memberFor(key, r.stage)
      if (member < 0) return Limit.KEY_NOT_IN_PLAN
      this.member = member
      const slot = model.planMethodSlot(model.members[member].plan, route)
      if (slot >= 0 && !this.buckets.take(this.planMethodBucketFor(member, slot), t)) return Limit.PLAN_METHOD_THROTTLE
      const planBucket = this.memberBucket[member]
      if (planBucket >= 0 && !this.buckets.take(planBucket, t)) return Limit.PLAN_THROTTLE
    }

    const stageBucket = this.routeBucket[route]
    if (stageBucket >= 0 && !this.buckets.take(stageBucket, t)) return Limit.STAGE_THROTTLE
    if (!this.buckets.take(this.account, t)) return Limit.ACCOUNT_THROTTLE
    if (member >= 0 && !this.quotas.take(member, t)) return Limit.QUOTA
    return Limit.NONE
  }

  /** Per-key per-method buckets are made on first use: most keys call few methods. */
  private planMethodBucketFor(member: number, slot: number): number {
    const id = this.memberSlots[member] + this.slotInPlan[slot]
    let bucket = this.planMethodBucket[id]
    if (bucket < 0) {
      const {rateLimit, burstLimit} = this.model.planMethodSlots[slot]
      bucket = this.buckets.add(rateLimit, burstLimit)
      this.planMethodBucket[id] = bucket
    }

    return bucket
  }
}
