import assert from 'node:assert/strict'

import {lineParser, type LineParser} from '../../src/simulator/formats.js'
import {COMPILE_AFTER} from '../../src/simulator/json-fields.js'
import {readRows} from '../../src/simulator/readers.js'
import {RecordReader, RecordWriter} from '../../src/simulator/record-batch.js'
import {epochOf, FIELD_NAMES, type FieldName, type FieldPaths, LogRecord, present, statusOf, timeOf} from '../../src/simulator/records.js'
import {StreamSource} from '../../src/simulator/sources.js'
import {random} from './seeded.js'

/**
 * The JSON reader against JSON.parse, record for record: seeded generated lines with
 * fields in random order and spacing, numbers quoted or not, escapes, unicode,
 * nested objects and arrays holding the same names (decoys), names that nearly match,
 * repeated names, and broken lines. The byte path (a line inside a larger buffer) and
 * the text path (a CloudWatch message) must both give what the reference gives.
 */

const DEFAULT_PATHS = Object.fromEntries(FIELD_NAMES.map((f) => [f, f])) as FieldPaths

/** A JSON line parser whose answer for each line is its record (read back from the batch it wrote) or why it could not read it. */
function jsonParser(fields: Partial<FieldPaths>) {
  const out = new RecordWriter(true)
  const reader = new RecordReader()
  const parser: LineParser = lineParser('jsonl', {fields, requestIds: true}, '{}', 'generated', out).parser
  const answer = (why: string | undefined): LogRecord | string => {
    if (why !== undefined) return why
    const batch = out.take()
    reader.enter(batch)
    return reader.record(batch, 0, 0)
  }
  return {
    get keyFieldLines() {
      return parser.keyFieldLines
    },
    bytes: (buf: Buffer, start: number, end: number, lineNo: number, fallbackTime: number) => answer(parser.bytes(buf, start, end, lineNo, 0, fallbackTime)),
    text: (line: string, lineNo: number, fallbackTime: number) => answer(parser.text(line, lineNo, 0, fallbackTime)),
  }
}

/** What JSON.parse and property access make of a line, in the terms of a LogRecord. */
function reference(line: string, paths: FieldPaths, fallbackTime: number): string | Record<string, unknown> {
  let obj: unknown
  try {
    obj = JSON.parse(line)
  } catch {
    return 'not valid JSON'
  }

  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return 'not a JSON object'
  const lookup = (path: string): {found: boolean; value: unknown} => {
    let v: unknown = obj
    for (const part of path.split('.')) {
      if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v, part)) return {found: false, value: undefined}
      v = (v as Record<string, unknown>)[part]
    }

    return {found: true, value: v}
  }

  const get = (f: FieldName) => {
    const {value} = lookup(paths[f])
    return typeof value === 'string' ? present(value) : typeof value === 'number' ? String(value) : undefined
  }

  const epoch = epochOf(get('requestTimeEpoch'))
  const time = timeOf(epoch, Number.isNaN(epoch) ? get('requestTime') : undefined, fallbackTime)
  if (typeof time === 'string') return time
  return {
    t: time.t,
    coarse: time.coarse,
    status: statusOf(get('status')),
    where: [get('apiId'), get('stage'), get('resourcePath'), get('httpMethod')?.toUpperCase()],
    apiKeyId: get('apiKeyId'),
    apiKey: get('apiKey'),
    requestId: get('requestId'),
    responseType: get('responseType'),
    keyField: lookup(paths.apiKeyId).found || lookup(paths.apiKey).found,
  }
}

function plain(rec: LogRecord | string, keyField: boolean): string | Record<string, unknown> {
  if (typeof rec === 'string') return rec
  const {where} = rec
  return {
    t: rec.t,
    coarse: rec.coarse,
    status: rec.status,
    where: [where.apiId, where.stage, where.resourcePath, where.httpMethod],
    apiKeyId: rec.caller.apiKeyId,
    apiKey: rec.caller.apiKey,
    requestId: rec.requestId,
    responseType: rec.responseType,
    keyField,
  }
}

const WANTED = ['requestTimeEpoch', 'requestTime', 'apiId', 'stage', 'resourcePath', 'httpMethod', 'status', 'apiKeyId', 'apiKey', 'requestId', 'responseType']
const DECOYS = [
  'xapiKeyId',
  'apiKeyIdx',
  'apiKeyI',
  'statuss',
  'Status',
  'stat',
  'api',
  'ip',
  'caller',
  'user',
  'protocol',
  'responseLength',
  'extendedRequestId',
  'requestTimeEpochs',
  'ключ',
  '状态',
  'a"b',
  String.raw`api\Key`,
]
const STRINGS = [
  '',
  '-',
  'null',
  'k1',
  'k2',
  'key-ÿ',
  'clé',
  'ключ',
  '键值',
  '🔑',
  'a"b',
  String.raw`a\b`,
  'tab\there',
  'line\nbreak',
  '/pets/{id}',
  'GET',
  'post',
  'Delete',
  'THROTTLED',
  'QUOTA_EXCEEDED',
  '01/Mar/2026:12:00:00 +0000',
  '2026-03-01T12:00:00Z',
  'soon',
  '1772366400123',
  '1772366400',
  ' 1772366400123',
  '200',
  '429',
  '20x',
  '1e3',
  '0x10',
]
const NUMBERS = [
  '0',
  '-0',
  '200',
  '429',
  '403',
  '1772366400123',
  '1772366400',
  '1772366400123.5',
  '1.5',
  '-3',
  '1e3',
  '1E+2',
  '2.5e-1',
  '123456789012345678901234567890',
  '99999999999999999',
]

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]
}

/** A JSON string literal, with some characters escaped even where they need not be. */
function quote(next: () => number, s: string): string {
  let out = JSON.stringify(s)
  if (next() < 0.2) out = out.replace(/[a-z]/, (c) => String.raw`\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`)
  if (next() < 0.1) out = out.replaceAll('/', String.raw`\/`)
  return out
}

function space(next: () => number): string {
  const r = next()
  return r < 0.6 ? '' : r < 0.8 ? ' ' : r < 0.9 ? '\t' : '  \r'
}

function value(next: () => number, depth: number): string {
  const r = next()
  if (r < 0.45) return quote(next, pick(next, STRINGS))
  if (r < 0.7) return pick(next, NUMBERS)
  if (r < 0.78) return pick(next, ['true', 'false', 'null'])
  if (depth >= 3) return '"deep"'
  if (r < 0.92) return object(next, depth + 1)
  const n = Math.floor(next() * 4)
  return `[${space(next)}${Array.from({length: n}, () => value(next, depth + 1)).join(`${space(next)},${space(next)}`)}${space(next)}]`
}

/** An object whose members are wanted names, decoys and nested objects with the same names inside. */
function object(next: () => number, depth: number): string {
  const members: string[] = []
  const n = depth === 0 ? 4 + Math.floor(next() * 10) : Math.floor(next() * 5)
  for (let i = 0; i < n; i++) {
    const name = next() < 0.6 ? pick(next, WANTED) : next() < 0.7 ? pick(next, DECOYS) : pick(next, ['identity', 'integration', 'context'])
    const named = next() < 0.1 ? quote(next, name) : JSON.stringify(name)
    members.push(`${named}${space(next)}:${space(next)}${value(next, depth)}`)
  }

  return `{${space(next)}${members.join(`${space(next)},${space(next)}`)}${space(next)}}`
}

/** A line that looks like a real access log line, then maybe broken. */
function logLine(next: () => number): string {
  let line: string
  if (next() < 0.5) {
    const epoch = next() < 0.5 ? '1772366400123' : '"1772366400456"'
    const fields = [
      `"requestTimeEpoch":${epoch}`,
      '"apiId":"a1"',
      '"stage":"prod"',
      `"resourcePath":${quote(next, '/items')}`,
      `"httpMethod":"${pick(next, ['GET', 'post'])}"`,
      `"status":${pick(next, ['"200"', '429', '"-"'])}`,
      `"apiKeyId":${quote(next, pick(next, STRINGS))}`,
    ]
    if (next() < 0.5) fields.push(`"integration":${object(next, 1)}`)
    if (next() < 0.3) fields.push(`"identity":{"apiKeyId":${quote(next, 'nested-key')}}`)
    for (let i = fields.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1))
      ;[fields[i], fields[j]] = [fields[j], fields[i]]
    }

    line = `{${fields.join(`${space(next)},${space(next)}`)}}`
  } else line = object(next, 0)

  const r = next()
  if (r < 0.65) return `${space(next)}${line}${space(next)}`
  const at = Math.floor(next() * line.length)
  if (r < 0.72) return line.slice(0, at)
  if (r < 0.79) return line.slice(0, at) + line.slice(at + 1)
  if (r < 0.86)
    return (
      line.slice(0, at) +
      pick(next, ['{', '}', '[', ']', ',', ':', '"', '\\', 'x', ' ', '\u0001', '\u001F', '\u007F', '\u0000', '\t', String.raw`\u12`, '1', 'é']) +
      line.slice(at)
    )
  if (r < 0.9) return line.replace(/}\s*$/, ', bad}')
  if (r < 0.93) return line.replace(/}\s*$/, '},')
  if (r < 0.96) return `${line} ${line}`
  return pick(next, [
    '[1,2]',
    '"text"',
    '42',
    'null',
    '',
    '{}',
    '{"a":1,}',
    '{"a" 1}',
    '{"a":01}',
    '{"a":1.}',
    '{"a":-}',
    '{"a":tru}',
    String.raw`{"a":"\x"}`,
    '{"a":[1,]}',
    '{,}',
  ])
}

/**
 * Lines of one layout, as an access-log template writes them: the same names, order,
 * spacing and quoting on every line, values changing (now and then a number where a
 * string was, an escape, a nested object), and now and then a broken or different line;
 * the first `steady` lines all keep the layout, their values changing only within it.
 */
function* layoutLines(next: () => number, count: number, steady = 0): Generator<string> {
  const names = [...WANTED, ...DECOYS.slice(0, 6)].toSorted(() => next() - 0.5).slice(0, 6 + Math.floor(next() * 8))
  const gaps = names.map(() => [space(next), space(next), space(next)])
  const quoted = names.map(() => next() < 0.8)
  for (let i = 0; i < count; i++) {
    const members = names.map((name, m) => {
      const v = i < steady || next() < 0.9 ? (quoted[m] ? quote(next, pick(next, STRINGS)) : pick(next, NUMBERS)) : value(next, 1)
      return `${gaps[m][0]}${JSON.stringify(name)}${gaps[m][1]}:${gaps[m][2]}${v}`
    })
    const line = `{${members.join(',')}}`
    const r = next()
    if (i < steady || r < 0.88) yield line
    else if (r < 0.91) yield line.slice(0, Math.floor(next() * line.length))
    else if (r < 0.94) yield line.slice(0, -1) + pick(next, [']', ',}', '}}', '} x', '}  ', '"}', ' }'])
    else if (r < 0.97) yield line.replace(',', pick(next, [', ', ',,', ';', ' ,']))
    else yield logLine(next)
  }
}

/** A line of one fixed layout, with `key` as the apiKeyId string's content. */
function lineWithKey(key: string): string {
  return `{"requestTimeEpoch":"1772366400123","apiId":"a1","stage":"prod","apiKeyId":"${key}","status":"200"}`
}

/** A JSON string literal of `s` with some characters as \u escapes (both halves of a pair, hex in either case) and some `/` as `\/`. */
function escapedString(next: () => number, s: string): string {
  let out = ''
  for (const ch of s) {
    const r = next()
    if (r < 0.08) {
      const code = ch.codePointAt(0)!
      const units = code > 0xff_ff ? [0xd8_00 + ((code - 0x1_00_00) >> 10), 0xdc_00 + ((code - 0x1_00_00) & 0x3_ff)] : [code]
      for (const unit of units) {
        const hex = unit.toString(16).padStart(4, '0')
        out += String.raw`\u${next() < 0.5 ? hex : hex.toUpperCase()}`
      }
    } else if (r < 0.1 && ch === '/') out += String.raw`\/`
    else out += JSON.stringify(ch).slice(1, -1)
  }

  return `"${out}"`
}

/** Spaces String.prototype.trim takes off, ASCII and not. */
const PADDING = ['', '', '', ' ', '\t', '\n', ' \r\n', '\u000B', '\u00A0', '\u2028', '\uFEFF', '\u3000 ']

/** A CloudWatch event's message: a log line padded with spaces, now and then with a lone surrogate or an emoji in it, or no log line at all. */
function eventMessage(next: () => number, line: string): string | number {
  const r = next()
  if (r < 0.03) return pick(next, ['', '  ', '\u00A0', '\n\t'])
  if (r < 0.04) return 42
  let message = line
  if (r < 0.1) {
    const at = Math.floor(next() * message.length)
    message = message.slice(0, at) + pick(next, ['\uD83D', '\uDC11', '🔑', '\uD83D\uD83D']) + message.slice(at)
  }

  return pick(next, PADDING) + message + pick(next, PADDING)
}

/** The bytes in pieces cut anywhere, as a stream delivers them. */
async function* inPieces(next: () => number, bytes: Buffer): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length;) {
    const size = 1 + Math.floor(next() * 700)
    yield bytes.subarray(at, at + size)
    at += size
  }
}

describe('JSON reader against JSON.parse (seeded, generated lines)', () => {
  const pathSets: Array<[string, FieldPaths]> = [
    ['default names', DEFAULT_PATHS],
    ['nested --field paths', {...DEFAULT_PATHS, apiKeyId: 'identity.apiKeyId', status: 'integration.status', requestId: 'context.requestId'}],
  ]

  for (const [title, paths] of pathSets) {
    it(`gives the reference record for every line, from bytes and from text (${title})`, () => {
      const fields = Object.fromEntries(Object.entries(paths).filter(([f, p]) => p !== f))
      const parser = () => jsonParser(fields)
      const fromBytes = parser()
      const fromText = parser()
      let valid = 0
      for (let seed = 1; seed <= 40; seed++) {
        const next = random(seed)
        for (let i = 0; i < 300; i++) {
          const line = logLine(next)
          const fallback = next() < 0.2 ? 1_772_366_400_999 : Number.NaN
          const expected = reference(line, paths, fallback)
          const bytes = Buffer.from(`garbage\n${line}\nmore`, 'utf8')
          const start = Buffer.byteLength('garbage\n')
          const before = [fromBytes.keyFieldLines, fromText.keyFieldLines]
          const got = fromBytes.bytes(bytes, start, start + Buffer.byteLength(line), i + 1, fallback)
          const gotText = fromText.text(line, i + 1, fallback)
          const context = `seed ${seed}, line ${i + 1}: ${line}`
          assert.deepEqual(plain(got, fromBytes.keyFieldLines > before[0]), expected, context)
          assert.deepEqual(plain(gotText, fromText.keyFieldLines > before[1]), expected, context)
          if (typeof expected === 'object') valid++
        }
      }

      // The generator must produce a fair share of readable lines, not only broken ones.
      assert.ok(valid > 2000, `only ${valid} valid lines`)
    })
  }

  it('gives the reference record for lines that share a layout (read by the learnt layout) and for lines that break it', () => {
    for (let seed = 100; seed < 140; seed++) {
      const next = random(seed)
      const parser = jsonParser({})
      let i = 0
      for (const line of layoutLines(next, 200)) {
        i++
        const expected = reference(line, DEFAULT_PATHS, Number.NaN)
        const before = parser.keyFieldLines
        const bytes = Buffer.from(`${line}\n`, 'utf8')
        const got = parser.bytes(bytes, 0, bytes.length - 1, i, Number.NaN)
        assert.deepEqual(plain(got, parser.keyFieldLines > before), expected, `seed ${seed}, line ${i}: ${line}`)
      }
    }
  })

  it('gives the reference record from the reader compiled for a layout, once the layout has read enough lines to get one', () => {
    for (let seed = 200; seed < 208; seed++) {
      const next = random(seed)
      const fromBytes = jsonParser({})
      // As a CloudWatch message: the line ends where its buffer does.
      const fromText = jsonParser({})
      let i = 0
      for (const line of layoutLines(next, COMPILE_AFTER + 2000, COMPILE_AFTER + 50)) {
        i++
        const expected = reference(line, DEFAULT_PATHS, Number.NaN)
        const before = [fromBytes.keyFieldLines, fromText.keyFieldLines]
        const bytes = Buffer.from(`${line}\n`, 'utf8')
        const got = fromBytes.bytes(bytes, 0, bytes.length - 1, i, Number.NaN)
        const gotText = fromText.text(line, i, Number.NaN)
        assert.deepEqual(plain(got, fromBytes.keyFieldLines > before[0]), expected, `seed ${seed}, line ${i}: ${line}`)
        assert.deepEqual(plain(gotText, fromText.keyFieldLines > before[1]), expected, `seed ${seed}, line ${i}: ${line}`)
      }
    }
  })

  it('refuses, as JSON.parse does, lines of a compiled layout whose string stops at a control character or a backslash where the quote was', () => {
    const parser = jsonParser({})
    for (let i = 1; i <= COMPILE_AFTER + 1; i++) parser.text(lineWithKey(`k${i}`), i, Number.NaN)
    // The quote after the key taken out: the key's string now stops at its last character.
    for (const odd of ['k1\u0001', 'k1\u001F', 'k1\u005C', String.raw`k\1`, 'k1\t']) {
      const broken = lineWithKey(odd).replace(`${odd}"`, odd)
      assert.deepEqual(plain(parser.text(broken, 0, Number.NaN), false), reference(broken, DEFAULT_PATHS, Number.NaN), broken)
    }

    assert.equal((parser.text(lineWithKey('k2'), 0, Number.NaN) as LogRecord).caller.apiKeyId, 'k2')
  })

  it("reads a CloudWatch export's messages as JSON.parse of each event, its message trimmed and sent as UTF-8, would", async () => {
    for (let seed = 300; seed < 312; seed++) {
      const next = random(seed)
      const lines = [lineWithKey('first'), ...layoutLines(next, 600), ...Array.from({length: 100}, () => logLine(next))]
      const messages = lines.map((line, i) => (i === 0 ? line : eventMessage(next, line)))
      const events = messages.map((message, i) => {
        const text = typeof message === 'string' ? escapedString(next, message) : String(message)
        return `{"logStreamName":"s","timestamp":${1_772_366_400_000 + i},"message":${text},"eventId":"${i}"}`
      })
      const document = Buffer.from(`{"events": [\n${events.join(',\n')}\n], "searchedLogStreams": []}`)
      const expected = messages.map((message, i) => {
        if (typeof message !== 'string') return 'the event has no "message" string'
        const text = message.trim()
        // A log line is bytes: a lone surrogate reaches the parser as U+FFFD.
        return text === '' ? 'the event has no message' : reference(Buffer.from(text).toString(), DEFAULT_PATHS, 1_772_366_400_000 + i)
      })

      const malformed: string[] = []
      const got: Array<Record<string, unknown> | string> = []
      const options = {
        format: 'auto' as const,
        parsers: {fields: {}, requestIds: true},
        maxLineBytes: 1 << 20,
        fileIndex: () => 0,
        onMalformed: (_file: string, line: number, reason: string) => malformed.push(`${line}: ${reason}`),
      }
      for await (const rows of readRows(new StreamSource('export', inPieces(next, document)), options))
        for (const rec of rows.records()) got.push(plain(rec, false))
      assert.deepEqual(
        got,
        expected.filter((answer) => typeof answer !== 'string').map((answer) => ({...answer, keyField: false})),
        `seed ${seed}`,
      )
      assert.deepEqual(
        malformed,
        expected.flatMap((answer, i) => (typeof answer === 'string' ? [`${i + 1}: ${answer}`] : [])),
        `seed ${seed}`,
      )
    }
  })

  it('reads what AWS and people write: spaces, unquoted numbers, nulls, unicode, a repeated name', () => {
    const parser = jsonParser({})
    const line = String.raw`{ "requestId" : "r-1", "status": 429 , "apiKeyId":null, "apiKeyId" : "k\u00e9", "integration": {"status": "502", "apiKeyId": "decoy"}, "httpMethod":"get", "resourcePath":"/pets/{id}", "requestTimeEpoch": 1772366400123, "apiId":"a1","stage":"prod" }`
    const rec = parser.text(line, 1, Number.NaN) as LogRecord
    assert.deepEqual([rec.status, rec.caller.apiKeyId, rec.requestId, rec.where.httpMethod, rec.t], [429, 'ké', 'r-1', 'GET', 1_772_366_400_123])
  })
})
