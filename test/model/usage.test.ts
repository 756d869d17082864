import assert from 'node:assert/strict'

import {GwctlError} from '../../src/model/errors.js'
import {parseRequests, parseThreshold} from '../../src/model/flag-values.js'
import {type DailyUsage, isOverThreshold, keyUsageFigures, matchUsageEntries, usageWindow} from '../../src/model/usage.js'

const at = (iso: string) => Date.parse(iso)
/** Wednesday 2026-11-18, noon UTC. */
const NOON = at('2026-11-18T12:00:00Z')

function refused(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (error: unknown) => error instanceof GwctlError && error.exitCode === 2 && message.test(error.message))
}

const standing = (shareUsed: number | null) => ({periodUsed: 0, remaining: 0, allowance: 0, shareUsed, ranOutOn: null})

/** AWS's daily pairs for consecutive days from `first`. */
function daily(first: string, pairs: Array<[number, number]>): DailyUsage {
  const start = at(`${first}T00:00:00Z`)
  return new Map(pairs.map((pair, i) => [new Date(start + i * 86_400_000).toISOString().slice(0, 10), pair]))
}

describe('model/usage', () => {
  describe('usageWindow: which days a report shows and fetches', () => {
    it('shows the current quota period up to today, and fetches the recent week too', () => {
      const month = usageWindow({now: NOON, period: 'MONTH', weekStart: 'sunday'})
      assert.deepEqual([month.from, month.to, month.current, month.fetchFrom], ['2026-11-01', '2026-11-18', true, '2026-11-01'])
      const week = usageWindow({now: NOON, period: 'WEEK', weekStart: 'sunday'})
      // the week began Sunday the 15th; the recent rate needs the 12th onwards
      assert.deepEqual([week.from, week.to, week.fetchFrom], ['2026-11-15', '2026-11-18', '2026-11-12'])
      const monday = usageWindow({now: NOON, period: 'WEEK', weekStart: 'monday'})
      assert.equal(monday.from, '2026-11-16')
      const day = usageWindow({now: NOON, period: 'DAY', weekStart: 'sunday'})
      assert.deepEqual([day.from, day.to, day.fetchFrom], ['2026-11-18', '2026-11-18', '2026-11-12'])
    })

    it('shows the whole previous period, with no forecast', () => {
      const month = usageWindow({now: NOON, period: 'MONTH', weekStart: 'sunday', choice: 'previous'})
      assert.deepEqual([month.from, month.to, month.current, month.fetchFrom], ['2026-10-01', '2026-10-31', false, '2026-10-01'])
      const week = usageWindow({now: NOON, period: 'WEEK', weekStart: 'sunday', choice: 'previous'})
      assert.deepEqual([week.from, week.to], ['2026-11-08', '2026-11-14'])
      const day = usageWindow({now: NOON, period: 'DAY', weekStart: 'sunday', choice: 'previous'})
      assert.deepEqual([day.from, day.to], ['2026-11-17', '2026-11-17'])
    })

    it('counts in calendar months when the plan has no quota', () => {
      const window = usageWindow({now: NOON, weekStart: 'sunday'})
      assert.deepEqual([window.from, window.to, window.quotaPeriod], ['2026-11-01', '2026-11-18', undefined])
    })

    it('takes --from and --to as given, fetching back to the start of the quota period holding --to', () => {
      const window = usageWindow({now: NOON, period: 'MONTH', weekStart: 'sunday', from: '2026-10-20', to: '2026-11-05'})
      assert.deepEqual([window.from, window.to, window.current, window.fetchFrom], ['2026-10-20', '2026-11-05', false, '2026-10-20'])
      const late = usageWindow({now: NOON, period: 'MONTH', weekStart: 'sunday', from: '2026-11-10', to: '2026-11-12'})
      assert.equal(late.fetchFrom, '2026-11-01')
      const toToday = usageWindow({now: NOON, period: 'MONTH', weekStart: 'sunday', from: '2026-11-17'})
      assert.deepEqual([toToday.to, toToday.current, toToday.fetchFrom], ['2026-11-18', true, '2026-11-01'])
      const toAlone = usageWindow({now: NOON, period: 'WEEK', weekStart: 'sunday', to: '2026-11-11'})
      assert.deepEqual([toAlone.from, toAlone.to], ['2026-11-08', '2026-11-11'])
    })

    it('refuses dates after today and reversed dates (exit 2)', () => {
      refused(
        () => usageWindow({now: NOON, period: 'MONTH', weekStart: 'sunday', to: '2026-11-19'}),
        /--to 2026-11-19 is in the future: AWS has no usage after today \(2026-11-18, UTC\)/,
      )
      refused(() => usageWindow({now: NOON, period: 'MONTH', weekStart: 'sunday', from: '2026-12-01'}), /--from 2026-12-01 is in the future/)
      refused(
        () => usageWindow({now: NOON, period: 'MONTH', weekStart: 'sunday', from: '2026-11-10', to: '2026-11-09'}),
        /--from 2026-11-10 is after --to 2026-11-09/,
      )
    })
  })

  describe('matchUsageEntries: AWS keys its map by key id (current docs) or by value (older docs)', () => {
    const keys = [
      {id: 'k1', value: 'AliceValue0123456789xy'},
      {id: 'k2', value: 'BobValue0123456789abcd'},
    ]

    it('matches ids and says so', () => {
      const match = matchUsageEntries(['k1', 'k2'], keys)
      assert.equal(match.keyedBy, 'id')
      assert.deepEqual(
        [...match.entryOf],
        [
          ['k1', 'k1'],
          ['k2', 'k2'],
        ],
      )
    })

    it('matches values and says so', () => {
      const match = matchUsageEntries(['BobValue0123456789abcd'], keys)
      assert.equal(match.keyedBy, 'value')
      assert.deepEqual([...match.entryOf], [['k2', 'BobValue0123456789abcd']])
    })

    it('keeps entries that match no key apart', () => {
      const match = matchUsageEntries(['k1', 'gone-key-id'], keys)
      assert.deepEqual([match.keyedBy, match.unmatched], ['id', ['gone-key-id']])
      assert.equal(matchUsageEntries([], keys).keyedBy, 'none')
      assert.equal(matchUsageEntries(['k1', 'BobValue0123456789abcd'], keys).keyedBy, 'mixed')
    })
  })

  describe('keyUsageFigures', () => {
    // Monthly quota of 1000. Hand-computed: used 100 + 0 + ... ; see each case.
    const month = usageWindow({now: NOON, period: 'MONTH', weekStart: 'sunday'})

    it('sums the period, takes the last remaining, and forecasts at the recent rate', () => {
      // Nov 1-11: 50 a day (550); Nov 12-17: 100 a day (600); Nov 18 so far: 50. Used 1200.
      // A grant lifted the allowance to 2000: remaining at the end of the 18th is 800.
      const pairs: Array<[number, number]> = []
      let remaining = 2000
      for (let day = 1; day <= 18; day++) {
        const used = day <= 11 ? 50 : day <= 17 ? 100 : 50
        remaining -= used
        pairs.push([used, remaining])
      }

      const figures = keyUsageFigures(daily('2026-11-01', pairs), month, NOON)
      assert.equal(figures.used, 1200)
      assert.equal(figures.days.length, 18)
      assert.deepEqual(figures.days[17], {date: '2026-11-18', used: 50, remaining: 800})
      // 17.5 days elapsed: 1200 / 17.5
      assert.equal(figures.dailyAverage, 1200 / 17.5)
      assert.deepEqual(figures.quota, {periodUsed: 1200, remaining: 800, allowance: 2000, shareUsed: 0.6, ranOutOn: null})
      // recent: Nov 12 00:00 to Nov 18 12:00 = 6.5 days, 600 + 50 requests -> 100 a day; 800 left -> 8 days -> Nov 26 12:00
      assert.equal(figures.forecast?.recentDailyRate, 100)
      assert.equal(figures.forecast?.outlook, 'runs-out')
      assert.equal(new Date(figures.forecast.runsOutAt!).toISOString(), '2026-11-26T12:00:00.000Z')
    })

    it('says "not this period" when the quota outlasts the month, and uses the period start before the recent week', () => {
      const week = usageWindow({now: NOON, period: 'WEEK', weekStart: 'sunday'})
      // week from Sunday 15th, limit 700; fetched from the 12th: 12th-14th belong to the week before
      const numbers = daily('2026-11-12', [
        [70, 630],
        [70, 560],
        [70, 490],
        [10, 690],
        [10, 680],
        [10, 670],
        [5, 665],
      ])
      const figures = keyUsageFigures(numbers, week, NOON)
      assert.deepEqual([figures.used, figures.days.map((d) => d.date)], [35, ['2026-11-15', '2026-11-16', '2026-11-17', '2026-11-18']])
      assert.deepEqual(figures.quota, {periodUsed: 35, remaining: 665, allowance: 700, shareUsed: 0.05, ranOutOn: null})
      // recent: 245 requests over 6.5 days = 37.7 a day; 665 left lasts past Sunday the 22nd
      assert.equal(figures.forecast?.recentDailyRate, 245 / 6.5)
      assert.equal(figures.forecast?.outlook, 'not-this-period')
      assert.equal(figures.forecast?.runsOutAt, null)
    })

    it('reports a key that ran out, and the day it did', () => {
      const day = usageWindow({now: NOON, period: 'MONTH', weekStart: 'sunday', from: '2026-11-16'})
      const numbers = daily('2026-11-01', [...Array.from({length: 15}, (): [number, number] => [0, 100]), [60, 40], [40, 0], [0, 0]])
      const figures = keyUsageFigures(numbers, day, NOON)
      assert.equal(figures.used, 100)
      assert.deepEqual(figures.quota, {periodUsed: 100, remaining: 0, allowance: 100, shareUsed: 1, ranOutOn: '2026-11-17'})
      assert.equal(figures.forecast?.outlook, 'ran-out')
    })

    it('counts a zero allowance as all used', () => {
      const figures = keyUsageFigures(
        daily(
          '2026-11-01',
          Array.from({length: 18}, (): [number, number] => [0, 0]),
        ),
        month,
        NOON,
      )
      assert.deepEqual([figures.quota?.allowance, figures.quota?.shareUsed, figures.forecast?.outlook], [0, 1, 'ran-out'])
    })

    it('leaves remaining, allowance, share and outlook unknown when AWS reported nothing for the key', () => {
      const figures = keyUsageFigures(undefined, month, NOON)
      assert.deepEqual([figures.used, figures.quota?.remaining, figures.quota?.allowance, figures.quota?.shareUsed], [0, null, null, null])
      assert.deepEqual(figures.forecast, {recentDailyRate: 0, outlook: 'unknown', runsOutAt: null})
      assert.equal(figures.days[0].remaining, null)
    })

    it("measures a new key's rate from its creation", () => {
      // created the 17th at 12:00; used 300 since: 300 a day; 300 left -> runs out 2026-11-19 12:00
      const numbers = daily('2026-11-01', [...Array.from({length: 16}, (): [number, number] => [0, 600]), [200, 400], [100, 300]])
      const figures = keyUsageFigures(numbers, month, NOON, at('2026-11-17T12:00:00Z'))
      assert.equal(figures.forecast?.recentDailyRate, 300)
      assert.equal(new Date(figures.forecast.runsOutAt!).toISOString(), '2026-11-19T12:00:00.000Z')
    })

    it('gives no forecast for a past period, nor quota figures without a quota', () => {
      const previous = usageWindow({now: NOON, period: 'DAY', weekStart: 'sunday', choice: 'previous'})
      const figures = keyUsageFigures(daily('2026-11-17', [[7, 3]]), previous, NOON)
      assert.deepEqual([figures.used, figures.dailyAverage, figures.forecast], [7, 7, undefined])
      assert.deepEqual(figures.quota, {periodUsed: 7, remaining: 3, allowance: 10, shareUsed: 0.7, ranOutOn: null})
      const unlimited = keyUsageFigures(daily('2026-11-01', [[5, 0]]), usageWindow({now: NOON, weekStart: 'sunday'}), NOON)
      assert.deepEqual([unlimited.used, unlimited.quota, unlimited.forecast], [5, undefined, undefined])
    })

    it('is over a threshold when the share used reaches it', () => {
      assert.equal(isOverThreshold(standing(0.8), 0.8), true)
      assert.equal(isOverThreshold(standing(0.7999), 0.8), false)
      assert.equal(isOverThreshold(standing(null), 0.01), false)
      assert.equal(isOverThreshold(undefined, 0.01), false)
    })
  })

  describe('flag values', () => {
    it('reads a threshold from 1% to 100%', () => {
      assert.equal(parseThreshold('80%'), 0.8)
      assert.equal(parseThreshold('80'), 0.8)
      assert.equal(parseThreshold(' 92.5 % '), 0.925)
      assert.equal(parseThreshold('1%'), 0.01)
      assert.equal(parseThreshold('100%'), 1)
      refused(() => parseThreshold('0.8'), /--threshold must be a percentage from 1% to 100%, e.g. 80%; got "0.8" \(a percentage: did you mean 80%\?\)/)
      for (const bad of ['0%', '101%', '150', '-5%', 'eighty', '', '80%%'])
        refused(() => parseThreshold(bad), /--threshold must be a percentage from 1% to 100%/)
    })

    it('reads a number of requests from a minimum', () => {
      assert.equal(parseRequests('0', '--remaining'), 0)
      assert.equal(parseRequests('5000', '--requests', 1), 5000)
      refused(() => parseRequests(' 5000 ', '--requests', 1), /--requests must be a whole number of requests, 1 or more; got " 5000 "/)
      refused(() => parseRequests('0', '--requests', 1), /--requests must be a whole number of requests, 1 or more; got "0"/)
      refused(() => parseRequests('1.5', '--remaining'), /--remaining must be a whole number of requests, 0 or more; got "1.5"/)
    })
  })
})
