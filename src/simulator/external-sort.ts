import {closeSync, openSync, readSync, unlinkSync, writeSync} from 'node:fs'

import {Caller, type LogRecord, makeRecord, recycle, Where} from './records.js'
import type {TempDir} from './temp-dir.js'

/** Records sorted in memory before they are written out as one run. */
const RUN_RECORDS = 50_000
/** Runs merged at once; more are first merged into longer runs, so open files and read buffers stay few. */
const FAN_IN = 64
const WRITE_BUFFER = 1 << 20
const READ_BUFFER = 1 << 18
/** A string is written as an index into the shared table, or one of these. */
const NONE = 0xff_ff_ff_ff
const LITERAL = 0xff_ff_ff_fe
/** Past this many distinct strings or routes, new ones are written out in full (a hostile log). */
const TABLE_LIMIT = 1 << 16

/** Numbers the values (strings, routes, callers) that many records share, up to TABLE_LIMIT of them. */
class Interned<T> {
  readonly values: T[] = []
  private readonly ids = new Map<T, number>()

  /** The value's number, or LITERAL once the table is full: then it is written out in full. */
  idOf(value: T): number {
    let id = this.ids.get(value)
    if (id === undefined) {
      if (this.values.length >= TABLE_LIMIT) return LITERAL
      id = this.values.push(value) - 1
      this.ids.set(value, id)
    }

    return id
  }
}

/** Bytes a string may take when written in full: its length, then at most 3 bytes of UTF-8 per UTF-16 unit. */
const literalSize = (s: string | undefined) => (s === undefined ? 4 : 4 + 3 * s.length)

/**
 * Writes records to runs and reads them back. Repeated strings (key ids, response
 * types) and routes are written as numbers into tables kept in memory; request ids
 * and anything past the table limit are written in full. Numbers go through a
 * DataView, which V8 compiles to plain loads and stores (Buffer's writeDoubleLE and
 * kin go byte by byte).
 */
class RecordCodec {
  private readonly strings = new Interned<string>()
  private readonly wheres = new Interned<Where>()
  private readonly callers = new Interned<Caller>()
  /** Where `read` has got to in the record it is reading. */
  private at = 0

  /** Bytes needed at most for `rec`. */
  size(rec: LogRecord): number {
    const {where, caller} = rec
    let n = 47 + literalSize(rec.requestId) + literalSize(rec.responseType)
    if (this.wheres.values.length >= TABLE_LIMIT)
      n += literalSize(where.apiId) + literalSize(where.stage) + literalSize(where.resourcePath) + literalSize(where.httpMethod)
    if (this.callers.values.length >= TABLE_LIMIT) n += literalSize(caller.apiKeyId) + literalSize(caller.apiKey)
    return n
  }

  write(buf: Buffer, view: DataView, at: number, rec: LogRecord): number {
    const start = at
    at += 4 // the record's length, written last
    view.setFloat64(at, rec.t, true)
    view.setFloat64(at + 8, rec.line, true)
    view.setUint32(at + 16, rec.file, true)
    view.setUint16(at + 20, rec.status, true)
    buf[at + 22] = rec.coarse ? 1 : 0
    at += 23
    const {where, caller} = rec
    const whereId = this.wheres.idOf(where)
    view.setUint32(at, whereId, true)
    at += 4
    if (whereId === LITERAL) {
      at = this.literal(buf, view, at, where.apiId)
      at = this.literal(buf, view, at, where.stage)
      at = this.literal(buf, view, at, where.resourcePath)
      at = this.literal(buf, view, at, where.httpMethod)
    }

    const callerId = this.callers.idOf(caller)
    view.setUint32(at, callerId, true)
    at += 4
    if (callerId === LITERAL) {
      at = this.literal(buf, view, at, caller.apiKeyId)
      at = this.literal(buf, view, at, caller.apiKey)
    }

    at = this.string(buf, view, at, rec.responseType)
    at = this.literal(buf, view, at, rec.requestId)
    view.setUint32(start, at - start, true)
    return at
  }

  /** The record at buf[at]; its length is the first four bytes. */
  read(buf: Buffer, view: DataView, at: number): LogRecord {
    const t = view.getFloat64(at + 4, true)
    const line = view.getFloat64(at + 12, true)
    const file = view.getUint32(at + 20, true)
    const status = view.getUint16(at + 24, true)
    const coarse = buf[at + 26] === 1
    this.at = at + 27
    const id = view.getUint32(this.at, true)
    this.at += 4
    const where =
      id === LITERAL
        ? new Where(this.readLiteral(buf, view), this.readLiteral(buf, view), this.readLiteral(buf, view), this.readLiteral(buf, view))
        : this.wheres.values[id]
    const callerId = view.getUint32(this.at, true)
    this.at += 4
    const caller = callerId === LITERAL ? new Caller(this.readLiteral(buf, view), this.readLiteral(buf, view)) : this.callers.values[callerId]
    const responseType = this.readString(buf, view)
    const requestId = this.readLiteral(buf, view)
    return makeRecord(t, coarse, line, file, status, where, caller, requestId, responseType)
  }

  private string(buf: Buffer, view: DataView, at: number, s: string | undefined): number {
    if (s === undefined) {
      view.setUint32(at, NONE, true)
      return at + 4
    }

    const id = this.strings.idOf(s)
    view.setUint32(at, id, true)
    return id === LITERAL ? this.literal(buf, view, at + 4, s) : at + 4
  }

  private literal(buf: Buffer, view: DataView, at: number, s: string | undefined): number {
    if (s === undefined) {
      view.setUint32(at, NONE, true)
      return at + 4
    }

    const n = buf.write(s, at + 4, 'utf8')
    view.setUint32(at, n, true)
    return at + 4 + n
  }

  private readString(buf: Buffer, view: DataView): string | undefined {
    const id = view.getUint32(this.at, true)
    this.at += 4
    if (id === LITERAL) return this.readLiteral(buf, view)
    return id === NONE ? undefined : this.strings.values[id]
  }

  private readLiteral(buf: Buffer, view: DataView): string | undefined {
    const n = view.getUint32(this.at, true)
    this.at += 4
    if (n === NONE) return undefined
    const s = buf.toString('utf8', this.at, this.at + n)
    this.at += n
    return s
  }
}

/** One sorted run on disk, read back a buffer at a time. */
class RunReader {
  head: LogRecord | undefined
  private buf = Buffer.allocUnsafe(READ_BUFFER)
  private view = viewOf(this.buf)
  private filled = 0
  private pos = 0
  private fd: number
  private done = false

  constructor(
    readonly path: string,
    readonly order: number,
    private readonly codec: RecordCodec,
  ) {
    this.fd = openSync(path, 'r')
    this.advance()
  }

  /** Moves `head` to the next record (undefined at the end of the run). */
  advance(): void {
    if (this.filled - this.pos < 4 || this.filled - this.pos < this.view.getUint32(this.pos, true)) this.refill()
    if (this.filled - this.pos < 4) {
      this.head = undefined
      return
    }

    const length = this.view.getUint32(this.pos, true)
    this.head = this.codec.read(this.buf, this.view, this.pos)
    this.pos += length
  }

  close(): void {
    closeSync(this.fd)
    unlinkSync(this.path)
  }

  private refill(): void {
    if (this.done) return
    this.buf.copy(this.buf, 0, this.pos, this.filled)
    this.filled -= this.pos
    this.pos = 0
    if (this.filled >= 4) {
      const need = this.view.getUint32(0, true)
      if (need > this.buf.length) {
        const grown = Buffer.allocUnsafe(need * 2)
        this.buf.copy(grown, 0, 0, this.filled)
        this.buf = grown
        this.view = viewOf(grown)
      }
    }

    while (this.filled < this.buf.length) {
      const n = readSync(this.fd, this.buf, this.filled, this.buf.length - this.filled, null)
      if (n === 0) {
        this.done = true
        break
      }

      this.filled += n
      if (this.filled >= 4 && this.filled >= this.view.getUint32(0, true)) break
    }
  }
}

/**
 * Sorts any number of records by time with bounded memory: records are sorted in
 * memory a run at a time, written to the temporary directory, and merged k ways.
 * Records with equal times keep the order they were pushed in (the in-memory sort is
 * stable and the merge prefers the earlier run).
 */
export class ExternalSort {
  private records: LogRecord[] = []
  private readonly runs: string[] = []
  private readonly codec = new RecordCodec()
  private writeBuffer = Buffer.allocUnsafe(WRITE_BUFFER)

  constructor(
    private readonly temp: TempDir,
    private readonly runRecords = RUN_RECORDS,
  ) {}

  /** Runs written so far. */
  get spilled(): number {
    return this.runs.length
  }

  push(rec: LogRecord): void {
    this.records.push(rec)
    if (this.records.length >= this.runRecords) this.spill()
  }

  /** All records pushed, in time order, in batches. */
  *sorted(): Generator<LogRecord[]> {
    const byTime = (a: LogRecord, b: LogRecord) => a.t - b.t
    if (this.runs.length === 0) {
      const records = this.records.toSorted(byTime)
      this.records = []
      for (let i = 0; i < records.length; i += 4096) yield records.slice(i, i + 4096)
      return
    }

    if (this.records.length > 0) this.spill()
    while (this.runs.length > FAN_IN) {
      const merged = this.temp.file(`run-${this.runs.length}-${Date.now()}`)
      const out = new RunWriter(merged, this.codec, this.writeBuffer)
      for (const batch of this.merge(this.runs.splice(0, FAN_IN))) {
        for (const rec of batch) {
          out.write(rec)
          recycle(rec)
        }
      }

      out.close()
      this.runs.unshift(merged)
    }

    yield* this.merge(this.runs.splice(0))
  }

  private spill(): void {
    const records = this.records.toSorted((a, b) => a.t - b.t)
    this.records = []
    const path = this.temp.file(`run-${this.runs.length}`)
    const out = new RunWriter(path, this.codec, this.writeBuffer)
    for (const rec of records) {
      out.write(rec)
      recycle(rec)
    }

    out.close()
    this.runs.push(path)
  }

  /** Merges runs by time; on equal times the earlier run's record comes first. */
  private *merge(paths: string[]): Generator<LogRecord[]> {
    const readers = paths.map((path, order) => new RunReader(path, order, this.codec))
    const heap = readers.filter((r) => r.head !== undefined)
    // A binary heap on the runs' next records.
    const down = (i: number) => {
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < heap.length && before(heap[l], heap[m])) m = l
        if (r < heap.length && before(heap[r], heap[m])) m = r
        if (m === i) return
        ;[heap[i], heap[m]] = [heap[m], heap[i]]
        i = m
      }
    }

    for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i)
    try {
      let batch: LogRecord[] = []
      while (heap.length > 0) {
        const top = heap[0]
        batch.push(top.head!)
        top.advance()
        if (top.head === undefined) {
          heap[0] = heap.at(-1)!
          heap.pop()
        }

        if (heap.length > 0) down(0)
        if (batch.length === 4096) {
          yield batch
          batch = []
        }
      }

      if (batch.length > 0) yield batch
    } finally {
      for (const reader of readers) reader.close()
    }
  }
}

/** Whether run a's next record goes before run b's: earlier time, or the same time from an earlier run. */
const before = (a: RunReader, b: RunReader) => a.head!.t < b.head!.t || (a.head!.t === b.head!.t && a.order < b.order)

class RunWriter {
  private fd: number
  private used = 0
  private view: DataView

  constructor(
    path: string,
    private readonly codec: RecordCodec,
    private buf: Buffer,
  ) {
    this.fd = openSync(path, 'w')
    this.view = viewOf(buf)
  }

  write(rec: LogRecord): void {
    const need = this.codec.size(rec)
    if (this.used + need > this.buf.length) {
      this.flush()
      if (need > this.buf.length) {
        this.buf = Buffer.allocUnsafe(need * 2)
        this.view = viewOf(this.buf)
      }
    }

    this.used = this.codec.write(this.buf, this.view, this.used, rec)
  }

  close(): void {
    this.flush()
    closeSync(this.fd)
  }

  private flush(): void {
    let at = 0
    while (at < this.used) at += writeSync(this.fd, this.buf, at, this.used - at)
    this.used = 0
  }
}

const viewOf = (buf: Buffer) => new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
