import type {DoctorApi, DoctorData, DoctorPlan, DoctorStage} from './data.js'

/** Questions the checks ask of the data, answered the same way for all of them. */

/** True when no --api, --stage or --plan narrowed the run: account-wide findings (a key in no plan) apply. */
export const wholeAccount = (data: DoctorData) => !data.scope.apis && data.scope.stage === undefined && !data.scope.plan

export const covers = (plan: DoctorPlan, apiId: string, stage: string) => plan.apiStages.some((s) => s.apiId === apiId && s.stage === stage)

/** Every plan of the account that covers the stage, in scope or not: all of them decide who gets in. */
export const plansCovering = (data: DoctorData, apiId: string, stage: string) => data.plans.filter((p) => covers(p, apiId, stage))

/** The plans covering the stage that hold an enabled key: those through which any caller gets in. */
export function admittingPlans(data: DoctorData, apiId: string, stage: string): DoctorPlan[] {
  const enabled = new Set(data.keys.filter((k) => k.enabled).map((k) => k.id))
  return plansCovering(data, apiId, stage).filter((p) => p.keyIds.some((id) => enabled.has(id)))
}

/** Each stage in scope with its API. */
export function stagesInScope(data: DoctorData): Array<{api: DoctorApi; stage: DoctorStage}> {
  return data.apis.flatMap((api) => api.stages.map((stage) => ({api, stage})))
}

/** The plans the run is about: the --plan, or those covering a stage in scope, or all when unscoped. */
export function plansInScope(data: DoctorData): DoctorPlan[] {
  if (data.scope.plan) return data.plans.filter((p) => p.id === data.scope.plan!.id)
  if (wholeAccount(data)) return data.plans
  return data.plans.filter((p) => stagesInScope(data).some(({api, stage}) => covers(p, api.id, stage.stageName)))
}

export const sameMethod = (a: {httpMethod: string; path: string}, b: {httpMethod: string; path: string}) => a.httpMethod === b.httpMethod && a.path === b.path
