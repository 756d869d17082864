import {build} from 'esbuild'
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {BUNDLE_OPTIONS} from '../../scripts/build.js'

type Simulator = typeof import('../../src/simulator/simulate.js') & typeof import('../../src/simulator/sources.js')

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url))
const snapshot = () => JSON.parse(readFileSync(join(FIXTURES, 'snapshot.json'), 'utf8'))

const line = (i: number, key: string) =>
  `{"requestId":"r-${i}","requestTimeEpoch":"${1_772_366_400_000 + i * 37}","apiId":"api0000001","stage":"prod","resourcePath":"/items","httpMethod":"GET","status":"200","apiKeyId":"${key}","pad":"${'p'.repeat(i % 53)}"}`

/** JSON lines with the things that must not move when the file is cut into blocks: blank, malformed, overlong and CRLF lines, and line numbers. */
function mixedLog(): string {
  const lines: string[] = []
  for (let i = 0; i < 1500; i++) {
    if (i % 97 === 5) lines.push('')
    if (i % 131 === 7) lines.push('{"requestId":"broken", "requestTimeEpoch":')
    if (i === 700) lines.push(`{"requestId":"long","pad":"${'x'.repeat(3000)}"}`)
    lines.push(line(i, i % 3 === 0 ? 'k1' : 'k2') + (i % 89 === 3 ? '\r' : ''))
  }

  return lines.join('\n') + '\n'
}

const T0 = 1_772_366_400_000

/** What every replay here is given as the command gives it by default. */
const REPLAY = {format: 'auto', fields: {}, reorderWindowMs: 10_000, weekStart: 'sunday', firstPeriod: false} as const

const request = (t: number, key: string, status = 200, path = '/items') =>
  `{"requestId":"r-${t}","requestTimeEpoch":"${t}","apiId":"api0000001","stage":"prod","resourcePath":"${path}","httpMethod":"GET","status":"${status}","apiKeyId":"${key}"}`

/**
 * Log streams of the same minutes run together, as `zcat export/*\/*.gz` gives them: every stream after the first
 * goes back in time. Every stream has requests at the same times (ties across runs) with other statuses, and
 * malformed, blank, CRLF and unmatched lines in the middle; the second a line dated far ahead, at its end (where
 * it ends a run) or after its 40th line (where it breaks a run in two, between two samples).
 */
function streamsLog(streams: number, perStream: number, farAheadAt = perStream): string {
  const lines: string[] = []
  for (let s = 0; s < streams; s++) {
    for (let i = 0; i <= perStream; i++) {
      if (s === 1 && i === farAheadAt) lines.push(request(Date.UTC(2099, 0, 1), 'k1'))
      if (i === perStream) break
      if (i === 17) lines.push('')
      if (i % 100 === 50) lines.push('{"requestId":"broken", "requestTimeEpoch":')
      const key = ['k1', 'k2', 'k3'][(i + s) % 3]
      lines.push(request(T0 + i * 250, key, s % 2 === 1 ? 429 : 200, i % 97 === 3 ? '/nope' : '/items') + (i % 89 === 5 ? '\r' : ''))
    }
  }

  return `${lines.join('\n')}\n`
}

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

  interface Run {
    workerMinBytes: number
    strict?: boolean
    decisionsPath?: string
    parseThreads?: {threads: number; blockBytes?: number}
    onProgress?: (bytes: number) => void
    onNotice?: (message: string) => void
    maxLineBytes?: number
    sort?: 'always' | 'auto' | 'never'
  }

  function run(file: string, workerMinBytes: number, strict = false, decisionsPath?: string) {
    return runOn(join(FIXTURES, 'logs', file), {workerMinBytes, strict, decisionsPath})
  }

  function runOn(
    path: string,
    {workerMinBytes, strict = false, decisionsPath, parseThreads, onProgress, onNotice, maxLineBytes = 1 << 20, sort = 'auto'}: Run,
  ) {
    const {simulate, FileSource} = simulator
    const sources = [new FileSource(path)]
    return simulate({
      ...REPLAY,
      snapshot: snapshot(),
      sources,
      strict,
      sort,
      maxLineBytes,
      workerMinBytes,
      parseThreads,
      decisionsPath,
      onProgress,
      onNotice,
    })
  }

  /** In-thread, such a file is sorted by the spill sort: the reference every merge must give exactly. */
  async function sameAsSpillSort(log: string, extra: Partial<Run> = {}) {
    const notices = {spill: [] as string[], runs: [] as string[]}
    const spill = await runOn(log, {workerMinBytes: Number.POSITIVE_INFINITY, onNotice: (m) => notices.spill.push(m), ...extra})
    const progress: number[] = []
    const runs = await runOn(log, {workerMinBytes: 0, onNotice: (m) => notices.runs.push(m), onProgress: (bytes) => progress.push(bytes), ...extra})
    assert.deepEqual(runs, spill)
    assert.deepEqual(notices.runs, notices.spill)
    return {report: runs, progress}
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

  describe('sharing one file between parse threads', () => {
    let log: string
    before(() => {
      log = join(dir, 'mixed.jsonl')
      writeFileSync(log, mixedLog())
    })

    for (const [threads, blockBytes] of [
      [2, 4096],
      [2, 777],
      [3, 1000],
      [2, 64],
    ]) {
      it(`gives the same report and decisions in ${threads} threads with ${blockBytes}-byte blocks as in one`, async () => {
        const one = await runOn(log, {workerMinBytes: Number.POSITIVE_INFINITY, decisionsPath: join(dir, 'one.jsonl'), maxLineBytes: 2048})
        const progress: number[] = []
        const shared = await runOn(log, {
          workerMinBytes: 0,
          parseThreads: {threads, blockBytes},
          decisionsPath: join(dir, 'shared.jsonl'),
          maxLineBytes: 2048,
          onProgress: (bytes) => progress.push(bytes),
        })
        assert.deepEqual(shared, one)
        assert.ok(one.requests === 1500 && one.malformed === 13, `the log holds 1,500 requests and 13 malformed lines (${one.requests}, ${one.malformed})`)
        assert.equal(readFileSync(join(dir, 'shared.jsonl'), 'utf8'), readFileSync(join(dir, 'one.jsonl'), 'utf8'))
        assert.equal(progress.at(-1), statSync(log).size, 'progress ends at the size of the file')
        assert.ok(
          progress.every((bytes, i) => i === 0 || bytes >= progress[i - 1]),
          'progress never goes back',
        )
      })
    }

    it('reads every block as the JSON lines the file starts with, whatever line a block starts with', async () => {
      // Lines that, first in a log, would be taken for another format or for none: a block may start with any of them.
      const strays = ['not json at all', 'a,b,c', '{"events": [', '2026-03-01T12:00:00.000Z {"x":1}']
      const lines = Array.from({length: 400}, (_, i) => (i % 5 === 1 ? strays[Math.floor(i / 5) % strays.length] : line(i, 'k1')))
      const strayLog = join(dir, 'strays.jsonl')
      writeFileSync(strayLog, `${lines.join('\n')}\n`)
      const one = await runOn(strayLog, {workerMinBytes: Number.POSITIVE_INFINITY})
      assert.equal(one.malformed, 80)
      // The first block holding exactly line 1, the second thread starts with a stray line.
      for (const blockBytes of [lines[0].length + 1, 64, 300, 1000]) {
        assert.deepEqual(await runOn(strayLog, {workerMinBytes: 0, parseThreads: {threads: 2, blockBytes}}), one, `${blockBytes}-byte blocks`)
      }
    })

    it('hands batches between threads without detaching a buffer, which would slow every thread', () => {
      // The first detached buffer in a thread makes V8 recompile all code that reads typed arrays, slower. A child
      // process replays with two parse threads under V8's trace of such events, then detaches a buffer itself: that
      // one event, after the replay, shows the trace works.
      const script = join(dir, 'no-detach.mjs')
      const options = {
        ...REPLAY,
        snapshot: snapshot(),
        strict: false,
        sort: 'auto',
        maxLineBytes: 2048,
        workerMinBytes: 0,
        parseThreads: {threads: 2, blockBytes: 4096},
      }
      writeFileSync(
        script,
        `const {simulate} = await import(${JSON.stringify(pathToFileURL(join(dir, 'simulate.js')).href)})
const {FileSource} = await import(${JSON.stringify(pathToFileURL(join(dir, 'sources.js')).href)})
const report = await simulate({...${JSON.stringify(options)}, sources: [new FileSource(${JSON.stringify(log)})], decisionsPath: ${JSON.stringify(join(dir, 'no-detach.jsonl'))}})
console.log('replayed', report.requests)
const control = new ArrayBuffer(8)
structuredClone(control, {transfer: [control]})
`,
      )
      const lines = execFileSync(process.execPath, ['--trace-protector-invalidation', script], {encoding: 'utf8'}).split('\n')
      const replayed = lines.indexOf('replayed 1500')
      assert.ok(replayed !== -1, lines.join('\n'))
      const detaching = lines.flatMap((l, i) => (l.includes('ArrayBufferDetaching') ? [i > replayed ? 'control' : 'replay'] : []))
      assert.deepEqual(detaching, ['control'])
    })

    it('refuses a file that looks binary in its first chunk as one thread does', async () => {
      const lines = Array.from({length: 400}, (_, i) => line(i, 'k1'))
      lines[60] = `{"requestId":"nul\u0000"}`
      const binary = join(dir, 'nul.jsonl')
      writeFileSync(binary, `${lines.join('\n')}\n`)
      await assert.rejects(runOn(binary, {workerMinBytes: Number.POSITIVE_INFINITY}), /looks binary \(a NUL byte at byte \d+\)/)
      await assert.rejects(runOn(binary, {workerMinBytes: 0, parseThreads: {threads: 2, blockBytes: 1000}}), /looks binary \(a NUL byte at byte \d+\)/)
    })

    it('names the first malformed line of a later block under --strict, counted from the start of the file', async () => {
      const lines = readFileSync(log, 'utf8').split('\n')
      const first = lines.findIndex((l) => l.includes('"broken"')) + 1
      await assert.rejects(
        runOn(log, {workerMinBytes: 0, strict: true, parseThreads: {threads: 2, blockBytes: 1000}}),
        new RegExp(String.raw`mixed\.jsonl line ${first}: not valid JSON`),
      )
      const good = lines.filter((l) => l !== '' && !l.includes('"broken"') && !l.includes('"long"'))
      const tail = join(dir, 'tail-broken.jsonl')
      writeFileSync(tail, `${good.join('\n')}\n{oops\n`)
      await assert.rejects(
        runOn(tail, {workerMinBytes: 0, strict: true, parseThreads: {threads: 2, blockBytes: 1000}}),
        new RegExp(String.raw`tail-broken\.jsonl line ${good.length + 1}: not valid JSON`),
      )
    })
  })
  describe('merging the runs of a file out of order', () => {
    for (const [streams, sort] of [
      [2, 'always'],
      [5, 'always'],
      [8, 'always'],
      [20, 'always'],
      [2, 'auto'],
      [8, 'auto'],
    ] as const) {
      it(`gives the sorted replay of ${streams} streams run together (--sort ${sort}), malformed, blank, far-ahead and unmatched lines in file order`, async () => {
        const log = join(dir, `streams-${streams}.jsonl`)
        writeFileSync(log, streamsLog(streams, 300))
        // Small blocks, so that a replay in arrival order would stop at the first late line well before the file's end.
        const {report, progress} = await sameAsSpillSort(log, {sort, parseThreads: {threads: 2, blockBytes: 4096}})
        assert.ok(report.sorted !== null && report.malformed === streams * 3 && report.farAhead === 1 && report.unmatched > 0, JSON.stringify(report.problems))
        // Ties across runs: with requests at the same times in every stream, the first stream's come first, as the stable sort has them.
        assert.ok(report.agreement !== undefined)
        if (sort === 'auto') {
          assert.ok(
            progress.every((bytes, i) => i === 0 || bytes >= progress[i - 1]),
            'the file is read once: progress never starts again from 0',
          )
        }
      })
    }

    it('falls back to the spill sort past the runs it merges, and for runs out of order that the samples miss', async () => {
      const many = join(dir, 'streams-40.jsonl')
      writeFileSync(many, streamsLog(40, 30))
      await sameAsSpillSort(many, {sort: 'always'})
      // Each stream here goes back by 250 ms, between two samples whose times still rise.
      const hidden = join(dir, 'hidden.jsonl')
      const lines = Array.from({length: 3000}, (_, i) => request(T0 + i * 100 - (i >= 1500 ? 250 : 0), 'k1'))
      writeFileSync(hidden, `${lines.join('\n')}\n`)
      await sameAsSpillSort(hidden, {sort: 'always'})
      const farAhead = join(dir, 'far-ahead-inside.jsonl')
      writeFileSync(farAhead, streamsLog(3, 300, 40))
      for (const sort of ['always', 'auto'] as const) assert.equal((await sameAsSpillSort(farAhead, {sort})).report.farAhead, 1)
    })

    it('replays in arrival order a file that goes back by less than the reorder window (--sort auto)', async () => {
      const jitter = join(dir, 'jitter.jsonl')
      const lines = Array.from({length: 3000}, (_, i) => request(T0 + i * 100 - (i % 700 === 350 ? 5000 : 0), 'k1'))
      writeFileSync(jitter, `${lines.join('\n')}\n`)
      const {report} = await sameAsSpillSort(jitter)
      assert.equal(report.sorted, null)
    })

    it('names the first malformed line under --strict --sort always, counted from the start of the file', async () => {
      const log = join(dir, 'streams-strict.jsonl')
      writeFileSync(log, streamsLog(4, 300))
      const first =
        readFileSync(log, 'utf8')
          .split('\n')
          .findIndex((l) => l.includes('"broken"')) + 1
      await assert.rejects(
        runOn(log, {workerMinBytes: 0, strict: true, sort: 'always'}),
        new RegExp(String.raw`streams-strict\.jsonl line ${first}: not valid JSON`),
      )
    })
  })
})
