import {keyValueProblem, maskedCell} from './api-keys.js'

/**
 * AWS's API key import format (ImportApiKeys, format=csv), read and written
 * without the SDK so that a file can be checked completely before anything is sent.
 *
 * Columns Name and Key are required; Description, Enabled and UsagePlanIds are
 * optional. AWS's format has no column for a key's customer id; gwctl reads and
 * writes one more, CustomerId, which AWS's own importer ignores as it ignores every
 * column it does not know, and sets it itself after the import (see key-import.ts). Header names are case-insensitive and may be padded with spaces (AWS's
 * own sample is), columns come in any order, unknown columns are ignored. Cells may
 * be quoted with double quotes ("" escapes a quote) or, as AWS allows for
 * UsagePlanIds, with single quotes; unquoted cells are trimmed. A UTF-8 BOM and CRLF
 * line ends are accepted. Line numbers count physical lines from 1. A problem never
 * repeats a cell that could be a key value: it is masked (maskedCell).
 */

export interface KeyCsvRow {
  /** Line of the file the row starts on. */
  line: number
  name: string
  value: string
  description: string
  enabled: boolean
  usagePlanIds: string[]
  /** From gwctl's CustomerId column; empty when absent. */
  customerId: string
}

export interface CsvProblem {
  line: number
  message: string
}

export interface KeyCsvParse {
  rows: KeyCsvRow[]
  problems: CsvProblem[]
}

interface CsvRecord {
  line: number
  cells: string[]
}

const COLUMNS = ['name', 'key', 'description', 'enabled', 'usageplanids', 'customerid'] as const
type Column = (typeof COLUMNS)[number]

/** Splits CSV text into records, each with the line it starts on. */
function readRecords(text: string, problems: CsvProblem[]): CsvRecord[] {
  const records: CsvRecord[] = []
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text
  let line = 1
  let i = 0
  while (i < src.length) {
    const start = line
    const cells: string[] = []
    for (;;) {
      // one cell
      while (src[i] === ' ' || src[i] === '\t') i++
      const quote = src[i] === '"' || src[i] === "'" ? src[i] : undefined
      let cell = ''
      if (quote) {
        i++
        let closed = false
        while (i < src.length) {
          const c = src[i]
          if (c === quote && src[i + 1] === quote) {
            cell += quote
            i += 2
          } else if (c === quote) {
            i++
            closed = true
            break
          } else {
            if (c === '\n') line++
            cell += c
            i++
          }
        }

        if (!closed) problems.push({line: start, message: `a ${quote === '"' ? 'double' : 'single'} quote opened here is never closed`})
        let after = ''
        while (i < src.length && src[i] !== ',' && src[i] !== '\n' && src[i] !== '\r') after += src[i++]
        if (after.trim() !== '')
          problems.push({line, message: `text ${JSON.stringify(maskedCell(after.trim()))} follows a closing quote; quote the whole cell`})
      } else {
        while (i < src.length && src[i] !== ',' && src[i] !== '\n' && src[i] !== '\r') cell += src[i++]
        cell = cell.trim()
      }

      cells.push(cell)
      if (src[i] === ',') {
        i++
        continue
      }

      break
    }

    if (src[i] === '\r') i++
    if (src[i] === '\n') i++
    line++
    if (!(cells.length === 1 && cells[0] === '')) records.push({line: start, cells})
  }

  return records
}

/** Quotes a cell only when a reader could misread it. */
export function csvCell(value: string): string {
  return /[",\r\n']|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

/**
 * A cell of a CSV file meant for people (--keys-out), which they open in a spreadsheet: a
 * value starting with =, +, -, @ (or a tab or carriage return) would run there as a
 * formula, so it is written after a single quote, as OWASP advises (CSV injection); a
 * name from the account is then shown as text. Files sent to AWS keep their cells as they are.
 */
export function spreadsheetCell(value: string): string {
  return csvCell(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value)
}

function parseEnabled(raw: string): boolean | undefined {
  const lower = raw.toLowerCase()
  if (lower === '' || lower === 'true') return true
  if (lower === 'false') return false
  return undefined
}

/**
 * The plan a UsagePlanIds cell names, by id or, as every gwctl flag takes plans, by
 * name; ids win over names. Undefined with a problem when none or several match.
 */
function planIdOf(ref: string, plans: ReadonlyArray<{id?: string; name?: string}>): {id?: string; problem?: string} {
  if (plans.some((p) => p.id === ref)) return {id: ref}
  const named = plans.filter((p) => p.name === ref)
  if (named.length === 1) return {id: named[0].id}
  if (named.length > 1)
    return {problem: `UsagePlanIds names "${maskedCell(ref)}", which ${named.length} usage plans are named (${named.map((p) => p.id).join(', ')}); give the id`}
  return {problem: `UsagePlanIds names usage plan "${maskedCell(ref)}", which does not exist (no plan has that id or name)`}
}

/**
 * Reads and validates a whole import file. Every problem is reported with its
 * line; `rows` holds the rows that passed. With `plans` (the account's), each
 * UsagePlanIds entry must name one of them, by id or name, and is given as its id.
 */
export function parseKeyCsv(text: string, options: {plans?: ReadonlyArray<{id?: string; name?: string}>} = {}): KeyCsvParse {
  const problems: CsvProblem[] = []
  const records = readRecords(text, problems)
  if (records.length === 0) return {rows: [], problems: [{line: 1, message: 'the file is empty; it needs a header line with at least Name and Key'}]}

  const [header, ...body] = records
  const index = new Map<Column, number>()
  for (const [at, cell] of header.cells.entries()) {
    const column = cell.toLowerCase() as Column
    if (!COLUMNS.includes(column)) continue
    if (index.has(column)) problems.push({line: header.line, message: `column ${maskedCell(cell)} appears twice in the header`})
    else index.set(column, at)
  }
  for (const [column, title] of [
    ['name', 'Name'],
    ['key', 'Key'],
  ] as const) {
    if (!index.has(column))
      problems.push({line: header.line, message: `the header has no ${title} column (found: ${header.cells.map((c) => maskedCell(c)).join(', ')})`})
  }

  if (!index.has('name') || !index.has('key')) return {rows: [], problems}
  if (body.length === 0) problems.push({line: header.line, message: 'the file has a header but no keys'})

  const rows: KeyCsvRow[] = []
  const firstLineOfValue = new Map<string, number>()
  for (const {line, cells} of body) {
    const get = (column: Column) => {
      const at = index.get(column)
      return at === undefined ? '' : (cells[at] ?? '')
    }

    const rowProblems: string[] = []
    const name = get('name')
    const value = get('key')
    if (name === '') rowProblems.push('Name is empty')
    if (value === '') rowProblems.push('Key is empty')
    else {
      const problem = keyValueProblem(value)
      if (problem) rowProblems.push(`Key ${problem}`)
      const seen = firstLineOfValue.get(value)
      if (seen === undefined) firstLineOfValue.set(value, line)
      else rowProblems.push(`Key repeats the value on line ${seen}`)
    }

    const enabled = parseEnabled(get('enabled'))
    if (enabled === undefined) rowProblems.push(`Enabled must be true, false or empty (any case); got "${maskedCell(get('enabled'))}"`)
    const usagePlanIds: string[] = []
    for (const ref of get('usageplanids')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean)) {
      const {id, problem} = options.plans ? planIdOf(ref, options.plans) : {id: ref}
      if (problem) rowProblems.push(problem)
      else if (!usagePlanIds.includes(id!)) usagePlanIds.push(id!)
    }

    problems.push(...rowProblems.map((message) => ({line, message})))
    if (rowProblems.length === 0)
      rows.push({line, name, value, description: get('description'), enabled: enabled!, usagePlanIds, customerId: get('customerid')})
  }

  problems.sort((a, b) => a.line - b.line)
  return {rows, problems}
}

/** The CSV gwctl sends to ImportApiKeys: a normalised header and one line per row. */
export function toImportCsv(rows: readonly KeyCsvRow[]): string {
  const lines = ['Name,Key,Description,Enabled,UsagePlanIds']
  for (const row of rows) {
    lines.push([row.name, row.value, row.description, String(row.enabled), row.usagePlanIds.join(',')].map(csvCell).join(','))
  }

  return lines.join('\n') + '\n'
}

/** A key as `keys export` writes it: AWS's columns, and gwctl's CustomerId. An empty value leaves Key empty. */
export interface ExportedKey {
  name: string
  value: string
  description: string
  enabled: boolean
  /** Plan ids, or names with --plans-by-name. */
  usagePlans: string[]
  customerId: string
}

/** The CSV `keys export` writes: AWS's import format plus a CustomerId column, which AWS's importer ignores. */
export function toExportCsv(keys: readonly ExportedKey[]): string {
  const lines = ['Name,Key,Description,Enabled,UsagePlanIds,CustomerId']
  for (const key of keys) {
    lines.push([key.name, key.value, key.description, String(key.enabled), key.usagePlans.join(','), key.customerId].map(csvCell).join(','))
  }

  return lines.join('\n') + '\n'
}

/** "line 4", "lines 4-9", "lines 2, 5-7": a compact list for messages. */
export function describeLines(lines: readonly number[]): string {
  const sorted = lines.toSorted((a, b) => a - b)
  const parts: string[] = []
  for (let i = 0; i < sorted.length; i++) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`)
    i = j
  }

  return `${sorted.length === 1 ? 'line' : 'lines'} ${parts.join(', ')}`
}
