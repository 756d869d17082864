import {createReadStream, statSync} from 'node:fs'
import {createGunzip} from 'node:zlib'
import type {Readable} from 'node:stream'

import {badInput} from '../model/errors.js'
import {detectFormat, type LineParser, type LogFormat, parserFor} from './formats.js'
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

/** Total size of the named files, for a progress bar; undefined when any is stdin. */
export function totalBytes(paths: readonly string[]): number | undefined {
  let total = 0
  for (const path of paths) {
    if (path === '-') return undefined
    total += statSync(path).size
  }

  return total
}

function open(source: LogSource, options: ReadOptions): {stream: AsyncIterable<Buffer>; raw: Readable & {bytesRead?: number}} {
  if (source.path === '-') {
    const raw = options.stdin ?? process.stdin
    return {stream: raw, raw}
  }

  try {
    statSync(source.path)
  } catch {
    throw badInput(`--log ${source.path}: no such file`)
  }

  const raw = createReadStream(source.path, {highWaterMark: CHUNK})
  if (!source.path.endsWith('.gz')) return {stream: raw, raw}
  const gunzip = createGunzip({chunkSize: CHUNK})
  raw.on('error', (error) => gunzip.destroy(error))
  return {stream: raw.pipe(gunzip), raw}
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
  const {stream, raw} = open(source, options)
  let parser: LineParser | undefined
  let skipFirst = false
  // Set when line 1 shows a CloudWatch export; an object so that TypeScript sees the closure change it.
  const whole: {cloudwatch?: Buffer[]} = {}
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
            whole.cloudwatch = []
            return
          }

          ;({parser, skipFirst} = parserFor(format, options.fields, line))
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

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (whole.cloudwatch) {
        whole.cloudwatch.push(chunk)
        continue
      }

      const buf = rest ? Buffer.concat([rest, chunk]) : chunk
      const lastNl = buf.lastIndexOf(10)
      if (lastNl < 0) {
        rest = buf
        continue
      }

      const batch: LogRecord[] = []
      parseText(buf.toString('utf8', 0, lastNl + 1), batch)
      const detected = whole.cloudwatch as Buffer[] | undefined
      if (detected) {
        // Detected on the first line: keep the whole document for JSON.parse.
        detected.push(buf)
        rest = undefined
        continue
      }

      rest = lastNl + 1 < buf.length ? buf.subarray(lastNl + 1) : undefined
      options.onProgress?.(source, raw.bytesRead ?? 0)
      if (batch.length > 0) yield batch
    }
  } catch (error) {
    throw describeReadError(source, error)
  }

  if (whole.cloudwatch) {
    yield readCloudWatch(source, Buffer.concat(whole.cloudwatch).toString('utf8'), options)
    return
  }

  if (rest) {
    const batch: LogRecord[] = []
    parseText(rest.toString('utf8'), batch)
    if (whole.cloudwatch) yield readCloudWatch(source, rest.toString('utf8'), options)
    else if (batch.length > 0) yield batch
  }

  options.onProgress?.(source, raw.bytesRead ?? 0)
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
