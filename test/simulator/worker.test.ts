import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

// The worker thread runs compiled JavaScript, so this test drives the built simulator (npm test builds first). The
// paths are computed so that type-checking the tests does not need a build.
const DIST = new URL('../../dist/simulator/', import.meta.url).href
const {simulate} = (await import(`${DIST}simulate.js`)) as typeof import('../../src/simulator/simulate.js')
const {FileSource} = (await import(`${DIST}sources.js`)) as typeof import('../../src/simulator/sources.js')

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url))
const snapshot = () => JSON.parse(readFileSync(join(FIXTURES, 'snapshot.json'), 'utf8'))

function run(file: string, workerMinBytes: number, strict = false, decisionsPath?: string) {
  const sources = [new FileSource(join(FIXTURES, 'logs', file))]
  return simulate({
    snapshot: snapshot(),
    sources,
    format: 'auto',
    fields: {},
    reorderWindowMs: 10_000,
    weekStart: 'sunday',
    firstPeriod: false,
    strict,
    sort: 'auto',
    maxLineBytes: 1 << 20,
    workerMinBytes,
    decisionsPath,
  })
}

describe('parsing large logs in a worker thread', () => {
  for (const file of ['recommended.jsonl', 'recommended.jsonl.gz', 'aws-sample.clf', 'with-header.csv', 'cloudwatch-export.json', 'malformed.jsonl']) {
    it(`gives the same report as in-thread parsing for ${file}`, async () => {
      const inThread = await run(file, Number.POSITIVE_INFINITY)
      const inWorker = await run(file, 0)
      assert.deepEqual(inWorker, inThread)
      assert.ok(inWorker.requests > 0)
    })
  }

  it('carries request ids and response types across, for --decisions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwctl-worker-'))
    await run('recommended.jsonl', Number.POSITIVE_INFINITY, false, join(dir, 'thread.jsonl'))
    await run('recommended.jsonl', 0, false, join(dir, 'worker.jsonl'))
    const thread = readFileSync(join(dir, 'thread.jsonl'), 'utf8')
    assert.equal(readFileSync(join(dir, 'worker.jsonl'), 'utf8'), thread)
    assert.match(thread, /"requestId":"r-0"/)
  })

  it('stops at the first malformed line under --strict, naming it', async () => {
    await assert.rejects(run('malformed.jsonl', 0, true), /malformed\.jsonl line 3: not valid JSON/)
  })
})
