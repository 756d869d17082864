import {parentPort, workerData} from 'node:worker_threads'

import {emptyStats, readBatches} from './readers.js'
import {type Columns, ColumnPool, transferList} from './record-batch.js'
import {FileBlocks, FileSource} from './sources.js'
import type {ParseJob, WorkerMessage} from './worker-reader.js'

/**
 * Reads and parses one log file, or its share of the file's blocks, on its own
 * thread, so that the main thread only enforces. Records cross over as the parsers
 * wrote them: typed arrays, moved, not copied (see RecordBatch).
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
const columns = new ColumnPool()
// Each batch taken comes back as its columns: one more batch may go, written into them.
port.on('message', (read: Columns) => {
  columns.put(read)
  credits++
  wake?.()
  wake = undefined
})

let malformed: Array<[number, string]> = []
let bytesRead = 0

const blocks = job.blocks && new FileBlocks(job.path, job.blocks)
const progress = () => blocks?.bytesStarted ?? bytesRead

try {
  const stats = emptyStats()
  const options = {
    format: job.format,
    parsers: job.parsers,
    maxLineBytes: job.maxLineBytes,
    columns,
    fileIndex: () => job.file,
    onMalformed: (_: string, line: number, reason: string) => malformed.push([line, reason]),
    onBytes: blocks ? undefined : (bytes: number) => (bytesRead = bytes),
    onObjectEnd: blocks
      ? (lines: number) => {
          port.postMessage({blockEnd: {lines, malformed, bytesRead: progress()}} satisfies WorkerMessage)
          malformed = []
        }
      : undefined,
  }
  for await (const batch of readBatches(blocks ?? new FileSource(job.path), options, stats, BATCH)) {
    port.postMessage({batch, malformed, bytesRead: progress()} satisfies WorkerMessage, transferList(batch))
    malformed = []
    if (--credits <= 0) await new Promise<void>((resolve) => (wake = resolve))
  }

  port.postMessage({done: {malformed, bytesRead: progress(), stats}} satisfies WorkerMessage)
} catch (error) {
  const e = error as Error & {code?: string}
  port.postMessage({error: {message: e.message, code: e.code, name: e.name}} satisfies WorkerMessage)
}
