import type {Rows} from './record-batch.js'

import {emptyRecord, type LogRecord, recycle} from './records.js'

/**
 * What to do with lines that arrive later than the reorder window allows: `auto`
 * replays as the lines come and, at the first such line, reads everything again
 * sorted by time; `always` sorts from the start; `never` refuses such a line.
 */
export const SORT_MODES = ['auto', 'always', 'never'] as const
export type SortMode = (typeof SORT_MODES)[number]

/** Records held at most: past it the oldest is released early, so memory stays bounded whatever the times say. */
export const REORDER_CAPACITY = 1 << 17

/**
 * Batches of parse threads whose rows the window holds at most; past them the oldest
 * one's rows are copied, and its columns go back: a parse thread writes at most 6
 * batches before it needs one back (CREDITS in parse-worker.ts), and waits for it.
 */
const THREAD_BATCHES = 4

/**
 * Puts records from unsorted logs (several log streams, several files) back in time
 * order. A record is held until the newest time seen is more than `windowMs` past
 * it, or until `capacity` records are held (a line dated far in the future would
 * otherwise hold back every later line). A record older than something already
 * released is late: `onLate` decides what happens (replay sorts the whole input
 * instead); if it returns, the record is enforced at the time of the last released
 * record.
 *
 * Records with one-second times (CLF `requestTime`) that share a second are released
 * together and spread evenly across that second in log order, since the log cannot
 * say where in the second each one fell.
 *
 * Records pushed belong to the window: each is recycled once emitted.
 */
export class ReorderWindow {
  // Held records in time order, in a ring: in-order logs only append at the tail and
  // release from the head, with no array reshuffling. Positions grow without bound and
  // are taken modulo the ring's size (a power of two).
  private ring: Array<LogRecord | undefined> = Array.from<LogRecord | undefined>({length: 1024})
  private mask = 1023
  private head = 0
  private tail = 0
  private newest = Number.NEGATIVE_INFINITY
  private released = Number.NEGATIVE_INFINITY
  // Rows of batches (pushRow) queued after the records in the ring, all later than
  // them and in time order, as they came: `queued` rows from row `firstRow` of the
  // first batch on. No record object is made for them unless they must go into the
  // ring after all.
  private readonly batches: Rows[] = []
  private threadBatches = 0
  private firstRow = 0
  private queued = 0
  private lastQueued = Number.NEGATIVE_INFINITY
  /** What a queued row is emitted as: one record, filled in for each (not recycled). */
  private readonly current = emptyRecord()

  constructor(
    private readonly windowMs: number,
    private readonly emit: (rec: LogRecord) => void,
    private readonly onLate: (rec: LogRecord, lateByMs: number) => void,
    private readonly capacity = REORDER_CAPACITY,
  ) {}

  push(rec: LogRecord): void {
    if (rec.t < this.released) {
      this.onLate(rec, this.released - rec.t)
      rec.t = this.released
      this.emit(rec)
      recycle(rec)
      return
    }

    if (this.tail - this.head + this.queued >= this.capacity) this.releaseOldest()
    // Queued rows come after every record in the ring: they go into it first.
    this.toRing()
    if (this.tail - this.head === this.ring.length) this.grow()
    if (this.tail === this.head || rec.t >= this.at(this.tail - 1).t) this.ring[this.tail++ & this.mask] = rec
    else this.insert(rec)

    if (rec.t > this.newest) {
      this.newest = rec.t
      this.release(this.newest - this.windowMs)
    }
  }

  /**
   * The same as push(rows.record(i)), but a row in time order waits in its batch, as
   * nearly every row of a log in time order does. Rows must be pushed in the order of
   * their batches, and of the batches.
   */
  pushRow(rows: Rows, i: number): void {
    const t = rows.batch.t[i]
    // Queued rows must be later than every record in the ring (so that a second of coarse times is in one or the other).
    const inOrder = this.queued > 0 ? t >= this.lastQueued : this.tail === this.head || t > this.at(this.tail - 1).t
    if (!inOrder || t < this.released) {
      // Queued rows are the rows pushed last, with none left out between them.
      this.toRing()
      this.push(rows.record(i))
      return
    }

    if (this.tail - this.head + this.queued >= this.capacity) this.releaseOldest()
    if (this.queued === 0 || this.batches.at(-1) !== rows) {
      rows.hold()
      this.batches.push(rows)
      if (rows.fromThread && ++this.threadBatches > THREAD_BATCHES) this.copyOldest()
      if (this.queued === 0) this.firstRow = i
    }

    this.queued++
    this.lastQueued = t
    if (t > this.newest) {
      this.newest = t
      this.release(this.newest - this.windowMs)
    }
  }

  /** Releases everything still held: the end of the input. */
  flush(): void {
    this.release(Number.POSITIVE_INFINITY)
    this.head = 0
    this.tail = 0
  }

  private at(position: number): LogRecord {
    return this.ring[position & this.mask]!
  }

  /** Inserts after every record with the same time, so that equal times keep their log order. */
  private insert(rec: LogRecord): void {
    let lo = this.head
    let hi = this.tail
    while (lo < hi) {
      const mid = lo + ((hi - lo) >>> 1)
      if (this.at(mid).t <= rec.t) lo = mid + 1
      else hi = mid
    }

    const ring = this.ring
    const mask = this.mask
    // Move whichever side of the gap is shorter.
    if (lo - this.head < this.tail - lo) {
      this.head--
      for (let i = this.head; i < lo - 1; i++) ring[i & mask] = ring[(i + 1) & mask]
      ring[(lo - 1) & mask] = rec
    } else {
      for (let i = this.tail; i > lo; i--) ring[i & mask] = ring[(i - 1) & mask]
      ring[lo & mask] = rec
      this.tail++
    }
  }

  private grow(): void {
    const n = this.ring.length
    const ring = Array.from<LogRecord | undefined>({length: n * 2})
    for (let i = 0; i < n; i++) ring[i] = this.at(this.head + i)
    this.ring = ring
    this.mask = n * 2 - 1
    this.head = 0
    this.tail = n
  }

  /** Moves every queued row to the ring's tail, as records. */
  private toRing(): void {
    while (this.queued > 0) {
      if (this.tail - this.head === this.ring.length) this.grow()
      this.ring[this.tail++ & this.mask] = this.batches[0].record(this.firstRow)
      this.dequeued()
    }
  }

  /** The first queued row has gone. */
  private dequeued(): void {
    const rows = this.batches[0]
    this.firstRow++
    if (--this.queued === 0) {
      for (const b of this.batches) this.letGo(b)
      this.batches.length = 0
    } else if (this.firstRow === rows.length) {
      this.batches.shift()
      this.letGo(rows)
      this.firstRow = 0
    }
  }

  private letGo(rows: Rows): void {
    if (rows.fromThread) this.threadBatches--
    rows.letGo()
  }

  /** The oldest queued batch of a parse thread goes back to it, its rows copied. */
  private copyOldest(): void {
    const k = this.batches.findIndex((b) => b.fromThread)
    this.batches[k] = this.batches[k].copied()
    this.threadBatches--
  }

  /** Releases the oldest millisecond (or second of coarse records) whatever the window says: the ring is full. */
  private releaseOldest(): void {
    this.release((this.tail > this.head ? this.at(this.head).t : this.batches[0].batch.t[this.firstRow]) + 1)
  }

  /** Releases records strictly older than `before`, whole seconds of coarse records at a time: those in the ring, then queued rows. */
  private release(before: number): void {
    const ring = this.ring
    const mask = this.mask
    while (this.head < this.tail && this.at(this.head).t < before) {
      const first = this.at(this.head)
      if (first.coarse) {
        let end = this.head + 1
        while (end < this.tail && this.at(end).t === first.t && this.at(end).coarse) end++
        const n = end - this.head
        const second = first.t
        for (let i = 0; i < n; i++) {
          const rec = this.at(this.head + i)
          ring[(this.head + i) & mask] = undefined
          rec.t = spreadInSecond(second, i, n)
          this.released = rec.t
          this.emit(rec)
          recycle(rec)
        }

        this.head = end
      } else {
        ring[this.head++ & mask] = undefined
        this.released = first.t
        this.emit(first)
        recycle(first)
      }
    }

    if (this.head === this.tail) this.releaseQueued(before)
  }

  private releaseQueued(before: number): void {
    const rec = this.current
    while (this.queued > 0) {
      const rows = this.batches[0]
      const {t, coarse} = rows.batch
      const first = t[this.firstRow]
      if (!(first < before)) return
      if (coarse[this.firstRow] === 1) {
        const n = this.coarseRun(first)
        for (let i = 0; i < n; i++) {
          this.batches[0].fill(rec, this.firstRow)
          rec.t = spreadInSecond(first, i, n)
          this.released = rec.t
          this.emit(rec)
          this.dequeued()
        }
      } else {
        rows.fill(rec, this.firstRow)
        this.released = first
        this.emit(rec)
        this.dequeued()
      }
    }
  }

  /** How many queued rows from the first on are coarse and of the second `t`. */
  private coarseRun(t: number): number {
    let n = 0
    let row = this.firstRow
    for (const {batch} of this.batches) {
      for (; row < batch.length && n < this.queued; row++, n++) if (batch.t[row] !== t || batch.coarse[row] !== 1) return n
      row = 0
    }

    return n
  }
}

/** The time of the i-th of n requests logged in one second: spread evenly across it, in log order. */
function spreadInSecond(second: number, i: number, n: number): number {
  return second + Math.floor((i * 1000) / n)
}

/** How far past every line before it a line must be, with the next line back before it, to be reported as dated far ahead. */
export const FAR_AHEAD_MS = 86_400_000

/**
 * Finds lines dated far after every line before them when the next line is back
 * before them again: a clock or template gone wrong (a line dated 2099), rather than
 * a log that moved on after a quiet spell. Such lines are still replayed, at their own
 * times, after everything else; they are reported so that the user can look at them.
 */
export class FarAheadLines {
  readonly found: Array<{file: number; line: number; t: number}> = []
  count = 0
  private newest = Number.NEGATIVE_INFINITY
  private suspect: {file: number; line: number; t: number} | undefined

  constructor(private readonly keep: number) {}

  see(t: number, file: number, line: number): void {
    const suspect = this.suspect
    if (suspect !== undefined) {
      this.suspect = undefined
      if (t < suspect.t - FAR_AHEAD_MS) this.report(suspect)
      else if (suspect.t > this.newest) this.newest = suspect.t
    }

    if (this.newest !== Number.NEGATIVE_INFINITY && t > this.newest + FAR_AHEAD_MS) {
      this.suspect = {file, line, t}
      return
    }

    if (t > this.newest) this.newest = t
  }

  /** The end of the input: a last line far after all others is reported too. */
  end(): void {
    if (this.suspect !== undefined) this.report(this.suspect)
    this.suspect = undefined
  }

  private report(line: {file: number; line: number; t: number}): void {
    this.count++
    if (this.found.length < this.keep) this.found.push(line)
  }
}
