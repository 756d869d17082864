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

  // Who holds each key on each stage, in plan order (additions' plans keep their list position).
  const holders = new Map<string, Array<{plan: Ref; key: Ref; stage: string}>>()
  for (const plan of after.values()) {
    for (const key of plan.keys.values()) {
      for (const stage of plan.stages) {
        const slot = `${key.id}\n${stage}`
        holders.set(slot, [...(holders.get(slot) ?? []), {plan: plan.ref, key, stage}])
      }
    }
  }

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

/** One line naming the key, both plans and the stage. */
export function describeCollision(c: StageCollision): string {
  return `key ${labelOf(c.key)} would be in usage plans ${labelOf(c.otherPlan)} and ${labelOf(c.plan)}, which both cover stage ${c.stage}`
}
