import {labelOf, type Ref} from './resolve.js'

/**
 * AWS lets an API key belong to only one usage plan per API stage. This finds, for
 * a proposed change, every key that would end up in two plans covering one stage,
 * so gwctl can refuse before calling AWS and name everything involved.
 */

/** A plan, with the stages it covers and its keys. */
export interface PlanCoverage extends Ref {
  /** Stages the plan covers, as "apiId:stage". */
  stages: string[]
  keys: Ref[]
}

/** What a change adds to one plan: keys joining it, stages it starts covering, or both. */
export interface PlanAddition {
  planId: string
  keys?: Ref[]
  stages?: string[]
}

export interface StageCollision {
  key: Ref
  /** "apiId:stage" */
  stage: string
  /** The plan the change would add the key or stage to. */
  plan: Ref
  /** The plan that already holds the key on that stage (or also gains it in the same change). */
  otherPlan: Ref
}

/**
 * Collisions the additions would cause. Collisions that exist already (AWS would
 * not have allowed them) are not reported; each new pair is reported once.
 * @param plans every plan that covers a stage in play, with its keys
 */
export function findStageCollisions(plans: readonly PlanCoverage[], additions: readonly PlanAddition[]): StageCollision[] {
  const after = new Map(plans.map((p) => [p.id, {ref: {id: p.id, name: p.name}, stages: new Set(p.stages), keys: new Map(p.keys.map((k) => [k.id, k]))}]))
  const added = new Set<string>()
  const mark = (planId: string, keyId: string, stage: string) => added.add(`${planId}\n${keyId}\n${stage}`)
  const isNew = (planId: string, keyId: string, stage: string) => added.has(`${planId}\n${keyId}\n${stage}`)

  for (const addition of additions) {
    const plan = after.get(addition.planId)
    if (!plan) throw new Error(`plan ${addition.planId} is missing from the coverage data`)
    for (const stage of addition.stages ?? []) {
      if (plan.stages.has(stage)) continue
      plan.stages.add(stage)
      for (const keyId of plan.keys.keys()) mark(plan.ref.id, keyId, stage)
    }

    for (const key of addition.keys ?? []) {
      if (plan.keys.has(key.id)) continue
      plan.keys.set(key.id, key)
      for (const stage of plan.stages) mark(plan.ref.id, key.id, stage)
    }
  }

  // Additions' plans keep their list position.
  const holders = holdersOf([...after.values()].map((p) => ({ref: p.ref, stages: p.stages, keys: p.keys.values()})))
  const collisions: StageCollision[] = []
  for (const list of holders.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = 0; j < list.length; j++) {
        if (i === j) continue
        const a = list[i]
        const b = list[j]
        const aNew = isNew(a.plan.id, a.key.id, a.stage)
        const bNew = isNew(b.plan.id, b.key.id, b.stage)
        // Report the pair once: from the new side, and when both are new, from the later plan.
        if (!aNew || (bNew && j > i)) continue
        collisions.push({key: a.key, stage: a.stage, plan: a.plan, otherPlan: b.plan})
      }
    }
  }

  return collisions
}

interface Holder {
  plan: Ref
  key: Ref
  stage: string
}

/** Who holds each key on each stage, in plan order: one list per key and stage. */
function holdersOf(plans: Iterable<{ref: Ref; stages: Iterable<string>; keys: Iterable<Ref>}>): Map<string, Holder[]> {
  const holders = new Map<string, Holder[]>()
  for (const plan of plans) {
    const stages = [...plan.stages]
    for (const key of plan.keys) {
      for (const stage of stages) {
        const slot = `${key.id}\n${stage}`
        holders.set(slot, [...(holders.get(slot) ?? []), {plan: plan.ref, key, stage}])
      }
    }
  }

  return holders
}

/** A key that is already in several plans covering one stage: AWS refuses to create this, but older accounts may hold it. */
export interface HeldTwice {
  key: Ref
  /** "apiId:stage" */
  stage: string
  plans: Ref[]
}

/** Every key that is in two or more of `plans` on one stage they all cover, in plan order. */
export function existingStageCollisions(plans: readonly PlanCoverage[]): HeldTwice[] {
  const holders = holdersOf(plans.map((p) => ({ref: {id: p.id, name: p.name}, stages: p.stages, keys: p.keys})))
  return [...holders.values()].filter((list) => list.length > 1).map((list) => ({key: list[0].key, stage: list[0].stage, plans: list.map((h) => h.plan)}))
}

/** One line naming the key, both plans and the stage. */
export function describeCollision(c: StageCollision): string {
  return `key ${labelOf(c.key)} would be in usage plans ${labelOf(c.otherPlan)} and ${labelOf(c.plan)}, which both cover stage ${c.stage}`
}
