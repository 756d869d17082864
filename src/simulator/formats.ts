import {badInput} from '../model/errors.js'
import {type BytesLineParser, jsonBytesParser} from './json-bytes.js'
import {digitsAt, epochToMs, FIELD_NAMES, type FieldName, type FieldPaths, type LogRecord, makeRecord, parseRequestTime, present, type Where, WhereTable} from './records.js'

export const LOG_FORMATS = ['auto', 'jsonl', 'csv', 'clf', 'cloudwatch'] as const
export type LogFormat = (typeof LOG_FORMATS)[number]

/** Turns one log line into a record, or returns why it cannot (the line is then counted as malformed). */
export type LineParser = (line: string, lineNo: number, source: number, fallbackTime?: number) => LogRecord | string

/** A format's parser, and for the recommended JSON format one that reads ASCII bytes without decoding them. */
export interface LineParsers {
  parser: LineParser
  bytes?: BytesLineParser
}

/** Guesses the format from the first non-empty line of a log. */
export function detectFormat(firstLine: string): Exclude<LogFormat, 'auto'> | undefined {
  const s = firstLine.trim()
  if (s === '{' || /^\{\s*"(events|searchedLogStreams|nextToken)"/.test(s)) return 'cloudwatch'
  if (s.startsWith('{')) return 'jsonl'
  if (/\[\d{2}\/[A-Za-z]{3}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\]/.test(s)) return 'clf'
  if (s.includes(',')) return 'csv'
  return undefined
}

/** Field names of the recommended JSON format (`gwctl logs format`), which are also AWS's sample names. */
export const DEFAULT_FIELDS: FieldPaths = Object.fromEntries(FIELD_NAMES.map((f) => [f, f])) as FieldPaths

/** `--field NAME=PATH` values on top of the defaults. */
export function fieldPaths(mappings: readonly string[]): FieldPaths {
  const paths = {...DEFAULT_FIELDS}
  for (const raw of mappings) {
    const eq = raw.indexOf('=')
    const name = raw.slice(0, eq) as FieldName
    if (eq <= 0 || eq === raw.length - 1) throw badInput(`--field must look like NAME=PATH, e.g. apiKeyId=identity.apiKeyId; got "${raw}"`)
    if (!(FIELD_NAMES as readonly string[]).includes(name)) throw badInput(`--field: "${name}" is not a field simulate reads; use one of ${FIELD_NAMES.join(', ')}`)
    paths[name] = raw.slice(eq + 1)
  }

  return paths
}

function timeOf(epoch: number, requestTime: string | undefined, fallbackTime = Number.NaN): {t: number; coarse: boolean} | string {
  if (!Number.isNaN(epoch)) return {t: epochToMs(epoch), coarse: false}
  if (requestTime === undefined) return Number.isNaN(fallbackTime) ? 'no request time (requestTimeEpoch or requestTime)' : {t: fallbackTime, coarse: false}
  const t = parseRequestTime(requestTime)
  return Number.isNaN(t) ? `requestTime "${requestTime}" is not dd/MMM/yyyy:HH:mm:ss +hhmm` : {t, coarse: true}
}

function recordFrom(places: WhereTable, get: (field: FieldName) => string | undefined, lineNo: number, source: number, fallbackTime?: number): LogRecord | string {
  const epochText = get('requestTimeEpoch')
  const time = timeOf(epochText === undefined ? Number.NaN : Number(epochText), get('requestTime'), fallbackTime)
  if (typeof time === 'string') return time
  const status = Number(get('status') ?? 0)
  const where = places.get(get('apiId'), get('stage'), get('resourcePath'), get('httpMethod')?.toUpperCase())
  return makeRecord(time.t, time.coarse, lineNo, source, Number.isInteger(status) ? status : 0, where, get('apiKeyId'), get('apiKey'))
}

function valueAtPath(obj: Record<string, unknown>, path: string): string | undefined {
  let v: unknown = obj
  for (const part of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined
    v = (v as Record<string, unknown>)[part]
  }

  return typeof v === 'string' ? present(v) : typeof v === 'number' ? String(v) : undefined
}

// Where the fast path found the last field: its name, and its value's start and end.
let nameAt = 0
let valueStart = 0
let valueEnd = 0

/**
 * Finds `"name": value` in a flat JSON line without parsing the whole line. Searches
 * from `from` first (fields usually come in the recommended order), then from the
 * start. Returns the position after the value, or -1 when the field is absent.
 */
function findValue(line: string, pattern: string, from: number): number {
  let at = line.indexOf(pattern, from)
  if (at < 0 && from > 0) at = line.indexOf(pattern)
  if (at < 0) return -1
  const before = line.charCodeAt(at - 1)
  // The name must start a member ({ or , before it), not sit inside another value.
  if (at > 0 && before !== 123 && before !== 44 && before !== 32) return -1
  nameAt = at
  let i = at + pattern.length
  while (line.charCodeAt(i) === 32) i++
  if (line.charCodeAt(i) !== 58) return -1
  i++
  while (line.charCodeAt(i) === 32) i++
  if (line.charCodeAt(i) === 34) {
    valueStart = i + 1
    valueEnd = line.indexOf('"', valueStart)
    if (valueEnd < 0) return -1
    return valueEnd + 1
  }

  valueStart = i
  let j = i
  for (let c = line.charCodeAt(j); j < line.length && c !== 44 && c !== 125 && c !== 32; c = line.charCodeAt(++j));
  valueEnd = j
  return j
}

function stringValue(line: string): string | undefined {
  const len = valueEnd - valueStart
  if (len === 0 || (len === 1 && line.charCodeAt(valueStart) === 45)) return undefined
  if (len === 4 && line.startsWith('null', valueStart)) return undefined
  return line.slice(valueStart, valueEnd)
}

/**
 * JSON lines. Lines of a flat object without escapes (the recommended format) take a
 * fast path that reads only the fields replay needs; anything else, and any field
 * mapped to a nested path with `--field`, goes through JSON.parse.
 */
export function jsonLineParser(paths: FieldPaths): LineParsers {
  const flat = FIELD_NAMES.every((f) => !paths[f].includes('.'))
  const p = Object.fromEntries(FIELD_NAMES.map((f) => [f, `"${paths[f]}"`])) as Record<FieldName, string>

  const places = new WhereTable()
  // The text from "apiId" to the end of the httpMethod value names a route; in the
  // recommended format it is the same few strings over and over, so it is looked up whole.
  const spans = new Map<string, Where>()
  const fieldIn = (text: string, pattern: string) => (findValue(text, pattern, 0) < 0 ? undefined : stringValue(text))
  /** The line's route, or undefined when its route fields hold JSON escapes. */
  const fastWhere = (line: string, at: number): Where | undefined => {
    if (findValue(line, p.apiId, at) >= 0) {
      const from = nameAt
      const end = findValue(line, p.httpMethod, from)
      if (end >= 0 && nameAt > from) {
        const span = line.slice(from, end)
        let where = spans.get(span)
        if (where !== undefined) return where
        if (span.includes('\\')) return undefined
        const apiId = fieldIn(span, p.apiId)
        const stage = fieldIn(span, p.stage)
        const resourcePath = fieldIn(span, p.resourcePath)
        const httpMethod = fieldIn(span, p.httpMethod)?.toUpperCase()
        if (stage !== undefined && resourcePath !== undefined) {
          where = places.get(apiId, stage, resourcePath, httpMethod)
          if (spans.size < 10_000) spans.set(span, where)
          return where
        }
      }
    }

    valueEnd = 0
    if (line.includes('\\')) return undefined
    return places.get(fieldIn(line, p.apiId), fieldIn(line, p.stage), fieldIn(line, p.resourcePath), fieldIn(line, p.httpMethod)?.toUpperCase())
  }

  const slow: LineParser = (line, lineNo, source, fallbackTime) => {
    let obj: unknown
    try {
      obj = JSON.parse(line)
    } catch {
      return 'not valid JSON'
    }

    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return 'not a JSON object'
    return recordFrom(places, (field) => valueAtPath(obj as Record<string, unknown>, paths[field]), lineNo, source, fallbackTime)
  }

  if (!flat) return {parser: slow}
  const parser: LineParser = (line, lineNo, source, fallbackTime) => {
    if (line.charCodeAt(0) !== 123 || line.charCodeAt(line.length - 1) !== 125) return slow(line, lineNo, source, fallbackTime)
    let at = 0
    let t = Number.NaN
    let coarse = false
    let next = findValue(line, p.requestTimeEpoch, at)
    if (next >= 0) {
      t = digitsAt(line, valueStart, valueEnd)
      at = next
    }

    if (Number.isNaN(t)) {
      next = findValue(line, p.requestTime, 0)
      const text = next < 0 ? undefined : stringValue(line)
      if (text?.includes('\\')) return slow(line, lineNo, source, fallbackTime)
      const time = timeOf(Number.NaN, text, fallbackTime)
      if (typeof time === 'string') return time
      t = time.t
      coarse = time.coarse
    } else t = epochToMs(t)

    const where = fastWhere(line, at)
    if (where === undefined) return slow(line, lineNo, source, fallbackTime)
    if (valueEnd > at) at = valueEnd
    next = findValue(line, p.status, at)
    const status = next < 0 ? 0 : digitsAt(line, valueStart, valueEnd) || 0
    if (next >= 0) at = next
    next = findValue(line, p.apiKeyId, at)
    const apiKeyId = next < 0 ? undefined : stringValue(line)
    let apiKey: string | undefined
    if (apiKeyId === undefined) {
      next = findValue(line, p.apiKey, 0)
      apiKey = next < 0 ? undefined : stringValue(line)
    }

    // JSON escapes are rare in these fields; JSON.parse decodes them when they occur.
    if (apiKeyId?.includes('\\') || apiKey?.includes('\\')) return slow(line, lineNo, source, fallbackTime)

    return makeRecord(t, coarse, lineNo, source, status, where, apiKeyId, apiKey)
  }

  return {parser, bytes: jsonBytesParser(p, parser, (span) => spans.get(span))}
}

/** AWS's sample CSV columns, then the columns the recommended CSV format adds (`gwctl logs format --format csv`). */
export const CSV_COLUMNS = ['ip', 'caller', 'user', 'requestTime', 'httpMethod', 'resourcePath', 'protocol', 'status', 'responseLength', 'requestId', 'extendedRequestId', 'apiId', 'stage', 'apiKeyId', 'requestTimeEpoch']

function splitCsv(line: string): string[] {
  if (!line.includes('"')) return line.split(',')
  const cells: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      cells.push(cell)
      cell = ''
    } else cell += c
  }

  cells.push(cell)
  return cells
}

/** "$context.identity.apiKeyId" and "apiKeyId" both name the apiKeyId column. */
const columnName = (cell: string) => cell.trim().replace(/^\$context\./, '').replace(/^identity\./, '')

/**
 * CSV in AWS's sample layout (no header), optionally followed by apiId, stage,
 * apiKeyId and requestTimeEpoch; or any column order under a header row naming them.
 * `--field NAME=COLUMN` takes a header name or a 1-based column number.
 */
export function csvParser(paths: FieldPaths, header: string | undefined): LineParser {
  const names = header === undefined ? CSV_COLUMNS : splitCsv(header).map(columnName)
  const column = Object.fromEntries(
    FIELD_NAMES.map((f) => {
      const path = paths[f]
      return [f, /^\d+$/.test(path) ? Number(path) - 1 : names.indexOf(path)]
    }),
  ) as Record<FieldName, number>
  const places = new WhereTable()
  return (line, lineNo, source, fallbackTime) => {
    const cells = splitCsv(line)
    if (cells.length < 6) return `${cells.length} columns; expected AWS's CSV layout (at least 6)`
    return recordFrom(places, (f) => (column[f] < 0 ? undefined : present(cells[column[f]]?.trim())), lineNo, source, fallbackTime)
  }
}

const CLF_LINE = /^(\S+) (\S+) (\S+) \[([^\]]+)\] ?"(\S+) (\S+)(?: (\S*))?" (\S+) (\S+)(?: (\S+))?(?: (\S+))?(?: (\S+) (\S+) (\S+)(?: (\S+))?)?\s*$/

/**
 * CLF in AWS's sample layout, optionally followed by apiId, stage, apiKeyId and
 * requestTimeEpoch (the recommended CLF format). Without the epoch, times have
 * one-second resolution.
 */
export function clfParser(): LineParser {
  const places = new WhereTable()
  return (line, lineNo, source, fallbackTime) => {
    const m = CLF_LINE.exec(line)
    if (!m) return 'not in the CLF layout: IP caller user [time]"METHOD /path PROTOCOL" status length requestId extendedRequestId'
    const byField: Partial<Record<FieldName, string | undefined>> = {
      requestTime: m[4],
      httpMethod: m[5],
      resourcePath: m[6],
      status: m[8],
      apiId: m[12],
      stage: m[13],
      apiKeyId: m[14],
      requestTimeEpoch: m[15],
    }
    return recordFrom(places, (f) => present(byField[f]), lineNo, source, fallbackTime)
  }
}

export function parserFor(format: Exclude<LogFormat, 'auto' | 'cloudwatch'>, paths: FieldPaths, firstLine: string): LineParsers & {skipFirst: boolean} {
  if (format === 'jsonl') return {...jsonLineParser(paths), skipFirst: false}
  if (format === 'clf') return {parser: clfParser(), skipFirst: false}
  // A first CSV line with neither a date nor a number in it is a header row.
  const isData = /\d{2}\/[A-Za-z]{3}\/\d{4}:/.test(firstLine) || splitCsv(firstLine).some((cell) => /^\s*\d+\s*$/.test(cell))
  const header = isData ? undefined : firstLine
  return {parser: csvParser(paths, header), skipFirst: header !== undefined}
}

/**
 * The access-log formats replay reads best: AWS's samples plus what enforcement needs
 * (ms times, API, stage, key id). Keep the JSON field order: the fast path of
 * jsonLineParser looks for fields in this order.
 */
export const RECOMMENDED_FORMATS = {
  json: JSON.stringify({
    requestId: '$context.requestId',
    extendedRequestId: '$context.extendedRequestId',
    requestTime: '$context.requestTime',
    requestTimeEpoch: '$context.requestTimeEpoch',
    apiId: '$context.apiId',
    stage: '$context.stage',
    resourcePath: '$context.resourcePath',
    httpMethod: '$context.httpMethod',
    status: '$context.status',
    apiKeyId: '$context.identity.apiKeyId',
    responseType: '$context.error.responseType',
    ip: '$context.identity.sourceIp',
    responseLength: '$context.responseLength',
  }),
  csv: '$context.identity.sourceIp,$context.identity.caller,$context.identity.user,$context.requestTime,$context.httpMethod,$context.resourcePath,$context.protocol,$context.status,$context.responseLength,$context.requestId,$context.extendedRequestId,$context.apiId,$context.stage,$context.identity.apiKeyId,$context.requestTimeEpoch',
  clf: '$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime]"$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId $context.extendedRequestId $context.apiId $context.stage $context.identity.apiKeyId $context.requestTimeEpoch',
} as const
