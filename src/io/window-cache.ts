import {createHash} from 'node:crypto'
import {createReadStream, mkdirSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {createInterface} from 'node:readline'
import {createGunzip, gzipSync} from 'node:zlib'

import {badInput} from '../model/errors.js'
import type {FetchedEvent, WindowCache, WindowWriter} from '../model/live-logs.js'

/** Events per batch read back from a cached window. */
const BATCH = 4096
/** Events gathered before a piece is compressed and appended to the window's file. */
const PIECE = 8192

/**
 * Fetched windows of CloudWatch Logs events kept in a directory (`simulate --cache DIR`),
 * so that a replay with other limits does not fetch the same events again. One file per
 * window, named by a hash of what was fetched (log group, source, stream prefix, time
 * range): gzip JSON lines `[timestamp, message]`, written beside its final name and
 * renamed into place when the window was read whole, so that a file there is complete.
 */
export class DirectoryWindowCache implements WindowCache {
  constructor(private readonly dir: string) {
    try {
      mkdirSync(dir, {recursive: true})
      if (!statSync(dir).isDirectory()) throw new Error('not a directory')
    } catch (error) {
      throw badInput(`--cache ${dir}: cannot use it as a directory (${(error as Error).message})`)
    }
  }

  private fileOf(key: string): string {
    return join(this.dir, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.jsonl.gz`)
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- the interface is async; a stat is quick
  async read(key: string): Promise<AsyncIterable<FetchedEvent[]> | undefined> {
    const file = this.fileOf(key)
    try {
      statSync(file)
    } catch {
      return undefined
    }

    return readWindow(file)
  }

  write(key: string): WindowWriter {
    const file = this.fileOf(key)
    const partial = `${file}.${process.pid}.part`
    let pending: string[] = []
    let started = false
    const flush = () => {
      if (pending.length === 0 && started) return
      writeFileSync(partial, gzipSync(pending.length > 0 ? pending.join('\n') + '\n' : ''), {flag: started ? 'a' : 'w'})
      started = true
      pending = []
    }

    return {
      add(events) {
        for (const e of events) pending.push(JSON.stringify([e.timestamp, e.message]))
        if (pending.length >= PIECE) flush()
      },
      async commit() {
        flush()
        renameSync(partial, file)
        await Promise.resolve()
      },
      discard() {
        rmSync(partial, {force: true})
      },
    }
  }
}

/** A window's file (gzip members one after another) as batches of events. */
async function* readWindow(file: string): AsyncGenerator<FetchedEvent[]> {
  const lines = createInterface({input: createReadStream(file).pipe(createGunzip()), crlfDelay: Number.POSITIVE_INFINITY})
  let batch: FetchedEvent[] = []
  for await (const line of lines) {
    if (line === '') continue
    const [timestamp, message] = JSON.parse(line) as [number, string]
    batch.push({timestamp, message})
    if (batch.length >= BATCH) {
      yield batch
      batch = []
    }
  }

  if (batch.length > 0) yield batch
}
