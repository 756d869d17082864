import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {findRuns} from '../../src/simulator/natural-runs.js'

const T0 = Date.parse('2026-03-01T12:00:00Z')
const line = (t: number, extra = '') => `{"requestTimeEpoch":"${t}","apiId":"a","stage":"p","resourcePath":"/","httpMethod":"GET","apiKeyId":"k1"${extra}}`
const PARSERS = {fields: {}, requestIds: false}

const runsIn = (path: string, options?: {maxRuns?: number}) => findRuns(path, statSync(path).size, PARSERS, options)

/** A stream of `n` requests 200 ms apart from `from`, with blank, malformed, CRLF and long lines in the middle. */
const stream = (from: number, n: number) =>
  Array.from({length: n}, (_, i) => {
    if (i % 150 === 20) return ''
    if (i % 150 === 75) return '{"requestTimeEpoch": "not a time", oops'
    if (i % 150 === 100) return line(from + i * 200, `,"pad":"${'x'.repeat(20_000)}"`)
    return line(from + i * 200) + (i % 7 === 3 ? '\r' : '')
  })

describe('finding the runs in time order of a JSON-lines file', () => {
  let dir: string
  before(() => (dir = mkdtempSync(join(tmpdir(), 'gwctl-runs-'))))
  after(() => rmSync(dir, {recursive: true, force: true}))

  /** Writes the streams one after another; returns the file and the byte offset where each stream starts. */
  function write(name: string, streams: string[][]): {path: string; starts: number[]} {
    const starts: number[] = []
    let text = ''
    for (const lines of streams) {
      starts.push(Buffer.byteLength(text))
      text += lines.map((l) => `${l}\n`).join('')
    }

    const path = join(dir, name)
    writeFileSync(path, text)
    return {path, starts}
  }

  it('finds one run in a file in time order', () => {
    const {path} = write('sorted.jsonl', [stream(T0, 3000)])
    assert.deepEqual(runsIn(path), {starts: [0], drops: [0]})
  })

  it('cuts a file of streams run together where each stream starts, whatever lines lie in between', () => {
    for (const count of [2, 3, 8]) {
      const streams = Array.from({length: count}, (_, s) => stream(T0 + s * 1000, 1000 + s * 37))
      const {path, starts} = write(`streams-${count}.jsonl`, streams)
      const runs = runsIn(path)
      assert.deepEqual(runs?.starts, starts, `${count} streams`)
      // Each stream goes back from the last request of the one before to its own first.
      assert.deepEqual(
        runs?.drops.slice(1),
        starts.slice(1).map((_, s) => T0 + s * 1000 + (1000 + s * 37 - 1) * 200 - (T0 + (s + 1) * 1000)),
      )
    }
  })

  it('keeps a stream that starts at the time the one before ends in the same run', () => {
    const {path} = write('touching.jsonl', [stream(T0, 1000), stream(T0 + 999 * 200, 1000)])
    assert.deepEqual(runsIn(path)?.starts, [0])
  })

  it('reads times as the replay does, from the field --field names', () => {
    // The top-level requestTimeEpoch goes down where the mapped one goes up: only the mapped one counts.
    const lines = (from: number, n: number) =>
      Array.from({length: n}, (_, i) => `{"requestTimeEpoch":"${T0 + (n - i) * 1000}","ctx":{"t":"${from + i * 200}"},"apiKeyId":"k1"}`)
    const {path, starts} = write('mapped.jsonl', [lines(T0, 2000), lines(T0 + 100, 2000)])
    const fields = {requestTimeEpoch: 'ctx.t'}
    assert.deepEqual(findRuns(path, statSync(path).size, {fields, requestIds: false})?.starts, starts)
  })

  it('gives up past the runs it may merge', () => {
    const streams = Array.from({length: 12}, (_, s) => stream(T0 + s, 400))
    const {path, starts} = write('many.jsonl', streams)
    assert.equal(runsIn(path, {maxRuns: 11}), undefined)
    assert.deepEqual(runsIn(path, {maxRuns: 12})?.starts, starts)
  })
})
