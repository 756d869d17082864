import type {DoctorData} from './data.js'

import {type Finding, finding} from '../../model/findings.js'
import {labelOf, refOf} from '../../model/resolve.js'
import {methodList} from '../methods.js'
import {deployment, requiredNotServed} from './deployment.js'
import {
  attachKeyFix,
  attachPlanFix,
  createKeyFix,
  createPlanFix,
  deployFix,
  detachPlanFix,
  enableKeyFix,
  requireKeyFixes,
  requireKeyOnVerbsFix,
} from './fixes.js'
import {admittingPlans, covers, plansCovering, plansInScope, stagesInScope} from './scope.js'

/**
 * Checks 2 and 3: a stage and the usage plans covering it, as callers meet them now
 * (the methods the stage serves). A key is accepted only through a plan covering
 * the stage, and only an enabled one; a plan limits only methods that require a key.
 */
export function coverageFindings(data: DoctorData): Finding[] {
  const findings: Finding[] = []
  for (const {api, stage} of stagesInScope(data)) {
    if (!stage.served) continue
    const keyed = stage.served.filter((m) => m.apiKeyRequired)
    const apiRef = refOf(api)
    const covering = plansCovering(data, api.id, stage.stageName)
    if (keyed.length > 0 && covering.length === 0) {
      const anyPlan = data.plans.length === 1 ? data.plans[0] : undefined
      findings.push(
        finding(
          'KEY_REQUIRED_NO_PLAN',
          `Stage ${stage.stageName} of API ${labelOf(api)} serves ${methodList(keyed)} requiring an API key, but no usage plan covers the stage.`,
          {api: apiRef, stage: stage.stageName, methods: keyed.map((m) => ({path: m.path, httpMethod: m.httpMethod}))},
          [
            ...(data.plans.length > 0 ? [attachPlanFix(anyPlan && refOf(anyPlan), apiRef, stage.stageName)] : []),
            createPlanFix(apiRef, stage.stageName),
            ...requireKeyFixes(apiRef, keyed, stage.stageName, false),
          ],
        ),
      )
    }

    if (keyed.length > 0 && covering.length > 0 && admittingPlans(data, api.id, stage.stageName).length === 0) {
      const disabled = [...new Set(covering.flatMap((p) => p.keyIds))].map((id) => refOf(data.keys.find((k) => k.id === id) ?? {id}))
      findings.push(
        finding(
          'KEY_REQUIRED_NO_ENABLED_KEY',
          `Stage ${stage.stageName} of API ${labelOf(api)} serves ${methodList(keyed)} requiring an API key, but the usage plan${covering.length === 1 ? '' : 's'} covering it (${covering.map(labelOf).join(', ')}) hold${covering.length === 1 ? 's' : ''} no enabled key.`,
          {api: apiRef, stage: stage.stageName, methods: keyed.map((m) => ({path: m.path, httpMethod: m.httpMethod})), plans: covering.map(refOf)},
          [...disabled.slice(0, 3).map(enableKeyFix), createKeyFix(refOf(covering[0])), attachKeyFix(undefined, refOf(covering[0]))],
        ),
      )
    }

    if (keyed.length > 0) continue
    for (const plan of plansInScope(data).filter((p) => covers(p, api.id, stage.stageName))) {
      // When the API already requires keys and only the deployment lags, deploying is the fix.
      const pending = requiredNotServed(api, stage)
      const verbs = [...new Set(api.methods.filter((m) => m.httpMethod !== 'OPTIONS').map((m) => m.httpMethod))]
      let turnOn = verbs.length > 0 ? [requireKeyOnVerbsFix(apiRef, verbs, stage.stageName)] : []
      if (pending.length > 0) {
        const deploy = deployment(data, api, stage)
        turnOn = [...deploy.before, deployFix(apiRef, stage, {safe: deploy.safe, publishes: [`${methodList(pending)} requiring a key`]})]
      }

      findings.push(
        finding(
          'PLAN_METERS_NOTHING',
          `Usage plan ${labelOf(plan)} covers stage ${stage.stageName} of API ${labelOf(api)}, where no method requires an API key${pending.length > 0 ? ` (${methodList(pending)} will once the stage is deployed)` : ''}.`,
          {api: apiRef, stage: stage.stageName, plan: refOf(plan)},
          [...turnOn, detachPlanFix(refOf(plan), apiRef, stage.stageName)],
        ),
      )
    }
  }

  findings.push(...missingStageFindings(data))
  return findings
}

/** Plans naming a stage (or an API) that does not exist; judged only where the run read that API's stages. */
function missingStageFindings(data: DoctorData): Finding[] {
  const findings: Finding[] = []
  const known = new Map(data.apis.map((a) => [a.id, a]))
  const everyApiRead = data.scope.apis === undefined && data.scope.plan === undefined
  for (const plan of plansInScope(data)) {
    for (const s of plan.apiStages) {
      const api = known.get(s.apiId)
      const missing = api ? !api.stageNames.includes(s.stage) : everyApiRead
      if (!missing) continue
      const apiRef = api ? refOf(api) : {id: s.apiId}
      const what = api
        ? `stage ${s.stage} of API ${labelOf(api)}, which has no such stage (stages: ${api.stageNames.join(', ') || 'none'})`
        : `stage ${s.stage} of API ${s.apiId}, which does not exist`
      findings.push(
        finding('PLAN_STAGE_MISSING', `Usage plan ${labelOf(plan)} covers ${what}.`, {api: apiRef, stage: s.stage, plan: refOf(plan)}, [
          detachPlanFix(refOf(plan), apiRef, s.stage),
        ]),
      )
    }
  }

  return findings
}
