import type {ApiStage, QuotaSettings, ThrottleSettings, UsagePlan} from '@aws-sdk/client-api-gateway'

import type {Cell} from './table.js'

/** Short human renderings of AWS limit objects, shared by every table. */

export const formatThrottle = (t: ThrottleSettings | undefined) =>
  t && (t.rateLimit !== undefined || t.burstLimit !== undefined) ? `${t.rateLimit ?? '-'} rps, burst ${t.burstLimit ?? '-'}` : 'none'

export const formatQuota = (q: QuotaSettings | undefined) =>
  q?.limit === undefined ? 'none' : `${q.limit}/${q.period ?? '?'}${q.offset ? ` (offset ${q.offset})` : ''}`

export const formatStage = (s: ApiStage) => `${s.apiId}:${s.stage}`

export const formatMethodThrottles = (s: ApiStage) =>
  Object.entries(s.throttle ?? {})
    .map(([key, t]) => `${key} ${formatThrottle(t)}`)
    .join('; ')

export const formatTags = (tags: Record<string, string> | undefined) =>
  Object.entries(tags ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')

/** The rows every view of one plan shares (create's summary, show). */
export const planLimitFields = (plan: UsagePlan): Array<[string, Cell]> => [
  ['Throttle', formatThrottle(plan.throttle)],
  ['Quota', formatQuota(plan.quota)],
  ['Tags', formatTags(plan.tags)],
]
