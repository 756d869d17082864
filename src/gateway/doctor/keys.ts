import type {DoctorData} from './data.js'

import {type Finding, finding} from '../../model/findings.js'
import {labelOf, type Ref, refOf} from '../../model/resolve.js'
import {existingStageCollisions} from '../../model/stage-collisions.js'
import {stageId} from '../../model/usage-plan.js'
import {attachKeyFix, createKeyFix, deleteKeyFix, deletePlanFix, detachKeyFix, disableKeyFix, enableKeyFix} from './fixes.js'
import {plansInScope, wholeAccount} from './scope.js'

/** Check 4: keys that cannot work, and plans no key can use. */
export function keyFindings(data: DoctorData): Finding[] {
  const findings: Finding[] = []
  const inScope = plansInScope(data)
  const keyById = new Map(data.keys.map((k) => [k.id, k]))
  const keyRef = (id: string): Ref => refOf(keyById.get(id) ?? {id})

  // A disabled key, once per key, with the plans in scope that hold it.
  const disabledIn = new Map<string, Ref[]>()
  for (const plan of inScope) {
    for (const id of plan.keyIds) if (keyById.get(id)?.enabled === false) disabledIn.set(id, [...(disabledIn.get(id) ?? []), refOf(plan)])
  }

  for (const [id, plans] of disabledIn) {
    const key = keyRef(id)
    findings.push(
      finding(
        'KEY_DISABLED_IN_PLAN',
        `API key ${labelOf(key)} is disabled but is in usage plan${plans.length === 1 ? '' : 's'} ${plans.map(labelOf).join(', ')}.`,
        {key, plans},
        [enableKeyFix(key), ...plans.map((p) => detachKeyFix(key, p))],
      ),
    )
  }

  if (wholeAccount(data)) {
    const inSomePlan = new Set(data.plans.flatMap((p) => p.keyIds))
    for (const key of data.keys.filter((k) => k.enabled && !inSomePlan.has(k.id))) {
      const ref = refOf(key)
      const onlyPlan = data.plans.length === 1 ? refOf(data.plans[0]) : undefined
      findings.push(
        finding('KEY_IN_NO_PLAN', `API key ${labelOf(ref)} is enabled but in no usage plan.`, {key: ref}, [
          attachKeyFix(ref, onlyPlan),
          disableKeyFix(ref),
          deleteKeyFix(ref),
        ]),
      )
    }
  }

  for (const plan of inScope.filter((p) => p.keyIds.length === 0)) {
    const ref = refOf(plan)
    const stages = plan.apiStages.map((s) => stageId(s.apiId, s.stage))
    const covering = stages.length > 0 ? `covers ${stages.join(', ')} but ` : ''
    findings.push(
      finding('PLAN_HAS_NO_KEYS', `Usage plan ${labelOf(ref)} ${covering}has no API keys.`, {plan: ref}, [
        createKeyFix(ref),
        attachKeyFix(undefined, ref),
        ...(stages.length === 0 ? [deletePlanFix(ref)] : []),
      ]),
    )
  }

  // Collisions on a stage any plan in scope covers: every plan on that stage takes part.
  const scopeStages = new Set(inScope.flatMap((p) => p.apiStages.map((s) => stageId(s.apiId, s.stage))))
  const coverage = data.plans.map((p) => ({
    ...refOf(p),
    stages: p.apiStages.map((s) => stageId(s.apiId, s.stage)).filter((s) => scopeStages.has(s)),
    keys: p.keyIds.map(keyRef),
  }))
  for (const held of existingStageCollisions(coverage)) {
    const cut = held.stage.indexOf(':')
    const stage = held.stage.slice(cut + 1)
    const known = data.apis.find((a) => a.id === held.stage.slice(0, cut))
    const api = known ? refOf(known) : {id: held.stage.slice(0, cut)}
    findings.push(
      finding(
        'KEY_IN_TWO_PLANS_FOR_STAGE',
        `API key ${labelOf(held.key)} is in usage plans ${held.plans.map(labelOf).join(' and ')}, which all cover stage ${stage} of API ${labelOf(api)}; keep it in one.`,
        {api, stage, key: held.key, plans: held.plans},
        held.plans.map((p) => detachKeyFix(held.key, p)),
      ),
    )
  }

  return findings
}
