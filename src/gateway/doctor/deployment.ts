import type {DoctorApi, DoctorData, DoctorStage} from './data.js'

import {type Finding, finding, type Fix} from '../../model/findings.js'
import {labelOf} from '../../model/resolve.js'
import {methodList} from '../methods.js'
import {attachKeyFix, attachPlanFix, createKeyFix, deployFix, setKeySourceFix, stopRequiringKeyOnOptionsFixes} from './fixes.js'
import {admittingPlans, plansCovering, stagesInScope} from './scope.js'

/**
 * Check 1: the stage serves something other than the API's definition. AWS keeps,
 * with each deployment, a summary of every method as it was deployed (GetDeployment
 * embed=apisummary); a method's apiKeyRequired reaches callers only with the next
 * deployment. OPTIONS methods are left to the CORS check, which knows that
 * deploying a key requirement on them breaks browsers.
 *
 * AWS keeps no record of the key source (apiKeySource) a deployment serves, so a
 * key-source change that was never deployed cannot be seen; docs/doctor.md says so.
 */

const key = (m: {httpMethod: string; path: string}) => `${m.httpMethod} ${m.path}`

/** The API's methods, other than OPTIONS, that require a key now but not on the stage. */
export function requiredNotServed(api: DoctorApi, stage: DoctorStage) {
  const served = new Map((stage.served ?? []).map((m) => [key(m), m]))
  return api.methods.filter((m) => m.httpMethod !== 'OPTIONS' && m.apiKeyRequired && !served.get(key(m))?.apiKeyRequired)
}

/**
 * How deploying `stage` now would leave callers, and so whether `doctor --fix` may
 * deploy it: a method newly requiring a key refuses every caller unless a plan with
 * an enabled key covers the stage and, with key source AUTHORIZER, a Lambda
 * authorizer supplies the key. The fixes for what stands in the way come first.
 */
export function deployment(data: DoctorData, api: DoctorApi, stage: DoctorStage): {safe: boolean; before: Fix[]; warning?: string} {
  const newlyKeyed = requiredNotServed(api, stage)
  const before: Fix[] = []
  // Always safe, and applied first by --fix: otherwise the deployment would publish them too.
  const keyedOptions = api.methods.filter((m) => m.httpMethod === 'OPTIONS' && m.apiKeyRequired)
  before.push(
    ...stopRequiringKeyOnOptionsFixes(api, keyedOptions).map((fix) => ({
      ...fix,
      description: `${fix.description} first, so that the deployment does not publish that`,
    })),
  )
  if (newlyKeyed.length === 0) return {safe: true, before}

  const plans = plansCovering(data, api.id, stage.stageName)
  const admitting = admittingPlans(data, api.id, stage.stageName)
  const noAuthorizer = api.apiKeySource === 'AUTHORIZER' ? newlyKeyed.filter((m) => m.authorizationType !== 'CUSTOM') : []
  const blockers: string[] = []
  if (plans.length === 0) {
    blockers.push(`no usage plan covers stage ${stage.stageName}`)
    before.push(attachPlanFix(undefined, api, stage.stageName))
  } else if (admitting.length === 0) {
    blockers.push(`the usage plans covering stage ${stage.stageName} (${plans.map(labelOf).join(', ')}) hold no enabled key`)
    before.push(createKeyFix(plans[0]), attachKeyFix(undefined, plans[0]))
  }

  if (noAuthorizer.length > 0) {
    blockers.push(`with key source AUTHORIZER, ${methodList(noAuthorizer)} would get no key without a Lambda authorizer`)
    before.push(setKeySourceFix(api, 'HEADER', undefined))
  }

  if (blockers.length === 0) return {safe: true, before}
  return {safe: false, before, warning: `Deploying now would refuse every caller of ${methodList(newlyKeyed)} (403): ${blockers.join('; ')}. Fix that first.`}
}

export function deploymentFindings(data: DoctorData): Finding[] {
  const findings: Finding[] = []
  for (const {api, stage} of stagesInScope(data)) {
    if (!stage.served) continue
    const served = new Map(stage.served.map((m) => [key(m), m]))
    const newlyKeyed = requiredNotServed(api, stage)
    const opened = api.methods.filter((m) => m.httpMethod !== 'OPTIONS' && !m.apiKeyRequired && served.get(key(m))?.apiKeyRequired)
    if (newlyKeyed.length === 0 && opened.length === 0) continue

    const plan = deployment(data, api, stage)
    const publishes = [
      ...(newlyKeyed.length > 0 ? [`${methodList(newlyKeyed)} requiring a key`] : []),
      ...(opened.length > 0 ? [`${methodList(opened)} without a key`] : []),
    ]
    const fixes = [...plan.before, deployFix(api, stage, {safe: plan.safe, publishes})]
    const where = `stage ${stage.stageName} of API ${labelOf(api)}`
    const caution = plan.warning ? ` ${plan.warning}` : ''
    if (newlyKeyed.length > 0) {
      const unserved = newlyKeyed.filter((m) => !served.has(key(m)))
      const detail = unserved.length > 0 ? ` (${methodList(unserved)} ${unserved.length === 1 ? 'is' : 'are'} not deployed at all)` : ''
      findings.push(
        finding(
          'KEY_REQUIRED_NOT_DEPLOYED',
          `${methodList(newlyKeyed)} require${newlyKeyed.length === 1 ? 's' : ''} an API key in the API, but ${where} serves ${newlyKeyed.length === 1 ? 'it' : 'them'} without one${detail}.${caution}`,
          {api: {id: api.id, name: api.name}, stage: stage.stageName, methods: newlyKeyed.map((m) => ({path: m.path, httpMethod: m.httpMethod}))},
          fixes,
        ),
      )
    }

    if (opened.length > 0) {
      findings.push(
        finding(
          'KEY_NOT_REQUIRED_NOT_DEPLOYED',
          `${methodList(opened)} no longer require${opened.length === 1 ? 's' : ''} an API key in the API, but ${where} still requires one.${caution}`,
          {api: {id: api.id, name: api.name}, stage: stage.stageName, methods: opened.map((m) => ({path: m.path, httpMethod: m.httpMethod}))},
          fixes,
        ),
      )
    }
  }

  return findings
}
