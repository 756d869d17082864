import {closeSync, openSync, readSync} from 'node:fs'

import {lineParser, type LineParser, type ParserOptions} from './formats.js'
import {RecordWriter} from './record-batch.js'

/**
 * Runs a sorted replay may merge in place: more, and the spill sort does better (each
 * run costs the parse threads a reader and the replay a batch of records in memory).
 */
export const MAX_RUNS = 32

/** Lines sampled, at most, to find where the file goes back in time. */
const SAMPLES = 4096
/** Bytes read to find a line at an offset; a longer read when no whole line with a time is in it. */
const PROBE_BYTES = 16 << 10

/** A line with a time: where it starts, where the next line starts, and its time. */
interface TimedLine {
  start: number
  next: number
  t: number
}

/** Where runs start (0 first), and for each run after the first how far back in time its first line goes from the line before it (ms). */
export interface Runs {
  starts: number[]
  drops: number[]
}

/**
 * Where a plain JSON-lines file goes back in time: the line starts that cut it into
 * runs of lines in time order, or undefined when there are more than `maxRuns` runs
 * or the samples cannot tell. Logs out of order are nearly always a few sorted
 * streams run together (`zcat export/*\/*.gz`), so a few thousand lines read with the
 * replay's own parser find the cuts: a time lower than the sample before it means a
 * cut in between, found by bisection. A cut between two samples whose times still
 * rise is missed; the replay checks every run as it merges them (see Pass.inRuns)
 * and sorts the file the other way when one is not in order.
 */
export function findRuns(path: string, size: number, parsers: ParserOptions, {maxRuns = MAX_RUNS, samples = SAMPLES} = {}): Runs | undefined {
  const probe = new TimeProbe(path, parsers)
  try {
    const stride = Math.max(PROBE_BYTES >> 2, Math.ceil(size / samples))
    const sampled: TimedLine[] = []
    for (let at = 0; at < size; at += stride) {
      const line = probe.lineAt(at)
      if (line !== undefined && (sampled.length === 0 || line.start > sampled.at(-1)!.start)) sampled.push(line)
    }

    const runs: Runs = {starts: [0], drops: [0]}
    // Between samples a and b with a.t > b.t: narrow down to two neighbouring lines with times, then look again on either side.
    const split = (a: TimedLine, b: TimedLine): boolean => {
      const [first, last] = [a, b]
      while (a.next < b.start) {
        let m = probe.lineAt(a.next + Math.floor((b.start - a.next) / 2))
        if (m !== undefined && m.start >= b.start) m = probe.lineAt(a.next)
        if (m === undefined) return false
        if (m.start >= b.start) break
        if (m.t < a.t) b = m
        else a = m
      }

      if (runs.starts.length > maxRuns) return false
      if (first.t > a.t && !split(first, a)) return false
      runs.starts.push(a.next)
      runs.drops.push(a.t - b.t)
      return last.t >= b.t || split(b, last)
    }

    for (let i = 1; i < sampled.length; i++) {
      if (sampled[i - 1].t > sampled[i].t && !split(sampled[i - 1], sampled[i])) return undefined
      if (runs.starts.length > maxRuns) return undefined
    }

    return runs
  } finally {
    probe.close()
  }
}

/** Reads the time of the line at an offset of a plain JSON-lines file, as the replay's parser reads it. */
class TimeProbe {
  private readonly fd: number
  private readonly out = new RecordWriter(false)
  private parser?: LineParser
  private buf = Buffer.allocUnsafe(PROBE_BYTES)

  constructor(
    private readonly path: string,
    private readonly parsers: ParserOptions,
  ) {
    this.fd = openSync(path, 'r')
  }

  /** The first line with a time that starts at `at` or after it (`at` itself when it follows a newline). */
  lineAt(at: number): TimedLine | undefined {
    return this.read(at, PROBE_BYTES) ?? this.read(at, 1 << 20)
  }

  close(): void {
    closeSync(this.fd)
  }

  private read(at: number, bytes: number): TimedLine | undefined {
    if (this.buf.length < bytes + 1) this.buf = Buffer.allocUnsafe(bytes + 1)
    const from = Math.max(0, at - 1)
    const n = readSync(this.fd, this.buf, 0, bytes + 1, from)
    let start = 0
    if (at > 0) {
      // As linesStartingIn: a line starts at `at` when a newline comes before it.
      const newline = this.buf.subarray(0, n).indexOf(10)
      if (newline === -1) return undefined
      start = newline + 1
    }

    for (;;) {
      const newline = this.buf.subarray(0, n).indexOf(10, start)
      // A line cut off by the end of the read is left for a longer read; the file's last line needs no newline.
      const end = newline === -1 ? (n < bytes + 1 ? n : -1) : newline
      if (end === -1 || start >= n) return undefined
      const t = this.timeOf(start, end > start && this.buf[end - 1] === 13 ? end - 1 : end)
      if (t !== undefined) return {start: from + start, next: from + end + 1, t}
      start = end + 1
    }
  }

  private timeOf(start: number, end: number): number | undefined {
    if (start === end) return undefined
    this.parser ??= lineParser('jsonl', this.parsers, '', this.path, this.out).parser
    if (this.out.length >= 1024) this.out.take()
    const before = this.out.length
    const why = this.parser.bytes(this.buf, start, end, 0, 0, Number.NaN)
    return why !== undefined || this.out.length === before ? undefined : this.out.timeAt(before)
  }
}
