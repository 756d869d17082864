import type {ChalkInstance} from 'chalk'
import type TableClass from 'cli-table3'

import {createRequire} from 'node:module'

import {printable} from '../model/printable.js'
import {makeStyle} from './style.js'

// Required on first use, so that commands printing JSON or failing early never load cli-table3 and its helpers.
const require = createRequire(import.meta.url)
let Table: typeof TableClass | undefined

export type Cell = boolean | number | string | undefined | null

/** A plain table: bold header when coloured, no borders inside, '-' for missing values. */
export function renderTable(head: string[], rows: Cell[][], style: ChalkInstance = makeStyle()): string {
  Table ??= require('cli-table3') as typeof TableClass
  const table = new Table({
    head: head.map((h) => style.bold(h)),
    style: {head: [], border: [], compact: true},
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '  ',
    },
  })
  for (const row of rows) table.push(row.map((cell) => showCell(cell)))
  // cli-table3 pads the first column with a leading space when `left` is empty; trim it for a clean edge.
  return table
    .toString()
    .split('\n')
    .map((line) => line.replace(/^ /, '').trimEnd())
    .join('\n')
}

/** Two-column "Field  value" listing for `show` commands. */
export function renderFields(fields: Array<[string, Cell]>, style: ChalkInstance = makeStyle()): string {
  const width = Math.max(...fields.map(([k]) => k.length))
  return fields.map(([k, v]) => `${style.bold(k.padEnd(width))}  ${showCell(v)}`).join('\n')
}

/** A cell as printed: '-' when empty; names from the account cannot act on the terminal (model/printable.ts). */
const showCell = (cell: Cell): string => (cell === undefined || cell === null || cell === '' ? '-' : printable(String(cell)))
