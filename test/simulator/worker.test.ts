import assert from 'node:assert/strict'
import {join} from 'node:path'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

// The worker thread runs compiled JavaScript, so this test drives the built simulator (npm test builds first).
import {fieldPaths} from '../../dist/simulator/formats.js'
import {simulate} from '../../dist/simulator/simulate.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url))
const snapshot = () => JSON.parse(readFileSync(join(FIXTURES, 'snapshot.json'), 'utf8'))

function run(file: string, workerMinBytes: number, strict = false) {
  return simulate({snapshot: snapshot(), logs: [join(FIXTURES, 'logs', file)], format: 'auto', fields: fieldPaths([]), reorderWindowMs: 10_000, weekStart: 'monday', strict, workerMinBytes})
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

  it('stops at the first malformed line under --strict, naming it', async () => {
    await assert.rejects(run('malformed.jsonl', 0, true), /malformed\.jsonl line 3: not valid JSON/)
  })
})
