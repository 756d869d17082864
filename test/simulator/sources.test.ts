import assert from 'node:assert/strict'
import {mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {ExternalSort} from '../../src/simulator/external-sort.js'
import {readRows, type ReadOptions} from '../../src/simulator/readers.js'
import type {Rows} from '../../src/simulator/record-batch.js'
import {Caller, LogRecord, Where} from '../../src/simulator/records.js'
import {EventBatches, linesStartingIn, StreamSource} from '../../src/simulator/sources.js'
import {spooled} from '../../src/simulator/spool.js'
import {TempDir} from '../../src/simulator/temp-dir.js'

const T0 = Date.parse('2026-03-01T12:00:00Z')
const message = (i: number) => JSON.stringify({requestTimeEpoch: T0 + i, apiId: 'a', stage: 'p', resourcePath: '/', httpMethod: 'GET', apiKeyId: `k${i % 3}`})

function options(malformed: string[] = []): ReadOptions {
  return {
    format: 'auto',
    parsers: {fields: {}, requestIds: false},
    maxLineBytes: 1 << 20,
    fileIndex: () => 0,
    onMalformed: (file, line, reason) => malformed.push(`${file}:${line}: ${reason}`),
  }
}

async function collect(log: AsyncGenerator<Rows>): Promise<LogRecord[]> {
  const all: LogRecord[] = []
  for await (const rows of log) all.push(...rows.records())
  return all
}

describe('log sources and readers', () => {
  it('streams a CloudWatch export: records come out before the document ends', async () => {
    let drained = false
    async function* exportInPieces() {
      yield Buffer.from('{"events": [')
      for (let i = 0; i < 2000; i++) yield Buffer.from((i ? ',' : '') + JSON.stringify({timestamp: T0 + i, message: message(i)}))
      yield Buffer.from('], "searchedLogStreams": []}')
      drained = true
    }

    const log = readRows(new StreamSource('export', exportInPieces()), options())
    const first = await log.next()
    assert.equal(first.done, false)
    assert.equal(drained, false, 'the whole export was read before the first record')
    const rest = await collect(log)
    assert.equal(first.value.length + rest.length, 2000)
  })

  it('takes events from any source of batches, the event time standing in when a line has none', async () => {
    const events = [
      {message: message(1), timestamp: 1},
      {message: '198.51.100.7 - - [01/Mar/2026:12:00:05 +0000]"GET / HTTP/1.1" 200 4', timestamp: 2},
      {message: JSON.stringify({apiId: 'a', stage: 'p', resourcePath: '/', httpMethod: 'GET'}), timestamp: T0 + 7},
    ]
    const malformed: string[] = []
    const records = await collect(
      readRows(
        new EventBatches('log group /aws/api', async function* () {
          yield events
        }),
        options(malformed),
      ),
    )
    // The format is told from the first message; the CLF line is then malformed JSON.
    assert.deepEqual(
      records.map((r) => r.t),
      [T0 + 1, T0 + 7],
    )
    assert.deepEqual(malformed, ['log group /aws/api:2: not valid JSON'])
  })

  it('reads a stream again through its copy, then goes on with what was not read yet', async () => {
    const temp = new TempDir()
    try {
      const chunks = ['{"a":1}\n', '{"a":2}\n', '{"a":3}\n'].map((s) => Buffer.from(s))
      const source = spooled(
        new StreamSource(
          'stdin',
          (async function* () {
            yield* chunks
          })(),
        ),
        temp,
      )
      const read = async (stopAfter: number) => {
        const out: string[] = []
        for await (const object of source.kind === 'bytes' ? source.objects() : []) {
          for await (const chunk of object.bytes) {
            out.push(chunk.toString())
            if (out.length === stopAfter) return out
          }
        }

        return out
      }

      assert.deepEqual(await read(1), ['{"a":1}\n'])
      assert.deepEqual((await read(99)).join(''), chunks.join(''))
    } finally {
      temp.remove()
    }
  })

  it('gives up the copy of a stream longer than the limit, and then cannot read it again', async () => {
    const temp = new TempDir()
    try {
      const source = spooled(
        new StreamSource(
          'stdin',
          (async function* () {
            for (let i = 0; i < 10; i++) yield Buffer.alloc(100, 120)
          })(),
        ),
        temp,
        500,
      )
      for await (const object of source.kind === 'bytes' ? source.objects() : []) for await (const chunk of object.bytes) assert.equal(chunk.length, 100)
      assert.equal(source.reopenable, false)
      assert.deepEqual(readdirSync(temp.get()), [])
    } finally {
      temp.remove()
    }
  })
})

/** The blocks of a file as linesStartingIn reads them. */
async function blocks(path: string, size: number, blockBytes: number): Promise<Buffer[]> {
  const parts: Buffer[] = []
  for (let start = 0; start < size; start += blockBytes) {
    const chunks: Buffer[] = []
    for await (const chunk of linesStartingIn(path, start, start + blockBytes)) chunks.push(Buffer.from(chunk))
    parts.push(Buffer.concat(chunks))
  }

  return parts
}

describe('cutting a file into blocks of lines', () => {
  let dir: string
  before(() => (dir = mkdtempSync(join(tmpdir(), 'gwctl-blocks-'))))
  after(() => rmSync(dir, {recursive: true, force: true}))

  const texts: Record<string, string> = {
    'short and empty lines, CRLF': 'a\n\nbb\r\nccc\n\n\ndddd\r\n',
    'no newline at the end': 'one\ntwo\nthree',
    'a line longer than several blocks': `x\n${'y'.repeat(300)}\nz\n${'w'.repeat(77)}`,
    'newlines only': '\n\n\n\n',
  }
  for (const [name, text] of Object.entries(texts)) {
    it(`gives every line once, whole and in order, at any block size: ${name}`, async () => {
      const path = join(dir, 'log')
      writeFileSync(path, text)
      for (const blockBytes of [1, 2, 3, 5, 7, 64, 1000]) {
        const parts = await blocks(path, text.length, blockBytes)
        assert.equal(Buffer.concat(parts).toString(), text, `block size ${blockBytes}`)
        const lined = parts.filter((part) => part.length > 0)
        for (const part of lined.slice(0, -1)) assert.equal(part.at(-1), 10, `block size ${blockBytes}: a block ends mid-line`)
      }
    })
  }
})

describe('external sort', () => {
  const where = new Where('a', 'p', '/', 'GET')
  const rec = (t: number, line: number) =>
    new LogRecord(
      t,
      false,
      line,
      0,
      200,
      where,
      new Caller(`k${line % 7}`, undefined),
      line % 5 === 0 ? `r-${line}` : undefined,
      line % 3 === 0 ? 'THROTTLED' : undefined,
    )

  it('sorts by time across runs on disk, keeping the input order of equal times, and removes its runs', () => {
    const temp = new TempDir()
    try {
      const sort = new ExternalSort(temp, 100)
      const input: Array<[number, number]> = []
      // Ten "streams" of 100 records each, concatenated, with many equal times.
      for (let s = 0; s < 10; s++) for (let i = 0; i < 100; i++) input.push([T0 + Math.floor(i / 3) * 10, input.length + 1])
      for (const [t, line] of input) sort.push(rec(t, line))
      assert.ok(sort.spilled >= 9, `${sort.spilled} runs written`)
      const out = [...sort.sorted()].flat()
      const expected = input.toSorted((a, b) => a[0] - b[0])
      assert.deepEqual(
        out.map((r) => [r.t, r.line]),
        expected,
      )
      const last = out.find((r) => r.line === 15)!
      assert.deepEqual([last.caller.apiKeyId, last.requestId, last.responseType, last.where.resourcePath], ['k1', 'r-15', 'THROTTLED', '/'])
      assert.deepEqual(readdirSync(temp.get()), [])
    } finally {
      temp.remove()
    }
  })

  it('merges more runs than it opens at once through longer runs', () => {
    const temp = new TempDir()
    try {
      const sort = new ExternalSort(temp, 10)
      for (let i = 0; i < 1000; i++) sort.push(rec(T0 + ((i * 7919) % 1000), i))
      const out = [...sort.sorted()].flat()
      assert.equal(out.length, 1000)
      assert.ok(out.every((r, i) => i === 0 || out[i - 1].t <= r.t))
    } finally {
      temp.remove()
    }
  })
})
