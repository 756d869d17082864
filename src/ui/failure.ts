import type {ChalkInstance} from 'chalk'

import type {GwctlError} from '../model/errors.js'

import {printableLines} from '../model/printable.js'

/**
 * A GwctlError as people read it on stderr: the message, then for a change that stopped
 * part way what was done and not done, the keys it created (a generated value is shown
 * in full this once), and the commands that finish or undo it; then suggestions. One fact
 * per line, unwrapped, so that people and grep both read it. Text from the account or a
 * file cannot act on the terminal (model/printable.ts).
 */
export function renderFailure(error: GwctlError, style: ChalkInstance): string {
  const lines = [`${style.red.bold('Error:')} ${printableLines(error.message)}`]
  const list = (title: string, items: string[], indent = '  - ') => {
    if (items.length > 0) lines.push(title, ...items.map((item) => `${indent}${printableLines(item)}`))
  }

  const report = error.report
  if (report) {
    list('Done:', report.done)
    list('Not done:', report.notDone)
    const keys = report.created.filter((c) => c.kind === 'API key' && c.value !== undefined)
    list(
      'New API keys (shown only this once; store them now):',
      keys.map((k) => `${k.name ?? ''}  ${k.id}  ${k.value}`),
      '  ',
    )
    list('To finish, once the cause is fixed:', report.finish, '  ')
    list('To undo:', report.undo, '  ')
  } else {
    list('Already changed before the failure:', error.done)
  }

  lines.push(...error.suggestions.map((s, i) => `${i === 0 ? 'Try:' : '    '} ${printableLines(s)}`))
  return lines.join('\n')
}
