/**
 * Cutting a stream of text into the pieces replay parses one at a time: lines,
 * Firehose records, CloudWatch events. Each piece that a chunk boundary cuts is
 * carried over, but never more than the line limit: a longer piece is dropped as it
 * arrives (only counted), so a hostile file cannot make replay hold more than one
 * limit's worth of it, nor copy it over and over.
 */

/** Text that is not what its format says: the reader adds the file's name and refuses it. */
export class BadLogText extends Error {}

/** The part of a piece cut by a chunk boundary, kept until its end arrives. */
export class Carry {
  /** More than `limit` bytes arrived for this piece: its bytes were dropped. */
  overflow = false
  length = 0
  private buf = Buffer.allocUnsafe(1 << 12)

  constructor(readonly limit: number) {}

  get bytes(): Buffer {
    return this.buf
  }

  get empty(): boolean {
    return this.length === 0 && !this.overflow
  }

  append(src: Buffer, start: number, end: number): void {
    if (this.overflow) return
    const n = end - start
    if (this.length + n > this.limit) {
      this.overflow = true
      this.length = 0
      return
    }

    if (this.length + n > this.buf.length) {
      let size = this.buf.length * 2
      while (size < this.length + n) size *= 2
      const grown = Buffer.allocUnsafe(size)
      this.buf.copy(grown, 0, 0, this.length)
      this.buf = grown
    }

    src.copy(this.buf, this.length, start, end)
    this.length += n
  }

  reset(): void {
    this.length = 0
    this.overflow = false
    // A carry grown for one long piece is let go rather than held for the rest of the log.
    if (this.buf.length > 1 << 20) this.buf = Buffer.allocUnsafe(1 << 12)
  }
}

/** Receives each piece: its bytes, or `undefined` bytes when it was longer than the limit. */
export type PieceHandler = (buf: Buffer | undefined, start: number, end: number) => void

/** Lines ending in "\n" (a "\r" before it is dropped). */
export class LineSplitter {
  private readonly carry: Carry

  constructor(limit: number) {
    this.carry = new Carry(limit)
  }

  feed(chunk: Buffer, onLine: PieceHandler): void {
    const carry = this.carry
    const limit = carry.limit
    let pos = 0
    while (pos < chunk.length) {
      const nl = chunk.indexOf(10, pos)
      if (nl === -1) {
        carry.append(chunk, pos, chunk.length)
        return
      }

      if (carry.empty) {
        if (nl - pos > limit) onLine(undefined, 0, 0)
        else onLine(chunk, pos, nl > pos && chunk[nl - 1] === 13 ? nl - 1 : nl)
      } else {
        carry.append(chunk, pos, nl)
        this.emitCarry(onLine)
      }

      pos = nl + 1
    }
  }

  /** The last line, when the text does not end with a newline. */
  end(onLine: PieceHandler): void {
    if (!this.carry.empty) this.emitCarry(onLine)
  }

  private emitCarry(onLine: PieceHandler): void {
    const {carry} = this
    if (carry.overflow) onLine(undefined, 0, 0)
    else onLine(carry.bytes, 0, carry.length > 0 && carry.bytes[carry.length - 1] === 13 ? carry.length - 1 : carry.length)
    carry.reset()
  }
}

const WHITESPACE = new Uint8Array(256)
for (const c of [9, 10, 13, 32]) WHITESPACE[c] = 1

/**
 * Brace matching that survives chunk boundaries: where a JSON value that starts with
 * "{" or "[" ends, minding strings and escapes. It does not check the JSON; the
 * parser that reads the piece does.
 */
class Braces {
  depth = 0
  private inString = false
  private escape = false

  /** The position after the value's last byte in buf[i, end), or -1 when it goes on. */
  scan(buf: Buffer, i: number, end: number): number {
    // In locals while scanning: fields would be written back on every byte.
    let {depth, inString, escape} = this
    let stop = -1
    while (i < end) {
      const c = buf[i++]
      if (inString) {
        if (escape) escape = false
        else if (c === 92) escape = true
        else if (c === 34) inString = false
      } else if (c === 34) inString = true
      else if (c === 123 || c === 91) depth++
      else if ((c === 125 || c === 93) && --depth === 0) {
        stop = i
        break
      }
    }

    this.depth = depth
    this.inString = inString
    this.escape = escape
    return stop
  }
}

/**
 * Kinesis Data Firehose deliveries: JSON records one after another, with or without
 * whitespace or newlines between them. Anything between records that is not a
 * record is handed on as one piece (the parser then calls it malformed).
 */
export class RecordSplitter {
  private readonly carry: Carry
  private readonly braces = new Braces()
  /** Inside a run of bytes that is not a record. */
  private inJunk = false

  constructor(limit: number) {
    this.carry = new Carry(limit)
  }

  feed(chunk: Buffer, onRecord: PieceHandler): void {
    let i = 0
    while (i < chunk.length) {
      if (this.braces.depth === 0 && !this.inJunk) {
        while (i < chunk.length && WHITESPACE[chunk[i]] === 1) i++
        if (i === chunk.length) return
        if (chunk[i] !== 123) this.inJunk = true
      }

      if (this.inJunk) {
        let j = i
        while (j < chunk.length && chunk[j] !== 123 && chunk[j] !== 10) j++
        this.carry.append(chunk, i, j)
        if (j === chunk.length) return
        this.inJunk = false
        this.emit(onRecord)
        i = j
        continue
      }

      const end = this.braces.scan(chunk, i, chunk.length)
      if (end < 0) {
        this.carry.append(chunk, i, chunk.length)
        return
      }

      if (this.carry.empty) onRecord(end - i > this.carry.limit ? undefined : chunk, i, end)
      else {
        this.carry.append(chunk, i, end)
        this.emit(onRecord)
      }

      i = end
    }
  }

  /** What is left at the end of the text: a record cut short, or junk. */
  end(onRecord: PieceHandler): void {
    if (!this.carry.empty) this.emit(onRecord)
  }

  private emit(onRecord: PieceHandler): void {
    const {carry} = this
    onRecord(carry.overflow ? undefined : carry.bytes, 0, carry.length)
    carry.reset()
  }
}

/** Where the CloudWatch export reader is in the document. */
const State = {
  TOP: 0,
  KEY: 1,
  NAME: 2,
  COLON: 3,
  VALUE: 4,
  SKIP_STRING: 5,
  SKIP_SCALAR: 6,
  SKIP_CONTAINER: 7,
  AFTER_VALUE: 8,
  EVENTS: 9,
  EVENT: 10,
  AFTER_EVENT: 11,
} as const
type StateCode = (typeof State)[keyof typeof State]

/**
 * The events of CloudWatch Logs exports (`aws logs filter-log-events` or
 * `get-log-events` output: {"events": [{...}, ...], ...}), one or more documents one
 * after another, read as a stream: each event object is handed on as it ends, other
 * members are skipped without being kept. Throws (with the byte position) on text
 * that is not such a document; `end` throws when the text stops inside one.
 */
export class CloudWatchEvents {
  private state: StateCode = State.TOP
  private name = ''
  private inEvents = false
  private escape = false
  private readonly braces = new Braces()
  private readonly carry: Carry
  /** Bytes of the text before the current chunk, for positions in messages. */
  private offset = 0

  constructor(limit: number) {
    this.carry = new Carry(limit)
  }

  feed(chunk: Buffer, onEvent: PieceHandler): void {
    let i = 0
    const n = chunk.length
    while (i < n) {
      const c = chunk[i]
      switch (this.state) {
        case State.TOP: {
          if (WHITESPACE[c] === 1) i++
          else if (c === 123) {
            this.state = State.KEY
            i++
          } else this.fail(i, 'expected "{" starting a CloudWatch Logs export')
          break
        }

        case State.KEY: {
          if (WHITESPACE[c] === 1) i++
          else if (c === 34) {
            this.name = ''
            this.state = State.NAME
            i++
          } else if (c === 125) {
            this.state = State.TOP
            i++
          } else this.fail(i, 'expected a field name')
          break
        }

        case State.NAME: {
          if (this.escape) this.escape = false
          else if (c === 92) this.escape = true
          else if (c === 34) {
            this.state = State.COLON
            i++
            break
          }

          if (this.name.length < 64) this.name += String.fromCodePoint(c)
          i++
          break
        }

        case State.COLON: {
          if (WHITESPACE[c] === 1) i++
          else if (c === 58) {
            this.state = State.VALUE
            i++
          } else this.fail(i, 'expected ":"')
          break
        }

        case State.VALUE: {
          if (WHITESPACE[c] === 1) i++
          else if (this.name === 'events') {
            if (c !== 91) this.fail(i, '"events" must be an array')
            this.inEvents = true
            this.state = State.EVENTS
            i++
          } else if (c === 34) {
            this.state = State.SKIP_STRING
            i++
          } else if (c === 123 || c === 91) this.state = State.SKIP_CONTAINER
          else this.state = State.SKIP_SCALAR
          break
        }

        case State.SKIP_STRING: {
          if (this.escape) this.escape = false
          else if (c === 92) this.escape = true
          else if (c === 34) this.state = State.AFTER_VALUE
          i++
          break
        }

        case State.SKIP_SCALAR: {
          if (c === 44 || c === 125 || WHITESPACE[c] === 1) this.state = State.AFTER_VALUE
          else i++
          break
        }

        case State.SKIP_CONTAINER: {
          const end = this.braces.scan(chunk, i, n)
          if (end < 0) i = n
          else {
            i = end
            this.state = State.AFTER_VALUE
          }

          break
        }

        case State.AFTER_VALUE: {
          if (WHITESPACE[c] === 1) i++
          else if (c === 44) {
            this.state = State.KEY
            i++
          } else if (c === 125) {
            this.state = State.TOP
            i++
          } else this.fail(i, 'expected "," or "}"')
          break
        }

        case State.EVENTS:
        case State.AFTER_EVENT: {
          if (WHITESPACE[c] === 1) i++
          else if (c === 93) {
            this.inEvents = false
            this.state = State.AFTER_VALUE
            i++
          } else if (c === 44 && this.state === State.AFTER_EVENT) {
            this.state = State.EVENTS
            i++
          } else if (c === 123 && this.state === State.EVENTS) this.state = State.EVENT
          else this.fail(i, this.state === State.EVENTS ? 'expected an event object' : 'expected "," or "]" after an event')
          break
        }

        case State.EVENT: {
          const end = this.braces.scan(chunk, i, n)
          if (end < 0) {
            this.carry.append(chunk, i, n)
            i = n
          } else {
            if (this.carry.empty) onEvent(end - i > this.carry.limit ? undefined : chunk, i, end)
            else {
              this.carry.append(chunk, i, end)
              onEvent(this.carry.overflow ? undefined : this.carry.bytes, 0, this.carry.length)
              this.carry.reset()
            }

            i = end
            this.state = State.AFTER_EVENT
          }

          break
        }
      }
    }

    this.offset += n
  }

  end(): void {
    if (this.state !== State.TOP)
      throw new BadLogText(this.inEvents ? 'ends inside the "events" array: the export is cut short' : 'ends inside the export document: it is cut short')
  }

  private fail(i: number, why: string): never {
    throw new BadLogText(`not a CloudWatch Logs export: ${why} at byte ${this.offset + i + 1}`)
  }
}
