import type {LogRecord} from './records.js'

/**
 * Puts records from unsorted logs (several log streams, several files) back in time
 * order. A record is held until the newest time seen is more than `windowMs` past
 * it. A record older than something already released is late: it is counted,
 * reported, and enforced at the time of the last released record rather than
 * dropped.
 *
 * Records with one-second times (CLF `requestTime`) that share a second are released
 * together and spread evenly across that second in log order, since the log cannot
 * say where in the second each one fell.
 */
export class ReorderWindow {
  private buffer: LogRecord[] = []
  private head = 0
  private newest = Number.NEGATIVE_INFINITY
  private released = Number.NEGATIVE_INFINITY

  constructor(
    private readonly windowMs: number,
    private readonly emit: (rec: LogRecord) => void,
    private readonly onLate: (rec: LogRecord, lateByMs: number) => void,
  ) {}

  push(rec: LogRecord): void {
    if (rec.t < this.released) {
      this.onLate(rec, this.released - rec.t)
      rec.t = this.released
      this.emit(rec)
      return
    }

    const buffer = this.buffer
    if (buffer.length === this.head || rec.t >= buffer[buffer.length - 1].t) buffer.push(rec)
    else {
      // After every record with the same time, so that equal times keep their log order.
      let lo = this.head
      let hi = buffer.length
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (buffer[mid].t <= rec.t) lo = mid + 1
        else hi = mid
      }

      buffer.splice(lo, 0, rec)
    }

    if (rec.t > this.newest) {
      this.newest = rec.t
      this.release(this.newest - this.windowMs)
    }
  }

  /** Releases everything still held: the end of the input. */
  flush(): void {
    this.release(Number.POSITIVE_INFINITY)
    this.buffer = []
    this.head = 0
  }

  /** Releases records strictly older than `before`, whole seconds of coarse records at a time. */
  private release(before: number): void {
    const buffer = this.buffer
    while (this.head < buffer.length && buffer[this.head].t < before) {
      const first = buffer[this.head]
      if (first.coarse) {
        let end = this.head + 1
        while (end < buffer.length && buffer[end].t === first.t && buffer[end].coarse) end++
        const n = end - this.head
        const second = first.t
        for (let i = 0; i < n; i++) {
          const rec = buffer[this.head + i]
          rec.t = second + Math.floor((i * 1000) / n)
          this.released = rec.t
          this.emit(rec)
        }

        this.head = end
      } else {
        this.released = first.t
        this.emit(first)
        this.head++
      }
    }

    // Drop released records now and then; a shift per record would be quadratic.
    if (this.head > 4096 && this.head * 2 > buffer.length) {
      this.buffer = buffer.slice(this.head)
      this.head = 0
    }
  }
}
