import {closeSync, promises as fsp, openSync, readSync, statSync} from 'node:fs'

import {badInput} from '../model/errors.js'

/**
 * Where replay reads logs from. A source is a name and a way to open its data from
 * the start; it may say its size. Everything after opening (gzip, byte-order marks,
 * UTF-16, format detection, splitting into lines, parsing) is the reader's job, and
 * is the same for every source, so a log replays the same from a file, from stdin,
 * or from an AWS service.
 *
 * Two kinds:
 * - ByteSource: bytes, as one or more objects read in order (a file and stdin are
 *   one object; an S3 prefix is one object per key). Each object may be gzip (found
 *   by its magic bytes, not its name) and holds lines of one format, detected once
 *   per source, or set with --format.
 * - EventSource: events that carry their own time and one log line each (CloudWatch
 *   Logs FilterLogEvents or Logs Insights results). The line's own time field is
 *   used; the event's timestamp stands in only when the line has none.
 *
 * open() may be called again after an earlier reading was stopped: replay reads
 * every source a second time when it finds lines too far out of order and has to
 * sort them. A source that cannot be read twice (a pipe) says `reopenable: false`;
 * replay then keeps a copy of what it read in its temporary directory.
 */
export type LogSource = ByteSource | EventSource

export interface ByteSource {
  readonly kind: 'bytes'
  /** Names the source in messages: a path, "stdin", an s3:// URL. */
  readonly name: string
  /** Bytes the objects hold as stored (compressed size for gzip), when known: for the progress bar. */
  readonly size?: number
  readonly reopenable: boolean
  /** The objects, in replay order. A chunk is only valid until the next one is asked for (readers may reuse buffers). */
  objects(): AsyncIterable<LogObject>
}

export interface LogObject {
  /** Names the object in messages ("file line N"), e.g. a path or s3://bucket/key. */
  readonly name: string
  readonly bytes: AsyncIterable<Buffer>
  /** The bytes are known to be UTF-8 text as stored (no gzip, no byte-order mark, not UTF-16): the reader takes them as they are. */
  readonly plainText?: boolean
}

export interface EventSource {
  readonly kind: 'events'
  readonly name: string
  readonly reopenable: boolean
  /** Events in batches (a page, a query window), in any order. */
  events(): AsyncIterable<readonly LogEvent[]>
}

export interface LogEvent {
  /** One access-log line (JSON, CSV or CLF). */
  readonly message: string
  /** The event's time (ms since the epoch), used only when the line logs no time. */
  readonly timestamp?: number
}

const CHUNK = 1 << 20

/** A file on disk, read into two reused buffers (the next read runs while the current chunk is parsed). */
export class FileSource implements ByteSource {
  readonly kind = 'bytes'
  readonly reopenable = true
  readonly size: number

  constructor(readonly path: string) {
    let size: number
    try {
      const stat = statSync(path)
      if (stat.isDirectory()) throw badInput(`--log ${path}: is a directory; name the log files in it (e.g. --log '${path}/*.gz' expanded by the shell)`)
      size = stat.size
    } catch (error) {
      if ((error as {code?: string}).code === 'ENOENT') throw badInput(`--log ${path}: no such file`)
      if ((error as {code?: string}).code) throw badInput(`--log ${path}: ${(error as Error).message}`)
      throw error
    }

    this.size = size
  }

  get name(): string {
    return this.path
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- an async generator, as the interface asks, with one object known up front
  async *objects(): AsyncIterable<LogObject> {
    yield {name: this.path, bytes: readFile(this.path)}
  }

  /** The first chunk objects() gives: what the reader tells the file's encoding and format from. */
  head(): Buffer {
    const fd = openSync(this.path, 'r')
    try {
      const buf = Buffer.alloc(CHUNK)
      return buf.subarray(0, readSync(fd, buf, 0, CHUNK, 0))
    } finally {
      closeSync(fd)
    }
  }
}

async function* readFile(path: string): AsyncGenerator<Buffer> {
  const file = await fsp.open(path, 'r')
  const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)]
  let turn = 0
  let pending = file.read(buffers[turn], 0, CHUNK, null)
  try {
    for (;;) {
      const {bytesRead, buffer} = await pending
      if (bytesRead === 0) return
      turn ^= 1
      pending = file.read(buffers[turn], 0, CHUNK, null)
      yield buffer.subarray(0, bytesRead)
    }
  } finally {
    // Stopped early: let the read in flight finish before closing.
    await pending.catch(() => undefined)
    await file.close()
  }
}

/**
 * The lines of a file that start in bytes [start, end): from the first line start at
 * or after `start` (the line before it belongs to the block before) to the end of the
 * line that holds byte end - 1. Cutting a file at any offsets and reading each block
 * this way gives every line once, whole, in order: how parse threads share a file.
 */
export async function* linesStartingIn(path: string, start: number, end: number, chunk = CHUNK): AsyncGenerator<Buffer> {
  const file = await fsp.open(path, 'r')
  const buffer = Buffer.allocUnsafe(chunk)
  const read = async (at: number, length = chunk) => (await file.read(buffer, 0, length, at)).bytesRead
  try {
    let at = start
    if (start > 0) {
      // Skip the end of a line that started before `start`; a line starting at `start` follows a newline.
      at = start - 1
      for (;;) {
        const n = await read(at)
        if (n === 0) return
        const newline = buffer.subarray(0, n).indexOf(10)
        if (newline !== -1) {
          at += newline + 1
          break
        }

        at += n
      }
    }

    let last = 10
    while (at < end) {
      const n = await read(at, Math.min(chunk, end - at))
      if (n === 0) return
      last = buffer[n - 1]
      at += n
      yield buffer.subarray(0, n)
    }

    // The last line goes on past `end`, up to its newline (or the end of the file).
    while (last !== 10) {
      const n = await read(at)
      if (n === 0) return
      const newline = buffer.subarray(0, n).indexOf(10)
      if (newline !== -1) {
        yield buffer.subarray(0, newline + 1)
        return
      }

      at += n
      yield buffer.subarray(0, n)
    }
  } finally {
    await file.close()
  }
}

/** Blocks first, first + step, ... (below count) of a file of `size` bytes cut every `bytes` bytes. */
export interface BlockShare {
  bytes: number
  first: number
  step: number
  count: number
  size: number
}

/**
 * Every `step`-th block of a file from block `first` (blocks of `bytes` bytes, `count`
 * in all), each an object of its own, so that its lines are numbered from 1 and the
 * reader tells where it ends: one parse thread's share of a file (worker-reader.ts).
 */
export class FileBlocks implements ByteSource {
  readonly kind = 'bytes'
  readonly reopenable = true
  /** The blocks' own bytes, counted as each block starts (for progress), whatever reading past a block's end adds. */
  bytesStarted = 0

  constructor(
    readonly name: string,
    private readonly blocks: BlockShare,
  ) {}

  // eslint-disable-next-line @typescript-eslint/require-await -- an async generator, as the interface asks, with the objects known up front
  async *objects(): AsyncIterable<LogObject> {
    const {bytes, first, step, count, size} = this.blocks
    for (let block = first; block < count; block += step) {
      const start = block * bytes
      this.bytesStarted += Math.min(bytes, size - start)
      yield {name: this.name, bytes: linesStartingIn(this.name, start, start + bytes), plainText: true}
    }
  }
}

/** A stream that can be read once, such as stdin. */
export class StreamSource implements ByteSource {
  readonly kind = 'bytes'
  readonly reopenable = false
  private opened = false

  constructor(
    readonly name: string,
    private readonly stream: AsyncIterable<Buffer>,
  ) {}

  // eslint-disable-next-line @typescript-eslint/require-await -- an async generator, as the interface asks, with one object known up front
  async *objects(): AsyncIterable<LogObject> {
    if (this.opened) throw new Error(`${this.name} can be read only once`)
    this.opened = true
    yield {name: this.name, bytes: this.stream}
  }
}

/** Objects from any async iterable, e.g. those under an S3 prefix, read again from the start when opened again. */
export class ObjectsSource implements ByteSource {
  readonly kind = 'bytes'
  readonly reopenable = true

  constructor(
    readonly name: string,
    private readonly open: () => AsyncIterable<LogObject>,
    readonly size?: number,
  ) {}

  objects(): AsyncIterable<LogObject> {
    return this.open()
  }
}

/** Events from any async iterable of batches, e.g. pages fetched from CloudWatch Logs. */
export class EventBatches implements EventSource {
  readonly kind = 'events'

  constructor(
    readonly name: string,
    private readonly open: () => AsyncIterable<readonly LogEvent[]>,
    readonly reopenable = true,
  ) {}

  events(): AsyncIterable<readonly LogEvent[]> {
    return this.open()
  }
}

/** The label a --log value gets in messages: "stdin" for "-". */
export const STDIN_NAME = 'stdin'

/** The source a `--log` value names: "-" is stdin, anything else a file. */
export function sourceFor(log: string, stdin: AsyncIterable<Buffer>): LogSource {
  return log === '-' ? new StreamSource(STDIN_NAME, stdin) : new FileSource(log)
}
