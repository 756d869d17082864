import {Readable} from 'node:stream'
import {createGunzip} from 'node:zlib'

import {badInput} from '../model/errors.js'

/** Magic bytes of compressions gwctl does not inflate, to name them instead of calling the bytes binary. */
const OTHER_COMPRESSIONS: Array<[number[], string, string]> = [
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd', 'zstd -d'],
  [[0x42, 0x5a, 0x68], 'bzip2', 'bunzip2'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a], 'xz', 'unxz'],
  [[0x50, 0x4b, 0x03, 0x04], 'zip', 'unzip'],
]

/** How many leading bytes are looked at to tell text from binary. */
const SNIFF = 4096

const startsWith = (buf: Buffer, magic: number[]) => magic.every((b, i) => buf[i] === b)

/**
 * The UTF-8 text of one log object, whatever it was stored as: gzip is inflated
 * (found by its magic bytes, so gzip on stdin or without a .gz name works), a UTF-8
 * byte-order mark is dropped, UTF-16 (with a byte-order mark, or plain ASCII in
 * UTF-16, as PowerShell writes) is converted. Other compressions and binary data are
 * refused with the object's name. Chunks may be reused by the source, so callers copy
 * what they keep.
 */
export async function* textOf(raw: AsyncIterable<Buffer>, name: string, inflated = false): AsyncGenerator<Buffer> {
  const chunks = raw[Symbol.asyncIterator]()
  // The first bytes decide; they are copied, as the source may reuse its buffer.
  const headParts: Buffer[] = []
  let headLength = 0
  while (headLength < SNIFF) {
    const next = await chunks.next()
    if (next.done) break
    headParts.push(Buffer.from(next.value))
    headLength += next.value.length
  }

  const head = Buffer.concat(headParts)
  const all = (async function* () {
    try {
      if (head.length > 0) yield head
      for (;;) {
        const next = await chunks.next()
        if (next.done) return
        yield next.value
      }
    } finally {
      // Stopped early: let the source close its file.
      await chunks.return?.()
    }
  })()

  const stored = storedAs(head, inflated)
  switch (stored.as) {
    case 'gzip': {
      yield* textOf(gunzip(all, name), name, true)
      return
    }

    case 'compressed': {
      throw badInput(`${name}: is ${stored.kind}-compressed; gwctl inflates gzip only: decompress it first (${stored.command})`)
    }

    case 'bom': {
      yield* withoutBom(all)
      return
    }

    case 'utf16': {
      yield* fromUtf16(all, stored.encoding, name)
      return
    }

    case 'binary': {
      throw badInput(
        `${name}: looks binary (a NUL byte at byte ${stored.nul + 1}), not a text log; gwctl reads JSON lines, CSV, CLF and CloudWatch exports, plain or gzip`,
      )
    }

    default: {
      yield* all
    }
  }
}

/** How a log object is stored, as its first bytes tell (the whole first chunk is looked at for NUL bytes). */
type Stored =
  | {as: 'gzip' | 'bom' | 'plain'}
  | {as: 'compressed'; kind: string; command: string}
  | {as: 'utf16'; encoding: 'utf-16be' | 'utf-16le'}
  | {as: 'binary'; nul: number}

/** textOf's reading of `head`; once inflated, gzip magic is not looked for again. */
function storedAs(head: Buffer, inflated: boolean): Stored {
  if (!inflated && head[0] === 0x1f && head[1] === 0x8b) return {as: 'gzip'}
  const compressed = OTHER_COMPRESSIONS.find(([magic]) => startsWith(head, magic))
  if (compressed) return {as: 'compressed', kind: compressed[1], command: compressed[2]}
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return {as: 'bom'}
  const encoding = utf16Of(head)
  if (encoding) return {as: 'utf16', encoding}
  const nul = head.indexOf(0)
  return nul === -1 ? {as: 'plain'} : {as: 'binary', nul}
}

/** Whether textOf passes on as they are the bytes of an object whose first chunk is `head`. */
export function isPlainText(head: Buffer): boolean {
  return storedAs(head, false).as === 'plain'
}

async function* withoutBom(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let first = true
  for await (const chunk of chunks) {
    yield first ? chunk.subarray(3) : chunk
    first = false
  }
}

/** UTF-16 by its byte-order mark, or by NUL bytes in every other place of ASCII text. */
function utf16Of(head: Buffer): 'utf-16be' | 'utf-16le' | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le'
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be'
  const n = Math.min(head.length, 256) & ~1
  if (n < 4) return undefined
  let evenNul = 0
  let oddNul = 0
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0 && head[i + 1] !== 0) evenNul++
    if (head[i + 1] === 0 && head[i] !== 0) oddNul++
  }

  if (oddNul === n / 2) return 'utf-16le'
  if (evenNul === n / 2) return 'utf-16be'
  return undefined
}

async function* fromUtf16(chunks: AsyncIterable<Buffer>, encoding: 'utf-16be' | 'utf-16le', name: string): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder(encoding, {ignoreBOM: false})
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, {stream: true})
    if (text.includes('\u0000')) throw badInput(`${name}: holds NUL characters in ${encoding.toUpperCase()} text; not a log gwctl reads`)
    yield Buffer.from(text, 'utf8')
  }

  const tail = decoder.decode()
  if (tail) yield Buffer.from(tail, 'utf8')
}

/** Inflates gzip (several members one after another, as concatenated .gz files are, included). */
async function* gunzip(chunks: AsyncIterable<Buffer>, name: string): AsyncGenerator<Buffer> {
  const input = Readable.from(chunks, {objectMode: false})
  const inflate = createGunzip({chunkSize: 1 << 16})
  input.on('error', (error) => inflate.destroy(error))
  input.pipe(inflate)
  try {
    for await (const chunk of inflate) yield chunk as Buffer
  } catch (error) {
    const e = error as NodeJS.ErrnoException
    if (e.code === 'Z_DATA_ERROR' || e.code === 'Z_BUF_ERROR' || e.code === 'Z_STREAM_ERROR')
      throw badInput(`${name}: not valid gzip data (${e.message}); the file may be cut short`)
    throw error
  } finally {
    input.destroy()
    inflate.destroy()
  }
}
