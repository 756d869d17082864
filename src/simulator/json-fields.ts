/**
 * Reads chosen fields of one JSON object straight from its UTF-8 bytes, without
 * building the object: the one JSON reader of the simulator (log lines, Firehose
 * records, CloudWatch events).
 *
 * It accepts exactly what JSON.parse accepts and finds what JSON.parse followed by
 * property access would find: fields are matched at their own level only (a
 * "status" inside a nested object is not the top-level "status"), in any order, with
 * any spacing; a repeated name keeps its last value, as JSON.parse does; escapes in
 * names and values are honoured. Every byte of the object is checked once, four at a
 * time where no quote, backslash or control character is among them.
 *
 * Access logs come from one template per stage, so the lines of a log share their
 * layout: the text between values (names, quotes, colons, commas, spacing) is the
 * same on every line. readLine learns that text from a line it read and reads the
 * next lines by comparing it word by word, scanning only the values (after a few
 * thousand lines with code compiled for that layout); a line that differs anywhere is
 * read member by member instead, which gives the same answer.
 */

/** How a wanted field was written in the last object read. */
export const Kind = {ABSENT: 0, STRING: 1, ESCAPED_STRING: 2, NUMBER: 3, OTHER: 4} as const

/** readObject's answers besides a position: the bytes are not JSON, or they end before the object does. */
export const INVALID = -1
export const INCOMPLETE = -2

const QUOTE = 34
const BACKSLASH = 92
const COLON = 58
const COMMA = 44
const OPEN_OBJECT = 123
const CLOSE_OBJECT = 125
const OPEN_ARRAY = 91
const CLOSE_ARRAY = 93

const WHITESPACE = new Uint8Array(256)
for (const c of [9, 10, 13, 32]) WHITESPACE[c] = 1
const HEX = new Uint8Array(256)
for (const code of Buffer.from('0123456789abcdefABCDEF')) HEX[code] = 1
/** The characters allowed after a backslash besides "u", each mapped to the byte its escape (\n, \", ...) stands for; 0 for the others. */
const UNESCAPED = new Uint8Array(256)
for (const [escape, byte] of [
  ['"', 34],
  ['\\', 92],
  ['/', 47],
  ['b', 8],
  ['f', 12],
  ['n', 10],
  ['r', 13],
  ['t', 9],
] as const)
  UNESCAPED[escape.codePointAt(0)!] = byte

/**
 * Whether the 4-byte word w holds a quote, a backslash or a byte below 0x20, by the
 * usual test for a byte below n in all four at once, (x - n) & ~x & 0x80808080 (n = 1
 * finds a zero byte): a quote (a backslash) is a zero byte of w ^ 0x22222222
 * (w ^ 0x5c5c5c5c). The xors leave bit 7 of every byte as it is, so one `& ~w` serves
 * the three tests. As source text for the readers compiled for a layout; stringEnd
 * spells out the same test.
 */
const STOP_BYTE_IN_W = '(((w ^ 0x22222222) - 0x01010101) | ((w ^ 0x5c5c5c5c) - 0x01010101) | (w - 0x20202020)) & ~w & 0x80808080'

/** A level of the wanted paths: the names wanted at it, and the field a name completes. */
class PathNode {
  /** Field index this path ends at, or -1. */
  field = -1
  readonly children = new Map<string, PathNode>()
  /** Children by the byte length of their name, for a lookup without decoding the name. */
  readonly byLength: Array<Array<{name: Uint8Array; node: PathNode}> | undefined> = []
  /** Every field at or below this node: cleared when the node's value is written again. */
  readonly fieldsBelow: number[] = []

  child(name: string): PathNode {
    let node = this.children.get(name)
    if (node === undefined) {
      node = new PathNode()
      this.children.set(name, node)
      const bytes = Buffer.from(name, 'utf8')
      ;(this.byLength[bytes.length] ??= []).push({name: bytes, node})
    }

    return node
  }

  find(buf: Uint8Array, start: number, end: number): PathNode | undefined {
    const candidates = this.byLength[end - start]
    if (candidates === undefined) return undefined
    for (const {name, node} of candidates) {
      let i = 0
      while (i < name.length && name[i] === buf[start + i]) i++
      if (i === name.length) return node
    }

    return undefined
  }
}

/** The value of the four hex digits at buf[i]. */
function hex4(buf: Uint8Array, i: number): number {
  let n = 0
  for (let k = i; k < i + 4; k++) {
    const c = buf[k]
    n = n * 16 + (c <= 57 ? c - 48 : (c | 32) - 87)
  }

  return n
}

/** A string value's bytes, escapes undone (JsonFields.stringBytes): `buf` from `start` to `end`. */
export class StringBytes {
  buf: Buffer = Buffer.alloc(0)
  start = 0
  end = 0
  /** Where escaped strings are written, kept between strings. */
  private scratch = Buffer.allocUnsafe(1 << 12)

  view(buf: Buffer, start: number, end: number): void {
    this.buf = buf
    this.start = start
    this.end = end
  }

  /**
   * Undoes the escapes of buf[i, end), a string JsonFields has checked: \uXXXX as
   * UTF-8, a surrogate pair as one character, a lone surrogate as U+FFFD (what
   * Buffer.from writes for one). The bytes never outnumber the escaped text.
   */
  unescape(buf: Buffer, i: number, end: number): void {
    if (this.scratch.length < end - i) this.scratch = Buffer.allocUnsafe(Math.max(end - i, this.scratch.length * 2))
    const out = this.scratch
    let o = 0
    while (i < end) {
      const c = buf[i]
      if (c !== BACKSLASH) {
        out[o++] = c
        i++
        continue
      }

      const escape = buf[i + 1]
      i += 2
      if (escape !== 117) {
        out[o++] = UNESCAPED[escape]
        continue
      }

      let code = hex4(buf, i)
      i += 4
      if (code >= 0xd8_00 && code <= 0xdb_ff && buf[i] === BACKSLASH && buf[i + 1] === 117) {
        const low = hex4(buf, i + 2)
        if (low >= 0xdc_00 && low <= 0xdf_ff) {
          code = 0x1_00_00 + ((code - 0xd8_00) << 10) + (low - 0xdc_00)
          i += 6
        }
      }

      if (code >= 0xd8_00 && code <= 0xdf_ff) code = 0xff_fd
      if (code < 0x80) out[o++] = code
      else if (code < 0x8_00) {
        out[o++] = 0xc0 | (code >> 6)
        out[o++] = 0x80 | (code & 0x3f)
      } else if (code < 0x1_00_00) {
        out[o++] = 0xe0 | (code >> 12)
        out[o++] = 0x80 | ((code >> 6) & 0x3f)
        out[o++] = 0x80 | (code & 0x3f)
      } else {
        out[o++] = 0xf0 | (code >> 18)
        out[o++] = 0x80 | ((code >> 12) & 0x3f)
        out[o++] = 0x80 | ((code >> 6) & 0x3f)
        out[o++] = 0x80 | (code & 0x3f)
      }
    }

    this.view(out, 0, o)
  }
}

export class JsonFields {
  /** Per field: how its value was written in the last object read (Kind). */
  readonly kind: Uint8Array
  /** Per field: where its value starts and ends (inside the quotes for strings). */
  readonly start: Int32Array
  readonly end: Int32Array
  /** Why the last read returned INVALID. */
  error = ''
  private readonly root = new PathNode()
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0))
  private viewed: Uint8Array | undefined
  /** Set by stringEnd when the string held an escape. */
  private escaped = false
  /** Open containers of a skipped value: 1 for an object, 0 for an array. */
  private stack = new Uint8Array(64)
  /** Set by memberOrElement when it stopped at a nested container's opening bracket. */
  private entering = false
  /** The layout learnt from a line, while it keeps matching; never with nested paths. */
  private layout: Layout | undefined
  private readonly canLearn: boolean
  /** Lines read member by member since the layout last matched. */
  private misses = LEARN_AFTER_MISSES
  /** Top-level members of the line being read member by member, for learning its layout. */
  private readonly seen = new Members()

  /** `paths[i]` is field i: a top-level name, or names joined by dots for nested objects. */
  constructor(paths: readonly string[]) {
    this.kind = new Uint8Array(paths.length)
    this.start = new Int32Array(paths.length)
    this.end = new Int32Array(paths.length)
    this.canLearn = paths.every((path) => !path.includes('.'))
    for (const [field, path] of paths.entries()) {
      let node = this.root
      node.fieldsBelow.push(field)
      for (const name of path.split('.')) {
        node = node.child(name)
        node.fieldsBelow.push(field)
      }

      node.field = field
    }
  }

  /**
   * Reads the JSON object that starts (after optional whitespace) at buf[start] and
   * ends by `end`. Returns the position just after its closing brace; INVALID when
   * the bytes are not a JSON object (see `error`); INCOMPLETE when they end first.
   */
  readObject(buf: Uint8Array, start: number, end: number): number {
    this.viewOf(buf)
    this.kind.fill(0)
    this.error = ''
    this.seen.count = 0
    const i = this.skipWhitespace(buf, start, end)
    if (i >= end) return INCOMPLETE
    if (buf[i] !== OPEN_OBJECT) return this.invalid('not a JSON object')
    return this.members(buf, i + 1, end, this.root)
  }

  /**
   * Reads buf[start, end) as one line holding one JSON object and nothing else but
   * whitespace. Returns '' when it does, else the reason, in JSON.parse's terms: a
   * line that is JSON but not an object is "not a JSON object".
   */
  readLine(buf: Uint8Array, start: number, end: number): string {
    const layout = this.layout
    // The layout's own reader leaves the lines it does not read to byLayout (escapes).
    if (layout !== undefined && (layout.reader?.(this, buf, this.viewOf(buf), start, end) || this.byLayout(buf, start, end, layout))) {
      if (++layout.matched === COMPILE_AFTER) layout.compile(this.kind.length)
      this.misses = 0
      return ''
    }

    const after = this.readObject(buf, start, end)
    if (after >= 0 && this.skipWhitespace(buf, after, end) === end) {
      if (this.canLearn && ++this.misses >= LEARN_AFTER_MISSES) {
        this.layout = Layout.of(buf, start, end, this.seen)
        this.misses = 0
      }

      return ''
    }

    if (after === INVALID && this.error === 'not a JSON object') {
      const i = this.skipWhitespace(buf, start, end)
      const valueEnd = this.value(buf, i, end)
      if (valueEnd >= 0 && this.skipWhitespace(buf, valueEnd, end) === end) return 'not a JSON object'
    }

    this.kind.fill(0)
    return 'not valid JSON'
  }

  /** Field `f` of the last object read, as JSON.parse gives it, as text: strings decoded, numbers in their shortest form; undefined for absent fields, objects, arrays, true, false and null. */
  text(buf: Uint8Array, f: number): string | undefined {
    switch (this.kind[f]) {
      case Kind.STRING: {
        return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8', this.start[f], this.end[f])
      }

      case Kind.ESCAPED_STRING: {
        return JSON.parse(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8', this.start[f] - 1, this.end[f] + 1)) as string
      }

      case Kind.NUMBER: {
        return String(Number(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1', this.start[f], this.end[f])))
      }

      default: {
        return undefined
      }
    }
  }

  /**
   * String field `f` of the last object read as the UTF-8 bytes of its value, escapes
   * undone: the bytes Buffer.from(JSON.parse(string)) gives, without making either
   * string. A string without escapes is its own bytes in `buf`; an escaped one is
   * written into `into`'s buffer. False when the field is not a string.
   */
  stringBytes(buf: Buffer, f: number, into: StringBytes): boolean {
    const kind = this.kind[f]
    if (kind === Kind.STRING) into.view(buf, this.start[f], this.end[f])
    else if (kind === Kind.ESCAPED_STRING) into.unescape(buf, this.start[f], this.end[f])
    else return false
    return true
  }

  /** The whole number field `f` spells with digits only (quoted or not), else NaN. */
  digits(buf: Uint8Array, f: number): number {
    const kind = this.kind[f]
    if (kind !== Kind.STRING && kind !== Kind.NUMBER) return Number.NaN
    const end = this.end[f]
    let i = this.start[f]
    if (i === end) return Number.NaN
    let n = 0
    for (; i < end; i++) {
      const c = buf[i] - 48
      if (c < 0 || c > 9) return Number.NaN
      n = n * 10 + c
    }

    return n
  }

  /** Reads a line by a learnt layout; false (with nothing decided) as soon as the line differs from it. */
  private byLayout(buf: Uint8Array, start: number, end: number, layout: Layout): boolean {
    const view = this.viewOf(buf)
    const kind = this.kind
    for (let f = 0; f < kind.length; f++) kind[f] = Kind.ABSENT
    let i = start
    for (let m = 0; m < layout.count; m++) {
      // The text before the value: the same bytes as in the learnt line, or this is another layout.
      const n = layout.lengths[m]
      if (i + n > end || !layout.holdsText(buf, view, i, m)) return false
      i += n
      const field = layout.fields[m]
      if (layout.quoted[m] === 1) {
        this.escaped = false
        const close = this.stringEnd(buf, i, end)
        if (close < 0) return false
        if (field >= 0) {
          this.kind[field] = this.escaped ? Kind.ESCAPED_STRING : Kind.STRING
          this.start[field] = i
          this.end[field] = close
        }

        i = close + 1
      } else {
        const first = buf[i]
        this.escaped = false
        const after = this.value(buf, i, end)
        if (after < 0) return false
        if (field >= 0) this.found(field, first, i, after)
        i = after
      }
    }

    return i + layout.lengths[layout.count] === end && layout.holdsText(buf, view, i, layout.count)
  }

  private viewOf(buf: Uint8Array): DataView {
    if (buf !== this.viewed) {
      this.viewed = buf
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
    }

    return this.view
  }

  /** The members of an object whose "{" is just before `i`, for the wanted names under `node`. */
  private members(buf: Uint8Array, i: number, end: number, node: PathNode): number {
    i = this.skipWhitespace(buf, i, end)
    if (i >= end) return INCOMPLETE
    if (buf[i] === CLOSE_OBJECT) return i + 1
    for (;;) {
      if (i >= end) return INCOMPLETE
      if (buf[i] !== QUOTE) return this.invalid('expected a field name')
      this.escaped = false
      const nameEnd = this.stringEnd(buf, i + 1, end)
      if (nameEnd < 0) return nameEnd
      const child = this.escaped ? node.children.get(this.decodeName(buf, i, nameEnd)) : node.find(buf, i + 1, nameEnd)
      i = this.skipWhitespace(buf, nameEnd + 1, end)
      if (i >= end) return INCOMPLETE
      if (buf[i] !== COLON) return this.invalid('expected ":"')
      i = this.skipWhitespace(buf, i + 1, end)
      if (i >= end) return INCOMPLETE
      const first = buf[i]
      const valueStart = i
      if (node === this.root) this.seen.add(valueStart, child?.field ?? -1)
      if (child === undefined) {
        i = this.value(buf, i, end)
      } else {
        // A name written again replaces everything its earlier value held.
        for (const f of child.fieldsBelow) this.kind[f] = Kind.ABSENT
        this.escaped = false
        i = first === OPEN_OBJECT && child.children.size > 0 ? this.members(buf, i + 1, end, child) : this.value(buf, i, end)
        if (i >= 0 && child.field >= 0) this.found(child.field, first, valueStart, i)
      }

      if (i < 0) return i
      if (node === this.root) this.seen.ended(i)
      i = this.skipWhitespace(buf, i, end)
      if (i >= end) return INCOMPLETE
      const c = buf[i]
      if (c === CLOSE_OBJECT) return i + 1
      if (c !== COMMA) return this.invalid('expected "," or "}"')
      i = this.skipWhitespace(buf, i + 1, end)
    }
  }

  private found(field: number, first: number, start: number, end: number): void {
    if (first === QUOTE) {
      this.kind[field] = this.escaped ? Kind.ESCAPED_STRING : Kind.STRING
      this.start[field] = start + 1
      this.end[field] = end - 1
    } else {
      this.kind[field] = first === 45 || (first >= 48 && first <= 57) ? Kind.NUMBER : Kind.OTHER
      this.start[field] = start
      this.end[field] = end
    }
  }

  /** Checks one JSON value of any kind at buf[i]; returns the position after it. */
  private value(buf: Uint8Array, i: number, end: number): number {
    const c = buf[i]
    if (c === QUOTE) {
      const close = this.stringEnd(buf, i + 1, end)
      return close < 0 ? close : close + 1
    }

    if (c === 45 || (c >= 48 && c <= 57)) return this.number(buf, i, end)
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) return this.container(buf, i, end)
    if (c === 116) return this.literal(buf, i, end, 'true')
    if (c === 102) return this.literal(buf, i, end, 'false')
    if (c === 110) return this.literal(buf, i, end, 'null')
    return i >= end ? INCOMPLETE : this.invalid('unexpected character')
  }

  /** The closing quote of a string whose content starts at `i`; sets `escaped` when the string holds an escape. */
  private stringEnd(buf: Uint8Array, i: number, end: number): number {
    const view = this.view
    for (;;) {
      // Four bytes at a time while none is a quote, a backslash or below 0x20 (STOP_BYTE_IN_W).
      while (i + 4 <= end) {
        const w = view.getInt32(i, true)
        if ((((w ^ 0x22_22_22_22) - 0x01_01_01_01) | ((w ^ 0x5c_5c_5c_5c) - 0x01_01_01_01) | (w - 0x20_20_20_20)) & ~w & 0x80_80_80_80) break
        i += 4
      }

      let c = 0
      while (i < end && (c = buf[i]) !== QUOTE && c !== BACKSLASH && c >= 0x20) i++
      if (i >= end) return INCOMPLETE
      if (c === QUOTE) return i
      if (c < 0x20) return this.invalid('a control character in a string')
      this.escaped = true
      if (i + 1 >= end) return INCOMPLETE
      const e = buf[i + 1]
      if (e === 117) {
        if (i + 6 > end) return INCOMPLETE
        if (!(HEX[buf[i + 2]] && HEX[buf[i + 3]] && HEX[buf[i + 4]] && HEX[buf[i + 5]])) return this.invalid(String.raw`a bad \u escape`)
        i += 6
      } else if (UNESCAPED[e] === 0) return this.invalid('a bad escape')
      else i += 2
    }
  }

  /** A JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  private number(buf: Uint8Array, i: number, end: number): number {
    if (buf[i] === 45) i++
    if (i >= end) return INCOMPLETE
    if (buf[i] === 48) i++
    else if (buf[i] >= 49 && buf[i] <= 57) while (i < end && buf[i] >= 48 && buf[i] <= 57) i++
    else return this.invalid('a bad number')
    if (i < end && buf[i] === 46) {
      const digits = ++i
      while (i < end && buf[i] >= 48 && buf[i] <= 57) i++
      if (i === digits) return i >= end ? INCOMPLETE : this.invalid('a bad number')
    }

    if (i < end && (buf[i] === 101 || buf[i] === 69)) {
      i++
      if (i < end && (buf[i] === 43 || buf[i] === 45)) i++
      const digits = i
      while (i < end && buf[i] >= 48 && buf[i] <= 57) i++
      if (i === digits) return i >= end ? INCOMPLETE : this.invalid('a bad number')
    }

    return i
  }

  private literal(buf: Uint8Array, i: number, end: number, word: string): number {
    for (let k = 0; k < word.length; k++) {
      if (i + k >= end) return INCOMPLETE
      if (buf[i + k] !== word.codePointAt(k)) return this.invalid('unexpected character')
    }

    return i + word.length
  }

  /** Checks a whole object or array at buf[i] without recursion (any depth); returns the position after it. */
  private container(buf: Uint8Array, i: number, end: number): number {
    let depth = 0
    for (;;) {
      // At an opening bracket.
      if (depth === this.stack.length) {
        const grown = new Uint8Array(depth * 2)
        grown.set(this.stack)
        this.stack = grown
      }

      const isObject = buf[i] === OPEN_OBJECT
      this.stack[depth++] = isObject ? 1 : 0
      i = this.skipWhitespace(buf, i + 1, end)
      if (i >= end) return INCOMPLETE
      if (buf[i] === (isObject ? CLOSE_OBJECT : CLOSE_ARRAY)) {
        i++
        depth--
      } else {
        i = this.memberOrElement(buf, i, end, isObject)
        if (i < 0) return i
        if (this.entering) continue
      }

      // After a value: close containers and move to the next member or element.
      for (;;) {
        if (depth === 0) return i
        i = this.skipWhitespace(buf, i, end)
        if (i >= end) return INCOMPLETE
        const inObject = this.stack[depth - 1] === 1
        const c = buf[i]
        if (c === (inObject ? CLOSE_OBJECT : CLOSE_ARRAY)) {
          i++
          depth--
          continue
        }

        if (c !== COMMA) return this.invalid(inObject ? 'expected "," or "}"' : 'expected "," or "]"')
        i = this.skipWhitespace(buf, i + 1, end)
        if (i >= end) return INCOMPLETE
        i = this.memberOrElement(buf, i, end, inObject)
        if (i < 0) return i
        if (this.entering) break
      }
    }
  }

  /**
   * In a skipped container: reads a member's name and colon (objects) and then its
   * value, unless that value is itself a container, whose opening bracket it returns
   * for the caller to enter.
   */
  private memberOrElement(buf: Uint8Array, i: number, end: number, inObject: boolean): number {
    if (inObject) {
      if (buf[i] !== QUOTE) return this.invalid('expected a field name')
      const nameEnd = this.stringEnd(buf, i + 1, end)
      if (nameEnd < 0) return nameEnd
      i = this.skipWhitespace(buf, nameEnd + 1, end)
      if (i >= end) return INCOMPLETE
      if (buf[i] !== COLON) return this.invalid('expected ":"')
      i = this.skipWhitespace(buf, i + 1, end)
      if (i >= end) return INCOMPLETE
    }

    const c = buf[i]
    this.entering = c === OPEN_OBJECT || c === OPEN_ARRAY
    return this.entering ? i : this.value(buf, i, end)
  }

  private skipWhitespace(buf: Uint8Array, i: number, end: number): number {
    while (i < end && WHITESPACE[buf[i]] === 1) i++
    return i
  }

  private decodeName(buf: Uint8Array, open: number, close: number): string {
    return JSON.parse(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8', open, close + 1)) as string
  }

  private invalid(why: string): number {
    this.error = why
    return INVALID
  }
}

/** Lines read member by member (a new layout, or lines that stopped matching) before a layout is learnt again. */
const LEARN_AFTER_MISSES = 16
/**
 * Lines a layout reads before it gets a reader of its own: building and optimising one
 * takes V8 tens of milliseconds, which a log whose layout keeps changing would pay
 * over and over.
 */
export const COMPILE_AFTER = 4096
/** Objects with more members are always read member by member. */
const MAX_MEMBERS = 64

/** Where each top-level member's value started and ended in the line read last, and which field it was. */
class Members {
  count = 0
  readonly starts = new Int32Array(MAX_MEMBERS)
  readonly ends = new Int32Array(MAX_MEMBERS)
  readonly fields = new Int32Array(MAX_MEMBERS)

  add(start: number, field: number): void {
    if (this.count < MAX_MEMBERS) {
      this.starts[this.count] = start
      this.fields[this.count] = field
    }

    this.count++
  }

  ended(end: number): void {
    if (this.count <= MAX_MEMBERS) this.ends[this.count - 1] = end
  }
}

/** A learnt layout's own reader: reads the line buf[start, end) into `fields`; false (with nothing decided) as soon as the line differs from the layout. */
type LayoutReader = (fields: JsonFields, buf: Uint8Array, view: DataView, start: number, end: number) => boolean

/**
 * A line's layout: for each top-level member, the text from the end of the value
 * before it up to its own value (the opening quote included for a string), whether
 * the value is a string, and which field it is; then the text after the last value.
 * The texts are kept as one run of little-endian 4-byte words, and for each text of
 * four bytes or more the word that ends it (overlapping the last whole word), so
 * that a comparison is a few word loads and no byte loop. A layout that has read
 * COMPILE_AFTER lines gets a reader of its own, built for its texts (compileLayout).
 */
class Layout {
  /** Lines read by this layout so far. */
  matched = 0
  /** Its own reader, once it has read COMPILE_AFTER lines. */
  reader: LayoutReader | undefined
  readonly count: number
  readonly quoted: Uint8Array
  readonly fields: Int32Array
  /** Per text (the members', then the tail): its length, its first word in `words`, the word ending it. */
  readonly lengths: Int32Array
  private readonly firstWord: Int32Array
  private readonly lastWord: Int32Array
  private readonly words: Int32Array
  /** The texts byte by byte: those shorter than a word are compared so. */
  private readonly texts: Uint8Array[]

  private constructor(buf: Uint8Array, start: number, end: number, members: Members) {
    this.count = members.count
    this.quoted = new Uint8Array(this.count)
    this.fields = Int32Array.from(members.fields.subarray(0, this.count))
    const texts: Uint8Array[] = []
    let from = start
    for (let m = 0; m < this.count; m++) {
      const quoted = buf[members.starts[m]] === QUOTE
      this.quoted[m] = quoted ? 1 : 0
      texts.push(Uint8Array.from(buf.subarray(from, members.starts[m] + (quoted ? 1 : 0))))
      from = members.ends[m]
    }

    texts.push(Uint8Array.from(buf.subarray(from, end)))
    this.lengths = Int32Array.from(texts, (t) => t.length)
    this.firstWord = new Int32Array(texts.length + 1)
    this.lastWord = new Int32Array(texts.length)
    const words: number[] = []
    for (const [k, text] of texts.entries()) {
      const view = new DataView(text.buffer)
      this.firstWord[k] = words.length
      for (let w = 0; w + 4 <= text.length; w += 4) words.push(view.getInt32(w, true))
      if (text.length >= 4) this.lastWord[k] = view.getInt32(text.length - 4, true)
    }

    this.firstWord[texts.length] = words.length
    this.words = Int32Array.from(words)
    this.texts = texts
  }

  /** The layout of a line just read member by member, or undefined when it has too many members to learn. */
  static of(buf: Uint8Array, start: number, end: number, members: Members): Layout | undefined {
    return members.count > 0 && members.count <= MAX_MEMBERS ? new Layout(buf, start, end, members) : undefined
  }

  /** Builds the layout's own reader, for JsonFields of `fieldCount` fields. */
  compile(fieldCount: number): void {
    this.reader = compileLayout(this.texts, this.quoted, this.fields, fieldCount)
  }

  /** Whether the line holds text `k` at `at` (the caller checked that it fits). */
  holdsText(buf: Uint8Array, view: DataView, at: number, k: number): boolean {
    const n = this.lengths[k]
    if (n < 4) {
      const bytes = this.texts[k]
      for (let b = 0; b < n; b++) if (buf[at + b] !== bytes[b]) return false
      return true
    }

    const words = this.words
    let p = at
    for (let w = this.firstWord[k], stop = this.firstWord[k + 1]; w < stop; w++, p += 4) if (view.getInt32(p, true) !== words[w]) return false
    return view.getInt32(at + n - 4, true) === this.lastWord[k]
  }
}

/**
 * Builds a layout's own reader: straight-line code, one step per member, that compares
 * the text before each value with the layout's bytes as 4-byte constants and scans
 * only the values, as byLayout does but with no loop over members and no tables of
 * the layout to load, which were most of the cost of a line. A string is scanned four
 * bytes at a time (STOP_BYTE_IN_W) up to the word that holds its first quote,
 * backslash or control character, then taken to that byte at once (the lowest flag:
 * the test flags no byte below the first it finds). Anything but a quote there, an
 * escape or a string the line does not close, answers false and byLayout reads the
 * line. Words are read up to three bytes past the line's end, which the buffer holds
 * (false where it does not); a quote found there is not the line's. Values other than
 * strings go through value() and found(), private to JsonFields for TypeScript only:
 * the reader is passed the JsonFields it reads for. Every step runs on every line
 * that matches, so the optimised code has nothing to learn later. The source is built
 * from numbers only, the texts' words and the fields' indexes, never from the log.
 */
function compileLayout(texts: readonly Uint8Array[], quoted: Uint8Array, fields: Int32Array, fieldCount: number): LayoutReader {
  const written = new Set(fields)
  const steps = ['const kind = r.kind, starts = r.start, ends = r.end, size = view.byteLength', 'let i = start, c = 0, b = 0, w = 0, stops = 0']
  // Fields the layout does not hold keep no value from an earlier line.
  for (let f = 0; f < fieldCount; f++) if (!written.has(f)) steps.push(`kind[${f}] = ${Kind.ABSENT}`)
  for (const [m, field] of fields.entries()) {
    steps.push(`if (i + ${texts[m].length} > end || ${differs(texts[m])}) return false`, `i += ${texts[m].length}`)
    if (quoted[m] === 1) {
      steps.push(
        `for (c = i; ; c += 4) { if (c >= end || c + 4 > size) return false; w = view.getInt32(c, true); if ((stops = ${STOP_BYTE_IN_W}) !== 0) break }`,
        // The flags moved down to bits 0, 8, 16 and 24 stay positive small integers for V8.
        'stops >>>= 7',
        'c += (31 - Math.clz32(stops & -stops)) >> 3',
        'if (c >= end || buf[c] !== 34) return false',
      )
      if (field >= 0) steps.push(`kind[${field}] = ${Kind.STRING}`, `starts[${field}] = i`, `ends[${field}] = c`)
      steps.push('i = c + 1')
    } else {
      steps.push('b = buf[i]', 'r.escaped = false', 'c = r.value(buf, i, end)', 'if (c < 0) return false')
      if (field >= 0) steps.push(`r.found(${field}, b, i, c)`)
      steps.push('i = c')
    }
  }

  const tail = texts.at(-1)!
  steps.push(`return i + ${tail.length} === end && !(${differs(tail)})`)
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the source is built from numbers only (above)
  return new Function('r', 'buf', 'view', 'start', 'end', steps.join('\n')) as LayoutReader
}

/** A condition true when the line at i does not hold `text`: its words (the last one overlapping), or its bytes when it is shorter than a word. */
function differs(text: Uint8Array): string {
  if (text.length < 4) return [...text].map((byte, k) => `buf[i + ${k}] !== ${byte}`).join(' || ') || 'false'
  const view = new DataView(text.buffer, text.byteOffset, text.byteLength)
  const at = []
  for (let k = 0; k + 4 <= text.length; k += 4) at.push(k)
  if (text.length % 4 !== 0) at.push(text.length - 4)
  return at.map((k) => `view.getInt32(i + ${k}, true) !== ${view.getInt32(k, true)}`).join(' || ')
}
