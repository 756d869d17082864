import type {GetUsageCommandInput, Usage} from '@aws-sdk/client-api-gateway'

/**
 * A GetUsage for mocked clients that answers any range the way AWS shapes it (a
 * [used, remaining] pair per day, both dates included), for commands that read the clock:
 * each key's `used` falls on today, so whatever today is, the key has used `used` this
 * period and has `remaining` left. Keys filtered by keyId as AWS does.
 */
export function usageToday(byKey: Record<string, {used: number; remaining: number}>): (input: GetUsageCommandInput) => Usage {
  const today = new Date().toISOString().slice(0, 10)
  return (input) => {
    const days: string[] = []
    for (let t = Date.parse(`${input.startDate}T00:00:00Z`); t <= Date.parse(`${input.endDate}T00:00:00Z`); t += 86_400_000)
      days.push(new Date(t).toISOString().slice(0, 10))
    const items: Record<string, number[][]> = {}
    for (const [keyId, {used, remaining}] of Object.entries(byKey)) {
      if (input.keyId && input.keyId !== keyId) continue
      items[keyId] = days.map((day) => (day === today ? [used, remaining] : [0, used + remaining]))
    }

    return {usagePlanId: input.usagePlanId, startDate: input.startDate, endDate: input.endDate, items}
  }
}
