import type {ChalkInstance} from 'chalk'

import {stripVTControlCharacters} from 'node:util'

import {printable} from '../model/printable.js'
import {makeStyle} from './style.js'

export type Cell = boolean | number | string | undefined | null

// Code points a terminal draws two columns wide (CJK, Hangul, full-width forms, emoji), or none at all (marks, format and control characters).
const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]/u
const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}\p{Cc}]/u

/** Columns a string takes in a terminal: colour codes take none, wide characters two. */
export function displayWidth(text: string): number {
  const plain = stripVTControlCharacters(text)
  if (/^[\u0020-\u007E]*$/.test(plain)) return plain.length
  let width = 0
  for (const char of plain) width += ZERO_WIDTH.test(char) ? 0 : WIDE.test(char) ? 2 : 1
  return width
}

/**
 * A plain table: bold header when coloured, columns four spaces apart, no borders,
 * '-' for missing values; text from the account is escaped (model/printable.ts), line breaks too. Laid out in
 * one pass over the rows (widths, then lines), so that ten thousand rows print in
 * milliseconds; the lines are yielded one by one for callers that stream them.
 */
export function* tableLines(head: string[], rows: Iterable<Cell[]>, style: ChalkInstance = makeStyle()): Generator<string> {
  const body = [...rows].map((row) => row.map((cell) => [showCell(cell)]))
  const header = head.map((h) => [style.bold(h)])
  const widths = head.map((_, column) => Math.max(...[header, ...body].map((row) => Math.max(0, ...(row[column] ?? ['']).map(displayWidth)))))
  for (const row of [header, ...body]) {
    const height = Math.max(1, ...row.map((lines) => lines.length))
    for (let line = 0; line < height; line++) {
      const cells = widths.map((width, column) => {
        const text = row[column]?.[line] ?? ''
        return column === widths.length - 1 ? text : text + ' '.repeat(width - displayWidth(text) + 4)
      })
      yield cells.join('').trimEnd()
    }
  }
}

export function renderTable(head: string[], rows: Cell[][], style: ChalkInstance = makeStyle()): string {
  return [...tableLines(head, rows, style)].join('\n')
}

/** Two-column "Field  value" listing for `show` commands. */
export function renderFields(fields: Array<[string, Cell]>, style: ChalkInstance = makeStyle()): string {
  const width = Math.max(...fields.map(([k]) => k.length))
  return fields.map(([k, v]) => `${style.bold(k.padEnd(width))}  ${showCell(v)}`).join('\n')
}

/** A cell as printed: '-' when empty; names from the account cannot act on the terminal (model/printable.ts). */
const showCell = (cell: Cell): string => (cell === undefined || cell === null || cell === '' ? '-' : printable(String(cell)))
