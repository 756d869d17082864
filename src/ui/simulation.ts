import type {ChalkInstance} from 'chalk'

import type {ChartSeries, KeyReport} from '../simulator/report.js'
import type {SimulationReport} from '../simulator/simulate.js'

import {renderTable} from './table.js'

const n = (value: number) => value.toLocaleString('en-US')
const pct = (part: number, whole: number) => (whole === 0 ? '0%' : `${((part / whole) * 100).toFixed(1)}%`)
const KEY_ROWS = 40
const time = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : undefined)

/** The human report of `gwctl simulate`: totals, per key, per plan, what denied, agreement, problems. */
export function renderSimulation(r: SimulationReport, style: ChalkInstance, planNames: ReadonlyMap<string, string>): string {
  const out: string[] = []
  const skipped = [
    r.malformed > 0 ? `${n(r.malformed)} malformed` : '',
    r.late > 0 ? `${n(r.late)} late` : '',
    r.unmatched > 0 ? `${n(r.unmatched)} not in the snapshot` : '',
    r.skipped > 0 ? `${n(r.skipped)} for other APIs or stages` : '',
  ].filter(Boolean)
  out.push(style.bold(`Replayed ${n(r.requests)} requests`) + (r.from ? ` from ${time(r.from)} to ${time(r.to)}` : '') + (skipped.length > 0 ? ` (lines: ${skipped.join(', ')})` : ''))
  out.push(
    `  ${style.green(`allowed ${n(r.allowed)} (${pct(r.allowed, r.requests)})`)}   ${style.yellow(`throttled ${n(r.throttled)}`)}   ${style.yellow(`quota exceeded ${n(r.quotaExceeded)}`)}   ${style.red(`forbidden ${n(r.forbidden)}`)}`,
  )
  if (r.keys.length > 0) {
    // Thousands of keys make an unreadable table: show the most denied, then the busiest.
    const denied = (k: KeyReport) => k.requests - k.allowed
    const shown = r.keys.length <= KEY_ROWS ? r.keys : [...r.keys].sort((a, b) => denied(b) - denied(a) || b.requests - a.requests).slice(0, KEY_ROWS)
    out.push('', style.bold(shown.length < r.keys.length ? `Keys (the ${KEY_ROWS} most denied of ${n(r.keys.length)}; --json lists all)` : 'Keys'))
    out.push(
      renderTable(
        ['Key', 'Id', 'Plan', 'Requests', 'Allowed', 'Throttled', 'Quota exceeded', 'Forbidden', 'Peak rps', 'First denial'],
        shown.map((k) => [k.name, k.id, k.usagePlanIds.map((id) => planNames.get(id) ?? id).join(', '), n(k.requests), n(k.allowed), n(k.throttled), n(k.quotaExceeded), n(k.forbidden), n(k.peakRps), time(k.firstDenial)]),
        style,
      ),
    )
  }

  const plans = r.plans.filter((p) => p.requests > 0)
  if (plans.length > 0) {
    out.push('', style.bold('Plans'))
    out.push(
      renderTable(
        ['Plan', 'Id', 'Keys', 'Requests', 'Allowed', 'Throttled', 'Quota exceeded', 'Peak rps'],
        plans.map((p) => [p.name, p.id, p.keys, n(p.requests), n(p.allowed), n(p.throttled), n(p.quotaExceeded), n(p.peakRps)]),
        style,
      ),
    )
  }

  const limits = Object.entries(r.limits)
  if (limits.length > 0) {
    out.push('', style.bold('Denied by'))
    out.push(renderTable(['Limit', 'Requests'], limits.map(([name, count]) => [name, n(count)]), style))
  }

  if (r.agreement) {
    const a = r.agreement
    out.push('', style.bold(`Prediction against the status AWS logged: ${pct(a.agreeing, a.requests)} agree (${n(a.agreeing)} of ${n(a.requests)})`))
    out.push(renderTable(['Predicted', 'Logged 2xx', 'Logged 403', 'Logged 429', 'Logged other'], a.rows.map((row) => [row.predicted, n(row.actual2xx), n(row.actual403), n(row.actual429), n(row.actualOther)]), style))
  }

  if (r.compare) {
    const c = r.compare
    out.push('', style.bold(`Against ${c.snapshot}: allowed ${n(c.totals.allowed)}, throttled ${n(c.totals.throttled)}, quota exceeded ${n(c.totals.quotaExceeded)}, forbidden ${n(c.totals.forbidden)}`))
    out.push(
      c.changes.length === 0
        ? '  No key changes outcome.'
        : renderTable(
            ['Key', 'Id', 'Allowed', 'Throttled', 'Quota exceeded', 'Forbidden'],
            c.changes.map((k) => [k.name, k.id, change(k.before.allowed, k.after.allowed), change(k.before.throttled, k.after.throttled), change(k.before.quotaExceeded, k.after.quotaExceeded), change(k.before.forbidden, k.after.forbidden)]),
            style,
          ),
    )
  }

  if (r.chart) out.push('', renderChart(r.chart, style))
  const notes: string[] = []
  for (const [kind, list] of Object.entries(r.problems)) for (const p of list) notes.push(`  ${kind}: ${p.file} line ${p.line}: ${p.message}`)
  if (r.oneSecondTimes) notes.push('  Some log times have one-second resolution (no requestTimeEpoch): requests within a second were spread evenly across it, so peaks are approximate. Log $context.requestTimeEpoch (see `gwctl logs format`).')
  if (notes.length > 0) out.push('', style.bold('Notes'), ...notes)
  return out.join('\n')
}

const change = (before: number, after: number) => (before === after ? n(after) : `${n(before)} -> ${n(after)}`)

const CHART_ROWS = 30
const CHART_WIDTH = 50

/**
 * One row per time slice (at most 30 rows; slices are merged for long spans), a bar
 * for the busiest second or minute in the slice ('#' allowed, 'x' denied), and '|' at
 * the plan's rate limit.
 */
export function renderChart(chart: ChartSeries, style: ChalkInstance): string {
  const unit = chart.resolutionMs === 1000 ? 's' : 'min'
  const title = style.bold(`Requests per ${unit === 's' ? 'second' : 'minute'} for ${chart.name} (${chart.keyId})`)
  if (chart.points.length === 0) return `${title}\n  no requests`
  const perRow = Math.ceil(chart.points.length / CHART_ROWS)
  const rows: Array<{t: string; requests: number; denied: number}> = []
  for (let i = 0; i < chart.points.length; i += perRow) {
    const slice = chart.points.slice(i, i + perRow)
    const busiest = slice.reduce((a, b) => (b.requests > a.requests ? b : a))
    rows.push({t: slice[0].t, requests: busiest.requests, denied: busiest.denied})
  }

  const limit = chart.rateLimit === undefined ? undefined : chart.rateLimit * (chart.resolutionMs / 1000)
  const top = Math.max(limit ?? 0, ...rows.map((r) => r.requests))
  const scale = (value: number) => Math.round((value / top) * CHART_WIDTH)
  const lines = rows.map((row) => {
    const allowed = scale(row.requests - row.denied)
    const bar = '#'.repeat(allowed) + 'x'.repeat(Math.max(0, scale(row.requests) - allowed))
    const cells = [...bar.padEnd(CHART_WIDTH + 1)]
    if (limit !== undefined) cells[scale(limit)] = '|'
    const text = cells.join('').replace(/x+/, (m) => style.red(m))
    return `${time(row.t)}  ${text} ${n(row.requests)}/${unit}${row.denied > 0 ? `, ${n(row.denied)} denied` : ''}`
  })
  const legend = `  # allowed  x denied${limit === undefined ? '' : `  | plan rate ${n(limit)}/${unit}`}${perRow > 1 ? `  (each row: the busiest ${unit === 's' ? 'second' : 'minute'} of ${perRow})` : ''}`
  return [title, ...lines, legend].join('\n')
}
