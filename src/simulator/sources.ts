import {promises as fsp, statSync} from 'node:fs'

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
