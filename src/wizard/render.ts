import type {ChalkInstance} from 'chalk'

import type {Setup} from './setup.js'
import type {SetupStep} from './setup-steps.js'

import {spreadsheetCell} from '../model/key-csv.js'
import {methodKey} from '../model/usage-plan.js'
import {formatThrottle} from '../ui/format.js'
import {labelOf} from '../model/resolve.js'
import {gwctlCommandLine} from '../model/shell.js'
import {renderFields} from '../ui/table.js'

/** The summary shown before anything is sent: the setup, each change in order, and the same job as a script. */
export function renderSummary(setup: Setup, steps: SetupStep[], style: ChalkInstance): string {
  const plan = setup.plan.kind === 'new' ? `new plan ${setup.plan.name}` : labelOf(setup.plan.current)
  const methods = (refs: Setup['requireKey']['on']) => refs.map((m) => `${m.httpMethod} ${m.path}`).join(', ') || 'none'
  const fields = renderFields(
    [
      ['API', labelOf(setup.api)],
      ['Stages', setup.stages.join(', ')],
      ['Usage plan', plan],
      ['Method throttles', setup.methodThrottles.map((mt) => `${methodKey(mt)} ${formatThrottle(mt)}`).join('; ') || 'none'],
      ['Key required, newly', methods(setup.requireKey.on)],
      ['Key no longer required', methods(setup.requireKey.off)],
      ['Key source', setup.keySource.from === setup.keySource.to ? `${setup.keySource.to} (unchanged)` : `${setup.keySource.from} -> ${setup.keySource.to}`],
    ],
    style,
  )
  return [
    style.bold('Summary'),
    fields,
    '',
    style.bold(`Changes, in order (${steps.length}):`),
    ...steps.map((s, i) => `  ${i + 1}. ${s.title}`),
    '',
    style.bold('The same setup without the wizard:'),
    ...steps.flatMap((s) => s.commands.map((c) => gwctlCommandLine(c))),
  ].join('\n')
}

/** New key values, shown once at the end, as `keys create` shows a value once. */
export function renderNewKeys(keys: Array<{id: string; name: string; value: string}>, style: ChalkInstance): string {
  return ['', style.bold('New API keys (shown only this once; store them now):'), ...keys.map((k) => `  ${k.name}  ${k.id}  ${k.value}`)].join('\n')
}

/** The --keys-out file: CSV with AWS's import columns (Name, Key) plus the id, which an import ignores; safe to open in a spreadsheet. */
export function keysCsv(keys: Array<{id: string; name: string; value: string}>): string {
  return ['Name,Key,Id', ...keys.map((k) => [k.name, k.value, k.id].map((cell) => spreadsheetCell(cell)).join(','))].join('\n') + '\n'
}
