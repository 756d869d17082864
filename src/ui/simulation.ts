import type {ChalkInstance} from 'chalk'

import type {SeedSummary} from '../model/quota-seed.js'
import type {KeyChange, ProposalReport} from '../simulator/proposal.js'
import type {ChartSeries, KeyReport, OutcomeCounts} from '../simulator/report.js'
import type {SimulationReport} from '../simulator/simulate.js'

import {renderTable} from './table.js'

const n = (value: number) => value.toLocaleString('en-US')
const pct = (part: number, whole: number) => (whole === 0 ? '0%' : `${((part / whole) * 100).toFixed(1)}%`)
const KEY_ROWS = 40
const time = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : undefined)

/** The human report of `gwctl simulate`: totals, per key, per plan, what denied, agreement, the proposal, notes. */
export function renderSimulation(r: SimulationReport, style: ChalkInstance, planNames: ReadonlyMap<string, string>): string {
  const out: string[] = []
  const skipped = [
    r.malformed > 0 ? `${n(r.malformed)} malformed` : '',
    r.late > 0 ? `${n(r.late)} late` : '',
    r.unmatched > 0 ? `${n(r.unmatched)} not in the snapshot` : '',
    r.skipped > 0 ? `${n(r.skipped)} for other APIs or stages` : '',
    r.outsideRange > 0 ? `${n(r.outsideRange)} outside --since/--until` : '',
  ].filter(Boolean)
  out.push(
    style.bold(`Replayed ${n(r.requests)} requests`) +
      (r.from ? ` from ${time(r.from)} to ${time(r.to)}` : '') +
      (skipped.length > 0 ? ` (lines: ${skipped.join(', ')})` : ''),
    `  ${totalsLine(r, style)}`,
  )
  if (r.sources.length > 1 || r.sources.some((s) => s.format !== 'JSON lines')) {
    for (const s of r.sources) out.push(`  ${s.name}: ${s.format || 'no lines'}, ${n(s.lines)} lines`)
  }

  if (r.keys.length > 0) {
    // Thousands of keys make an unreadable table: show the most denied, then the busiest.
    const denied = (k: KeyReport) => k.requests - k.allowed
    const shown = r.keys.length <= KEY_ROWS ? r.keys : r.keys.toSorted((a, b) => denied(b) - denied(a) || b.requests - a.requests).slice(0, KEY_ROWS)
    out.push(
      '',
      style.bold(shown.length < r.keys.length ? `Keys (the ${KEY_ROWS} most denied of ${n(r.keys.length)}; --json lists all)` : 'Keys'),
      renderTable(
        ['Key', 'Id', 'Plan', 'Requests', 'Allowed', 'Throttled', 'Quota exceeded', 'Forbidden', 'Peak rps', 'First denial'],
        shown.map((k) => [
          k.name,
          k.id,
          k.usagePlanIds.map((id) => planNames.get(id) ?? id).join(', '),
          n(k.requests),
          n(k.allowed),
          n(k.throttled),
          n(k.quotaExceeded),
          n(k.forbidden),
          n(k.peakRps),
          time(k.firstDenial),
        ]),
        style,
      ),
    )
  }

  const plans = r.plans.filter((p) => p.requests > 0)
  if (plans.length > 0) {
    out.push(
      '',
      style.bold('Plans'),
      renderTable(
        ['Plan', 'Id', 'Keys', 'Requests', 'Allowed', 'Throttled', 'Quota exceeded', 'Peak rps of one key'],
        plans.map((p) => [p.name, p.id, p.keys, n(p.requests), n(p.allowed), n(p.throttled), n(p.quotaExceeded), n(p.peakKeyRps)]),
        style,
      ),
    )
  }

  const limits = Object.entries(r.limits)
  if (limits.length > 0) {
    out.push(
      '',
      style.bold('Denied by'),
      renderTable(
        ['Limit', 'Requests'],
        limits.map(([name, count]) => [name, n(count)]),
        style,
      ),
    )
  }

  if (r.agreement) {
    const a = r.agreement
    out.push('', style.bold(`Prediction against what AWS logged: ${pct(a.agreeing, a.requests)} agree (${n(a.agreeing)} of ${n(a.requests)})`))
    const rows = a.rows.filter((row) => row.logged2xx + row.logged403 + row.loggedThrottled + row.loggedQuotaExceeded + row.logged429 + row.loggedOther > 0)
    out.push(
      renderTable(
        ['Predicted', 'Logged 2xx', 'Logged 403', '429 THROTTLED', '429 QUOTA_EXCEEDED', '429 (no type)', 'Logged other'],
        rows.map((row) => [
          row.predicted,
          n(row.logged2xx),
          n(row.logged403),
          n(row.loggedThrottled),
          n(row.loggedQuotaExceeded),
          n(row.logged429),
          n(row.loggedOther),
        ]),
        style,
      ),
    )
  }

  if (r.proposal) out.push('', renderProposal(r.proposal, style))
  if (r.chart) out.push('', renderChart(r.chart, style))
  const notes: string[] = []
  if (r.sorted) notes.push(`  The input was sorted by time before it was replayed: ${r.sorted.reason}.`)
  if (r.quotaSeed) notes.push(...seedLines(r.quotaSeed, planNames))
  for (const [kind, list] of Object.entries(r.problems))
    for (const p of list) notes.push(`  ${kind === 'farAhead' ? 'far ahead' : kind}: ${p.file} line ${p.line}: ${p.message}`)
  if (r.oneSecondTimes)
    notes.push(
      '  Some log times have one-second resolution (no requestTimeEpoch): requests within a second were spread evenly across it, so peaks are approximate. Log $context.requestTimeEpoch (see `gwctl logs format`).',
    )
  for (const note of r.notes) notes.push(`  ${note}`)
  out.push('', style.bold('Notes'), ...notes)
  return out.join('\n')
}

/** --seed-quota: where each plan's quota counters started. */
function seedLines(seed: SeedSummary, planNames: ReadonlyMap<string, string>): string[] {
  const lines = [`  Quota counters started from AWS's counts (GetUsage, read ${seed.readAt}):`]
  for (const p of seed.usagePlans) {
    const plan = `${planNames.get(p.usagePlanId) ?? p.usagePlanId} (${p.period} from ${p.periodStart})`
    if (p.applied && p.days) {
      const days = p.days.from === p.days.to ? p.days.from : `${p.days.from} to ${p.days.to}`
      lines.push(`    ${plan}: ${n(p.used)} requests by ${n(p.keysWithUse)} key(s) on ${days}`)
    } else if (p.applied) lines.push(`    ${plan}: nothing before the replay: it starts on the period's first day`)
    else lines.push(`    ${plan}: not seeded: ${p.reason}`)
  }

  if (seed.partialDay) lines.push(`    ${seed.partialDay}.`)
  return lines
}

function totalsLine(c: OutcomeCounts, style: ChalkInstance): string {
  return `${style.green(`allowed ${n(c.allowed)} (${pct(c.allowed, c.requests)})`)}   ${style.yellow(`throttled ${n(c.throttled)}`)}   ${style.yellow(`quota exceeded ${n(c.quotaExceeded)}`)}   ${style.red(`forbidden ${n(c.forbidden)}`)}`
}

const change = (before: number, after: number) => (before === after ? n(after) : `${n(before)} -> ${n(after)}`)

/** Current against proposed: totals, then the keys that fare differently, most harmed first. */
function renderProposal(p: ProposalReport, style: ChalkInstance): string {
  const out = [
    style.bold(`If you apply ${p.label}`),
    `  current:  ${totalsLine(p.totals.current, style)}`,
    `  proposed: ${totalsLine(p.totals.proposed, style)}`,
  ]
  if (p.keys.length === 0) {
    out.push('  No key fares differently.')
    return out.join('\n')
  }

  const harmed = p.keys.filter((k) => k.newlyDenied > 0).length
  out.push(`  ${n(p.newlyDenied)} requests of ${n(harmed)} key(s) newly denied; ${n(p.newlyAllowed)} newly allowed.`)
  const shown = p.keys.slice(0, KEY_ROWS)
  const row = (k: KeyChange) => [
    k.name,
    k.id,
    n(k.requests),
    k.newlyDenied > 0 ? style.red(n(k.newlyDenied)) : '0',
    pct(k.newlyDenied, k.requests),
    n(k.minutesAffected),
    n(k.daysAffected),
    n(k.newlyAllowed),
    change(k.current.throttled, k.proposed.throttled),
    change(k.current.quotaExceeded, k.proposed.quotaExceeded),
    change(k.current.forbidden, k.proposed.forbidden),
  ]
  out.push(
    renderTable(
      ['Key', 'Id', 'Requests', 'Newly denied', 'Share', 'Minutes', 'Days', 'Newly allowed', 'Throttled', 'Quota exceeded', 'Forbidden'],
      shown.map(row),
      style,
    ),
  )
  if (shown.length < p.keys.length) out.push(`  (the ${KEY_ROWS} most harmed of ${n(p.keys.length)} keys; --json lists all)`)
  return out.join('\n')
}

const CHART_ROWS = 30
const CHART_WIDTH = 50
const UNIT_NAMES: Record<number, [string, string]> = {1000: ['s', 'second'], 60_000: ['min', 'minute'], 3_600_000: ['h', 'hour'], 86_400_000: ['d', 'day']}

/**
 * One row per time slice (at most 30 rows; slices are merged for long spans), a bar
 * for the busiest second or minute in the slice ('#' allowed, 'x' denied), and '|' at
 * the plan's rate limit. Empty seconds are part of the series, so gaps show.
 */
export function renderChart(chart: ChartSeries, style: ChalkInstance): string {
  const [unit, unitName] = UNIT_NAMES[chart.resolutionMs] ?? ['s', 'second']
  const title = style.bold(`Requests per ${unitName} for ${chart.name} (${chart.keyId})`)
  if (chart.points.length === 0) return `${title}\n  no requests`
  const perRow = Math.ceil(chart.points.length / CHART_ROWS)
  const rows: Array<{t: string; requests: number; denied: number}> = []
  for (let i = 0; i < chart.points.length; i += perRow) {
    const slice = chart.points.slice(i, i + perRow)
    let busiest = slice[0]
    for (const point of slice) if (point.requests > busiest.requests) busiest = point
    rows.push({t: slice[0].t, requests: busiest.requests, denied: busiest.denied})
  }

  const limit = chart.rateLimit === undefined ? undefined : chart.rateLimit * (chart.resolutionMs / 1000)
  const top = Math.max(limit ?? 0, ...rows.map((r) => r.requests), 1)
  const scale = (value: number) => Math.round((value / top) * CHART_WIDTH)
  const lines = rows.map((row) => {
    const allowed = scale(row.requests - row.denied)
    const bar = '#'.repeat(allowed) + 'x'.repeat(Math.max(0, scale(row.requests) - allowed))
    const cells = [...bar.padEnd(CHART_WIDTH + 1)]
    if (limit !== undefined) cells[scale(limit)] = '|'
    const text = cells.join('').replace(/x+/, (m) => style.red(m))
    return `${time(row.t)}  ${text} ${n(row.requests)}/${unit}${row.denied > 0 ? `, ${n(row.denied)} denied` : ''}`
  })
  const legend = `  # allowed  x denied${limit === undefined ? '' : `  | plan rate ${n(limit)}/${unit}`}${perRow > 1 ? `  (each row: the busiest ${unitName} of ${perRow})` : ''}`
  return [title, ...lines, legend].join('\n')
}
