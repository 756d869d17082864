import {badInput} from '../model/errors.js'
import type {ProposalReport} from './proposal.js'
import type {OutcomeCounts} from './report.js'

/** Outcome names --fail-on takes, and the count each reads. */
const OUTCOMES = {throttled: 'throttled', quota: 'quotaExceeded', forbidden: 'forbidden', denied: 'denied'} as const
type OutcomeFlag = keyof typeof OUTCOMES

/** One `--fail-on` condition: an outcome over a threshold (a count or a share of requests), or `worse`. */
export type FailOn = {kind: 'outcome'; outcome: OutcomeFlag; atLeast: boolean; value: number; percent: boolean; text: string} | {kind: 'worse'; text: 'worse'}

export const FAIL_ON_EXAMPLES = 'throttled>1%, forbidden>0, quota>=100, denied>5%, worse'

/** `--fail-on` values: OUTCOME (meaning OUTCOME>0), OUTCOME>N, OUTCOME>=N, OUTCOME>N%, or worse. */
export function parseFailOn(values: readonly string[]): FailOn[] {
  return values.map((raw) => {
    const text = raw.trim()
    if (text === 'worse') return {kind: 'worse', text}
    const m = /^([a-z]+)\s*(?:(>=?)\s*(\d+(?:\.\d+)?)\s*(%?))?$/.exec(text)
    if (!m || !(m[1] in OUTCOMES)) {
      throw badInput(`--fail-on "${raw}" is not OUTCOME>N, OUTCOME>N% or worse (OUTCOME: ${Object.keys(OUTCOMES).join(', ')}); e.g. ${FAIL_ON_EXAMPLES}`)
    }

    const value = m[3] === undefined ? 0 : Number(m[3])
    if (m[4] === '%' && value > 100) throw badInput(`--fail-on "${raw}": a share cannot be over 100%`)
    return {kind: 'outcome', outcome: m[1] as OutcomeFlag, atLeast: m[2] === '>=', value, percent: m[4] === '%', text}
  })
}

const n = (value: number) => value.toLocaleString('en-US')

/**
 * The conditions that hold, each as a sentence. Thresholds read the proposal's counts
 * when there is one (the question is then "may I apply it?"), else the replay's.
 */
export function failOnMatches(conditions: readonly FailOn[], totals: OutcomeCounts, proposal: ProposalReport | undefined): string[] {
  const counts = proposal?.totals.proposed ?? totals
  const under = proposal ? ' under the proposal' : ''
  const matches: string[] = []
  for (const c of conditions) {
    if (c.kind === 'worse') {
      if (!proposal) throw badInput('--fail-on worse compares with proposed limits: give them with --set or --compare')
      const harmed = proposal.keys.filter((k) => k.newlyDenied > 0)
      if (harmed.length > 0) {
        const shown = harmed.slice(0, 5).map((k) => `${k.name}${k.id ? ` (${k.id})` : ''}: ${n(k.newlyDenied)} newly denied`)
        matches.push(
          `worse: ${n(harmed.length)} key(s) get requests denied that the current limits allow: ${shown.join('; ')}${harmed.length > 5 ? '; ...' : ''}`,
        )
      }

      continue
    }

    const count = c.outcome === 'denied' ? counts.requests - counts.allowed : counts[OUTCOMES[c.outcome]]
    const measured = c.percent ? (counts.requests === 0 ? 0 : (count / counts.requests) * 100) : count
    if (c.atLeast ? measured >= c.value : measured > c.value) {
      const shown = c.percent
        ? `${measured.toFixed(2)}% ${c.atLeast ? '>=' : '>'} ${c.value}% (${n(count)} of ${n(counts.requests)} requests)`
        : `${n(count)} ${c.atLeast ? '>=' : '>'} ${n(c.value)}`
      matches.push(`${c.text}: ${c.outcome} ${shown}${under}`)
    }
  }

  return matches
}
