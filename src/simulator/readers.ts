import {badInput, GwctlError} from '../model/errors.js'
import {detectFormat, FORMAT_NAMES, type LineFormat, type LineParser, lineParser, type LogFormat, type ParserOptions, S3_EXPORT_PREFIX} from './formats.js'
import {JsonFields, StringBytes} from './json-fields.js'
import {type ColumnPool, type RecordBatch, RecordReader, RecordWriter, Rows} from './record-batch.js'
import type {LogObject, LogSource} from './sources.js'
import {BadLogText, CloudWatchEvents, LineSplitter, type PieceHandler, RecordSplitter} from './splitters.js'
import {isPlainText, textOf} from './text-stream.js'

export interface ReadOptions {
  format: LogFormat
  parsers: ParserOptions
  /** Longer lines (records, events) are counted as malformed without being kept whole. */
  maxLineBytes: number
  /** The replay's number for a file or object name, carried by its records. */
  fileIndex: (name: string) => number
  /** Called for each line that cannot be read; may throw to stop (--strict). */
  onMalformed: (file: string, line: number, reason: string) => void
  /** Bytes read so far from this source, as stored (compressed bytes for gzip). */
  onBytes?: (bytes: number) => void
  /** Columns of batches already read, to write new batches into (a parse thread's). */
  columns?: ColumnPool
  /** Called after each object's last record has been yielded, with the object's line count; its records are then never batched with the next object's. */
  onObjectEnd?: (lines: number) => void
}

/** What reading one source found. */
export interface SourceStats {
  /** What the log turned out to be, e.g. "JSON lines" or "CloudWatch Logs export of CLF". */
  format: string
  /** Non-empty lines (records, events) read. */
  lines: number
  /** Lines that logged a key field (apiKeyId or apiKey), even an empty one. */
  keyFieldLines: number
}

export const emptyStats = (): SourceStats => ({format: '', lines: 0, keyFieldLines: 0})

/** The bytes String.prototype.trim takes off that are ASCII. */
const ASCII_SPACE = new Uint8Array(256)
for (const c of [9, 10, 11, 12, 13, 32]) ASCII_SPACE[c] = 1

/** How much of a log is looked at to tell its format. */
const DETECT_BYTES = 1 << 16

type Container = 'cloudwatch' | 'firehose' | 'lines' | 's3export'

/** "1 MiB", "512 bytes": how the line limit is named in messages. */
export function describeBytes(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`
  if (n >= 1 << 10 && n % (1 << 10) === 0) return `${n / (1 << 10)} KiB`
  return `${n} bytes`
}

/**
 * Reads one source and yields its records a chunk at a time, as rows of their batch:
 * each object's bytes are turned into text (textOf), cut into lines, Firehose records
 * or CloudWatch events, and parsed in the format detected from the source's first line
 * (or --format). Memory holds one chunk and at most one line limit's worth of a cut line.
 */
export async function* readRows(source: LogSource, options: ReadOptions, stats: SourceStats = emptyStats()): AsyncGenerator<Rows> {
  const reader = new RecordReader()
  for await (const batch of readBatches(source, options, stats)) {
    reader.enter(batch)
    yield new Rows(batch, reader, 0)
  }
}

/** readRows' records as the parsers write them, in batches of at least `batchRows` records (but the last). */
export function readBatches(source: LogSource, options: ReadOptions, stats: SourceStats, batchRows = 1): AsyncGenerator<RecordBatch> {
  return new SourceReader(source, options, stats, batchRows).batches()
}

class SourceReader {
  private container?: Container
  /** Format of the lines, or of the messages the container carries, once known. */
  private lineFormat?: LineFormat
  private parser?: LineParser
  private header?: Buffer
  private readonly out: RecordWriter
  private file = 0
  private fileName = ''
  private lineNo = 0
  /** The message of the CloudWatch event being read. */
  private readonly messageBytes = new StringBytes()

  constructor(
    private readonly source: LogSource,
    private readonly options: ReadOptions,
    private readonly stats: SourceStats,
    private readonly batchRows: number,
  ) {
    this.out = new RecordWriter(options.parsers.requestIds, options.columns)
    const {format} = options
    if (format === 'jsonl' || format === 'csv' || format === 'clf') {
      this.container = 'lines'
      this.lineFormat = format
    } else if (format !== 'auto') this.container = format
  }

  async *batches(): AsyncGenerator<RecordBatch> {
    try {
      if (this.source.kind === 'events') {
        this.enter(this.source.name)
        this.container = 'cloudwatch'
        for await (const events of this.source.events()) {
          for (const event of events) this.message(event.message, event.timestamp ?? Number.NaN)
          yield* this.flush(this.batchRows)
        }
      } else {
        for await (const object of this.source.objects()) yield* this.object(object)
      }

      yield* this.flush(1)
    } finally {
      this.stats.keyFieldLines += this.parser?.keyFieldLines ?? 0
      this.stats.format = this.describe()
    }
  }

  private enter(name: string): void {
    this.fileName = name
    this.file = this.options.fileIndex(name)
    this.lineNo = 0
  }

  private async *object(object: LogObject): AsyncGenerator<RecordBatch> {
    this.enter(object.name)
    const counted = countingBytes(this.options.onBytes)

    try {
      const head: Buffer[] = []
      let headLength = 0
      let feed: ((chunk: Buffer) => void) | undefined
      let end: (() => void) | undefined
      const text = object.plainText ? counted(object.bytes) : textOf(counted(object.bytes), object.name)
      for await (const chunk of text) {
        if (feed === undefined) {
          // Keep the first bytes until the format can be told from them.
          head.push(Buffer.from(chunk))
          headLength += chunk.length
          if (this.container === undefined && headLength < DETECT_BYTES && !hasFirstLine(Buffer.concat(head))) continue
          ;[feed, end] = this.start(Buffer.concat(head))
          continue
        }

        feed(chunk)
        yield* this.flush(this.batchRows)
      }

      // A short log without a newline, or one of whitespace only (which has nothing to replay).
      if (feed === undefined && firstLine(Buffer.concat(head)) !== '') [feed, end] = this.start(Buffer.concat(head))
      end?.()
      const {onObjectEnd} = this.options
      yield* this.flush(onObjectEnd ? 1 : this.batchRows)
      onObjectEnd?.(this.lineNo)
    } catch (error) {
      throw describeReadError(object.name, error)
    }
  }

  /** Decides the container and format from the first bytes (unless --format did), then feeds those bytes. */
  private start(head: Buffer): [(chunk: Buffer) => void, () => void] {
    this.container ??= this.detect(head)
    const limit = this.options.maxLineBytes
    let feed: (chunk: Buffer) => void
    let end: () => void
    switch (this.container) {
      case 'cloudwatch': {
        const events = new CloudWatchEvents(limit)
        const reader = new JsonFields(['message', 'timestamp'])
        const onEvent: PieceHandler = (buf, start, stop) => this.event(reader, buf, start, stop)
        feed = (chunk) => events.feed(chunk, onEvent)
        end = () => events.end()
        break
      }

      case 'firehose': {
        this.lineFormat = 'jsonl'
        const records = new RecordSplitter(limit)
        const onRecord: PieceHandler = (buf, start, stop) => this.line(buf, start, stop, Number.NaN)
        feed = (chunk) => records.feed(chunk, onRecord)
        end = () => records.end(onRecord)
        break
      }

      default: {
        const lines = new LineSplitter(limit)
        const onLine: PieceHandler =
          this.container === 's3export'
            ? (buf, start, stop) => this.exportedLine(buf, start, stop)
            : (buf, start, stop) => this.line(buf, start, stop, Number.NaN)
        feed = (chunk) => lines.feed(chunk, onLine)
        end = () => lines.end(onLine)
      }
    }

    feed(head)
    return [feed, end]
  }

  private detect(head: Buffer): Container {
    const detected = detectedIn(head)
    if (detected === undefined) {
      const first = firstLine(head)
      const shown = first.length > 80 ? `${first.slice(0, 80)}...` : first
      throw badInput(
        `${this.fileName}: cannot tell the log format from its first line ("${shown}"); gwctl reads JSON lines, CSV, CLF, CloudWatch Logs exports, Firehose deliveries and CloudWatch export-to-S3 files: say which with --format`,
      )
    }

    this.lineFormat = detected.lineFormat
    return detected.container
  }

  /** A line of a plain log or a Firehose record; `buf` undefined when it was longer than the limit. */
  private line(buf: Buffer | undefined, start: number, end: number, fallbackTime: number): void {
    this.lineNo++
    if (buf === undefined) return this.tooLong()
    if (start === end) return
    if (this.parser === undefined) {
      const format = this.lineFormat ?? detectFormat(buf.toString('utf8', start, Math.min(end, start + DETECT_BYTES)))
      if (format !== 'jsonl' && format !== 'csv' && format !== 'clf') {
        this.stats.lines++
        return this.options.onMalformed(this.fileName, this.lineNo, 'the message is not an access-log line (JSON, CSV or CLF)')
      }

      this.lineFormat = format
      const chosen = lineParser(format, this.options.parsers, buf.toString('utf8', start, end), this.fileName, this.out)
      this.parser = chosen.parser
      if (chosen.header !== undefined) {
        this.header = Buffer.from(buf.subarray(start, end))
        return
      }
    }

    // A CSV header row repeats at the top of each object of the source.
    if (this.header !== undefined && end - start === this.header.length && buf.compare(this.header, 0, this.header.length, start, end) === 0) return
    this.stats.lines++
    const why = this.parser.bytes(buf, start, end, this.lineNo, this.file, fallbackTime)
    if (why !== undefined) this.options.onMalformed(this.fileName, this.lineNo, why)
  }

  /** "2026-03-01T12:00:00.000Z MESSAGE": the timestamp stands in when the message has no time. */
  private exportedLine(buf: Buffer | undefined, start: number, end: number): void {
    if (buf === undefined || start === end) return this.line(buf, start, end, Number.NaN)
    const space = buf.indexOf(32, start)
    const prefix = space === -1 || space >= end || space - start > 40 ? '' : buf.toString('latin1', start, space + 1)
    if (!S3_EXPORT_PREFIX.test(prefix)) {
      this.lineNo++
      this.stats.lines++
      return this.options.onMalformed(this.fileName, this.lineNo, 'no ISO timestamp and space before the message, as CloudWatch Logs writes its exports to S3')
    }

    this.line(buf, space + 1, end, Date.parse(prefix.trim()))
  }

  /** One event object of a CloudWatch export: its message is a log line, its timestamp the fallback time. */
  private event(reader: JsonFields, buf: Buffer | undefined, start: number, end: number): void {
    if (buf === undefined) {
      this.lineNo++
      return this.tooLong()
    }

    const why = reader.readLine(buf, start, end)
    if (why !== '' || !reader.stringBytes(buf, 0, this.messageBytes)) {
      this.lineNo++
      this.stats.lines++
      return this.options.onMalformed(this.fileName, this.lineNo, why === '' ? 'the event has no "message" string' : `the event is ${why}`)
    }

    const digits = reader.digits(buf, 1)
    const timestamp = Number.isNaN(digits) ? Number(reader.text(buf, 1) ?? Number.NaN) : digits
    // The message's bytes, trimmed as message() trims its text, read where they are.
    const {buf: bytes} = this.messageBytes
    let {start: first, end: last} = this.messageBytes
    while (first < last && ASCII_SPACE[bytes[first]] === 1) first++
    while (last > first && ASCII_SPACE[bytes[last - 1]] === 1) last--
    // Text that starts or ends beyond ASCII may start or end with other spaces that trim() takes off.
    if (first === last || bytes[first] >= 0x80 || bytes[last - 1] >= 0x80) return this.message(bytes.toString('utf8', first, last), timestamp)
    this.line(bytes, first, last, Number.isFinite(timestamp) ? timestamp : Number.NaN)
  }

  private message(message: string, timestamp: number): void {
    const text = message.trim()
    if (text === '') {
      this.lineNo++
      this.stats.lines++
      return this.options.onMalformed(this.fileName, this.lineNo, 'the event has no message')
    }

    const buf = Buffer.from(text, 'utf8')
    this.line(buf, 0, buf.length, Number.isFinite(timestamp) ? timestamp : Number.NaN)
  }

  private tooLong(): void {
    this.stats.lines++
    this.options.onMalformed(this.fileName, this.lineNo, `longer than ${describeBytes(this.options.maxLineBytes)} (--max-line-bytes); not read`)
  }

  /** The records written so far, once there are at least `rows` of them. */
  private *flush(rows: number): Generator<RecordBatch> {
    if (this.out.length >= rows) yield this.out.take()
  }

  private describe(): string {
    if (this.container === undefined) return ''
    const lines = this.lineFormat ? FORMAT_NAMES[this.lineFormat] : undefined
    if (this.container === 'lines') return lines ?? ''
    const container = FORMAT_NAMES[this.container]
    return lines && this.container !== 'firehose' ? `${container} of ${lines}` : container
  }
}

/**
 * Whether a log whose first chunk is `head` is plain UTF-8 JSON lines, read as `format`
 * says (the same reading of the same bytes as SourceReader's): each line then stands alone, so the
 * file can be cut at line starts and the parts parsed apart (see linesStartingIn).
 */
export function isPlainJsonLines(head: Buffer, format: LogFormat): boolean {
  if (!isPlainText(head)) return false
  if (format === 'jsonl') return true
  return format === 'auto' && detectedIn(head)?.lineFormat === 'jsonl'
}

/** What a log's first bytes say it is: its container, and the format of its lines when they are plain lines; undefined when they say nothing. */
function detectedIn(head: Buffer): {container: Container; lineFormat?: LineFormat} | undefined {
  const format = detectFormat(firstLine(head))
  if (format === undefined) return undefined
  if (format === 'cloudwatch' || format === 's3export') return {container: format}
  if (format === 'jsonl' && isFirehose(head)) return {container: 'firehose'}
  return {container: 'lines', lineFormat: format}
}

/** Passes chunks on, telling `onBytes` how many bytes have gone by. */
function countingBytes(onBytes: ((bytes: number) => void) | undefined) {
  let bytes = 0
  return async function* (chunks: AsyncIterable<Buffer>) {
    for await (const chunk of chunks) {
      bytes += chunk.length
      onBytes?.(bytes)
      yield chunk
    }
  }
}

/** Whether the bytes hold a newline after something other than whitespace. */
function hasFirstLine(text: Buffer): boolean {
  let i = 0
  while (i < text.length && (text[i] === 32 || text[i] === 9 || text[i] === 10 || text[i] === 13)) i++
  return text.includes(10, i)
}

function firstLine(head: Buffer): string {
  let i = 0
  while (i < head.length && (head[i] === 32 || head[i] === 9 || head[i] === 10 || head[i] === 13)) i++
  const nl = head.indexOf(10, i)
  return head.toString('utf8', i, nl === -1 ? head.length : nl).trim()
}

/** A first JSON object followed on the same line by another: records run together, as Firehose delivers them. */
function isFirehose(head: Buffer): boolean {
  const after = new JsonFields([]).readObject(head, 0, head.length)
  if (after < 0) return false
  let i = after
  while (i < head.length && (head[i] === 32 || head[i] === 9 || head[i] === 13)) i++
  return head[i] === 123
}

/** Errors about the log's content or file name it; anything else (a bug) is passed on as it is. */
function describeReadError(name: string, error: unknown): unknown {
  if (error instanceof GwctlError) return error
  if (error instanceof BadLogText) return badInput(`${name}: ${error.message}`)
  const e = error as NodeJS.ErrnoException
  return typeof e?.syscall === 'string' ? badInput(`${name}: ${e.message}`) : error
}
