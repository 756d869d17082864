import type {ChalkInstance} from 'chalk'

import type {Finding, Fix, Severity} from '../model/findings.js'

import {labelOf, type Ref} from '../model/resolve.js'
import {makeStyle} from './style.js'

/** What the report view needs of doctor's report. */
export interface DoctorView {
  region?: string
  scope: {apis?: Ref[]; stage?: string; plan?: Ref}
  checked: {apis: number; stages: number; methods: number; usagePlans: number; apiKeys: number}
  summary: {errors: number; warnings: number; infos: number}
  findings: Finding[]
}

/** Past this many findings of one id, the rest are counted, not printed (--json has them all). */
const SHOWN_PER_ID = 20

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

function severityLabel(severity: Severity, style: ChalkInstance): string {
  if (severity === 'error') return style.red.bold('ERROR')
  if (severity === 'warning') return style.yellow.bold('WARNING')
  return style.cyan.bold('INFO')
}

/** "API pets (a1) · stage prod · plan gold (p1)": what a finding is about, in one line. */
function affectsLine(f: Finding): string {
  const parts: string[] = []
  if (f.affects.api) parts.push(`API ${labelOf(f.affects.api)}`)
  if (f.affects.stage) parts.push(`stage ${f.affects.stage}`)
  if (f.affects.plan) parts.push(`plan ${labelOf(f.affects.plan)}`)
  if (f.affects.key) parts.push(`key ${labelOf(f.affects.key)}`)
  return parts.join(' · ')
}

export function renderFix(fix: Fix, style: ChalkInstance): string[] {
  const marker = fix.safe ? style.green(' (gwctl doctor --fix does this)') : ''
  return [`    - ${fix.description}${marker}`, `      ${style.bold(fix.command)}`]
}

function renderFinding(f: Finding, style: ChalkInstance): string {
  const about = affectsLine(f)
  return [
    `${severityLabel(f.severity, style)}  ${style.bold(f.id)}${about ? `  ${style.dim(about)}` : ''}`,
    `  ${f.message}`,
    `  ${style.dim(`Why: ${f.why}`)}`,
    ...(f.fixes.length > 0 ? ['  Fix:', ...f.fixes.flatMap((fix) => renderFix(fix, style))] : []),
  ].join('\n')
}

/** The human report: what was checked, each finding with why and how to fix it, and a summary line. */
export function renderDoctorReport(report: DoctorView, style: ChalkInstance = makeStyle(), options: {canFix?: number} = {}): string {
  const c = report.checked
  const {apis, stage, plan} = report.scope
  const only = [
    ...(apis ? [`API ${apis.map(labelOf).join(', ')}`] : []),
    ...(stage === undefined ? [] : [`stage ${stage}`]),
    ...(plan ? [`plan ${labelOf(plan)}`] : []),
  ]
  const lines = [
    `Checked ${plural(c.apis, 'REST API')}, ${plural(c.stages, 'stage')}, ${plural(c.methods, 'method')}, ${plural(c.usagePlans, 'usage plan')} and ${plural(c.apiKeys, 'API key')}${report.region ? ` in ${report.region}` : ''}${only.length > 0 ? ` (only ${only.join(', ')})` : ''}.`,
    '',
  ]
  const shown = new Map<string, number>()
  for (const f of report.findings) {
    const count = (shown.get(f.id) ?? 0) + 1
    shown.set(f.id, count)
    if (count <= SHOWN_PER_ID) lines.push(renderFinding(f, style), '')
  }

  for (const [id, count] of shown) {
    if (count > SHOWN_PER_ID) lines.push(style.dim(`... and ${count - SHOWN_PER_ID} more ${id} findings (gwctl doctor --json lists them all)`), '')
  }

  const {errors, warnings, infos} = report.summary
  const summary = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'note')}`
  lines.push(errors > 0 ? style.red.bold(summary) : report.findings.length === 0 ? style.green(`No findings: ${summary}`) : summary)
  if (options.canFix) lines.push(`gwctl doctor --fix applies ${plural(options.canFix, 'safe fix', 'safe fixes')} marked above, after showing them.`)
  return lines.join('\n')
}

/** What `doctor --fix` is about to do, before it asks. */
export function renderFixPlan(fixes: readonly Fix[], style: ChalkInstance = makeStyle()): string {
  return [
    style.bold(`gwctl doctor --fix will make ${plural(fixes.length, 'change')}, in this order:`),
    ...fixes.flatMap((fix, i) => [`  ${i + 1}. ${fix.description}`, `     ${style.dim(fix.command)}`]),
  ].join('\n')
}
