import type {ChalkInstance} from 'chalk'

import type {AwsCall} from '../model/aws-calls.js'

import {renderTable} from './table.js'

const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value))

/** One line per call, its operation then its input; patch operations one per line below it. */
export function renderCalls(calls: readonly AwsCall[], style: ChalkInstance): string {
  return calls
    .map(({operation, input}) => {
      const {patchOperations, ...rest} = input as {patchOperations?: Array<{op: string; path: string; value?: string}>}
      const fields = Object.entries(rest).filter(([, value]) => value !== undefined)
      const head = `  ${style.bold(operation)}${fields.map(([key, value]) => ` ${key}=${shown(value)}`).join('')}`
      return [head, ...(patchOperations ?? []).map((o) => `    ${o.op} ${o.path}${o.value === undefined ? '' : ` ${o.value}`}`)].join('\n')
    })
    .join('\n')
}

/** What --dry-run prints: that nothing was sent, and the calls that would have been. */
export function renderDryRun(calls: readonly AwsCall[], style: ChalkInstance): string {
  if (calls.length === 0) return style.yellow('Dry run: nothing would be sent; nothing needs changing')
  return [
    style.yellow(`Dry run: nothing was sent. gwctl would send ${calls.length === 1 ? 'this call' : `these ${calls.length} calls`}:`),
    renderCalls(calls, style),
  ].join('\n')
}

/**
 * What a command that patches one resource prints: that nothing needed changing, the
 * calls a dry run would send, or the operations sent followed by the lines of `after`.
 */
export function renderPatchResult(
  result: {operations: ReadonlyArray<{op?: string; path?: string; value?: string}>; dryRun: boolean; calls: readonly AwsCall[]},
  subject: string,
  style: ChalkInstance,
  after: () => string[],
): string {
  if (result.operations.length === 0) return `${subject} already has these settings; nothing changed`
  if (result.dryRun) return renderDryRun(result.calls, style)
  const sent = renderTable(
    ['Op', 'Path', 'Value'],
    result.operations.map((o) => [o.op, o.path, o.value]),
    style,
  )
  return [sent, ...after()].join('\n')
}
