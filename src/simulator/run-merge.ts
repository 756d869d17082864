// Merging a file's runs in time order (natural-runs.ts finds them, parse threads read them: worker-reader.ts), and
// working out, from the runs' times, the line at which a replay in arrival order would have stopped.
import type {RecordBatch} from './record-batch.js'
import type {RunReader} from './worker-reader.js'

import {Caller, makeRecord, Where} from './records.js'
import {ReorderWindow} from './reorder.js'

/** Batches of each later run kept until the runs before it have ended; past them the first late line is not worked out. */
const KEPT_BATCHES = 4

/**
 * The line at which the replay in arrival order (--sort auto) would stop, worked out
 * from the times of runs being merged: the records go through a reorder window as
 * they would in that replay, in file order: the first run's batches as they come,
 * a later run's first batches kept until the runs before it have ended. A file in
 * runs always has such a line (a run goes back to before lines already replayed)
 * unless its runs go back by less than the window; then, or when a run went by past
 * its kept batches, `reason` stays undefined.
 */
export class FirstLate {
  reason: string | undefined
  /** The run whose records go through the window now. */
  private fed = 0
  /** Lines of the runs before it. */
  private linesBefore = 0
  private lost = false
  private readonly kept: Array<Array<Pick<RecordBatch, 't' | 'coarse' | 'line' | 'length'>>>
  /** Runs that went by past their kept batches. */
  private readonly passed: boolean[]
  private readonly window: ReorderWindow

  constructor(
    private readonly runs: RunReader[],
    windowMs: number,
    describe: (line: number, lateBy: number) => string,
  ) {
    this.kept = runs.map(() => [])
    this.passed = runs.map(() => false)
    this.window = new ReorderWindow(
      windowMs,
      () => {},
      (rec, lateBy) => (this.reason ??= describe(rec.line, lateBy)),
    )
  }

  /** Run r's next batch was taken (or its end, when it has no batch). */
  took(r: number): void {
    if (this.lost) return
    const {batch} = this.runs[r]
    if (batch === undefined) {
      if (r === this.fed) this.next()
    } else if (r === this.fed) this.feed(batch)
    else if (this.kept[r].length < KEPT_BATCHES) {
      const {t, coarse, line, length} = batch
      this.kept[r].push({t: t.slice(0, length), coarse: coarse.slice(0, length), line: line.slice(0, length), length})
    } else this.passed[r] = true
  }

  /** The run fed has ended: on to the next one, its kept batches first. */
  private next(): void {
    while (this.reason === undefined && this.runs[this.fed].ended) {
      this.linesBefore += this.runs[this.fed].lines
      if (++this.fed === this.runs.length) return
      for (const batch of this.kept[this.fed]) this.feed(batch)
      this.kept[this.fed] = []
      // Records of this run went by unkept: the window cannot be followed past its kept batches.
      if (this.reason === undefined && this.passed[this.fed]) this.lost = true
      if (this.lost) return
    }
  }

  private feed({t, coarse, line, length}: Pick<RecordBatch, 't' | 'coarse' | 'line' | 'length'>): void {
    for (let i = 0; i < length && this.reason === undefined; i++) {
      this.window.push(makeRecord(t[i], coarse[i] === 1, line[i] + this.linesBefore, 0, 0, NOWHERE, NOBODY, undefined, undefined))
    }
  }
}

const NOWHERE = new Where(undefined, undefined, undefined, undefined)
const NOBODY = new Caller(undefined, undefined)

/**
 * Replays records from the runs' batches in time order, on equal times the earlier
 * run's first (as a stable sort of the file would), until a run's batch is used up:
 * returns that run, to be loaded, or -1 once every run has ended. `heads` holds each
 * run's next time (+Infinity for a run that has ended).
 */
export function mergeRuns(runs: RunReader[], heads: Float64Array, window: ReorderWindow): number {
  for (;;) {
    // The run whose record goes next, and the first record of another run it must not pass.
    let best = -1
    let bestT = Number.POSITIVE_INFINITY
    let nextT = Number.POSITIVE_INFINITY
    let nextRun = heads.length
    // eslint-disable-next-line unicorn/no-for-loop -- the merge's innermost loop, run for each stretch of records taken
    for (let r = 0; r < heads.length; r++) {
      const t = heads[r]
      if (t < bestT) {
        nextT = bestT
        nextRun = best
        bestT = t
        best = r
      } else if (t < nextT) {
        nextT = t
        nextRun = r
      }
    }

    if (best < 0) return -1
    const run = runs[best]
    const {t, length} = run.batch!
    let i = run.at
    if (best < nextRun) while (i < length && t[i] <= nextT) window.push(run.record(i++))
    else while (i < length && t[i] < nextT) window.push(run.record(i++))
    run.at = i
    if (i === length) return best
    heads[best] = t[i]
  }
}
