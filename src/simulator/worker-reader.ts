import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'

import {badInput} from '../model/errors.js'
import type {LogFormat, ParserOptions} from './formats.js'
import type {ReadOptions, SourceStats} from './readers.js'
import type {FileSource} from './sources.js'

import {type LogRecord, makeRecord, Where} from './records.js'

export interface ParseJob {
  path: string
  /** The replay's number for this file, carried by its records. */
  file: number
  format: LogFormat
  parsers: ParserOptions
  maxLineBytes: number
}

/**
 * One chunk of parsed records as typed arrays. Strings (routes, key ids, key values,
 * response types) are sent once and referred to by number afterwards; request ids
 * (one per line) and strings past the table limit travel with their batch only.
 */
export interface ParsedBatch {
  t: Float64Array
  line: Float64Array
  status: Uint16Array
  coarse: Uint8Array
  where: Int32Array
  /** A string: >= 0 an index into the strings sent so far, -1 none, <= -2 index -2 - i into `inline`. */
  keyId: Int32Array
  keyValue: Int32Array
  responseType: Int32Array
  requestIds?: Array<string | undefined>
  newWheres: Array<[string | undefined, string | undefined, string | undefined, string | undefined]>
  /** Routes past the table limit, referred to as -2 - i. */
  inlineWheres: Array<[string | undefined, string | undefined, string | undefined, string | undefined]>
  newStrings: string[]
  inline: string[]
  malformed: Array<[number, string]>
  bytesRead: number
}

export type WorkerMessage =
  | {batch: ParsedBatch}
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
 * so that the main thread only enforces, and this generator turns their typed arrays
 * back into records.
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

  const wheres: Where[] = []
  const strings: string[] = []
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

      const b = message.batch
      for (const [apiId, stage, path, method] of b.newWheres) wheres.push(new Where(apiId, stage, path, method))
      for (const s of b.newStrings) strings.push(s)
      report(b.malformed, b.bytesRead)
      const string = (id: number) => (id >= 0 ? strings[id] : id === -1 ? undefined : b.inline[-2 - id])
      const where = (id: number) => (id >= 0 ? wheres[id] : new Where(...b.inlineWheres[-2 - id]))
      const records: LogRecord[] = Array.from({length: b.t.length})
      for (let i = 0; i < records.length; i++) {
        records[i] = makeRecord(
          b.t[i],
          b.coarse[i] === 1,
          b.line[i],
          job.file,
          b.status[i],
          where(b.where[i]),
          string(b.keyId[i]),
          string(b.keyValue[i]),
          b.requestIds?.[i],
          string(b.responseType[i]),
        )
      }

      worker.postMessage('more')
      yield records
    }
  } finally {
    await worker.terminate()
  }
}
