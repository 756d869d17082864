import {SIMULATE_POSITIONS} from '../model/access-log-format.js'
import {badInput} from '../model/errors.js'
import {SpanTable} from './byte-table.js'
import {JsonFields, Kind} from './json-fields.js'
import type {RecordWriter} from './record-batch.js'
import {epochFrom, epochOf, FIELD_NAMES, type FieldName, type FieldPaths, present, statusOf, timeOf} from './records.js'

/**
 * What a log looks like, as `--format` names it. jsonl, csv and clf are line formats;
 * the others carry lines of those formats: CloudWatch Logs exports (the JSON that
 * `aws logs filter-log-events` prints), Kinesis Data Firehose deliveries (JSON records
 * run together with no newline), and CloudWatch Logs export-to-S3 files (each line an
 * ISO timestamp, a space and the message).
 */
export const LOG_FORMATS = ['auto', 'jsonl', 'csv', 'clf', 'cloudwatch', 'firehose', 's3export'] as const
export type LogFormat = (typeof LOG_FORMATS)[number]
export type LineFormat = 'clf' | 'csv' | 'jsonl'

export const FORMAT_NAMES: Record<Exclude<LogFormat, 'auto'>, string> = {
  jsonl: 'JSON lines',
  csv: 'CSV',
  clf: 'CLF',
  cloudwatch: 'CloudWatch Logs export',
  firehose: 'Firehose delivery',
  s3export: 'CloudWatch Logs export to S3',
}

/** Turns one log line (or record, or event message) into a record written to its RecordWriter, or says why it cannot. */
export interface LineParser {
  /** The line buf[start, end), newline excluded. `fallbackTime` (ms, or NaN) is the time of the event that carried it. Returns why the line cannot be read, or undefined. */
  bytes(buf: Buffer, start: number, end: number, lineNo: number, file: number, fallbackTime: number): string | undefined
  /** The same for a line that is already text (a CloudWatch event's message). */
  text(line: string, lineNo: number, file: number, fallbackTime: number): string | undefined
  /** Lines read so far that logged a key field (apiKeyId or apiKey), even an empty one. */
  readonly keyFieldLines: number
}

export interface ParserOptions {
  /** `--field` values, only those given: a dotted path (JSON), a column (CSV) or a position (CLF). */
  fields: Partial<FieldPaths>
  /** Read `requestId` too: only when decisions are written, as it costs a string per line. */
  requestIds: boolean
}

/** `--field NAME=WHERE` values, checked for form and name; whether WHERE suits the format is checked per log. */
export function parseFieldMappings(mappings: readonly string[]): Partial<FieldPaths> {
  const fields: Partial<FieldPaths> = {}
  for (const raw of mappings) {
    const eq = raw.indexOf('=')
    const name = raw.slice(0, eq) as FieldName
    if (eq <= 0 || eq === raw.length - 1)
      throw badInput(`--field must look like NAME=WHERE, e.g. apiKeyId=identity.apiKeyId (JSON), apiKeyId=14 (CLF position); got "${raw}"`)
    if (!(FIELD_NAMES as readonly string[]).includes(name))
      throw badInput(`--field: "${name}" is not a field simulate reads; use one of ${FIELD_NAMES.join(', ')}`)
    fields[name] = raw.slice(eq + 1)
  }

  return fields
}

/** The format of a log's first non-empty line; undefined when it is none gwctl reads. */
export function detectFormat(firstLine: string): Exclude<LogFormat, 'auto' | 'firehose'> | undefined {
  const s = firstLine.trim()
  if (s === '{' || /^\{\s*"(events|searchedLogStreams|nextToken|nextForwardToken|nextBackwardToken)"\s*:/.test(s)) return 'cloudwatch'
  if (s.startsWith('{')) return 'jsonl'
  if (S3_EXPORT_PREFIX.test(s)) return 's3export'
  if (CLF_TIME_TOKEN.test(s)) return 'clf'
  if (s.includes(',')) return 'csv'
  return undefined
}

/** The ISO timestamp and space that CloudWatch Logs puts before each message when exporting to S3. */
export const S3_EXPORT_PREFIX = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z /
const CLF_TIME_TOKEN = /\[\d{2}\/[A-Za-z]{3}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\]/

/**
 * The parser for a line format, writing records to `out`. `firstLine` decides whether
 * a CSV log starts with a header row (then `header` is that line, to skip wherever it
 * repeats). `log` names the log in errors about `--field` values that do not fit the format.
 */
export function lineParser(
  format: LineFormat,
  options: ParserOptions,
  firstLine: string,
  log: string,
  out: RecordWriter,
): {parser: LineParser; header?: string} {
  if (format === 'jsonl') {
    for (const [name, path] of Object.entries(options.fields)) {
      if (path.split('.').includes(''))
        throw badInput(`--field ${name}=${path}: ${log} is JSON, where a field is a name or dotted path, e.g. ${name}=identity.${name}`)
    }

    return {parser: new JsonLineParser({...DEFAULT_PATHS, ...options.fields}, options.requestIds, out)}
  }

  if (format === 'clf') return {parser: new CellParser(clfPositions(options.fields, log), clfCells, out)}
  // A first CSV line with neither a date nor a number in it is a header row.
  const isData = /\d{2}\/[A-Za-z]{3}\/\d{4}:/.test(firstLine) || splitCsv(firstLine).some((cell) => /^\s*\d+\s*$/.test(cell))
  const header = isData ? undefined : firstLine
  return {parser: new CellParser(csvColumns(options.fields, header, log), csvCells, out), header}
}

// ---------------------------------------------------------------------------
// JSON lines
// ---------------------------------------------------------------------------

/** Field names of the recommended JSON format (`gwctl logs format`), which are also AWS's sample names. */
const DEFAULT_PATHS: FieldPaths = Object.fromEntries(FIELD_NAMES.map((f) => [f, f])) as FieldPaths
const FIELD = Object.fromEntries(FIELD_NAMES.map((f, i) => [f, i])) as Record<FieldName, number>
const ROUTE_FIELDS = [FIELD.apiId, FIELD.stage, FIELD.resourcePath, FIELD.httpMethod]
const CALLER_FIELDS = [FIELD.apiKeyId, FIELD.apiKey]
const RESPONSE_TYPE_FIELD = [FIELD.responseType]
const DASH = 0x2d

/**
 * JSON lines: one object per line, fields in any order, nested objects allowed
 * (`--field` may name a dotted path into them). The bytes are read by JsonFields,
 * which accepts and finds exactly what JSON.parse would. Values that repeat (routes,
 * callers, response types) are decoded once and then found by their bytes.
 */
class JsonLineParser implements LineParser {
  keyFieldLines = 0
  private readonly fields: JsonFields
  /** Routes, callers and response types by the bytes of their fields, when the line writes them as plain strings. */
  private readonly routes = new SpanTable(4)
  private readonly callers = new SpanTable(2)
  private readonly responseTypes = new SpanTable(1)
  private readonly spans = new Int32Array(8)
  private viewed: Uint8Array | undefined
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0))

  constructor(
    paths: FieldPaths,
    private readonly requestIds: boolean,
    private readonly out: RecordWriter,
  ) {
    this.fields = new JsonFields(FIELD_NAMES.map((f) => paths[f]))
  }

  bytes(buf: Buffer, start: number, end: number, lineNo: number, file: number, fallbackTime: number): string | undefined {
    const fields = this.fields
    const why = fields.readLine(buf, start, end)
    if (why !== '') return why
    const kind = fields.kind
    if (kind[FIELD.apiKeyId] !== Kind.ABSENT || kind[FIELD.apiKey] !== Kind.ABSENT) this.keyFieldLines++
    let t = epochFrom(fields.digits(buf, FIELD.requestTimeEpoch))
    if (Number.isNaN(t) && kind[FIELD.requestTimeEpoch] !== Kind.ABSENT) t = epochOf(this.string(buf, FIELD.requestTimeEpoch))
    let coarse = false
    if (Number.isNaN(t)) {
      const time = timeOf(t, this.string(buf, FIELD.requestTime), fallbackTime)
      if (typeof time === 'string') return time
      t = time.t
      coarse = time.coarse
    }

    const digits = fields.digits(buf, FIELD.status)
    const status = Number.isNaN(digits) ? statusOf(this.string(buf, FIELD.status)) : digits < 1000 ? digits : 0
    const view = this.viewOf(buf)
    const where = this.where(buf, view)
    const caller = this.caller(buf, view)
    const responseType = this.responseType(buf, view)
    const requestId = this.requestIds ? this.string(buf, FIELD.requestId) : undefined
    this.out.add(t, coarse, lineNo, file, status, where, caller, responseType, requestId)
    return undefined
  }

  text(line: string, lineNo: number, file: number, fallbackTime: number): string | undefined {
    const buf = Buffer.from(line, 'utf8')
    return this.bytes(buf, 0, buf.length, lineNo, file, fallbackTime)
  }

  private where(buf: Buffer, view: DataView): number {
    const known = this.spansOf(ROUTE_FIELDS) ? this.routes.get(buf, view, this.spans) : SpanTable.MISSING
    if (known !== SpanTable.MISSING) return known
    const id = this.out.where(
      this.string(buf, FIELD.apiId),
      this.string(buf, FIELD.stage),
      this.string(buf, FIELD.resourcePath),
      this.string(buf, FIELD.httpMethod),
    )
    if (id >= 0 && this.spansOf(ROUTE_FIELDS)) this.routes.set(buf, view, this.spans, id)
    return id
  }

  private caller(buf: Buffer, view: DataView): number {
    const known = this.spansOf(CALLER_FIELDS) ? this.callers.get(buf, view, this.spans) : SpanTable.MISSING
    if (known !== SpanTable.MISSING) return known
    const id = this.out.caller(this.string(buf, FIELD.apiKeyId), this.string(buf, FIELD.apiKey))
    if (id >= 0 && this.spansOf(CALLER_FIELDS)) this.callers.set(buf, view, this.spans, id)
    return id
  }

  private responseType(buf: Buffer, view: DataView): number {
    // Most requests succeed, and a success's response type is logged as "-" (or not at all): none, with no lookup.
    // The bytes of "" and "-" are what present() (records.ts) reads as absent; other values take the table below.
    const f = FIELD.responseType
    const {kind, start, end} = this.fields
    if (kind[f] === Kind.ABSENT) return -1
    if (kind[f] === Kind.STRING && (end[f] === start[f] || (end[f] === start[f] + 1 && buf[start[f]] === DASH))) return -1
    const known = this.spansOf(RESPONSE_TYPE_FIELD) ? this.responseTypes.get(buf, view, this.spans) : SpanTable.MISSING
    if (known !== SpanTable.MISSING) return known
    const id = this.out.string(this.string(buf, FIELD.responseType))
    if (id >= -1 && this.spansOf(RESPONSE_TYPE_FIELD)) this.responseTypes.set(buf, view, this.spans, id)
    return id
  }

  /** Puts the fields' places in `spans`; false when one is not a plain string (or absent), so that its bytes do not spell its value. */
  private spansOf(fieldsOfKey: readonly number[]): boolean {
    const {kind, start, end} = this.fields
    const spans = this.spans
    let p = 0
    for (const f of fieldsOfKey) {
      if (kind[f] === Kind.ABSENT) {
        spans[2 * p] = -1
        spans[2 * p + 1] = -1
      } else if (kind[f] === Kind.STRING) {
        spans[2 * p] = start[f]
        spans[2 * p + 1] = end[f]
      } else return false
      p++
    }

    return true
  }

  private viewOf(buf: Buffer): DataView {
    if (buf !== this.viewed) {
      this.viewed = buf
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
    }

    return this.view
  }

  /** Field f as text, "-" and "" read as absent. */
  private string(buf: Buffer, f: number): string | undefined {
    return present(this.fields.text(buf, f))
  }
}

// ---------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------

/** AWS's sample CSV columns, then the columns the recommended CSV format adds (`gwctl logs format --format csv`). */
export const CSV_COLUMNS = [
  'ip',
  'caller',
  'user',
  'requestTime',
  'httpMethod',
  'resourcePath',
  'protocol',
  'status',
  'responseLength',
  'requestId',
  'extendedRequestId',
  'apiId',
  'stage',
  'apiKeyId',
  'requestTimeEpoch',
]

export function splitCsv(line: string): string[] {
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
const columnName = (cell: string) =>
  cell
    .trim()
    .replace(/^\$context\./, '')
    .replace(/^identity\./, '')
    .replace(/^error\./, '')

/** Each field's column (0-based; -1 when the log has none): `--field` names a header cell or a 1-based column number. */
function csvColumns(fields: Partial<FieldPaths>, header: string | undefined, log: string): Record<FieldName, number> {
  const names = header === undefined ? CSV_COLUMNS : splitCsv(header).map(columnName)
  const columns = {} as Record<FieldName, number>
  const numbered = new Set(
    Object.values(fields)
      .filter((given) => /^\d+$/.test(given))
      .map((given) => Number(given) - 1),
  )
  for (const f of FIELD_NAMES) {
    const given = fields[f]
    if (given === undefined) {
      // A default column that --field gave to another field by number is that field's.
      columns[f] = numbered.has(names.indexOf(f)) ? -1 : names.indexOf(f)
    } else if (/^\d+$/.test(given) && Number(given) >= 1) {
      columns[f] = Number(given) - 1
    } else {
      columns[f] = names.indexOf(columnName(given))
      if (columns[f] < 0) {
        const where =
          header === undefined
            ? `has no header row, so its columns are AWS's sample layout plus the recommended ones (${CSV_COLUMNS.join(',')})`
            : `has the columns ${names.join(',')}`
        throw badInput(`--field ${f}=${given}: ${log} is CSV and ${where}; name one of them or give a column number from 1`)
      }
    }
  }

  return columns
}

// ---------------------------------------------------------------------------
// CLF
// ---------------------------------------------------------------------------

/**
 * Each field's position (1-based) in AWS's sample CLF layout followed by the four
 * variables the recommended CLF format appends: one position per `$context` variable
 * of the format, in order, counting the three words of the quoted request line. The
 * table is the model's, where `gwctl doctor` and `logs status` read it too.
 */
export const CLF_POSITIONS: Partial<Record<FieldName, number>> = SIMULATE_POSITIONS

/** Each field's position (0-based, -1 for none): those given with --field, then the defaults at positions no given field took. */
function clfPositions(fields: Partial<FieldPaths>, log: string): Record<FieldName, number> {
  const positions = {} as Record<FieldName, number>
  for (const [f, given] of Object.entries(fields) as Array<[FieldName, string]>) {
    if (!(/^\d+$/.test(given) && Number(given) >= 1)) {
      throw badInput(
        `--field ${f}=${given}: ${log} is CLF, whose fields are numbered positions (1 for the first variable of the format), e.g. ${f}=${CLF_POSITIONS[f] ?? 16}`,
      )
    }

    positions[f] = Number(given) - 1
  }

  const taken = new Set(Object.values(positions))
  for (const f of FIELD_NAMES) {
    const fallback = (CLF_POSITIONS[f] ?? 0) - 1
    positions[f] ??= taken.has(fallback) ? -1 : fallback
  }

  return positions
}

/**
 * Splits a CLF line into its variables: words separated by spaces, a `[...]` time as
 * one, a quoted string as one, except the quoted request line after the time, which
 * holds three (method, path, protocol). Undefined when a bracket or quote is not closed.
 */
export function clfTokens(line: string): string[] | undefined {
  const tokens: string[] = []
  let afterTime = false
  let i = 0
  while (i < line.length) {
    const c = line[i]
    if (c === ' ' || c === '\t') {
      i++
      continue
    }

    if (c === '[') {
      const close = line.indexOf(']', i + 1)
      if (close === -1) return undefined
      tokens.push(line.slice(i + 1, close))
      i = close + 1
      afterTime = true
      continue
    }

    if (c === '"') {
      const close = line.indexOf('"', i + 1)
      if (close === -1) return undefined
      const content = line.slice(i + 1, close)
      if (afterTime) {
        const words = content.split(' ')
        tokens.push(words[0] ?? '', words[1] ?? '', words.slice(2).join(' '))
      } else tokens.push(content)
      i = close + 1
      afterTime = false
      continue
    }

    let end = i
    while (end < line.length && line[end] !== ' ' && line[end] !== '\t' && line[end] !== '"' && line[end] !== '[') end++
    tokens.push(line.slice(i, end))
    i = end
    afterTime = false
  }

  return tokens
}

/**
 * A line format whose fields are cells at known indexes: CSV columns (AWS's sample
 * layout, optionally followed by apiId, stage, apiKeyId and requestTimeEpoch, or any
 * order under a header row) and CLF positions (the same, or any layout with
 * `--field NAME=POSITION`; without the epoch, times have one-second resolution).
 */
class CellParser implements LineParser {
  keyFieldLines = 0

  constructor(
    /** Each field's cell index, -1 for none. */
    private readonly cells: Record<FieldName, number>,
    /** The line's cells, or why the line is not in the format. */
    private readonly split: (line: string) => string[] | string,
    private readonly out: RecordWriter,
  ) {}

  bytes(buf: Buffer, start: number, end: number, lineNo: number, file: number, fallbackTime: number): string | undefined {
    return this.text(buf.toString('utf8', start, end), lineNo, file, fallbackTime)
  }

  text(line: string, lineNo: number, file: number, fallbackTime: number): string | undefined {
    const cells = this.split(line)
    if (typeof cells === 'string') return cells
    const c = this.cells
    if ((c.apiKeyId >= 0 && c.apiKeyId < cells.length) || (c.apiKey >= 0 && c.apiKey < cells.length)) this.keyFieldLines++
    const get = (f: FieldName) => (c[f] < 0 ? undefined : present(cells[c[f]]?.trim()))
    const epoch = epochOf(get('requestTimeEpoch'))
    const time = timeOf(epoch, Number.isNaN(epoch) ? get('requestTime') : undefined, fallbackTime)
    if (typeof time === 'string') return time
    const {out} = this
    out.add(
      time.t,
      time.coarse,
      lineNo,
      file,
      statusOf(get('status')),
      out.where(get('apiId'), get('stage'), get('resourcePath'), get('httpMethod')),
      out.caller(get('apiKeyId'), get('apiKey')),
      out.string(get('responseType')),
      get('requestId'),
    )
    return undefined
  }
}

const csvCells = (line: string): string[] | string => {
  const cells = splitCsv(line)
  return cells.length < 6 ? `${cells.length} columns; expected AWS's CSV layout (at least 6)` : cells
}

const clfCells = (line: string): string[] | string => clfTokens(line) ?? 'not in the CLF layout: a [time] or "quoted" part is not closed'

/**
 * The access-log formats replay reads best: AWS's samples plus what enforcement needs
 * (ms times, API, stage, key id, and the gateway response type, which tells a
 * throttle from a used-up quota).
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
