import {parentPort, workerData} from 'node:worker_threads'

import {emptyStats, readBatches, type ReadOptions} from './readers.js'
import {type Columns, ColumnPool} from './record-batch.js'
import {type ByteSource, FileBlocks, FileSource, linesStartingIn} from './sources.js'
import type {ByteRange, ParseJob, WorkerMessage} from './worker-reader.js'

/**
 * Reads and parses one log file, or its share of the file's blocks, or runs of it
 * side by side, on its own thread, so that the main thread only enforces. Records
 * cross over as the parsers wrote them: typed arrays in shared memory, not copied
 * (see RecordBatch).
 */
const job = workerData as ParseJob
const port = parentPort!
/**
 * Records per message. Large enough that each thread has work queued while the other
 * runs: on a busy machine a thread woken for every small batch waits for the
 * scheduler more than it works.
 */
const BATCH = 1 << 13
const columns = new ColumnPool()
/** Batches in flight for one stream. */
const CREDITS = 6
/**
 * For each run read side by side: batches in flight, rows per batch and bytes read at a
 * time; less of each when a thread reads many runs, so that their buffers together
 * stay what those of a few take (32 runs at the larger sizes add about 90 MB).
 */
const PER_RUN = {credits: 4, rows: BATCH, chunk: 1 << 20}
const PER_RUN_OF_MANY = {credits: 2, rows: 1 << 11, chunk: 1 << 18}

/**
 * Flow control, per stream of batches: at most a few in flight, so a fast reader
 * cannot fill memory. Each batch taken comes back as its columns: one more batch of
 * that stream may go, written into them.
 */
class Credits {
  private wake: (() => void) | undefined

  constructor(private credits: number) {}

  back(): void {
    this.credits++
    this.wake?.()
    this.wake = undefined
  }

  async spend(): Promise<void> {
    if (--this.credits <= 0) await new Promise<void>((resolve) => (this.wake = resolve))
  }
}

const postError = (error: unknown) => {
  const e = error as Error & {code?: string}
  port.postMessage({error: {message: e.message, code: e.code, name: e.name}} satisfies WorkerMessage)
}

const baseOptions = (onMalformed: ReadOptions['onMalformed']): ReadOptions => ({
  format: job.format,
  parsers: job.parsers,
  maxLineBytes: job.maxLineBytes,
  columns,
  fileIndex: () => job.file,
  onMalformed,
})

if (job.ranges) {
  const ranges = job.ranges
  const perRun = ranges.length > 4 ? PER_RUN_OF_MANY : PER_RUN
  const credits = ranges.map(() => new Credits(perRun.credits))
  port.on('message', ({columns: read, range}: {columns: Columns; range?: number}) => {
    columns.put(read)
    credits[range!].back()
  })
  // The runs are read side by side, each as far as the replay has taken its batches.
  await Promise.all(ranges.map((range, i) => parseRange(range, i, credits[i], perRun))).catch(postError)
} else {
  await parseWhole().catch(postError)
}

/** One run of the file, [start, end) cut at line starts, its lines numbered from its start. */
async function parseRange({start, end}: ByteRange, range: number, credits: Credits, {rows, chunk}: typeof PER_RUN): Promise<void> {
  const stats = emptyStats()
  let malformed: Array<[number, string]> = []
  let bytesRead = 0
  let lines = 0
  const source: ByteSource = {
    kind: 'bytes',
    name: job.path,
    reopenable: true,
    // eslint-disable-next-line @typescript-eslint/require-await -- an async generator, as the interface asks
    async *objects() {
      yield {name: job.path, bytes: linesStartingIn(job.path, start, end, chunk), plainText: true}
    },
  }
  const options: ReadOptions = {
    ...baseOptions((_, line, reason) => malformed.push([line, reason])),
    onBytes: (bytes) => (bytesRead = bytes),
    onObjectEnd: (n) => (lines = n),
  }
  for await (const batch of readBatches(source, options, stats, rows)) {
    port.postMessage({batch, malformed, bytesRead, range} satisfies WorkerMessage)
    malformed = []
    await credits.spend()
  }

  port.postMessage({rangeEnd: {range, lines, malformed, bytesRead, stats}} satisfies WorkerMessage)
}

/** The whole file, or every other block of it (its blockEnd messages say where each ends). */
async function parseWhole(): Promise<void> {
  const credits = new Credits(CREDITS)
  port.on('message', ({columns: read}: {columns: Columns}) => {
    columns.put(read)
    credits.back()
  })
  let malformed: Array<[number, string]> = []
  let bytesRead = 0
  const blocks = job.blocks && new FileBlocks(job.path, job.blocks)
  const progress = () => blocks?.bytesStarted ?? bytesRead
  const stats = emptyStats()
  const options: ReadOptions = {
    ...baseOptions((_, line, reason) => malformed.push([line, reason])),
    onBytes: blocks ? undefined : (bytes: number) => (bytesRead = bytes),
    onObjectEnd: blocks
      ? (lines: number) => {
          port.postMessage({blockEnd: {lines, malformed, bytesRead: progress()}} satisfies WorkerMessage)
          malformed = []
        }
      : undefined,
  }
  for await (const batch of readBatches(blocks ?? new FileSource(job.path), options, stats, BATCH)) {
    port.postMessage({batch, malformed, bytesRead: progress()} satisfies WorkerMessage)
    malformed = []
    await credits.spend()
  }

  port.postMessage({done: {malformed, bytesRead: progress(), stats}} satisfies WorkerMessage)
}
