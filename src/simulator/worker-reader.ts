import {existsSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'

import {badInput} from '../model/errors.js'
import type {LogFormat, ParserOptions} from './formats.js'
import {isPlainJsonLines, type ReadOptions, type SourceStats} from './readers.js'
import {columnsOf, type RecordBatch, RecordReader, transferList} from './record-batch.js'
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
}

type Malformed = Array<[line: number, reason: string]>

/** Line numbers in messages count from the start of the file, or of the block for a blockEnd's thread. */
export type WorkerMessage =
  | {batch: RecordBatch; malformed: Malformed; bytesRead: number}
  | {blockEnd: {lines: number; malformed: Malformed; bytesRead: number}}
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

/** One parse thread, its messages queued as they come. */
class ParseThread {
  private readonly worker: Worker
  private readonly inbox: WorkerMessage[] = []
  private notify: (() => void) | undefined
  private failure: Error | undefined
  readonly reader = new RecordReader()
  bytesRead = 0

  constructor(job: ParseJob) {
    // A parse thread makes little garbage (its batches' columns come back to it), so a small young generation
    // does: V8's default lets each thread's heap take tens of megabytes more, which two threads add to a replay's peak.
    this.worker = new Worker(WORKER, {workerData: job, resourceLimits: {maxYoungGenerationSizeMb: 4}})
    this.worker.on('message', (message: WorkerMessage) => {
      this.inbox.push(message)
      this.notify?.()
    })
    this.worker.on('error', (error) => {
      this.failure = error
      this.notify?.()
    })
  }

  async next(): Promise<Exclude<WorkerMessage, {error: unknown}>> {
    while (this.inbox.length === 0 && !this.failure) await new Promise<void>((resolve) => (this.notify = resolve))
    if (this.failure) throw this.failure
    const message = this.inbox.shift()!
    if ('error' in message) throw message.error.name === 'GwctlError' ? badInput(message.error.message) : new Error(message.error.message)
    return message
  }

  /** The batch has been read: its columns go back for the thread to write another batch into. */
  more(batch: RecordBatch): void {
    const columns = columnsOf(batch)
    this.worker.postMessage(columns, transferList(columns))
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
 * readLog's twin for large files: the same reader and parsers run in worker threads,
 * so that the main thread only enforces, and this generator turns their batches into
 * records. A plain JSON-lines file is cut into blocks that the threads parse in turn
 * (0, 2, 4, ... and 1, 3, 5, ...); the blocks' records are taken back in file order,
 * so that replay sees the same lines in the same order, numbered as in the file.
 */
export async function* readLogInWorker(
  source: FileSource,
  options: ReadOptions,
  stats: SourceStats,
  {threads = PARSE_THREADS, blockBytes = BLOCK_BYTES}: ThreadOptions = {},
): AsyncGenerator<LogRecord[]> {
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
          const records = thread.reader.records(message.batch, linesBefore)
          thread.more(message.batch)
          yield records
        } else if ('blockEnd' in message) {
          report(thread, message.blockEnd.malformed, message.blockEnd.bytesRead)
          linesBefore += message.blockEnd.lines
          break
        } else {
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

function addStats(stats: SourceStats, more: SourceStats): void {
  stats.format ||= more.format
  stats.lines += more.lines
  stats.keyFieldLines += more.keyFieldLines
}
