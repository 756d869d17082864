import {isAscii} from 'node:buffer'
import {createReadStream, promises as fsp, statSync} from 'node:fs'
import {createGunzip} from 'node:zlib'
import type {Readable} from 'node:stream'

import {badInput} from '../model/errors.js'
import {detectFormat, type LineParser, type LogFormat, parserFor} from './formats.js'
import type {BytesLineParser} from './json-bytes.js'
import type {FieldPaths, LogRecord} from './records.js'

export interface LogSource {
  /** File path, or "-" for stdin. */
  path: string
  /** Index among the --log sources, carried by every record. */
  index: number
}

export interface ReadOptions {
  format: LogFormat
  fields: FieldPaths
  stdin?: Readable
  /** Called for each line that cannot be read; may throw to stop (--strict). */
  onMalformed(source: LogSource, line: number, reason: string): void
  /** Raw bytes read so far from this source (compressed bytes for .gz). */
  onProgress?(source: LogSource, bytesRead: number): void
}

const CHUNK = 1 << 20
const DECODE = 1 << 16

/** ASCII (nearly every access log) decodes as latin1, a plain copy; anything else as UTF-8. */
function decode(buf: Buffer, start: number, end: number): string {
  return isAscii(buf.subarray(start, end)) ? buf.toString('latin1', start, end) : buf.toString('utf8', start, end)
}

/** Total size of the named files, for a progress bar; undefined when any is stdin or missing (the reader reports that). */
export function totalBytes(paths: readonly string[]): number | undefined {
  let total = 0
  for (const path of paths) {
    if (path === '-') return undefined
    try {
      total += statSync(path).size
    } catch {
      return undefined
    }
  }

  return total
}

/**
 * The bytes of a log, a chunk at a time, and how many raw bytes were read so far. A
 * plain file is read into one reused buffer (a chunk is only valid until the next is
 * asked for); .gz goes through zlib; "-" is stdin.
 */
function open(source: LogSource, options: ReadOptions): {chunks: AsyncIterable<Buffer>; bytesRead: () => number} {
  if (source.path === '-') {
    const stdin = options.stdin ?? process.stdin
    let bytes = 0
    return {chunks: (async function* () {
      for await (const chunk of stdin as AsyncIterable<Buffer>) {
        bytes += chunk.length
        yield chunk
      }
    })(), bytesRead: () => bytes}
  }

  try {
    statSync(source.path)
  } catch {
    throw badInput(`--log ${source.path}: no such file`)
  }

  if (source.path.endsWith('.gz')) {
    const raw = createReadStream(source.path, {highWaterMark: CHUNK})
    const gunzip = createGunzip({chunkSize: CHUNK})
    raw.on('error', (error) => gunzip.destroy(error))
    return {chunks: raw.pipe(gunzip), bytesRead: () => raw.bytesRead}
  }

  let bytes = 0
  return {
    chunks: (async function* () {
      const file = await fsp.open(source.path, 'r')
      // Two buffers: the next read runs while the current chunk is parsed.
      const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)]
      let turn = 0
      let pending = file.read(buffers[turn], 0, CHUNK, null)
      try {
        for (;;) {
          const {bytesRead, buffer} = await pending
          if (bytesRead === 0) return
          bytes += bytesRead
          turn ^= 1
          pending = file.read(buffers[turn], 0, CHUNK, null)
          yield buffer.subarray(0, bytesRead)
        }
      } finally {
        // Stopped early (--strict): let the read in flight finish before closing.
        await pending.catch(() => undefined)
        await file.close()
      }
    })(),
    bytesRead: () => bytes,
  }
}

function describeReadError(source: LogSource, error: unknown): Error {
  const e = error as NodeJS.ErrnoException
  if (e.code === 'Z_DATA_ERROR' || e.code === 'Z_BUF_ERROR') return badInput(`--log ${source.path}: not valid gzip data (${e.message})`)
  return e.code ? badInput(`--log ${source.path}: ${e.message}`) : (error as Error)
}

/**
 * Reads one log and yields its records a chunk at a time. Lines are split on the
 * raw buffers (no readline), decoded one chunk at a time, and handed to the parser
 * for the detected format. CloudWatch exports are one JSON document, read whole.
 */
export async function* readLog(source: LogSource, options: ReadOptions): AsyncGenerator<LogRecord[]> {
  const {chunks, bytesRead} = open(source, options)
  let parser: LineParser | undefined
  let bytes: BytesLineParser | undefined
  let skipFirst = false
  // Set when line 1 shows a CloudWatch export; an object so that TypeScript sees the closure change it.
  const whole: {cloudwatch?: Buffer[]} = {}
  // Chunks read before the format is known, in case it turns out to be a CloudWatch export.
  const head: Buffer[] = []
  let rest: Buffer | undefined
  let lineNo = 0

  const parseText = (text: string, batch: LogRecord[]) => {
    let pos = 0
    while (pos < text.length) {
      let nl = text.indexOf('\n', pos)
      if (nl < 0) nl = text.length
      let end = nl
      if (end > pos && text.charCodeAt(end - 1) === 13) end--
      lineNo++
      if (end > pos) {
        const line = text.slice(pos, end)
        if (parser === undefined) {
          const format = options.format === 'auto' ? detectFormat(line) : options.format
          if (format === undefined) throw badInput(`--log ${source.path}: cannot tell the log format from line 1; pass --format jsonl, csv, clf or cloudwatch`)
          if (format === 'cloudwatch') {
            // One JSON document: keep every byte read so far and the rest, for JSON.parse.
            whole.cloudwatch = head
            return
          }

          ;({parser, bytes, skipFirst} = parserFor(format, options.fields, line))
          if (skipFirst) {
            pos = nl + 1
            continue
          }
        }

        const rec = parser(line, lineNo, source.index)
        if (typeof rec === 'string') options.onMalformed(source, lineNo, rec)
        else batch.push(rec)
      }

      pos = nl + 1
    }
  }

  /** The lines of buf[start, end) (ending in a newline), read as bytes: no string is made per line. */
  const parseBytes = (read: BytesLineParser, buf: Buffer, start: number, end: number, batch: LogRecord[]) => {
    let pos = start
    while (pos < end) {
      let nl = buf.indexOf(10, pos)
      if (nl < 0 || nl > end) nl = end
      let lineEnd = nl
      if (lineEnd > pos && buf[lineEnd - 1] === 13) lineEnd--
      lineNo++
      if (lineEnd > pos) {
        const rec = read(buf, pos, lineEnd, lineNo, source.index)
        if (typeof rec === 'string') options.onMalformed(source, lineNo, rec)
        else batch.push(rec)
      }

      pos = nl + 1
    }
  }

  /** Whole lines of a chunk; ASCII ones go to the bytes parser when the format has one. */
  const parseWindow = (buf: Buffer, start: number, end: number, batch: LogRecord[]) => {
    if (bytes !== undefined && isAscii(buf.subarray(start, end))) parseBytes(bytes, buf, start, end, batch)
    else parseText(decode(buf, start, end), batch)
  }

  try {
    for await (const chunk of chunks) {
      if (whole.cloudwatch) {
        whole.cloudwatch.push(Buffer.from(chunk))
        continue
      }

      if (parser === undefined) head.push(Buffer.from(chunk))
      const batch: LogRecord[] = []
      let from = 0
      if (rest) {
        // Only the line cut by the chunk boundary is copied, never the whole chunk.
        const nl = chunk.indexOf(10)
        if (nl < 0) {
          rest = Buffer.concat([rest, chunk])
          continue
        }

        const joined = Buffer.concat([rest, chunk.subarray(0, nl + 1)])
        parseText(decode(joined, 0, joined.length), batch)
        rest = undefined
        from = nl + 1
      }

      // Decode at most DECODE bytes at a time (whole lines): V8 is much slower on very large strings.
      while (from < chunk.length && !whole.cloudwatch) {
        const limit = Math.min(from + DECODE, chunk.length)
        let end = chunk.lastIndexOf(10, limit - 1)
        if (end < from) end = limit === chunk.length ? -1 : chunk.indexOf(10, limit)
        if (end < 0) break
        parseWindow(chunk, from, end + 1, batch)
        from = end + 1
      }

      if (whole.cloudwatch) continue
      // A copy: the reader may reuse the chunk's memory.
      rest = from < chunk.length ? Buffer.from(chunk.subarray(from)) : undefined
      options.onProgress?.(source, bytesRead())
      if (batch.length > 0) yield batch
    }
  } catch (error) {
    throw describeReadError(source, error)
  }

  if (rest && !whole.cloudwatch) {
    const batch: LogRecord[] = []
    parseText(decode(rest, 0, rest.length), batch)
    if (batch.length > 0) yield batch
  }

  if (whole.cloudwatch) yield readCloudWatch(source, Buffer.concat(whole.cloudwatch).toString('utf8'), options)
  options.onProgress?.(source, bytesRead())
}

/**
 * `aws logs filter-log-events` output: {"events": [{timestamp, message, ...}]}, each
 * message one access-log line in any of the other formats. Lines are numbered by
 * event (1-based); the event timestamp stands in when the message has no time.
 */
function readCloudWatch(source: LogSource, text: string, options: ReadOptions): LogRecord[] {
  let doc: {events?: Array<{message?: unknown; timestamp?: unknown}>}
  try {
    doc = JSON.parse(text)
  } catch (error) {
    throw badInput(`--log ${source.path}: looks like a CloudWatch Logs export but is not JSON (${(error as Error).message})`)
  }

  if (!Array.isArray(doc?.events)) throw badInput(`--log ${source.path}: a CloudWatch Logs export needs an "events" array (the output of \`aws logs filter-log-events\`)`)
  const records: LogRecord[] = []
  let parser: LineParser | undefined
  for (const [i, event] of doc.events.entries()) {
    const message = typeof event?.message === 'string' ? event.message.trim() : ''
    if (message === '') {
      options.onMalformed(source, i + 1, 'event has no message')
      continue
    }

    if (!parser) {
      const format = detectFormat(message)
      if (format === undefined || format === 'cloudwatch') {
        options.onMalformed(source, i + 1, 'message is not an access-log line (JSON, CSV or CLF)')
        continue
      }

      const chosen = parserFor(format, options.fields, message)
      parser = chosen.parser
      if (chosen.skipFirst) continue
    }

    const rec = parser(message, i + 1, source.index, typeof event.timestamp === 'number' ? event.timestamp : undefined)
    if (typeof rec === 'string') options.onMalformed(source, i + 1, rec)
    else records.push(rec)
  }

  return records
}
