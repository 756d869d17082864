import {closeSync, openSync, rmSync, writeSync} from 'node:fs'

import {type ByteSource, type EventSource, FileSource, type LogEvent, type LogObject, type LogSource} from './sources.js'
import {LineSplitter} from './splitters.js'
import type {TempDir} from './temp-dir.js'

/**
 * The most of a stream kept: past it the copy is dropped, so that a long sorted
 * stream does not fill the disk; the source then cannot be read again (replay says so
 * and suggests --sort always if it needs to sort after all).
 */
export const COPY_LIMIT = 1 << 30

/**
 * Makes a source that can be read only once (stdin, a stream) readable again: the
 * first reading copies every chunk (or event) to the temporary directory as it is
 * taken; a later reading replays the copy and then goes on with the part of the
 * stream not read yet. Replay needs this to sort a log it was already replaying when
 * it found lines too far out of order.
 */
export function spooled(source: LogSource, temp: TempDir, limit = COPY_LIMIT): LogSource {
  return source.kind === 'bytes' ? new SpooledBytes(source, temp, limit) : new SpooledEvents(source, temp, limit)
}

/** How much has been copied, shared by a source's objects, and whether the copy was given up. */
class Budget {
  used = 0
  dropped = false

  constructor(readonly limit: number) {}

  /** Counts n more bytes; false once over the limit (from then on nothing is copied). */
  take(n: number): boolean {
    this.used += n
    if (this.used > this.limit) this.dropped = true
    return !this.dropped
  }
}

interface SavedObject {
  name: string
  path: string
  rest: AsyncIterator<Buffer>
  finished: boolean
}

class SpooledBytes implements ByteSource {
  readonly kind = 'bytes'
  private readonly saved: SavedObject[] = []
  private live?: AsyncIterator<LogObject>
  private liveDone = false
  private readonly budget: Budget

  constructor(
    private readonly source: ByteSource,
    private readonly temp: TempDir,
    limit: number,
  ) {
    this.budget = new Budget(limit)
  }

  get reopenable(): boolean {
    return !this.budget.dropped
  }

  get name(): string {
    return this.source.name
  }

  get size(): number | undefined {
    return this.source.size
  }

  async *objects(): AsyncIterable<LogObject> {
    if (this.budget.dropped) throw new Error(`${this.name} was longer than the copy kept of it, and cannot be read again`)
    for (const object of this.saved) {
      yield {name: object.name, bytes: this.replay(object)}
    }

    this.live ??= this.source.objects()[Symbol.asyncIterator]()
    while (!this.liveDone) {
      const next = await this.live.next()
      if (next.done) {
        this.liveDone = true
        return
      }

      const object: SavedObject = {
        name: next.value.name,
        path: this.temp.file(`copy-${Math.random().toString(36).slice(2)}-${this.saved.length}`),
        rest: next.value.bytes[Symbol.asyncIterator](),
        finished: false,
      }
      this.saved.push(object)
      yield {name: object.name, bytes: this.copying(object)}
    }
  }

  /** The live bytes, each chunk written to the copy before it is handed on (until the copy is too long to keep). */
  private async *copying(object: SavedObject): AsyncGenerator<Buffer> {
    let fd = openSync(object.path, 'a')
    try {
      for (;;) {
        const next = await object.rest.next()
        if (next.done) {
          object.finished = true
          return
        }

        if (fd >= 0 && this.budget.take(next.value.length)) writeSync(fd, next.value)
        else if (fd >= 0) {
          closeSync(fd)
          fd = -1
          for (const saved of this.saved) rmSync(saved.path, {force: true})
        }

        yield next.value
      }
    } finally {
      if (fd >= 0) closeSync(fd)
    }
  }

  /** The copy, then whatever of the stream was not read before. */
  private async *replay(object: SavedObject): AsyncGenerator<Buffer> {
    for await (const object_ of new FileSource(object.path).objects()) yield* object_.bytes
    if (!object.finished) yield* this.copying(object)
  }
}

class SpooledEvents implements EventSource {
  readonly kind = 'events'
  private readonly path: string
  private live?: AsyncIterator<readonly LogEvent[]>
  private liveDone = false
  private readonly budget: Budget

  constructor(
    private readonly source: EventSource,
    temp: TempDir,
    limit: number,
  ) {
    this.path = temp.file(`events-${Math.random().toString(36).slice(2)}`)
    this.budget = new Budget(limit)
  }

  get reopenable(): boolean {
    return !this.budget.dropped
  }

  get name(): string {
    return this.source.name
  }

  async *events(): AsyncIterable<readonly LogEvent[]> {
    if (this.budget.dropped) throw new Error(`${this.name} was longer than the copy kept of it, and cannot be read again`)
    if (this.live !== undefined) yield* this.replay()
    this.live ??= this.source.events()[Symbol.asyncIterator]()
    let fd = openSync(this.path, 'a')
    try {
      while (!this.liveDone) {
        const next = await this.live.next()
        if (next.done) {
          this.liveDone = true
          return
        }

        // One JSON line per event: [timestamp, message].
        const text = next.value.map((e) => JSON.stringify([e.timestamp ?? null, e.message]) + '\n').join('')
        if (fd >= 0 && this.budget.take(Buffer.byteLength(text))) writeSync(fd, text)
        else if (fd >= 0) {
          closeSync(fd)
          fd = -1
          rmSync(this.path, {force: true})
        }

        yield next.value
      }
    } finally {
      if (fd >= 0) closeSync(fd)
    }
  }

  private async *replay(): AsyncGenerator<LogEvent[]> {
    const lines = new LineSplitter(Number.MAX_SAFE_INTEGER)
    let batch: LogEvent[] = []
    const onLine = (buf: Buffer | undefined, start: number, end: number) => {
      if (buf === undefined || start === end) return
      const [timestamp, message] = JSON.parse(buf.toString('utf8', start, end)) as [number | null, string]
      batch.push({message, timestamp: timestamp ?? undefined})
    }

    for await (const object of new FileSource(this.path).objects()) {
      for await (const chunk of object.bytes) {
        lines.feed(chunk, onLine)
        if (batch.length > 0) {
          yield batch
          batch = []
        }
      }
    }

    lines.end(onLine)
    if (batch.length > 0) yield batch
  }
}
