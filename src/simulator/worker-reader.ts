import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'

import {badInput} from '../model/errors.js'
import type {LogFormat, ParserOptions} from './formats.js'
import type {ReadOptions, SourceStats} from './readers.js'
import {type RecordBatch, RecordReader} from './record-batch.js'
import type {LogRecord} from './records.js'
import type {FileSource} from './sources.js'

export interface ParseJob {
  path: string
  /** The replay's number for this file, carried by its records. */
  file: number
  format: LogFormat
  parsers: ParserOptions
  maxLineBytes: number
}

export type WorkerMessage =
  | {batch: RecordBatch; malformed: Array<[number, string]>; bytesRead: number}
  | {done: {malformed: Array<[number, string]>; bytesRead: number; stats: SourceStats}}
  | {error: {message: string; code?: string; name: string}}

/** The compiled worker script; absent when running from the TypeScript sources, which then parse in-thread. */
const WORKER = new URL('parse-worker.js', import.meta.url)

/** Smaller files are not worth a thread's start-up. */
export const WORKER_MIN_BYTES = 16 << 20

export function canParseInWorker(source: FileSource, minBytes: number): boolean {
  return source.size >= minBytes && existsSync(fileURLToPath(WORKER))
}

/**
 * readLog's twin for large files: the same reader and parsers run in a worker thread,
 * so that the main thread only enforces, and this generator turns their batches into
 * records.
 */
export async function* readLogInWorker(source: FileSource, options: ReadOptions, stats: SourceStats): AsyncGenerator<LogRecord[]> {
  const job: ParseJob = {
    path: source.path,
    file: options.fileIndex(source.path),
    format: options.format,
    parsers: options.parsers,
    maxLineBytes: options.maxLineBytes,
  }
  const worker = new Worker(WORKER, {workerData: job})
  const inbox: WorkerMessage[] = []
  let notify: (() => void) | undefined
  let failure: Error | undefined
  worker.on('message', (message: WorkerMessage) => {
    inbox.push(message)
    notify?.()
  })
  worker.on('error', (error) => {
    failure = error
    notify?.()
  })

  const reader = new RecordReader()
  const report = (malformed: Array<[number, string]>, bytesRead: number) => {
    for (const [line, reason] of malformed) options.onMalformed(source.path, line, reason)
    options.onBytes?.(bytesRead)
  }

  try {
    for (;;) {
      while (inbox.length === 0 && !failure) await new Promise<void>((resolve) => (notify = resolve))
      if (failure) throw failure
      const message = inbox.shift()!
      if ('error' in message) throw message.error.name === 'GwctlError' ? badInput(message.error.message) : new Error(message.error.message)
      if ('done' in message) {
        report(message.done.malformed, message.done.bytesRead)
        Object.assign(stats, message.done.stats)
        return
      }

      report(message.malformed, message.bytesRead)
      const records = reader.records(message.batch)
      worker.postMessage('more')
      yield records
    }
  } finally {
    await worker.terminate()
  }
}
