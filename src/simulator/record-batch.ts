import {Caller, type LogRecord, makeRecord, Where} from './records.js'

/** A route's four fields (the method upper-cased) and a caller's two, as they travel between threads. */
export type WhereFields = [apiId: string | undefined, stage: string | undefined, resourcePath: string | undefined, httpMethod: string | undefined]
export type CallerFields = [apiKeyId: string | undefined, apiKey: string | undefined]

export interface Entries {
  wheres: WhereFields[]
  callers: CallerFields[]
  strings: string[]
}

/**
 * Parsed records as columns: what a parser writes and replay reads, in the same
 * thread or across from a worker thread (typed arrays, in shared memory when they
 * cross, handed over rather than copied). Routes, callers and response types repeat
 * from line to line, so each is written once, in `added` of the first batch that uses
 * it, and referred to by number afterwards: >= 0 an entry added so far, -1 none
 * (response types only), <= -2 entry -2 - i of `inline`, where values go once the
 * tables are full (a hostile log) so that memory stays bounded.
 */
export interface RecordBatch {
  length: number
  t: Float64Array
  line: Float64Array
  file: Int32Array
  status: Uint16Array
  coarse: Uint8Array
  where: Int32Array
  caller: Int32Array
  responseType: Int32Array
  /** Only when decisions are written: one string per line costs time. */
  requestIds: Array<string | undefined> | undefined
  added: Entries
  inline: Entries
}

/** A batch's typed arrays: what crosses between threads. */
export type Columns = Pick<RecordBatch, 't' | 'line' | 'file' | 'status' | 'coarse' | 'where' | 'caller' | 'responseType'>

export function columnsOf({t, line, file, status, coarse, where, caller, responseType}: Columns): Columns {
  return {t, line, file, status, coarse, where, caller, responseType}
}

type Column = Float64Array | Int32Array | Uint16Array | Uint8Array
interface ColumnType<A extends Column> {
  new (length: number): A
  new (buffer: SharedArrayBuffer): A
  readonly BYTES_PER_ELEMENT: number
}
/** Makes a column of `length` rows. */
type MakeColumn = <A extends Column>(Type: ColumnType<A>, length: number) => A

/** For batches read in the thread that parsed them: ordinary memory, which the garbage collector tracks closely. */
const localColumn: MakeColumn = (Type, length) => new Type(length)

/**
 * For batches that cross between threads: shared memory, which crosses without being
 * moved. A moved buffer is detached, and the first detach in a thread makes V8 throw
 * away every optimised function that reads typed arrays and compile them again with a
 * check for a detached buffer on every read (about 10% more instructions for the
 * parser). No thread writes a column another is reading: a batch's columns go back to
 * the thread that wrote them only once replay has let go of them (ColumnPool).
 */
const sharedColumn: MakeColumn = (Type, length) => new Type(new SharedArrayBuffer(length * Type.BYTES_PER_ELEMENT))

function newColumns(capacity: number, make: MakeColumn): Columns {
  return {
    t: make(Float64Array, capacity),
    line: make(Float64Array, capacity),
    file: make(Int32Array, capacity),
    status: make(Uint16Array, capacity),
    coarse: make(Uint8Array, capacity),
    where: make(Int32Array, capacity),
    caller: make(Int32Array, capacity),
    responseType: make(Int32Array, capacity),
  }
}

/**
 * The columns of a parse thread's batches, in shared memory. Those replay has read
 * come back to the thread that wrote them, which writes the next batches into them:
 * a parse thread then allocates no arrays once it runs, and the memory batches take
 * stays what the batches in flight hold (unused arrays would otherwise wait for the
 * garbage collector of the thread that last held them, tens of megabytes of them).
 */
export class ColumnPool {
  readonly make = sharedColumn
  private readonly spare: Columns[] = []

  put(columns: Columns): void {
    if (this.spare.length < 16) this.spare.push(columns)
  }

  /** Columns of at least `capacity` rows, if any came back. */
  take(capacity: number): Columns | undefined {
    const i = this.spare.findIndex((c) => c.t.length >= capacity)
    return i === -1 ? undefined : this.spare.splice(i, 1)[0]
  }
}

/** Past this many distinct routes, callers or response types, new ones travel inline with their batch. */
const TABLE_LIMIT = 1 << 16

const noEntries = (): Entries => ({wheres: [], callers: [], strings: []})

function emptyBatch(columns: Columns, requestIds: boolean): RecordBatch {
  return {
    length: 0,
    ...columns,
    requestIds: requestIds ? [] : undefined,
    added: noEntries(),
    inline: noEntries(),
  }
}

function grown<A extends Column>(make: MakeColumn, Type: ColumnType<A>, a: A): A {
  const b = make(Type, a.length * 2)
  b.set(a)
  return b
}

type Level<T> = Map<string | undefined, T>

/**
 * The parsers' side: appends records to the current batch and numbers the routes,
 * callers and response types they name. Lookups are by strings, one map level per
 * string, so that no key string is built; the JSON parser finds most values by their
 * bytes before it gets here.
 */
export class RecordWriter {
  private batch: RecordBatch
  private readonly wheres: Level<Level<Level<Level<number>>>> = new Map()
  private wheresCount = 0
  private readonly callers: Level<Level<number>> = new Map()
  private callersCount = 0
  private readonly strings = new Map<string, number>()
  private readonly make: MakeColumn

  /** `pool`: for batches that go to another thread, whose columns come back to be written into again. */
  constructor(
    private readonly requestIds: boolean,
    private readonly pool?: ColumnPool,
  ) {
    this.make = pool?.make ?? localColumn
    this.batch = this.emptyBatch(1024)
  }

  /** Records written since the last take(). */
  get length(): number {
    return this.batch.length
  }

  /** The route's number; the method is upper-cased, as AWS logs it anyway. */
  where(apiId: string | undefined, stage: string | undefined, resourcePath: string | undefined, httpMethod: string | undefined): number {
    let stages = this.wheres.get(apiId)
    if (stages === undefined) this.wheres.set(apiId, (stages = new Map<string | undefined, Level<Level<number>>>()))
    let paths = stages.get(stage)
    if (paths === undefined) stages.set(stage, (paths = new Map<string | undefined, Level<number>>()))
    let methods = paths.get(resourcePath)
    if (methods === undefined) paths.set(resourcePath, (methods = new Map<string | undefined, number>()))
    let id = methods.get(httpMethod)
    if (id === undefined) {
      const fields: WhereFields = [apiId, stage, resourcePath, httpMethod?.toUpperCase()]
      if (this.wheresCount >= TABLE_LIMIT) return -2 - (this.batch.inline.wheres.push(fields) - 1)
      id = this.wheresCount++
      methods.set(httpMethod, id)
      this.batch.added.wheres.push(fields)
    }

    return id
  }

  caller(apiKeyId: string | undefined, apiKey: string | undefined): number {
    let byValue = this.callers.get(apiKeyId)
    if (byValue === undefined) this.callers.set(apiKeyId, (byValue = new Map<string | undefined, number>()))
    let id = byValue.get(apiKey)
    if (id === undefined) {
      if (this.callersCount >= TABLE_LIMIT) return -2 - (this.batch.inline.callers.push([apiKeyId, apiKey]) - 1)
      id = this.callersCount++
      byValue.set(apiKey, id)
      this.batch.added.callers.push([apiKeyId, apiKey])
    }

    return id
  }

  /** A response type's number, -1 for none. */
  string(value: string | undefined): number {
    if (value === undefined) return -1
    let id = this.strings.get(value)
    if (id === undefined) {
      if (this.strings.size >= TABLE_LIMIT) return -2 - (this.batch.inline.strings.push(value) - 1)
      id = this.strings.size
      this.strings.set(value, id)
      this.batch.added.strings.push(value)
    }

    return id
  }

  add(
    t: number,
    coarse: boolean,
    line: number,
    file: number,
    status: number,
    where: number,
    caller: number,
    responseType: number,
    requestId: string | undefined,
  ): void {
    let b = this.batch
    if (b.length === b.t.length) b = this.grow()
    const i = b.length++
    b.t[i] = t
    b.coarse[i] = coarse ? 1 : 0
    b.line[i] = line
    b.file[i] = file
    b.status[i] = status
    b.where[i] = where
    b.caller[i] = caller
    b.responseType[i] = responseType
    b.requestIds?.push(requestId)
  }

  /** The time of the i-th record written since the last take(). */
  timeAt(i: number): number {
    return this.batch.t[i]
  }

  /** The records written since the last take(), and the entries they added; a new batch starts. */
  take(): RecordBatch {
    const batch = this.batch
    this.batch = this.emptyBatch(Math.max(1024, batch.t.length))
    return batch
  }

  /** A batch of at least `capacity` rows, in columns that came back to the pool if any did. */
  private emptyBatch(capacity: number): RecordBatch {
    return emptyBatch(this.pool?.take(capacity) ?? newColumns(capacity, this.make), this.requestIds)
  }

  private grow(): RecordBatch {
    const b = this.batch
    b.t = grown(this.make, Float64Array, b.t)
    b.line = grown(this.make, Float64Array, b.line)
    b.file = grown(this.make, Int32Array, b.file)
    b.status = grown(this.make, Uint16Array, b.status)
    b.coarse = grown(this.make, Uint8Array, b.coarse)
    b.where = grown(this.make, Int32Array, b.where)
    b.caller = grown(this.make, Int32Array, b.caller)
    b.responseType = grown(this.make, Int32Array, b.responseType)
    return b
  }
}

/**
 * Replay's side: turns batches back into records, one Where per route and one Caller
 * per caller of a log, whatever thread parsed it. Batches must be entered in the
 * order they were written.
 */
export class RecordReader {
  private readonly wheres: Where[] = []
  private readonly callers: Caller[] = []
  private readonly strings: string[] = []

  /** Takes in the entries the batch adds: before any of its records is read. */
  enter(batch: RecordBatch): void {
    for (const fields of batch.added.wheres) this.wheres.push(new Where(...fields))
    for (const [id, value] of batch.added.callers) this.callers.push(new Caller(id, value))
    for (const s of batch.added.strings) this.strings.push(s)
  }

  /** The batch's i-th record; `linesBefore` is added to its line number (a block's lines are numbered from its start). */
  record(batch: RecordBatch, i: number, linesBefore: number): LogRecord {
    return makeRecord(
      batch.t[i],
      batch.coarse[i] === 1,
      batch.line[i] + linesBefore,
      batch.file[i],
      batch.status[i],
      this.whereAt(batch, i),
      this.callerAt(batch, i),
      batch.requestIds?.[i],
      this.responseTypeAt(batch, i),
    )
  }

  /** The same into a record already made. */
  fill(rec: LogRecord, batch: RecordBatch, i: number, linesBefore: number): void {
    rec.t = batch.t[i]
    rec.coarse = batch.coarse[i] === 1
    rec.line = batch.line[i] + linesBefore
    rec.file = batch.file[i]
    rec.status = batch.status[i]
    rec.where = this.whereAt(batch, i)
    rec.caller = this.callerAt(batch, i)
    rec.requestId = batch.requestIds?.[i]
    rec.responseType = this.responseTypeAt(batch, i)
  }

  private whereAt(batch: RecordBatch, i: number): Where {
    const w = batch.where[i]
    return w >= 0 ? this.wheres[w] : new Where(...batch.inline.wheres[-2 - w])
  }

  private callerAt(batch: RecordBatch, i: number): Caller {
    const c = batch.caller[i]
    return c >= 0 ? this.callers[c] : new Caller(...batch.inline.callers[-2 - c])
  }

  private responseTypeAt(batch: RecordBatch, i: number): string | undefined {
    const r = batch.responseType[i]
    return r >= 0 ? this.strings[r] : r === -1 ? undefined : batch.inline.strings[-2 - r]
  }
}

/**
 * A batch as replay reads it: its records by row, without an object for each (the
 * reorder window holds rows in time order where they are, see ReorderWindow.pushRow).
 * Counted references: the reading loop holds it, and the window while it holds
 * rows of it; when the last lets go, `giveBack` hands the columns back to the
 * thread that wrote them.
 */
export class Rows {
  private holders = 1

  /** `reader` has entered the batch already. */
  constructor(
    readonly batch: RecordBatch,
    private readonly reader: RecordReader,
    readonly linesBefore: number,
    private readonly giveBack?: () => void,
  ) {}

  get length(): number {
    return this.batch.length
  }

  record(i: number): LogRecord {
    return this.reader.record(this.batch, i, this.linesBefore)
  }

  fill(rec: LogRecord, i: number): void {
    this.reader.fill(rec, this.batch, i, this.linesBefore)
  }

  /** Every row as a record object, for the readings that hold records (several logs merged, sorting); lets go of the batch. */
  records(): LogRecord[] {
    const records: LogRecord[] = Array.from({length: this.batch.length})
    for (let i = 0; i < this.batch.length; i++) records[i] = this.record(i)
    this.letGo()
    return records
  }

  /** Whether the columns go back to a parse thread, which waits for them once it has written a few batches. */
  get fromThread(): boolean {
    return this.giveBack !== undefined
  }

  /** The same rows in columns of this thread's own: this batch's are let go of. */
  copied(): Rows {
    const b = this.batch
    const n = b.length
    const columns = {
      t: b.t.slice(0, n),
      line: b.line.slice(0, n),
      file: b.file.slice(0, n),
      status: b.status.slice(0, n),
      coarse: b.coarse.slice(0, n),
      where: b.where.slice(0, n),
      caller: b.caller.slice(0, n),
      responseType: b.responseType.slice(0, n),
    }
    const copy = new Rows({...b, ...columns}, this.reader, this.linesBefore)
    this.letGo()
    return copy
  }

  hold(): void {
    this.holders++
  }

  letGo(): void {
    if (--this.holders === 0) this.giveBack?.()
  }
}
