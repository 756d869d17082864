import {existsSync, statSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'

import {badInput} from '../model/errors.js'
import type {LogFormat} from './formats.js'
import type {FieldPaths, LogRecord} from './records.js'
import type {LogSource, ReadOptions} from './readers.js'

import {makeRecord, Where} from './records.js'

export interface ParseJob {
  path: string
  index: number
  format: LogFormat
  fields: FieldPaths
}

/** One chunk of parsed records as typed arrays, with the strings first used in it. */
export interface ParsedBatch {
  t: Float64Array
  line: Float64Array
  status: Uint16Array
  coarse: Uint8Array
  where: Int32Array
  /** Index into the strings sent so far, or -1. */
  keyId: Int32Array
  keyValue: Int32Array
  newWheres: Array<[string | undefined, string | undefined, string | undefined, string | undefined]>
  newStrings: string[]
  malformed: Array<[number, string]>
  bytesRead: number
}

type WorkerMessage = {batch: ParsedBatch} | {done: {malformed: Array<[number, string]>; bytesRead: number}} | {error: {message: string; code?: string; name: string}}

/** The compiled worker script; absent when running from the TypeScript sources, which then parse in-thread. */
const WORKER = new URL('parse-worker.js', import.meta.url)

/** Smaller files are not worth a thread's start-up. */
export const WORKER_MIN_BYTES = 16 << 20

export function canParseInWorker(path: string, minBytes: number): boolean {
  if (path === '-' || !existsSync(fileURLToPath(WORKER))) return false
  try {
    return statSync(path).size >= minBytes
  } catch {
    return false
  }
}

/**
 * readLog's twin for large files: the same reader and parsers run in a worker thread
 * and this generator turns their typed arrays back into records.
 */
export async function* readLogInWorker(source: LogSource, options: ReadOptions): AsyncGenerator<LogRecord[]> {
  const job: ParseJob = {path: source.path, index: source.index, format: options.format, fields: options.fields}
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
    for (const [line, reason] of malformed) options.onMalformed(source, line, reason)
    options.onProgress?.(source, bytesRead)
  }

  try {
    for (;;) {
      while (inbox.length === 0 && !failure) await new Promise<void>((resolve) => (notify = resolve))
      if (failure) throw failure
      const message = inbox.shift()!
      if ('error' in message) throw message.error.name === 'GwctlError' ? badInput(message.error.message) : new Error(message.error.message)
      if ('done' in message) {
        report(message.done.malformed, message.done.bytesRead)
        return
      }

      const b = message.batch
      for (const [apiId, stage, path, method] of b.newWheres) wheres.push(new Where(apiId, stage, path, method))
      for (const s of b.newStrings) strings.push(s)
      report(b.malformed, b.bytesRead)
      const records: LogRecord[] = new Array(b.t.length)
      for (let i = 0; i < records.length; i++) {
        const id = b.keyId[i]
        const value = b.keyValue[i]
        records[i] = makeRecord(b.t[i], b.coarse[i] === 1, b.line[i], source.index, b.status[i], wheres[b.where[i]], id < 0 ? undefined : strings[id], value < 0 ? undefined : strings[value])
      }

      worker.postMessage('more')
      yield records
    }
  } finally {
    await worker.terminate()
  }
}
