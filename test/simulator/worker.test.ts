import {build} from 'esbuild'
import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {BUNDLE_OPTIONS} from '../../scripts/build.js'

type Simulator = typeof import('../../src/simulator/simulate.js') & typeof import('../../src/simulator/sources.js')

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url))
const snapshot = () => JSON.parse(readFileSync(join(FIXTURES, 'snapshot.json'), 'utf8'))

describe('parsing large logs in a worker thread', function () {
  // The worker thread runs compiled JavaScript, so this test bundles the simulator as `npm run build` does and
  // drives that copy (test/bin.test.ts checks that the build puts the worker where the simulator looks for it).
  this.timeout(60_000)
  let dir: string
  let simulator: Simulator
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-simulator-'))
    const entryPoints = ['src/simulator/simulate.ts', 'src/simulator/sources.ts', 'src/simulator/parse-worker.ts']
    await build({...BUNDLE_OPTIONS, entryPoints, outdir: dir})
    assert.ok(existsSync(join(dir, 'parse-worker.js')), 'the worker script is where the simulator looks for it')
    const load = async (name: string) => (await import(pathToFileURL(join(dir, name)).href)) as Partial<Simulator>
    simulator = {...(await load('simulate.js')), ...(await load('sources.js'))} as Simulator
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  function run(file: string, workerMinBytes: number, strict = false, decisionsPath?: string) {
    const {simulate, FileSource} = simulator
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

  for (const file of ['recommended.jsonl', 'recommended.jsonl.gz', 'aws-sample.clf', 'with-header.csv', 'cloudwatch-export.json', 'malformed.jsonl']) {
    it(`gives the same report as in-thread parsing for ${file}`, async () => {
      const inThread = await run(file, Number.POSITIVE_INFINITY)
      const inWorker = await run(file, 0)
      assert.deepEqual(inWorker, inThread)
      assert.ok(inWorker.requests > 0)
    })
  }

  it('carries request ids and response types across, for --decisions', async () => {
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
