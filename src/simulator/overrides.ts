import {badInput} from '../model/errors.js'
import {parseBurst, parseQuota, parseQuotaOffset, parseRate} from '../model/flag-values.js'
import {resolveByIdOrName} from '../model/resolve.js'
import type {Snapshot, SnapshotPlan} from '../model/snapshot.js'
import {listingOf} from './validate-snapshot.js'

const SET_EXAMPLE = "'gold:rate=50,burst=100,quota=100000/MONTH'"

/**
 * Applies `--set 'PLAN:rate=R,burst=B,quota=N/PERIOD,offset=N'` values to a copy of
 * the snapshot, so a changed plan can be tried without editing the file. Any subset of
 * the settings may be given; `quota=none` removes the quota.
 */
export function applyOverrides(snapshot: Snapshot, sets: readonly string[]): Snapshot {
  if (sets.length === 0) return snapshot
  const plans = snapshot.usagePlans.map((p) => ({...p, throttle: p.throttle && {...p.throttle}, quota: p.quota && {...p.quota}}))
  for (const raw of sets) {
    const cut = raw.lastIndexOf(':', raw.indexOf('='))
    if (cut <= 0 || !raw.includes('=')) throw badInput(`--set must look like PLAN:SETTING=VALUE,..., e.g. ${SET_EXAMPLE}; got "${raw}"`)
    const plan = resolveByIdOrName(plans, raw.slice(0, cut), 'usage plan', listingOf('usagePlans'))
    for (const setting of raw.slice(cut + 1).split(',')) applySetting(plan, setting, raw)
    if (plan.throttle && (Number.isNaN(plan.throttle.rateLimit) || Number.isNaN(plan.throttle.burstLimit))) {
      const missing = Number.isNaN(plan.throttle.rateLimit) ? 'rate' : 'burst'
      throw badInput(`--set ${plan.name}: the plan has no throttle yet, so give both rate and burst (${missing} is missing)`)
    }
  }

  return {...snapshot, usagePlans: plans}
}

function applySetting(plan: SnapshotPlan, setting: string, raw: string): void {
  const eq = setting.indexOf('=')
  const name = setting.slice(0, eq).trim()
  const value = setting.slice(eq + 1).trim()
  const flag = `--set ${plan.name}`
  switch (eq < 0 ? '' : name) {
    case 'rate': {
      plan.throttle = {burstLimit: plan.throttle?.burstLimit ?? Number.NaN, rateLimit: parseRate(value, `${flag} rate`)}
      break
    }

    case 'burst': {
      plan.throttle = {rateLimit: plan.throttle?.rateLimit ?? Number.NaN, burstLimit: parseBurst(value, `${flag} burst`)}
      break
    }

    case 'quota': {
      plan.quota = value.toLowerCase() === 'none' ? undefined : {...parseQuota(value, `${flag} quota`), offset: 0}
      break
    }

    case 'offset': {
      if (!plan.quota) throw badInput(`${flag}: offset needs a quota; the plan has none (add quota=N/PERIOD)`)
      plan.quota.offset = parseQuotaOffset(value, plan.quota.limit, `${flag} offset`)
      break
    }

    default: {
      throw badInput(`--set: "${setting}" in "${raw}" is not one of rate=R, burst=B, quota=N/PERIOD (or none), offset=N; e.g. ${SET_EXAMPLE}`)
    }
  }
}
