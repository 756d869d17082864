import assert from 'node:assert/strict'

import {
  addDays,
  DAY_MS,
  dayChunks,
  daysBetween,
  daysFrom,
  daysOf,
  forecastRunOut,
  nextPeriodStart,
  periodHolding,
  periodStart,
  previousPeriod,
  ratePerDay,
  recentWindow,
  utcDay,
} from '../../src/model/quota-period.js'

const at = (iso: string) => Date.parse(iso)
const iso = (ms: number) => new Date(ms).toISOString()

// Calendar facts used below, checked by hand: 2026-11-18 is a Wednesday; 2026-11-15 and
// 2026-11-22 are Sundays; 2026-03-01 is a Sunday; 2028 is a leap year; 1969-12-28 was a Sunday.
describe('model/quota-period', () => {
  describe('period boundaries (UTC)', () => {
    const cases: Array<[string, 'DAY' | 'MONTH' | 'WEEK', 'monday' | 'sunday', string, string]> = [
      ['2026-11-18T12:34:56Z', 'DAY', 'sunday', '2026-11-18T00:00:00.000Z', '2026-11-19T00:00:00.000Z'],
      ['2026-11-18T00:00:00Z', 'DAY', 'sunday', '2026-11-18T00:00:00.000Z', '2026-11-19T00:00:00.000Z'],
      ['2026-11-18T23:59:59.999Z', 'DAY', 'sunday', '2026-11-18T00:00:00.000Z', '2026-11-19T00:00:00.000Z'],
      // a Wednesday: its week began on Sunday the 15th, or Monday the 16th
      ['2026-11-18T12:00:00Z', 'WEEK', 'sunday', '2026-11-15T00:00:00.000Z', '2026-11-22T00:00:00.000Z'],
      ['2026-11-18T12:00:00Z', 'WEEK', 'monday', '2026-11-16T00:00:00.000Z', '2026-11-23T00:00:00.000Z'],
      // a Sunday starts a Sunday week, and ends a Monday week
      ['2026-11-22T00:00:00Z', 'WEEK', 'sunday', '2026-11-22T00:00:00.000Z', '2026-11-29T00:00:00.000Z'],
      ['2026-11-22T23:00:00Z', 'WEEK', 'monday', '2026-11-16T00:00:00.000Z', '2026-11-23T00:00:00.000Z'],
      // a Saturday night is still the Sunday week that began six days before
      ['2026-11-21T23:59:59Z', 'WEEK', 'sunday', '2026-11-15T00:00:00.000Z', '2026-11-22T00:00:00.000Z'],
      // a week across a month and a year
      ['2027-01-01T08:00:00Z', 'WEEK', 'sunday', '2026-12-27T00:00:00.000Z', '2027-01-03T00:00:00.000Z'],
      // before 1970 (negative day numbers): Wednesday 1969-12-31 is in the week of Sunday 1969-12-28
      ['1969-12-31T12:00:00Z', 'WEEK', 'sunday', '1969-12-28T00:00:00.000Z', '1970-01-04T00:00:00.000Z'],
      ['2026-11-18T12:00:00Z', 'MONTH', 'sunday', '2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'],
      ['2026-12-31T23:59:59Z', 'MONTH', 'sunday', '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
      ['2028-02-29T10:00:00Z', 'MONTH', 'sunday', '2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z'],
      ['2027-02-14T10:00:00Z', 'MONTH', 'monday', '2027-02-01T00:00:00.000Z', '2027-03-01T00:00:00.000Z'],
    ]
    for (const [t, period, weekStart, start, end] of cases) {
      it(`${period} (${weekStart} weeks) holding ${t}: ${start.slice(0, 10)} to ${end.slice(0, 10)}`, () => {
        const span = periodHolding(at(t), period, weekStart)
        assert.deepEqual([iso(span.start), iso(span.end), span.period], [start, end, period])
        assert.equal(periodStart(at(t), period, weekStart), at(start))
        assert.equal(nextPeriodStart(span.start, period), at(end))
      })
    }

    it('weeks start on Sunday unless told otherwise', () => {
      assert.equal(iso(periodStart(at('2026-11-18T12:00:00Z'), 'WEEK')), '2026-11-15T00:00:00.000Z')
    })

    it('steps back to the previous period: a month of 28 days, a week, the day before', () => {
      const march = periodHolding(at('2026-03-10T00:00:00Z'), 'MONTH')
      const february = previousPeriod(march)
      assert.deepEqual([iso(february.start), iso(february.end)], ['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'])
      assert.deepEqual(daysOf(february), {first: '2026-02-01', last: '2026-02-28'})
      const week = previousPeriod(periodHolding(at('2026-03-01T05:00:00Z'), 'WEEK', 'monday'), 'monday')
      assert.deepEqual(daysOf(week), {first: '2026-02-16', last: '2026-02-22'})
      assert.deepEqual(daysOf(previousPeriod(periodHolding(at('2027-01-01T00:00:00Z'), 'DAY'))), {first: '2026-12-31', last: '2026-12-31'})
    })
  })

  describe('days', () => {
    it('names, steps and counts UTC days', () => {
      assert.equal(utcDay(at('2026-11-18T23:59:59.999Z')), '2026-11-18')
      assert.equal(utcDay(at('1969-12-31T23:00:00Z')), '1969-12-31')
      assert.equal(addDays('2026-12-30', 3), '2027-01-02')
      assert.equal(addDays('2028-03-01', -1), '2028-02-29')
      assert.equal(daysBetween('2026-11-01', '2026-11-18'), 17)
      assert.deepEqual(daysFrom('2026-02-27', '2026-03-02'), ['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02'])
      assert.deepEqual(daysFrom('2026-03-02', '2026-03-01'), [])
    })

    it('cuts a range into chunks of at most N days, the last one short', () => {
      assert.deepEqual(dayChunks('2026-01-01', '2026-03-05', 31), [
        {first: '2026-01-01', last: '2026-01-31'},
        {first: '2026-02-01', last: '2026-03-03'},
        {first: '2026-03-04', last: '2026-03-05'},
      ])
      assert.deepEqual(dayChunks('2026-11-18', '2026-11-18', 31), [{first: '2026-11-18', last: '2026-11-18'}])
      assert.deepEqual(dayChunks('2026-11-01', '2026-12-01', 31), [{first: '2026-11-01', last: '2026-12-01'}])
    })
  })

  describe('recent rate', () => {
    const now = at('2026-11-18T12:00:00Z')

    it('looks back over the 6 whole days before today and today so far', () => {
      const window = recentWindow(now)
      assert.deepEqual([iso(window.start), iso(window.end)], ['2026-11-12T00:00:00.000Z', '2026-11-18T12:00:00.000Z'])
    })

    it('starts no earlier than the key existed, and never after now', () => {
      assert.equal(iso(recentWindow(now, at('2026-11-16T06:00:00Z')).start), '2026-11-16T06:00:00.000Z')
      assert.equal(iso(recentWindow(now, at('2026-01-01T00:00:00Z')).start), '2026-11-12T00:00:00.000Z')
      assert.equal(recentWindow(now, at('2026-11-19T00:00:00Z')).start, now)
    })

    it('divides the requests of the window by its length in days', () => {
      // 6.5 days; 1300 requests -> 200 a day
      const used: Record<string, number> = {'2026-11-11': 5000, '2026-11-12': 100, '2026-11-15': 600, '2026-11-18': 600}
      assert.equal(
        ratePerDay(recentWindow(now), (d) => used[d] ?? 0),
        200,
      )
      // a key created on the 16th at 12:00: 2 days, 600 on the 18th -> 300 a day (the 15th's 600 is before it existed)
      assert.equal(
        ratePerDay(recentWindow(now, at('2026-11-16T12:00:00Z')), (d) => used[d] ?? 0),
        300,
      )
    })

    it('has no rate over less than a minute', () => {
      assert.equal(
        ratePerDay({start: now - 59_000, end: now}, () => 10),
        undefined,
      )
      assert.equal(
        ratePerDay({start: now - 60_000, end: now}, () => 10),
        10 * 24 * 60,
      )
    })
  })

  describe('forecast', () => {
    const now = at('2026-11-18T12:00:00Z')
    const monthEnd = at('2026-12-01T00:00:00Z')

    it('runs out after remaining / rate days', () => {
      // 1000 left at 200 a day: 5 days -> 2026-11-23 12:00
      assert.deepEqual(forecastRunOut({now, perDay: 200, periodEnd: monthEnd, remaining: 1000}), {kind: 'runs-out', at: at('2026-11-23T12:00:00Z')})
      // 50 left at 1200 a day: one hour
      assert.deepEqual(forecastRunOut({now, perDay: 1200, periodEnd: monthEnd, remaining: 50}), {kind: 'runs-out', at: at('2026-11-18T13:00:00Z')})
    })

    it('is "not this period" when the quota lasts until the period ends, or nothing was used', () => {
      // 12.5 days left in the month; 2600 at 200 a day lasts 13 days
      assert.deepEqual(forecastRunOut({now, perDay: 200, periodEnd: monthEnd, remaining: 2600}), {kind: 'not-this-period'})
      // exactly at the boundary: the period ends first (the quota resets then)
      assert.deepEqual(forecastRunOut({now, perDay: 200, periodEnd: monthEnd, remaining: 2500}), {kind: 'not-this-period'})
      assert.deepEqual(forecastRunOut({now, perDay: 0, periodEnd: monthEnd, remaining: 1}), {kind: 'not-this-period'})
    })

    it('has already run out when nothing remains', () => {
      assert.deepEqual(forecastRunOut({now, perDay: 0, periodEnd: monthEnd, remaining: 0}), {kind: 'ran-out'})
    })

    it('a daily quota runs out within the day or not at all', () => {
      const dayEnd = now + DAY_MS / 2
      // 100 left at 240 a day (10 an hour): 10 hours -> 22:00
      assert.deepEqual(forecastRunOut({now, perDay: 240, periodEnd: dayEnd, remaining: 100}), {kind: 'runs-out', at: at('2026-11-18T22:00:00Z')})
      assert.deepEqual(forecastRunOut({now, perDay: 240, periodEnd: dayEnd, remaining: 121}), {kind: 'not-this-period'})
    })
  })
})
