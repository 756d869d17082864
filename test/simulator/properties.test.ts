import assert from 'node:assert/strict'

import {nextPeriodStart, periodStart} from '../../src/model/quota-period.js'
import {QuotaCounters, TokenBuckets} from '../../src/simulator/rules.js'
import {random} from './seeded.js'

const SEEDS = Array.from({length: 40}, (_, i) => 1000 + i)

/** Sorted request times (ms) with clusters, gaps and repeats, as real logs have. */
function requestTimes(next: () => number, count: number): number[] {
  const times: number[] = []
  let t = Math.floor(next() * 1e6)
  for (let i = 0; i < count; i++) {
    const r = next()
    t += r < 0.3 ? 0 : r < 0.8 ? Math.floor(next() * 20) : Math.floor(next() * 2000)
    times.push(t)
  }

  return times
}

describe('simulator properties (seeded random cases)', () => {
  it('a token bucket never lets more through in [t1, t2] than burst + rate x (t2 - t1)', () => {
    for (const seed of SEEDS) {
      const next = random(seed)
      const rate = next() < 0.2 ? Math.round(next() * 10 * 10) / 10 + 0.1 : Math.floor(next() * 500) + 1
      const burst = Math.floor(next() * 50) + 1
      const buckets = new TokenBuckets()
      const b = buckets.add(rate, burst)
      const allowed = requestTimes(next, 400).filter((t) => buckets.take(b, t))
      for (let i = 0; i < allowed.length; i++) {
        for (let j = i; j < allowed.length; j++) {
          const bound = burst + (rate * (allowed[j] - allowed[i])) / 1000
          assert.ok(j - i + 1 <= bound + 1e-6, `seed ${seed}: ${j - i + 1} allowed in ${allowed[j] - allowed[i]} ms at rate ${rate}, burst ${burst}`)
        }
      }
    }
  })

  it('a token bucket lets through every request spaced at least 1/rate apart, and a first burst in full', () => {
    for (const seed of SEEDS) {
      const next = random(seed)
      const rate = Math.floor(next() * 200) + 1
      const burst = Math.floor(next() * 20) + 1
      const buckets = new TokenBuckets()
      const b = buckets.add(rate, burst)
      const start = Math.floor(next() * 1e6)
      for (let i = 0; i < burst; i++) assert.ok(buckets.take(b, start), `seed ${seed}: request ${i + 1} of the first burst of ${burst}`)
      assert.equal(buckets.take(b, start), false, `seed ${seed}: one more than the burst at the same instant`)
      let t = start
      for (let i = 0; i < 200; i++) {
        t += Math.ceil(1000 / rate) + Math.floor(next() * 5)
        assert.ok(buckets.take(b, t), `seed ${seed}: request at +${t - start} ms, rate ${rate}`)
      }
    }
  })

  it('quota windows: each time lies in its window, and the window starts on a UTC day, Monday or Sunday, or the 1st', () => {
    for (const seed of SEEDS) {
      const next = random(seed)
      // 1970 to 2100, leap days and month ends included by chance and by the seeds' spread.
      const t = Math.floor(next() * 4_102_444_800_000)
      for (const period of ['DAY', 'WEEK', 'MONTH'] as const) {
        for (const weekStart of ['monday', 'sunday'] as const) {
          const start = periodStart(t, period, weekStart)
          const end = nextPeriodStart(start, period)
          assert.ok(start <= t && t < end, `seed ${seed}: ${new Date(t).toISOString()} not in its ${period} window`)
          assert.equal(periodStart(start, period, weekStart), start)
          const day = new Date(start)
          assert.equal(day.getUTCHours() + day.getUTCMinutes() + day.getUTCSeconds() + day.getUTCMilliseconds(), 0)
          if (period === 'WEEK') assert.equal(day.getUTCDay(), weekStart === 'monday' ? 1 : 0)
          if (period === 'MONTH') assert.equal(day.getUTCDate(), 1)
        }
      }
    }
  })

  it('a quota never counts more than its limit in a window, nor more than limit - offset in the first under --first-period', () => {
    for (const seed of SEEDS) {
      const next = random(seed)
      const limit = Math.floor(next() * 30) + 1
      const firstPeriod = next() < 0.5
      const offset = firstPeriod ? Math.floor(next() * limit) : 0
      const period = (['DAY', 'WEEK', 'MONTH'] as const)[Math.floor(next() * 3)]
      // Without --first-period an offset is never applied: the property holds with offset 0.
      const quotas = new QuotaCounters([{limit, offset: firstPeriod ? offset : Math.floor(next() * limit), period}], {weekStart: 'sunday', firstPeriod})
      const times = requestTimes(next, 600).map((t) => t * 500) // spread over several windows
      quotas.startAt(times[0])
      const perWindow = new Map<number, number>()
      for (const t of times) {
        if (quotas.take(0, t)) perWindow.set(periodStart(t, period), (perWindow.get(periodStart(t, period)) ?? 0) + 1)
      }

      const first = periodStart(times[0], period)
      for (const [start, counted] of perWindow) {
        assert.ok(
          counted <= (start === first ? limit - offset : limit),
          `seed ${seed}: ${counted} counted in the ${period} window of ${new Date(start).toISOString()}`,
        )
      }

      // A window that saw at least `limit` requests uses the whole allowance.
      const seen = new Map<number, number>()
      for (const t of times) seen.set(periodStart(t, period), (seen.get(periodStart(t, period)) ?? 0) + 1)
      for (const [start, requests] of seen) {
        const allowance = start === first ? limit - offset : limit
        assert.equal(perWindow.get(start) ?? 0, Math.min(requests, allowance), `seed ${seed}: window ${new Date(start).toISOString()}`)
      }
    }
  })
})
