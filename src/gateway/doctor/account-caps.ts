import type {DoctorData} from './data.js'

import {type Finding, finding, type Fix} from '../../model/findings.js'
import {labelOf, refOf} from '../../model/resolve.js'
import {deleteKeyFix, deletePlanFix, detachKeyFix, QUOTA_CODES, quotaIncreaseFix} from './fixes.js'

/**
 * AWS's quotas for API keys and usage plans per account and Region
 * (api-gateway-execution-service-limits-table.html). The plan quotas can be raised,
 * and gwctl cannot see a raised value without Service Quotas, so they are compared
 * with AWS's defaults and the findings say so.
 */
export const ACCOUNT_CAPS = {
  apiKeys: 10_000,
  usagePlans: 300,
  plansPerKey: 10,
} as const

/** A cap is worth a warning from this share of it on. */
export const CAP_WARNING_SHARE = 0.8

const nearCap = (count: number, cap: number) => count >= cap * CAP_WARNING_SHARE

/** How many candidate fix commands to print where thousands could apply. */
const SAMPLE = 3

/** Check 7: counts near AWS's caps. Counted over the whole Region, whatever the scope. */
export function accountCapFindings(data: DoctorData): Finding[] {
  const findings: Finding[] = []
  const region = data.region ? ` in ${data.region}` : ''
  const memberships = new Map<string, string[]>()
  for (const plan of data.plans) for (const id of plan.keyIds) memberships.set(id, [...(memberships.get(id) ?? []), plan.id])

  if (nearCap(data.keys.length, ACCOUNT_CAPS.apiKeys)) {
    // Keys no caller can use: disabled, or in no plan.
    const idle = data.keys.filter((k) => !k.enabled || !memberships.has(k.id))
    const fixes: Fix[] = idle.slice(0, SAMPLE).map((k) => deleteKeyFix(refOf(k)))
    findings.push(
      finding(
        'API_KEYS_NEAR_LIMIT',
        `The account holds ${data.keys.length} API keys${region}, ${Math.round((100 * data.keys.length) / ACCOUNT_CAPS.apiKeys)}% of AWS's limit of ${ACCOUNT_CAPS.apiKeys}, which cannot be raised; ${idle.length} of them are disabled or in no usage plan${idle.length > SAMPLE ? ` (the first ${SAMPLE} are below; gwctl doctor --json lists the keys in no plan)` : ''}.`,
        {},
        fixes,
      ),
    )
  }

  if (nearCap(data.plans.length, ACCOUNT_CAPS.usagePlans)) {
    const empty = data.plans.filter((p) => p.keyIds.length === 0 && p.apiStages.length === 0)
    findings.push(
      finding(
        'USAGE_PLANS_NEAR_LIMIT',
        `The account holds ${data.plans.length} usage plans${region}, ${Math.round((100 * data.plans.length) / ACCOUNT_CAPS.usagePlans)}% of AWS's default quota of ${ACCOUNT_CAPS.usagePlans} (if yours was raised, compare with that); ${empty.length} of them cover no stage and hold no key.`,
        {},
        [
          ...empty.slice(0, SAMPLE).map((p) => deletePlanFix(refOf(p))),
          quotaIncreaseFix('the usage plan quota', QUOTA_CODES.usagePlans, 2 * ACCOUNT_CAPS.usagePlans),
        ],
      ),
    )
  }

  const keyById = new Map(data.keys.map((k) => [k.id, k]))
  const planById = new Map(data.plans.map((p) => [p.id, p]))
  for (const [keyId, planIds] of memberships) {
    if (!nearCap(planIds.length, ACCOUNT_CAPS.plansPerKey)) continue
    const key = refOf(keyById.get(keyId) ?? {id: keyId})
    const plans = planIds.map((id) => refOf(planById.get(id)!))
    findings.push(
      finding(
        'KEY_PLANS_NEAR_LIMIT',
        `API key ${labelOf(key)} is in ${planIds.length} usage plans, ${Math.round((100 * planIds.length) / ACCOUNT_CAPS.plansPerKey)}% of AWS's default quota of ${ACCOUNT_CAPS.plansPerKey} per key (AWS recommends one key per plan).`,
        {key, plans},
        [detachKeyFix(key), quotaIncreaseFix('the usage plans per API key quota', QUOTA_CODES.plansPerKey, 2 * ACCOUNT_CAPS.plansPerKey)],
      ),
    )
  }

  return findings
}
