import type {ChalkInstance} from 'chalk'

import type {GwctlError} from '../model/errors.js'

/** How a failure reads on stderr: the message, what was already changed, then what to try, one fact per line so that people and grep both read it. */
export function renderError(error: GwctlError, style: ChalkInstance): string {
  const lines = [`${style.red.bold('Error:')} ${error.message}`]
  if (error.done.length > 0) lines.push('Already changed before the failure:', ...error.done.map((d) => `  - ${d}`))
  lines.push(...error.suggestions.map((s, i) => `${i === 0 ? 'Try:' : '    '} ${s}`))
  return lines.join('\n')
}
