import type {ApiStage, QuotaSettings, ThrottleSettings, UsagePlan} from '@aws-sdk/client-api-gateway'

import type {PlanDifference} from '../model/usage-plan.js'
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
  ...(plan.productCode ? [['Product code', plan.productCode] as [string, Cell]] : []),
]

/** One setting in which an existing plan differs from the one asked for: "throttle 10 rps, burst 20 (asked: 5 rps, burst 10)". */
export function formatDifference(d: PlanDifference): string {
  const show = (value: unknown): string => {
    if (value === null || value === undefined) return 'none'
    switch (d.field) {
      case 'throttle': {
        return formatThrottle(value)
      }
      case 'quota': {
        return formatQuota(value)
      }
      case 'apiStages': {
        return (
          (value as Array<{stage: string; throttle?: Record<string, ThrottleSettings>}>)
            .map(
              (s) =>
                `${s.stage}${
                  s.throttle
                    ? ` [${Object.entries(s.throttle)
                        .map(([k, t]) => `${k} ${formatThrottle(t)}`)
                        .join('; ')}]`
                    : ''
                }`,
            )
            .join(', ') || 'none'
        )
      }
      case 'tags': {
        return formatTags(value as Record<string, string>) || 'none'
      }
      default: {
        return typeof value === 'string' ? value : JSON.stringify(value)
      }
    }
  }

  return `${d.field} ${show(d.existing)} (asked: ${show(d.requested)})`
}
