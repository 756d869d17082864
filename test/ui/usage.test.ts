import assert from 'node:assert/strict'

import type {KeyUsage, UsageReport} from '../../src/model/usage.js'

import {makeStyle} from '../../src/ui/style.js'
import {describeCurrentUsage, describeOutlook, overThresholdLine, renderDailyTable, sparkline, usageCsv} from '../../src/ui/usage.js'

const plain = makeStyle(false)

function key(id: string, name: string, used: number[], extra: Partial<KeyUsage> = {}): KeyUsage {
  const days = used.map((u, i) => ({date: `2026-11-0${i + 1}`, used: u, remaining: 1000 - used.slice(0, i + 1).reduce((a, b) => a + b, 0)}))
  return {id, name, reported: true, used: used.reduce((a, b) => a + b, 0), dailyAverage: 0, days, ...extra}
}

function report(keys: KeyUsage[]): UsageReport {
  return {
    usagePlan: {id: 'p1', name: 'gold, EU', quota: {limit: 1000, period: 'MONTH'}},
    period: 'MONTH',
    weekStart: 'sunday',
    window: {from: '2026-11-01', to: '2026-11-03', current: false, fetchFrom: '2026-11-01'},
    keyedBy: 'id',
    usage: {usagePlanId: 'p1', startDate: '2026-11-01', endDate: '2026-11-03', items: {}},
    keys,
    unmatched: [],
    warnings: [],
  }
}

describe('ui/usage', () => {
  it('draws a sparkline from the quietest to the busiest day of the key', () => {
    assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7]), '▁▂▃▄▅▆▇█')
    assert.equal(sparkline([0, 0, 0]), '▁▁▁')
    assert.equal(sparkline([10, 5, 0]), '█▄▁')
  })

  it('adds a Trend column only when asked (on a terminal)', () => {
    const view = report([key('k1', 'alice', [0, 50, 100])])
    assert.match(renderDailyTable(view, plain, {sparklines: true}), /Key\s+ID\s+11-01\s+11-02\s+11-03\s+Total\s+Trend\nalice\s+k1\s+0\s+50\s+100\s+150\s+▁▄█/)
    assert.doesNotMatch(renderDailyTable(view, plain, {sparklines: false}), /Trend|▁/)
  })

  it('quotes CSV cells that a spreadsheet would misread', () => {
    const csv = usageCsv(report([key('k1', 'alice "the first"', [1, 2, 3])]), {daily: true})
    assert.equal(csv.split('\n')[1], 'p1,"gold, EU",k1,"alice ""the first""",2026-11-01,1,999')
  })

  it('writes a logfmt line for an alerting tool, quoting values with spaces', () => {
    const over = key('k1', 'alice smith', [900], {
      quota: {periodUsed: 900, remaining: 100, allowance: 1000, shareUsed: 0.9, ranOutOn: null},
      forecast: {recentDailyRate: 300, outlook: 'runs-out', runsOutAt: Date.parse('2026-11-20T08:00:00Z')},
    })
    assert.equal(
      overThresholdLine({id: 'p1', name: 'gold'}, over),
      'plan=gold planId=p1 key="alice smith" keyId=k1 share=90.0% used=900 allowance=1000 remaining=100 outlook=runs-out runsOutAt=2026-11-20T08:00:00.000Z',
    )
  })

  it('says when a quota runs out, ran out, or lasts, in a column and in a sentence', () => {
    const quota = {periodUsed: 900, remaining: 100, allowance: 1000, shareUsed: 0.9, ranOutOn: null}
    const soon = {recentDailyRate: 300, outlook: 'runs-out' as const, runsOutAt: Date.parse('2026-11-20T08:00:00Z')}
    assert.equal(describeOutlook(soon, quota), '2026-11-20 08:00Z')
    assert.equal(describeOutlook(soon, quota, false), 'runs out 2026-11-20 08:00Z')
    assert.equal(describeOutlook({recentDailyRate: 0, outlook: 'not-this-period', runsOutAt: null}, quota), 'not this period')
    assert.equal(
      describeOutlook({recentDailyRate: 9, outlook: 'ran-out', runsOutAt: null}, {...quota, remaining: 0, ranOutOn: '2026-11-17'}),
      'ran out 2026-11-17',
    )
    assert.equal(describeOutlook(undefined, {...quota, ranOutOn: '2026-10-30'}), 'ran out 2026-10-30')
    assert.equal(describeOutlook(undefined, quota), 'did not run out')
    assert.equal(describeOutlook(undefined, undefined), undefined)
    assert.equal(
      describeCurrentUsage('WEEK', {used: 900, dailyAverage: 0, days: [], quota, forecast: soon}),
      '900 of 1,000 used this week (90.0%), 100 left; runs out 2026-11-20 08:00Z',
    )
  })
})
