import {existsSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'

import {badInput} from '../model/errors.js'
import type {LogFormat, ParserOptions} from './formats.js'
import {isPlainJsonLines, type ReadOptions, type SourceStats} from './readers.js'
import {columnsOf, type RecordBatch, RecordReader, Rows} from './record-batch.js'
import type {LogRecord} from './records.js'
import type {BlockShare, FileSource} from './sources.js'

export interface ParseJob {
  path: string
  /** The replay's number for this file, carried by its records. */
  file: number
  format: LogFormat
  parsers: ParserOptions
  maxLineBytes: number
  /** Only these blocks of the file (`bytes` each): first, first + step, ... below count; each ends with a blockEnd message. */
  blocks?: BlockShare
  /** Or these runs of the file, read side by side, each as far as its batches are taken; each ends with a rangeEnd message. */
  ranges?: ByteRange[]
}

/** Bytes [start, end) of a file, cut at line starts. */
export interface ByteRange {
  start: number
  end: number
}

type Malformed = Array<[line: number, reason: string]>

/** Line numbers in messages count from the start of the file, or of the block or range for a blockEnd's or rangeEnd's thread. */
export type WorkerMessage =
  | {batch: RecordBatch; malformed: Malformed; bytesRead: number; range?: number}
  | {blockEnd: {lines: number; malformed: Malformed; bytesRead: number}}
  | {rangeEnd: {range: number; lines: number; malformed: Malformed; bytesRead: number; stats: SourceStats}}
  | {done: {malformed: Malformed; bytesRead: number; stats: SourceStats}}
  | {error: {message: string; code?: string; name: string}}

/** The compiled worker script; absent when running from the TypeScript sources, which then parse in-thread. */
const WORKER = new URL('parse-worker.js', import.meta.url)

/** Smaller files are not worth a thread's start-up. */
export const WORKER_MIN_BYTES = 16 << 20

/**
 * How a large plain JSON-lines file is shared between parse threads: in blocks taken
 * in turn, large enough that a block's start-up (opening the file, learning the
 * layout) is lost in its lines, small enough that both threads start at once.
 */
export const BLOCK_BYTES = 8 << 20

/**
 * Parse threads for one file: two where there are two cores, as the parsing of a
 * line costs more than enforcing it, so that one parse thread leaves the enforcing
 * thread waiting; more would only compete with the enforcing thread.
 */
export const PARSE_THREADS = Math.min(2, availableParallelism())

export function canParseInWorker(source: FileSource, minBytes: number): boolean {
  return source.size >= minBytes && existsSync(fileURLToPath(WORKER))
}

/** One parse thread, its messages queued as they come: one queue, or one per range it reads. */
class ParseThread {
  private readonly worker: Worker
  private readonly inboxes: WorkerMessage[][] = [[]]
  private notify: (() => void) | undefined
  private failure: Error | undefined
  /** The thread's error message, once it came. */
  private errorMessage: WorkerMessage | undefined
  readonly reader = new RecordReader()
  bytesRead = 0

  constructor(job: ParseJob) {
    // A parse thread makes little garbage (its batches' columns come back to it), so a small young generation
    // does: V8's default lets each thread's heap take tens of megabytes more, which two threads add to a replay's peak.
    this.worker = new Worker(WORKER, {workerData: job, resourceLimits: {maxYoungGenerationSizeMb: 4}})
    this.worker.on('message', (message: WorkerMessage) => {
      if ('error' in message) {
        // After what came before it in each queue: whichever range is read next meets it.
        this.errorMessage = message
        for (const inbox of this.inboxes) inbox?.push(message)
      } else {
        const range = 'range' in message ? message.range : 'rangeEnd' in message ? message.rangeEnd.range : 0
        this.inboxOf(range ?? 0).push(message)
      }

      this.notify?.()
    })
    this.worker.on('error', (error) => {
      this.failure = error
      this.notify?.()
    })
  }

  /** The next message (of the range, when the thread reads several); an error of the thread's is thrown whatever range it came from. */
  async next(range = 0): Promise<Exclude<WorkerMessage, {error: unknown}>> {
    const inbox = this.inboxOf(range)
    while (inbox.length === 0 && !this.failure) await new Promise<void>((resolve) => (this.notify = resolve))
    if (this.failure) throw this.failure
    const message = inbox.shift()!
    if ('error' in message) throw message.error.name === 'GwctlError' ? badInput(message.error.message) : new Error(message.error.message)
    return message
  }

  private inboxOf(range: number): WorkerMessage[] {
    return (this.inboxes[range] ??= this.errorMessage ? [this.errorMessage] : [])
  }

  /** The batch has been read: its columns go back for the thread to write another batch into (of the same range). */
  more(batch: RecordBatch, range?: number): void {
    this.worker.postMessage({columns: columnsOf(batch), range})
  }

  async stop(): Promise<void> {
    await this.worker.terminate()
  }
}

export interface ThreadOptions {
  /** Parse threads for a file that can be split (default PARSE_THREADS). */
  threads?: number
  /** Block size when split (default BLOCK_BYTES). */
  blockBytes?: number
}

/**
 * readRows' twin for large files: the same reader and parsers run in worker threads,
 * so that the main thread only enforces, and this generator yields their batches as
 * rows, each handed back to its thread once replay lets go of it. A plain JSON-lines
 * file is cut into blocks that the threads parse in turn (0, 2, 4, ... and 1, 3,
 * 5, ...); the blocks' records are taken back in file order, so that replay sees the
 * same lines in the same order, numbered as in the file.
 */
export async function* readLogInWorker(
  source: FileSource,
  options: ReadOptions,
  stats: SourceStats,
  {threads = PARSE_THREADS, blockBytes = BLOCK_BYTES}: ThreadOptions = {},
): AsyncGenerator<Rows> {
  const job: ParseJob = {
    path: source.path,
    file: options.fileIndex(source.path),
    format: options.format,
    parsers: options.parsers,
    maxLineBytes: options.maxLineBytes,
  }
  const count = Math.ceil(source.size / blockBytes)
  const split = threads > 1 && count > 1 && isPlainJsonLines(source.head(), options.format)
  const step = Math.min(threads, count)
  // The file's first line told the format; a block's first line may be any line, so every thread is told it.
  const pool = split
    ? Array.from({length: step}, (_, first) => new ParseThread({...job, format: 'jsonl', blocks: {bytes: blockBytes, first, step, count, size: source.size}}))
    : [new ParseThread(job)]

  let linesBefore = 0
  const report = (thread: ParseThread, malformed: Malformed, bytesRead: number) => {
    for (const [line, reason] of malformed) options.onMalformed(source.path, linesBefore + line, reason)
    thread.bytesRead = bytesRead
    options.onBytes?.(pool.reduce((sum, t) => sum + t.bytesRead, 0))
  }

  try {
    // Unsplit, the one thread's messages run to `done`; split, block b's come from thread b % threads and end at its blockEnd.
    for (let block = 0; split ? block < count : true; block++) {
      const thread = pool[block % pool.length]
      for (;;) {
        const message = await thread.next()
        if ('batch' in message) {
          report(thread, message.malformed, message.bytesRead)
          const {batch} = message
          thread.reader.enter(batch)
          yield new Rows(batch, thread.reader, linesBefore, () => thread.more(batch))
        } else if ('blockEnd' in message) {
          report(thread, message.blockEnd.malformed, message.blockEnd.bytesRead)
          linesBefore += message.blockEnd.lines
          break
        } else {
          if (!('done' in message)) throw new Error(`a parse thread of ${source.path} sent a run's message`)
          report(thread, message.done.malformed, message.done.bytesRead)
          addStats(stats, message.done.stats)
          if (!split) return
          throw new Error(`a parse thread ended before block ${block} of ${source.path}`)
        }
      }
    }

    for (const thread of pool) {
      const message = await thread.next()
      if (!('done' in message)) throw new Error(`a parse thread of ${source.path} went on after its last block`)
      report(thread, message.done.malformed, message.done.bytesRead)
      addStats(stats, message.done.stats)
    }
  } finally {
    await Promise.all(pool.map((thread) => thread.stop()))
  }
}

/** A record of a run: its time and line (numbered as the run's records are). */
export interface RunLine {
  t: number
  line: number
}

/**
 * A run of a file, parsed in a worker thread as far as the replay takes its records,
 * a batch at a time: `batch` from `at` on. Checks that the run is in time order, and
 * keeps its first record and its last two: what the check for lines dated far ahead
 * needs of a run in order (see Pass.inFileOrder in simulate.ts).
 */
export class RunReader {
  batch: RecordBatch | undefined
  at = 0
  /** Whether every record so far came at or after the one before it. */
  ordered = true
  /** Whether a record had a one-second time. */
  coarse = false
  count = 0
  first: RunLine = {t: 0, line: 0}
  secondLast = 0
  last: RunLine = {t: 0, line: 0}
  ended = false
  /** Once the run has ended: its line count, its malformed lines (the first `keep`, numbered from its start) and how many there were. */
  lines = 0
  readonly malformed: Malformed = []
  malformedCount = 0
  private readonly reader = new RecordReader()

  constructor(
    private readonly thread: ParseThread,
    private readonly range: number,
    private readonly linesBefore: number,
    private readonly keep: number,
    private readonly stats: SourceStats,
    private readonly onBytes: (bytesRead: number) => void,
  ) {}

  /** The batch's i-th record. */
  record(i: number): LogRecord {
    return this.reader.record(this.batch!, i, this.linesBefore)
  }

  /** Hands the batch taken back to the thread and waits for the next one; false at the run's end. */
  async load(): Promise<boolean> {
    if (this.batch !== undefined) this.thread.more(this.batch, this.range)
    this.batch = undefined
    this.at = 0
    for (;;) {
      const message = await this.thread.next(this.range)
      if ('batch' in message) {
        this.note(message.malformed, message.bytesRead)
        if (message.batch.length === 0) continue
        this.reader.enter(message.batch)
        this.check(message.batch)
        this.batch = message.batch
        return true
      }

      if (!('rangeEnd' in message)) throw new Error('a parse thread sent a message of another kind than its runs')
      const end = message.rangeEnd
      this.note(end.malformed, end.bytesRead)
      this.lines = end.lines
      addStats(this.stats, end.stats)
      this.ended = true
      return false
    }
  }

  private check({t, line, coarse, length}: RecordBatch): void {
    if (this.count > 0 && t[0] < this.last.t) this.ordered = false
    for (let i = 1; i < length; i++) if (t[i] < t[i - 1]) this.ordered = false
    for (let i = 0; i < length; i++) if (coarse[i] === 1) this.coarse = true
    if (this.count === 0) this.first = {t: t[0], line: line[0] + this.linesBefore}
    this.secondLast = length > 1 ? t[length - 2] : this.last.t
    this.last = {t: t[length - 1], line: line[length - 1] + this.linesBefore}
    this.count += length
  }

  private note(malformed: Malformed, bytesRead: number): void {
    this.malformedCount += malformed.length
    for (const m of malformed) if (this.malformed.length < this.keep) this.malformed.push(m)
    this.onBytes(bytesRead)
  }
}

/**
 * The runs of a plain JSON-lines file (cut at `cuts`, see natural-runs.ts), each parsed
 * in a worker thread as far as the replay has taken its records: the replay merges
 * them by time as they come. Run r's records are numbered from r * LINE_SPAN: its
 * line numbers in the file are known only once the runs before it have been read.
 * Its stats are added to `stats` as each run ends.
 */
export function readRunsInWorkers(
  source: FileSource,
  cuts: readonly number[],
  options: ReadOptions,
  stats: SourceStats,
  keep: number,
  {threads = PARSE_THREADS}: ThreadOptions = {},
): {runs: RunReader[]; stop: () => Promise<void>} {
  const ranges = cuts.map((start, i) => ({start, end: cuts[i + 1] ?? source.size}))
  const job: Omit<ParseJob, 'ranges'> = {
    path: source.path,
    file: options.fileIndex(source.path),
    format: 'jsonl',
    parsers: options.parsers,
    maxLineBytes: options.maxLineBytes,
  }
  // Runs taken side by side go to different threads: run r to thread r % threads.
  const count = Math.min(threads, ranges.length)
  const shares = Array.from({length: count}, (_, t) => ranges.filter((_, r) => r % count === t))
  const pool = shares.map((share) => new ParseThread({...job, ranges: share}))
  const bytesRead = new Float64Array(ranges.length)
  const runs = ranges.map(
    (_, r) =>
      new RunReader(pool[r % count], Math.floor(r / count), r * LINE_SPAN, keep, stats, (bytes) => {
        bytesRead[r] = bytes
        options.onBytes?.(bytesRead.reduce((a, b) => a + b, 0))
      }),
  )
  return {runs, stop: async () => void (await Promise.all(pool.map((thread) => thread.stop())))}
}

/** How far apart the line numbers of runs are until their true numbers are known (lines < 2^40, runs < 2^12: exact in a double). */
export const LINE_SPAN = 2 ** 40

function addStats(stats: SourceStats, more: SourceStats): void {
  stats.format ||= more.format
  stats.lines += more.lines
  stats.keyFieldLines += more.keyFieldLines
}
