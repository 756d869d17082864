import type {LineParser} from './formats.js'
import {epochToMs, type FieldName, type LogRecord, makeRecord, type Where} from './records.js'

/**
 * Reads one line straight from the bytes of an ASCII buffer (`start` to `end`, newline
 * and carriage return excluded), or returns why it cannot, like a LineParser.
 */
export type BytesLineParser = (buf: Buffer, start: number, end: number, lineNo: number, source: number) => LogRecord | string

/** Past this many distinct key ids, values or routes (a hostile log), new ones are decoded every time. */
const TABLE_LIMIT = 1 << 16
/** Routes tried before searching a line for httpMethod (see `usual`). */
const USUAL_ROUTES = 8

class Entry<T> {
  readonly view: DataView

  constructor(
    readonly hash: number,
    readonly length: number,
    readonly bytes: Buffer,
    readonly value: T,
    readonly next: Entry<T> | undefined,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, length)
  }
}

/**
 * Strings and routes by the bytes that spell them: a hash over 4-byte words picks a
 * slot and a word-by-word comparison confirms the entry, with no string made for the line.
 */
class ByteTable<T> {
  private slots: Array<Entry<T> | undefined> = new Array(1024).fill(undefined)
  private size = 0

  get(buf: Buffer, view: DataView, start: number, end: number): T | undefined {
    const length = end - start
    const h = hash(buf, view, start, end)
    for (let e = this.slots[h & (this.slots.length - 1)]; e !== undefined; e = e.next) {
      if (e.hash !== h || e.length !== length) continue
      let i = 0
      while (i + 4 <= length && e.view.getInt32(i, true) === view.getInt32(start + i, true)) i += 4
      while (i < length && e.bytes[i] === buf[start + i]) i++
      if (i === length) return e.value
    }

    return undefined
  }

  set(buf: Buffer, view: DataView, start: number, end: number, value: T): Entry<T> | undefined {
    if (this.size >= TABLE_LIMIT) return undefined
    if (++this.size > this.slots.length >> 1) this.grow()
    const h = hash(buf, view, start, end)
    const slot = h & (this.slots.length - 1)
    this.slots[slot] = new Entry(h, end - start, Buffer.from(buf.subarray(start, end)), value, this.slots[slot])
    return this.slots[slot]
  }

  private grow(): void {
    const old = this.slots
    this.slots = new Array(old.length * 2).fill(undefined)
    const mask = this.slots.length - 1
    for (let e of old) {
      for (; e !== undefined; e = e.next) this.slots[e.hash & mask] = new Entry(e.hash, e.length, e.bytes, e.value, this.slots[e.hash & mask])
    }
  }
}

/** Whether the entry's bytes are at buf[at...], compared from the end, where the routes of one stage differ. */
function sameAt<T>(e: Entry<T>, buf: Buffer, view: DataView, at: number): boolean {
  let i = e.length
  while (i >= 4) {
    i -= 4
    if (e.view.getInt32(i, true) !== view.getInt32(at + i, true)) return false
  }

  while (i > 0) {
    i--
    if (e.bytes[i] !== buf[at + i]) return false
  }

  return true
}

function hash(buf: Buffer, view: DataView, start: number, end: number): number {
  let h = end - start
  let i = start
  for (; i + 4 <= end; i += 4) h = (Math.imul(h, 0x9e_37_79_b1) + view.getInt32(i, true)) | 0
  for (; i < end; i++) h = (Math.imul(h, 31) + buf[i]) | 0
  return (h ^ (h >>> 15)) | 0
}

/** A pattern and its Horspool shift table: the leftmost match, skipping most bytes. */
class Pattern {
  readonly bytes: Buffer
  readonly length: number
  private readonly shift = new Int32Array(256)

  constructor(text: string) {
    this.bytes = Buffer.from(text, 'latin1')
    const n = (this.length = this.bytes.length)
    this.shift.fill(n)
    for (let i = 0; i < n - 1; i++) this.shift[this.bytes[i]] = n - 1 - i
  }

  /** The first position at or after `from` where the pattern ends by `end`, or -1. */
  indexIn(buf: Buffer, from: number, end: number): number {
    const p = this.bytes
    const n = this.length
    const last = p[n - 1]
    for (let i = from; i + n <= end; ) {
      const c = buf[i + n - 1]
      if (c === last) {
        let k = n - 2
        while (k >= 0 && buf[i + k] === p[k]) k--
        if (k < 0) return i
      }

      i += this.shift[c]
    }

    return -1
  }
}

/**
 * The fast path of jsonLineParser, done on bytes: the same steps in the same order,
 * so that a line read here gives exactly the record the text path would give. Any
 * line it is not sure of (no epoch, a route not seen yet, an escape in a key) goes to
 * the text parser instead, decoded as it would have been.
 *
 * `knownRoute` returns the route the text path has remembered for a span of text
 * (from "apiId" to the end of the httpMethod value); only those are remembered here.
 */
export function jsonBytesParser(patterns: Record<FieldName, string>, text: LineParser, knownRoute: (span: string) => Where | undefined): BytesLineParser | undefined {
  if (!Object.values(patterns).every((p) => /^[\u0020-\u007E]+$/.test(p))) return undefined
  const p = Object.fromEntries(Object.entries(patterns).map(([f, s]) => [f, new Pattern(s)])) as Record<FieldName, Pattern>
  const routes = new ByteTable<Where>()
  /**
   * The first few routes learnt, tried at the apiId field before searching for
   * httpMethod. A span that is all there, ending in a quoted httpMethod value, is the
   * span the search would find: any earlier "httpMethod" would lie inside it too.
   */
  const usual: Array<Entry<Where>> = []
  const strings = new ByteTable<string>()
  let viewed: Buffer | undefined
  let view: DataView = new DataView(new ArrayBuffer(0))

  // Where the last field found starts, and its value's start and end (as in findValue).
  let nameAt = 0
  let valueStart = 0
  let valueEnd = 0

  /** findValue on bytes: `"name": value` searched from `from`, then from the line start. */
  const findValue = (buf: Buffer, pattern: Pattern, from: number, start: number, end: number): number => {
    let at = pattern.indexIn(buf, from, end)
    if (at < 0 && from > start) at = pattern.indexIn(buf, start, end)
    if (at < 0) return -1
    if (at > start) {
      const before = buf[at - 1]
      if (before !== 123 && before !== 44 && before !== 32) return -1
    }

    nameAt = at
    let i = at + pattern.length
    while (i < end && buf[i] === 32) i++
    if (i >= end || buf[i] !== 58) return -1
    i++
    while (i < end && buf[i] === 32) i++
    if (i < end && buf[i] === 34) {
      valueStart = i + 1
      let j = valueStart
      while (j < end && buf[j] !== 34) j++
      if (j >= end) return -1
      valueEnd = j
      return j + 1
    }

    valueStart = i
    let j = i
    for (; j < end; j++) {
      const c = buf[j]
      if (c === 44 || c === 125 || c === 32) break
    }

    valueEnd = j
    return j
  }

  const digits = (buf: Buffer): number => {
    if (valueEnd <= valueStart) return Number.NaN
    let n = 0
    for (let i = valueStart; i < valueEnd; i++) {
      const c = buf[i] - 48
      if (c < 0 || c > 9) return Number.NaN
      n = n * 10 + c
    }

    return n
  }

  /** stringValue on bytes; null when the value holds an escape (the text path decides then). */
  const stringValue = (buf: Buffer): string | undefined | null => {
    const len = valueEnd - valueStart
    if (len === 0 || (len === 1 && buf[valueStart] === 45)) return undefined
    if (len === 4 && buf[valueStart] === 110 && buf[valueStart + 1] === 117 && buf[valueStart + 2] === 108 && buf[valueStart + 3] === 108) return undefined
    let s = strings.get(buf, view, valueStart, valueEnd)
    if (s === undefined) {
      s = buf.toString('latin1', valueStart, valueEnd)
      if (s.includes('\\')) return null
      strings.set(buf, view, valueStart, valueEnd, s)
    }

    return s
  }

  const byText: BytesLineParser = (buf, start, end, lineNo, source) => text(buf.toString('latin1', start, end), lineNo, source)

  return (buf, start, end, lineNo, source) => {
    if (buf !== viewed) {
      viewed = buf
      view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
    }

    if (buf[start] !== 123 || buf[end - 1] !== 125) return byText(buf, start, end, lineNo, source)
    let at = findValue(buf, p.requestTimeEpoch, start, start, end)
    if (at < 0) return byText(buf, start, end, lineNo, source)
    let t = digits(buf)
    if (Number.isNaN(t)) return byText(buf, start, end, lineNo, source)
    t = epochToMs(t)

    if (findValue(buf, p.apiId, at, start, end) < 0) return byText(buf, start, end, lineNo, source)
    const from = nameAt
    let where: Where | undefined
    for (const e of usual) {
      if (from + e.length <= end && sameAt(e, buf, view, from)) {
        where = e.value
        valueEnd = from + e.length - 1
        break
      }
    }

    if (where === undefined) {
      const spanEnd = findValue(buf, p.httpMethod, from, start, end)
      if (spanEnd < 0 || nameAt <= from) return byText(buf, start, end, lineNo, source)
      where = routes.get(buf, view, from, spanEnd)
      if (where === undefined) {
        const quoted = buf[valueStart - 1] === 34
        const rec = byText(buf, start, end, lineNo, source)
        const known = knownRoute(buf.toString('latin1', from, spanEnd))
        const entry = known === undefined ? undefined : routes.set(buf, view, from, spanEnd, known)
        if (entry !== undefined && quoted && usual.length < USUAL_ROUTES) usual.push(entry)
        return rec
      }
    }

    if (valueEnd > at) at = valueEnd
    let next = findValue(buf, p.status, at, start, end)
    const status = next < 0 ? 0 : digits(buf) || 0
    if (next >= 0) at = next
    next = findValue(buf, p.apiKeyId, at, start, end)
    const apiKeyId = next < 0 ? undefined : stringValue(buf)
    let apiKey: string | undefined | null
    if (apiKeyId === undefined) {
      next = findValue(buf, p.apiKey, start, start, end)
      apiKey = next < 0 ? undefined : stringValue(buf)
    }

    if (apiKeyId === null || apiKey === null) return byText(buf, start, end, lineNo, source)
    return makeRecord(t, false, lineNo, source, status, where, apiKeyId, apiKey)
  }
}
