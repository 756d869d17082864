import type {DoctorData, DoctorPlan, DoctorStage} from './data.js'

import {type Finding, finding, type Fix} from '../../model/findings.js'
import {labelOf, refOf} from '../../model/resolve.js'
import {type SnapshotMethodSetting, stageLimitValue} from '../../model/snapshot.js'
import {type MethodRef, type Throttle} from '../../model/usage-plan.js'
import {QUOTA_CODES, quotaIncreaseFix, reattachWithThrottlesFixes, stageThrottleFix, updatePlanFix} from './fixes.js'
import {covers, plansInScope, sameMethod, wholeAccount} from './scope.js'

/**
 * Check 6: limits that cannot be reached or that protect nothing. AWS applies, to a
 * request for a method that requires a key, the plan's per-method throttle, the
 * plan's per-key throttle, the stage's method throttle and the account's Regional
 * throttle, each a token bucket; a request passes only if every one passes it
 * (api-gateway-request-throttling.html, "order of application"). So a limit above
 * one that always applies with it is never the one that stops a caller. The
 * reasoning for each check is written out in docs/doctor.md.
 */

/** A usage-plan throttle key "/pets/GET" ("//GET" for the root) as a method. */
export function methodOfThrottleKey(key: string): MethodRef {
  const cut = key.lastIndexOf('/')
  const path = key.slice(0, cut)
  return {path: path === '' ? '/' : path.startsWith('/') ? path : `/${path}`, httpMethod: key.slice(cut + 1).toUpperCase()}
}

/** A stage methodSettings key "~1pets/GET" ("~1/GET" for the root) as a method; undefined for "*\/*". */
function methodOfSettingKey(key: string): MethodRef | undefined {
  if (key === '*/*') return undefined
  return methodOfThrottleKey(key.replaceAll('~1', '/'))
}

/** One half of a stage throttle that applies to a method, and the methodSettings entry it comes from. */
interface StageLimit {
  value: number
  /** "*\/*" or the method's own key, e.g. "~1pets/GET". */
  setting: string
}

/** The stage's throttle on one method: its own setting, else the stage-wide "*\/*" one, half by half. */
function stageThrottleOn(stage: DoctorStage, method: MethodRef): {rateLimit?: StageLimit; burstLimit?: StageLimit} {
  let own: [string, SnapshotMethodSetting] | undefined
  for (const [key, setting] of Object.entries(stage.methodSettings)) {
    const m = methodOfSettingKey(key)
    if (m && m.path === method.path && m.httpMethod === method.httpMethod) own = [key, setting]
  }

  const all = stage.methodSettings['*/*']
  const half = (pick: (s: SnapshotMethodSetting) => number | 'off' | undefined): StageLimit | undefined => {
    const mine = own && stageLimitValue(pick(own[1]))
    if (mine !== undefined) return {value: mine, setting: own![0]}
    const stageWide = all && stageLimitValue(pick(all))
    return stageWide === undefined ? undefined : {value: stageWide, setting: '*/*'}
  }

  return {rateLimit: half((s) => s.throttlingRateLimit), burstLimit: half((s) => s.throttlingBurstLimit)}
}

/** "rate 100 > 50, burst 200 > 100": which halves of `limit` exceed `ceiling`. */
function excess(limit: Throttle, ceiling: {rateLimit?: number; burstLimit?: number}): string[] {
  const over: string[] = []
  if (ceiling.rateLimit !== undefined && limit.rateLimit > ceiling.rateLimit) over.push(`rate ${limit.rateLimit} > ${ceiling.rateLimit}`)
  if (ceiling.burstLimit !== undefined && limit.burstLimit > ceiling.burstLimit) over.push(`burst ${limit.burstLimit} > ${ceiling.burstLimit}`)
  return over
}

const lower = (a: number, b: number | undefined) => (b === undefined ? a : Math.min(a, b))

export function limitFindings(data: DoctorData): Finding[] {
  const findings: Finding[] = []
  for (const plan of plansInScope(data)) {
    findings.push(...accountFindings(data, plan), ...stageFindings(data, plan), ...methodThrottleFindings(data, plan))
    const {throttle, quota} = plan
    if (throttle && quota && quota.limit < throttle.burstLimit) {
      const ref = refOf(plan)
      findings.push(
        finding(
          'QUOTA_BELOW_BURST',
          `Usage plan ${labelOf(ref)} allows a burst of ${throttle.burstLimit} requests but a quota of only ${quota.limit} per ${quota.period.toLowerCase()}.`,
          {plan: ref},
          [
            updatePlanFix(ref, {burstLimit: quota.limit}, `Lower the burst to the quota (${quota.limit})`),
            updatePlanFix(ref, {quota: `${throttle.burstLimit}/${quota.period}`}, `Raise the quota to at least the burst (${throttle.burstLimit})`),
          ],
        ),
      )
    }
  }

  return findings
}

function accountFindings(data: DoctorData, plan: DoctorPlan): Finding[] {
  const account = data.account.throttle
  if (!plan.throttle || !account) return []
  const over = excess(plan.throttle, account)
  if (over.length === 0) return []
  const ref = refOf(plan)
  const fixes: Fix[] = [
    updatePlanFix(
      ref,
      {rateLimit: lower(plan.throttle.rateLimit, account.rateLimit), burstLimit: lower(plan.throttle.burstLimit, account.burstLimit)},
      "Lower the plan's throttle to the account's",
    ),
  ]
  // Only the rate can be raised; AWS sets the burst from it.
  if (plan.throttle.rateLimit > account.rateLimit) fixes.push(quotaIncreaseFix('the account throttle', QUOTA_CODES.accountThrottle, plan.throttle.rateLimit))
  return [
    finding(
      'PLAN_THROTTLE_ABOVE_ACCOUNT',
      `Usage plan ${labelOf(ref)} throttles each key at ${plan.throttle.rateLimit} requests per second, burst ${plan.throttle.burstLimit}, above the account's ${account.rateLimit}, burst ${account.burstLimit}${data.region ? ` in ${data.region}` : ''} (${over.join(', ')}).`,
      {plan: ref},
      fixes,
    ),
  ]
}

/** Per stage in scope the plan covers: the stage's throttle on the methods a key is used for. */
function stageFindings(data: DoctorData, plan: DoctorPlan): Finding[] {
  const limit = plan.throttle
  if (!limit) return []
  const findings: Finding[] = []
  for (const api of data.apis) {
    for (const stage of api.stages.filter((s) => covers(plan, api.id, s.stageName))) {
      const capped = (stage.served ?? [])
        .filter((m) => m.apiKeyRequired)
        .flatMap((m) => {
          const on = stageThrottleOn(stage, m)
          const over = excess(limit, {rateLimit: on.rateLimit?.value, burstLimit: on.burstLimit?.value})
          return over.length > 0 ? [{method: m, on, over}] : []
        })
      if (capped.length === 0) continue
      const ref = refOf(plan)
      const apiRef = refOf(api)
      // The stage settings to raise to the plan's values: only the halves below it, each entry once.
      const raise = new Map<string, number>()
      for (const {on} of capped) {
        if (on.rateLimit && on.rateLimit.value < limit.rateLimit) raise.set(`/${on.rateLimit.setting}/throttling/rateLimit`, limit.rateLimit)
        if (on.burstLimit && on.burstLimit.value < limit.burstLimit) raise.set(`/${on.burstLimit.setting}/throttling/burstLimit`, limit.burstLimit)
      }

      const rate = Math.min(limit.rateLimit, ...capped.map((c) => c.on.rateLimit?.value ?? Number.POSITIVE_INFINITY))
      const burst = Math.min(limit.burstLimit, ...capped.map((c) => c.on.burstLimit?.value ?? Number.POSITIVE_INFINITY))
      findings.push(
        finding(
          'PLAN_THROTTLE_ABOVE_STAGE',
          `Usage plan ${labelOf(ref)} allows each key more than stage ${stage.stageName} of API ${labelOf(apiRef)} allows all callers of ${capped.map((c) => `${c.method.httpMethod} ${c.method.path} (${c.over.join(', ')})`).join('; ')}.`,
          {api: apiRef, stage: stage.stageName, plan: ref, methods: capped.map((c) => ({path: c.method.path, httpMethod: c.method.httpMethod}))},
          [
            updatePlanFix(ref, {rateLimit: rate, burstLimit: burst}, "Lower the plan's throttle to the stage's"),
            stageThrottleFix(apiRef, stage.stageName, raise),
          ],
        ),
      )
    }
  }

  return findings
}

/** The plan's per-method throttles: above its per-key throttle, or on a method no key is used for. */
function methodThrottleFindings(data: DoctorData, plan: DoctorPlan): Finding[] {
  const findings: Finding[] = []
  const ref = refOf(plan)
  for (const apiStage of plan.apiStages) {
    const entries = Object.entries(apiStage.throttle ?? {}).map(([key, t]) => ({...methodOfThrottleKey(key), ...t}))
    if (entries.length === 0) continue
    const api = data.apis.find((a) => a.id === apiStage.apiId)
    const stage = api?.stages.find((s) => s.stageName === apiStage.stage)
    const apiRef = api ? refOf(api) : {id: apiStage.apiId}
    // Unscoped, every stage counts; otherwise only the stages read.
    if (!stage && !wholeAccount(data)) continue

    if (plan.throttle) {
      const above = entries.filter((t) => excess(t, plan.throttle!).length > 0)
      if (above.length > 0) {
        const capped = entries.map((t) => ({
          ...t,
          rateLimit: Math.min(t.rateLimit, plan.throttle!.rateLimit),
          burstLimit: Math.min(t.burstLimit, plan.throttle!.burstLimit),
        }))
        findings.push(
          finding(
            'METHOD_THROTTLE_ABOVE_PLAN',
            `Usage plan ${labelOf(ref)} throttles ${above.map((t) => `${t.httpMethod} ${t.path} (${excess(t, plan.throttle!).join(', ')})`).join('; ')} on stage ${apiStage.stage} of API ${labelOf(apiRef)} above its own per-key throttle of ${plan.throttle.rateLimit}, burst ${plan.throttle.burstLimit}.`,
            {api: apiRef, stage: apiStage.stage, plan: ref, methods: above.map((t) => ({path: t.path, httpMethod: t.httpMethod}))},
            [
              updatePlanFix(
                ref,
                {
                  rateLimit: Math.max(plan.throttle.rateLimit, ...above.map((t) => t.rateLimit)),
                  burstLimit: Math.max(plan.throttle.burstLimit, ...above.map((t) => t.burstLimit)),
                },
                "Raise the plan's throttle to its per-method ones",
              ),
              ...reattachWithThrottlesFixes(ref, apiRef, apiStage.stage, capped),
            ],
          ),
        )
      }
    }

    // Judged against what the stage serves, so only for stages read.
    if (!stage?.served) continue
    const served = stage.served
    const useless = entries.filter((t) => {
      const target = served.find((m) => m.path === t.path && (m.httpMethod === t.httpMethod || m.httpMethod === 'ANY'))
      return !target?.apiKeyRequired
    })
    if (useless.length === 0) continue
    const kept = entries.filter((t) => !useless.includes(t))
    findings.push(
      finding(
        'METHOD_THROTTLE_PROTECTS_NOTHING',
        `Usage plan ${labelOf(ref)} throttles ${useless.map((t) => `${t.httpMethod} ${t.path}, which ${served.some((m) => sameMethod(m, t)) ? 'requires no key' : 'does not exist on the stage'}`).join('; ')} on stage ${apiStage.stage} of API ${labelOf(apiRef)}.`,
        {api: apiRef, stage: apiStage.stage, plan: ref, methods: useless.map((t) => ({path: t.path, httpMethod: t.httpMethod}))},
        reattachWithThrottlesFixes(ref, apiRef, apiStage.stage, kept),
      ),
    )
  }

  return findings
}
