import {parentPort, workerData} from 'node:worker_threads'

import {recycle, type Where} from './records.js'
import type {ParseJob, ParsedBatch} from './worker-reader.js'

import {readLog} from './readers.js'

/**
 * Reads and parses one log on its own thread, so that the main thread only enforces.
 * Records cross over as typed arrays; strings (routes, key ids, key values) are sent
 * once each and referred to by number afterwards.
 */
const job = workerData as ParseJob
const port = parentPort!
// Flow control: at most a few batches in flight, so a fast reader cannot fill memory.
let credits = 4
let wake: (() => void) | undefined
port.on('message', () => {
  credits++
  wake?.()
  wake = undefined
})

const wheres = new Map<Where, number>()
const strings = new Map<string, number>()
let newWheres: ParsedBatch['newWheres'] = []
let newStrings: string[] = []
let malformed: ParsedBatch['malformed'] = []
let bytesRead = 0

const idOf = (value: string | undefined): number => {
  if (value === undefined) return -1
  let id = strings.get(value)
  if (id === undefined) {
    id = strings.size
    strings.set(value, id)
    newStrings.push(value)
  }

  return id
}

try {
  const source = {path: job.path, index: job.index}
  const options = {
    format: job.format,
    fields: job.fields,
    onMalformed: (_: unknown, line: number, reason: string) => malformed.push([line, reason]),
    onProgress: (_: unknown, bytes: number) => (bytesRead = bytes),
  }
  for await (const records of readLog(source, options)) {
    const n = records.length
    const batch: ParsedBatch = {
      t: new Float64Array(n),
      line: new Float64Array(n),
      status: new Uint16Array(n),
      coarse: new Uint8Array(n),
      where: new Int32Array(n),
      keyId: new Int32Array(n),
      keyValue: new Int32Array(n),
      newWheres: [],
      newStrings: [],
      malformed: [],
      bytesRead: 0,
    }
    for (let i = 0; i < n; i++) {
      const rec = records[i]
      batch.t[i] = rec.t
      batch.line[i] = rec.line
      batch.status[i] = rec.status
      batch.coarse[i] = rec.coarse ? 1 : 0
      let w = wheres.get(rec.where)
      if (w === undefined) {
        w = wheres.size
        wheres.set(rec.where, w)
        newWheres.push([rec.where.apiId, rec.where.stage, rec.where.resourcePath, rec.where.httpMethod])
      }

      batch.where[i] = w
      batch.keyId[i] = idOf(rec.apiKeyId)
      batch.keyValue[i] = idOf(rec.apiKey)
      recycle(rec)
    }

    batch.newWheres = newWheres
    batch.newStrings = newStrings
    batch.malformed = malformed
    batch.bytesRead = bytesRead
    newWheres = []
    newStrings = []
    malformed = []
    port.postMessage({batch}, [batch.t, batch.line, batch.status, batch.coarse, batch.where, batch.keyId, batch.keyValue].map((a) => a.buffer as ArrayBuffer))
    if (--credits <= 0) await new Promise<void>((resolve) => (wake = resolve))
  }

  port.postMessage({done: {malformed, bytesRead}})
} catch (error) {
  const e = error as Error & {code?: string}
  port.postMessage({error: {message: e.message, code: e.code, name: e.name}})
}
