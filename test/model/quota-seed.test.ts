import assert from 'node:assert/strict'

import {keySeed, type PlanQuotaSeed, seedApplies, seedSummary} from '../../src/model/quota-seed.js'

const weekly: PlanQuotaSeed = {
  usagePlanId: 'p1',
  period: 'WEEK',
  limit: 100,
  periodStart: '2026-11-16', // a Monday
  keys: {
    k1: [
      {date: '2026-11-15', used: 50, remaining: 50}, // the Sunday before: another week
      {date: '2026-11-16', used: 10, remaining: 90},
      {date: '2026-11-17', used: 20, remaining: 75}, // 5 granted back
      {date: '2026-11-18', used: 30, remaining: 45},
    ],
    k2: [{date: '2026-11-16', used: 0, remaining: 100}],
  },
}

/** The limits replayed give p1 the same WEEK quota the account counts by. */
const WEEKLY = new Map([['p1', 'WEEK' as const]])

describe('model/quota-seed', () => {
  it("sums the period's days before the replay's first day, and keeps the allowance AWS reports", () => {
    const t = Date.parse('2026-11-18T06:00:00Z')
    assert.deepEqual(keySeed(weekly, weekly.keys.k1, t), {used: 30, extra: 5, allowanceKnown: true})
    assert.deepEqual(keySeed(weekly, weekly.keys.k1, Date.parse('2026-11-16T00:00:00Z')), {used: 0, extra: 0, allowanceKnown: false})
    assert.deepEqual(keySeed(weekly, [{date: '2026-11-16', used: 3, remaining: null}], t), {used: 3, extra: 0, allowanceKnown: false})
  })

  it('applies only to a replay that starts in the period it was read in, by the week start given', () => {
    assert.equal(seedApplies(weekly, Date.parse('2026-11-22T23:00:00Z'), 'monday', 'WEEK').applies, true)
    const sunday = seedApplies(weekly, Date.parse('2026-11-22T23:00:00Z'), 'sunday', 'WEEK')
    assert.equal(sunday.applies, false)
    const after = seedApplies(weekly, Date.parse('2026-11-24T00:00:00Z'), 'monday', 'WEEK')
    assert.ok(!after.applies && /starts on 2026-11-24, after the current WEEK quota period \(from 2026-11-16\)/.test(after.reason))
    const other = seedApplies(weekly, Date.parse('2026-11-18T00:00:00Z'), 'monday', 'MONTH')
    assert.ok(!other.applies && /gives usage plan p1 a MONTH quota; the account counts it by WEEK/.test(other.reason))
    const none = seedApplies(weekly, Date.parse('2026-11-18T00:00:00Z'), 'monday', undefined)
    assert.ok(!none.applies && /gives usage plan p1 no quota/.test(none.reason))
  })

  it('summarises per plan, and names the part of the first day that neither side counts', () => {
    const seeds = {readAt: '2026-11-18T12:00:00.000Z', weekStart: 'monday' as const, usagePlans: [weekly]}
    const summary = seedSummary(seeds, Date.parse('2026-11-18T06:30:00Z'), WEEKLY)
    assert.deepEqual(summary.usagePlans, [
      {usagePlanId: 'p1', period: 'WEEK', periodStart: '2026-11-16', applied: true, days: {from: '2026-11-16', to: '2026-11-17'}, keysWithUse: 1, used: 30},
    ])
    assert.match(summary.partialDay!, /requests of 2026-11-18 before 06:30:00 UTC/)
    assert.equal(seedSummary(seeds, Date.parse('2026-11-16T00:00:00Z'), WEEKLY).partialDay, null)
    assert.equal(seedSummary(seeds, Date.parse('2026-11-16T00:00:00Z'), WEEKLY).usagePlans[0].days, null)
  })
})
