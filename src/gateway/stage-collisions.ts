import type {PlanAddition, PlanCoverage, PlanRef, StageCollision} from '../model/stage-collisions.js'
import type {UsagePlans} from './usage-plans.js'

import {conflict} from '../model/errors.js'
import {describeCollision, findStageCollisions} from '../model/stage-collisions.js'
import {stageId} from '../model/usage-plan.js'

/**
 * Gathers what the one-plan-per-key-per-stage rule needs for `additions`: every
 * plan that covers a stage in play, with its keys, and asks the model for the
 * collisions. `newKeys` says the keys added do not exist yet, so no plan's key
 * list matters and none is fetched; `newPlan` is a plan about to be created
 * (no stages, no keys yet) that additions may name.
 */
export async function findCollisions(
  plans: UsagePlans,
  additions: PlanAddition[],
  options: {newKeys?: boolean; newPlan?: PlanRef} = {},
): Promise<StageCollision[]> {
  const all = await plans.list()
  const targets = new Set(additions.map((a) => a.planId))
  const stagesOf = (planId: string) => (all.find((p) => p.id === planId)?.apiStages ?? []).map((s) => stageId(s.apiId!, s.stage!))
  const inPlay = new Set([...targets].flatMap((id) => stagesOf(id)).concat(additions.flatMap((a) => a.stages ?? [])))
  const relevant = all.filter((p) => targets.has(p.id!) || stagesOf(p.id!).some((s) => inPlay.has(s)))
  const needKeys = !options.newKeys || additions.some((a) => (a.stages ?? []).length > 0)

  const coverage: PlanCoverage[] = options.newPlan ? [{...options.newPlan, stages: [], keys: []}] : []
  for (const plan of relevant) {
    const keys = needKeys ? (await plans.keys(plan.id!)).map((k) => ({id: k.id!, name: k.name})) : []
    coverage.push({id: plan.id!, name: plan.name, stages: stagesOf(plan.id!), keys})
  }

  return findStageCollisions(coverage, additions)
}

/** Refuses (exit 4) a change that would put a key in two plans covering one API stage, naming each case. */
export async function refuseCollisions(plans: UsagePlans, additions: PlanAddition[], options: {newKeys?: boolean} = {}): Promise<void> {
  const collisions = await findCollisions(plans, additions, options)
  if (collisions.length === 0) return
  throw conflict(
    ['AWS allows an API key in only one usage plan per API stage, and this change would break that:', ...collisions.map((c) => `  - ${describeCollision(c)}`)].join('\n'),
    {
      details: {collisions},
      suggestions: ['Detach the key from the other plan first (gwctl keys detach KEY --plan PLAN), or use a plan that does not cover that stage'],
    },
  )
}
