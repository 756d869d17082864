import {parentPort, workerData} from 'node:worker_threads'

import {readLog, type SourceStats} from './readers.js'
import {type LogRecord, recycle, type Where} from './records.js'
import {FileSource} from './sources.js'
import type {ParseJob, ParsedBatch, WorkerMessage} from './worker-reader.js'

/**
 * Reads and parses one log file on its own thread, so that the main thread only
 * enforces. Records cross over as typed arrays (see ParsedBatch).
 */
const job = workerData as ParseJob
const port = parentPort!
// Flow control: at most a few batches in flight, so a fast reader cannot fill memory.
let credits = 6
/**
 * Records per message. Large enough that each thread has work queued while the other
 * runs: on a busy machine a thread woken for every small batch waits for the
 * scheduler more than it works.
 */
const BATCH = 1 << 13
let wake: (() => void) | undefined
port.on('message', () => {
  credits++
  wake?.()
  wake = undefined
})

/** Past this many routes or strings (a hostile log), new ones travel with their batch only. */
const TABLE_LIMIT = 1 << 16
const wheres = new Map<Where, number>()
const strings = new Map<string, number>()
let newWheres: ParsedBatch['newWheres'] = []
let inlineWheres: ParsedBatch['newWheres'] = []
let newStrings: string[] = []
let inline: string[] = []
let malformed: ParsedBatch['malformed'] = []
let bytesRead = 0

const idOf = (value: string | undefined): number => {
  if (value === undefined) return -1
  let id = strings.get(value)
  if (id === undefined) {
    if (strings.size >= TABLE_LIMIT) return -2 - (inline.push(value) - 1)
    id = strings.size
    strings.set(value, id)
    newStrings.push(value)
  }

  return id
}

const whereOf = (where: Where): number => {
  let w = wheres.get(where)
  if (w === undefined) {
    const fields: [string | undefined, string | undefined, string | undefined, string | undefined] = [
      where.apiId,
      where.stage,
      where.resourcePath,
      where.httpMethod,
    ]
    if (wheres.size >= TABLE_LIMIT) return -2 - (inlineWheres.push(fields) - 1)
    w = wheres.size
    wheres.set(where, w)
    newWheres.push(fields)
  }

  return w
}

try {
  const stats: SourceStats = {format: '', lines: 0, keyFieldLines: 0}
  const options = {
    format: job.format,
    parsers: job.parsers,
    maxLineBytes: job.maxLineBytes,
    fileIndex: () => job.file,
    onMalformed: (_: string, line: number, reason: string) => malformed.push([line, reason]),
    onBytes: (bytes: number) => (bytesRead = bytes),
  }
  let pending: LogRecord[] = []
  const send = async () => {
    const records = pending
    pending = []
    const n = records.length
    const batch: ParsedBatch = {
      t: new Float64Array(n),
      line: new Float64Array(n),
      status: new Uint16Array(n),
      coarse: new Uint8Array(n),
      where: new Int32Array(n),
      keyId: new Int32Array(n),
      keyValue: new Int32Array(n),
      responseType: new Int32Array(n),
      requestIds: job.parsers.requestIds ? Array.from<string | undefined>({length: n}) : undefined,
      newWheres: [],
      inlineWheres: [],
      newStrings: [],
      inline: [],
      malformed: [],
      bytesRead: 0,
    }
    for (let i = 0; i < n; i++) {
      const rec = records[i]
      batch.t[i] = rec.t
      batch.line[i] = rec.line
      batch.status[i] = rec.status
      batch.coarse[i] = rec.coarse ? 1 : 0
      batch.where[i] = whereOf(rec.where)
      batch.keyId[i] = idOf(rec.apiKeyId)
      batch.keyValue[i] = idOf(rec.apiKey)
      batch.responseType[i] = idOf(rec.responseType)
      if (batch.requestIds) batch.requestIds[i] = rec.requestId
      recycle(rec)
    }

    Object.assign(batch, {newWheres, inlineWheres, newStrings, inline, malformed, bytesRead})
    newWheres = []
    inlineWheres = []
    newStrings = []
    inline = []
    malformed = []
    const arrays = [batch.t, batch.line, batch.status, batch.coarse, batch.where, batch.keyId, batch.keyValue, batch.responseType]
    port.postMessage(
      {batch} satisfies WorkerMessage,
      arrays.map((a) => a.buffer as ArrayBuffer),
    )
    if (--credits <= 0) await new Promise<void>((resolve) => (wake = resolve))
  }

  for await (const records of readLog(new FileSource(job.path), options, stats)) {
    for (const rec of records) pending.push(rec)
    if (pending.length >= BATCH) await send()
  }

  if (pending.length > 0) await send()
  port.postMessage({done: {malformed, bytesRead, stats}} satisfies WorkerMessage)
} catch (error) {
  const e = error as Error & {code?: string}
  port.postMessage({error: {message: e.message, code: e.code, name: e.name}} satisfies WorkerMessage)
}
