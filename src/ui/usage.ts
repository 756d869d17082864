import type {ChalkInstance} from 'chalk'

import type {Period} from '../model/usage-plan.js'
import type {KeyForecast, KeyPlanUsage, KeyUsage, KeyUsageFigures, QuotaStanding, UsageCheck, UsageGrant, UsageKeying, UsageReport} from '../model/usage.js'

import {commandLine, placeholder} from '../model/command-line.js'
import {csvCell} from '../model/key-csv.js'
import {daysOf} from '../model/quota-period.js'
import {labelOf, type Ref} from '../model/resolve.js'
import {formatDate} from './dates.js'
import {formatQuota} from './format.js'
import {maskKeyValue} from '../model/api-keys.js'
import {type Cell, renderTable} from './table.js'

/**
 * How gwctl shows usage: the per-key table of `gwctl usage` (and its --daily form with
 * sparklines), its CSV, the one-line summary in `keys show` and `plans show`, and the
 * lines of `usage check`. The figures are computed in model/usage.ts.
 */

const count = (n: number) => n.toLocaleString('en-US')
const rate = (n: number) => n.toLocaleString('en-US', {maximumFractionDigits: n < 10 ? 1 : 0})
/** A plan or key in --json: its id, and its name or null. */
const refJson = (ref: Ref) => ({id: ref.id, name: ref.name ?? null})

const percent = (share: number) => `${(share * 100).toFixed(1)}%`

const CURRENT_PERIOD: Record<Period, string> = {DAY: 'today', WEEK: 'this week', MONTH: 'this month'}

/**
 * "runs out 2026-11-20 14:00Z" (in a "Runs out" column: the time alone), "not this
 * period", "ran out 2026-11-17", "unknown"; for a past period "ran out ..." or "did not run out".
 */
export function describeOutlook(forecast: KeyForecast | undefined, quota: QuotaStanding | undefined, inColumn = true): string | undefined {
  if (!quota) return undefined
  if (!forecast) return quota.ranOutOn ? `ran out ${quota.ranOutOn}` : 'did not run out'
  switch (forecast.outlook) {
    case 'runs-out': {
      return `${inColumn ? '' : 'runs out '}${formatDate(forecast.runsOutAt!)}`
    }
    case 'ran-out': {
      return quota.ranOutOn ? `ran out ${quota.ranOutOn}` : 'ran out'
    }
    case 'not-this-period': {
      return 'not this period'
    }
    default: {
      return 'unknown'
    }
  }
}

function shareCell(share: number | null | undefined, style: ChalkInstance): string | undefined {
  if (share === null || share === undefined) return undefined
  const text = percent(share)
  return share >= 1 ? style.red(text) : share >= 0.8 ? style.yellow(text) : text
}

const countCell = (n: number | null | undefined) => (n === null || n === undefined ? undefined : count(n))

/** Remaining, allowance and share used, as table cells ('-' where unknown). */
const quotaCells = (q: QuotaStanding | undefined, style: ChalkInstance): Cell[] => [
  countCell(q?.remaining),
  countCell(q?.allowance),
  shareCell(q?.shareUsed, style),
]

/** The columns `plans show` adds to its key table, and their cells for one key. */
export const USAGE_COLUMNS = ['Used', 'Remaining', 'Allowance', 'Share', 'Runs out']
export const usageCells = (key: KeyUsage | undefined, style: ChalkInstance): Cell[] =>
  key
    ? [count(key.quota?.periodUsed ?? key.used), ...quotaCells(key.quota, style), describeOutlook(key.forecast, key.quota)]
    : USAGE_COLUMNS.map(() => undefined)

/** "this month so far (2026-11-01 to 2026-11-18, UTC)": the days a report covers, in words. */
export function describePeriodShown(report: UsageReport): string {
  const when = report.window.current ? `${CURRENT_PERIOD[report.period ?? 'MONTH']} so far` : 'from'
  return `use ${when} (${report.window.from} to ${report.window.to}, UTC)`
}

/**
 * `gwctl usage PLAN` for people: the heading, the per-key table (or with `daily` one column
 * a day, with sparklines when on a terminal), and how AWS keyed its numbers.
 */
export function renderUsageReport(view: UsageReport, style: ChalkInstance, options: {daily: boolean; sparklines: boolean}): string {
  const heading = reportHeading(view, style)
  if (view.keys.length === 0 && view.unmatched.length === 0)
    return `${heading}\nThe plan has no API keys: attach one with ${commandLine('keys attach', {key: placeholder('KEY'), plan: view.usagePlan.id})}`
  const table = options.daily ? renderDailyTable(view, style, options) : renderUsageTable(view, style)
  return [heading, table, style.dim(describeKeying(view.keyedBy))].join('\n')
}

/** The heading of a report: the plan, its quota, and which days. */
function reportHeading(view: UsageReport, style: ChalkInstance): string {
  const {window} = view
  const plan = labelOf(view.usagePlan)
  const quota = view.period ? `quota ${formatQuota(view.usagePlan.quota)}` : 'no quota'
  const days = window.from === window.to ? window.from : `${window.from} to ${window.to}`
  return `${style.bold(`Usage plan ${plan}`)}: ${quota}; ${days} (UTC)${window.current ? ', so far' : ''}`
}

/**
 * The per-key table: used, remaining, allowance (used + remaining, so that grants
 * count), share used, daily average and the outlook. When the days shown start after
 * the quota period does, a column gives the period's use too.
 */
function renderUsageTable(view: UsageReport, style: ChalkInstance): string {
  const quota = view.period !== null
  const periodStartsEarlier = quota && view.keys.some((k) => k.quota && k.quota.periodUsed !== k.used)
  const head = ['Key', 'ID', 'Used']
  if (periodStartsEarlier) head.push('Period used')
  if (quota) head.push('Remaining', 'Allowance', 'Share', 'Daily avg', view.window.current ? 'Runs out' : 'Ran out')
  else head.push('Daily avg')
  const rows: Cell[][] = view.keys.map((k) => {
    const row: Cell[] = [k.name, k.id, count(k.used)]
    if (periodStartsEarlier) row.push(countCell(k.quota?.periodUsed))
    if (quota) row.push(...quotaCells(k.quota, style), rate(k.dailyAverage), describeOutlook(k.forecast, k.quota))
    else row.push(rate(k.dailyAverage))

    return row
  })
  for (const u of view.unmatched) rows.push(['(no key of the plan)', u.entry, count(u.used)])

  return renderTable(head, rows, style)
}

const SPARKS = '▁▂▃▄▅▆▇█'

/** Eight levels from the key's quietest to its busiest day; a day without use is the lowest bar. */
export function sparkline(values: readonly number[]): string {
  const top = Math.max(0, ...values)
  return values.map((v) => (top === 0 ? SPARKS[0] : SPARKS[Math.min(7, Math.floor((v / top) * 7.999))])).join('')
}

/** One column a day (requests used), the total, and on a terminal a sparkline per key. */
export function renderDailyTable(view: UsageReport, style: ChalkInstance, options: {sparklines: boolean}): string {
  const days = view.keys[0]?.days.map((d) => d.date) ?? []
  const sameYear = days.length > 0 && days[0].slice(0, 4) === days.at(-1)!.slice(0, 4)
  const head = ['Key', 'ID', ...days.map((d) => (sameYear ? d.slice(5) : d)), 'Total']
  if (options.sparklines) head.push('Trend')
  const rows = view.keys.map((k) => {
    const row: Cell[] = [k.name, k.id, ...k.days.map((d) => count(d.used)), count(k.used)]
    if (options.sparklines) row.push(sparkline(k.days.map((d) => d.used)))
    return row
  })
  return renderTable(head, rows, style)
}

/** How AWS keyed its numbers, said once under the table. */
function describeKeying(keyedBy: UsageKeying): string {
  switch (keyedBy) {
    case 'id': {
      return 'AWS keyed these numbers by API key id.'
    }
    case 'value': {
      return 'AWS keyed these numbers by API key value (as older AWS docs describe), not by id; gwctl matched them to keys.'
    }
    case 'mixed': {
      return 'AWS keyed these numbers partly by key id and partly by key value; gwctl matched both.'
    }
    default: {
      return 'AWS returned no numbers for any key of the plan.'
    }
  }
}

const fixed = (n: number | null | undefined, digits: number) => (n === null || n === undefined ? '' : String(Number(n.toFixed(digits))))
const csvLine = (cells: Array<number | string | null | undefined>) => cells.map((c) => csvCell(c === null || c === undefined ? '' : String(c))).join(',')

/**
 * CSV for spreadsheets and billing: a line per key with the table's figures, or with
 * `daily` a line per key and day (long form, ready for a pivot table). Shares are
 * fractions (0.925), times ISO 8601 UTC.
 */
export function usageCsv(view: UsageReport, options: {daily: boolean}): string {
  const plan = [view.usagePlan.id, view.usagePlan.name]
  if (options.daily) {
    const lines = [csvLine(['usagePlanId', 'usagePlanName', 'keyId', 'keyName', 'date', 'used', 'remaining'])]
    for (const k of view.keys) for (const d of k.days) lines.push(csvLine([...plan, k.id, k.name, d.date, d.used, d.remaining]))
    return lines.join('\n') + '\n'
  }

  const lines = [
    csvLine([
      'usagePlanId',
      'usagePlanName',
      'keyId',
      'keyName',
      'from',
      'to',
      'used',
      'periodUsed',
      'remaining',
      'allowance',
      'shareUsed',
      'dailyAverage',
      'recentDailyRate',
      'outlook',
      'runsOutAt',
      'ranOutOn',
    ]),
  ]
  for (const k of view.keys) {
    const q = k.quota
    const f = k.forecast
    lines.push(
      csvLine([
        ...plan,
        k.id,
        k.name,
        view.window.from,
        view.window.to,
        k.used,
        q?.periodUsed,
        q?.remaining,
        q?.allowance,
        fixed(q?.shareUsed, 4),
        fixed(k.dailyAverage, 2),
        fixed(f?.recentDailyRate, 2),
        f?.outlook,
        f?.runsOutAt ? new Date(f.runsOutAt).toISOString() : '',
        q?.ranOutOn,
      ]),
    )
  }

  return lines.join('\n') + '\n'
}

/**
 * One line for a key's current period in a plan, for `keys show`:
 * "900 of 1,000 used this month (90.0%), 100 left; runs out 2026-11-20 14:00Z".
 */
export function describeCurrentUsage(period: Period | null, figures: KeyUsageFigures): string {
  const when = CURRENT_PERIOD[period ?? 'MONTH']
  const q = figures.quota
  if (!q) return `${count(figures.used)} requests ${when} (no quota)`
  if (q.allowance === null) return `${count(q.periodUsed)} requests ${when}; AWS reported no remaining quota`
  const outlook = describeOutlook(figures.forecast, q, false)
  return `${count(q.periodUsed)} of ${count(q.allowance)} used ${when} (${percent(q.shareUsed!)}), ${count(q.remaining!)} left; ${outlook}`
}

/**
 * One line a key over the threshold, as logfmt (key=value, quoted when needed), for
 * alerting tools reading a pipe.
 */
export function overThresholdLine(plan: Ref, key: KeyUsage): string {
  const q = key.quota!
  const fields: Array<[string, number | string | null | undefined]> = [
    ['plan', plan.name ?? plan.id],
    ['planId', plan.id],
    ['key', key.name ?? key.id],
    ['keyId', key.id],
    ['share', percent(q.shareUsed!)],
    ['used', q.periodUsed],
    ['allowance', q.allowance],
    ['remaining', q.remaining],
    ['outlook', key.forecast?.outlook],
    ['runsOutAt', key.forecast?.runsOutAt ? new Date(key.forecast.runsOutAt).toISOString() : undefined],
  ]
  return fields
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${/[\s"=]/.test(String(v)) || String(v) === '' ? JSON.stringify(String(v)) : v}`)
    .join(' ')
}

/** The table of `usage check` on a terminal. */
export function renderOverThreshold(over: Array<{usagePlan: Ref; key: KeyUsage}>, style: ChalkInstance): string {
  return renderTable(
    ['Plan', 'Key', 'ID', ...USAGE_COLUMNS],
    over.map(({usagePlan, key}) => [labelOf(usagePlan), key.name, key.id, ...usageCells(key, style)]),
    style,
  )
}

/** A key's figures as --json gives them: flat, null where a figure does not apply, times ISO 8601 UTC. */
export interface KeyFiguresJson {
  /** False when AWS's usage map held no entry for the key. */
  reported: boolean
  used: number
  dailyAverage: number
  periodUsed: number | null
  remaining: number | null
  allowance: number | null
  shareUsed: number | null
  ranOutOn: string | null
  recentDailyRate: number | null
  outlook: string | null
  runsOutAt: string | null
}

export function keyFiguresJson(key: KeyUsage): KeyFiguresJson {
  const q = key.quota
  const f = key.forecast
  return {
    reported: key.reported,
    used: key.used,
    dailyAverage: key.dailyAverage,
    periodUsed: q?.periodUsed ?? null,
    remaining: q?.remaining ?? null,
    allowance: q?.allowance ?? null,
    shareUsed: q?.shareUsed ?? null,
    ranOutOn: q?.ranOutOn ?? null,
    recentDailyRate: f?.recentDailyRate ?? null,
    outlook: f?.outlook ?? null,
    runsOutAt: f?.runsOutAt ? new Date(f.runsOutAt).toISOString() : null,
  }
}

export const keyUsageJson = (key: KeyUsage) => ({...refJson(key), ...keyFiguresJson(key)})

/** `gwctl usage --json`: AWS's numbers (`usage`) and gwctl's figures per key. docs/usage.md describes each field. */
export function usageReportJson(report: UsageReport, options: {showValues: boolean}) {
  const {window} = report
  const span = window.quotaPeriod
  return {
    usage: report.usage,
    usagePlan: {...refJson(report.usagePlan), quota: report.usagePlan.quota ?? null},
    period: report.period,
    weekStart: report.weekStart,
    from: window.from,
    to: window.to,
    current: window.current,
    quotaPeriod: span ? {startDate: daysOf(span).first, endDate: daysOf(span).last} : null,
    keyedBy: report.keyedBy,
    keys: report.keys.map(keyUsageJson),
    unmatched: report.unmatched.map((u) => ({entry: options.showValues ? u.entry : maskKeyValue(u.entry)!, used: u.used})),
    warnings: report.warnings,
  }
}

/** Used, remaining, allowance and share of a standing, as table cells. */
export const standingCells = (q: QuotaStanding, style: ChalkInstance): Cell[] => [count(q.periodUsed), ...quotaCells(q, style)]

/** `gwctl usage grant --json`: AWS's usage of the key after the change, and gwctl's standings. */
export function grantJson(result: UsageGrant, dryRun: boolean) {
  return {
    usage: result.usage,
    usagePlan: refJson(result.usagePlan),
    apiKey: refJson(result.apiKey),
    period: result.period,
    before: result.before,
    planned: result.planned,
    after: result.after,
    operations: result.operations,
    changed: result.changed,
    dryRun,
    warnings: result.warnings,
  }
}

/** `gwctl usage check --json`: the keys over the threshold (`items`) and what was checked. */
export function checkJson(check: UsageCheck) {
  return {
    items: check.over.map(({usagePlan, key}) => ({usagePlan: refJson(usagePlan), ...keyUsageJson(key)})),
    threshold: check.threshold,
    over: check.over.length > 0,
    keysChecked: check.keysChecked,
    usagePlans: check.usagePlans.map(refJson),
    withoutQuota: check.withoutQuota.map(refJson),
    warnings: check.warnings,
  }
}

/** A key's current period in one plan, as `keys show --json` gives it under `currentUsage`. */
export type CurrentUsageJson = ReturnType<typeof currentUsageJson>
export const currentUsageJson = (usage: KeyPlanUsage) => ({usagePlan: refJson(usage.usagePlan), period: usage.period, ...keyFiguresJson(usage.key)})

/** "2 of 40 keys in 3 usage plans are at or over 80% of their allowance". */
export function describeCheck(check: UsageCheck): string {
  const keys = `${check.over.length} of ${check.keysChecked} key${check.keysChecked === 1 ? '' : 's'}`
  const plans = `${check.usagePlans.length} usage plan${check.usagePlans.length === 1 ? '' : 's'}`
  return `${keys} in ${plans} ${check.over.length === 1 ? 'is' : 'are'} at or over ${Number((check.threshold * 100).toFixed(2))}% of their allowance this period`
}
