#!/usr/bin/env node
// Throughput and memory of `gwctl simulate`, beside two baselines that only count
// requests per key: a plain Node readline + JSON.parse loop, and jq.
//
//   npm run build && node bench/simulate.mjs [--lines 2000000] [--keys 1000] [--memory-lines 10000000] [--memory-keys 10000] [--gwctl-only]
//
// Writes the log (the format `gwctl logs format` recommends) and a snapshot into a
// temporary directory, runs each contender once under /usr/bin/time for wall time and
// peak RSS, then replays --memory-lines lines piped from a generator to show that
// gwctl's memory does not grow with the log. --gwctl-only times gwctl alone (no
// baselines, no memory runs), for quick comparisons. Not part of `npm test`.
import {execFileSync, spawn, spawnSync} from 'node:child_process'
import {createWriteStream, existsSync, mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const args = process.argv.slice(2)
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i < 0 ? fallback : Number(args[i + 1])
}

const LINES = opt('lines', 2_000_000)
const KEYS = opt('keys', 1000)
const GWCTL_ONLY = args.includes('--gwctl-only')
const MEMORY_LINES = GWCTL_ONLY ? 0 : opt('memory-lines', 10_000_000)
const MEMORY_KEYS = opt('memory-keys', 10_000)
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BIN = join(ROOT, 'bin/run.js')
const START = Date.UTC(2026, 10, 2)
const dir = mkdtempSync(join(tmpdir(), 'gwctl-bench-'))

const keyId = (k) => `bk${String(k).padStart(8, '0')}`
const ROUTES = [['/pets', 'GET'], ['/pets', 'POST'], ['/pets/{id}', 'GET'], ['/pets/{id}', 'DELETE']]

function snapshot(keys) {
  const plans = [
    {id: 'gold01', name: 'gold', throttle: {rateLimit: 20, burstLimit: 40}, quota: {limit: 1_000_000, offset: 0, period: 'MONTH'}, apiStages: [{apiId: 'benchapi01', stage: 'prod'}]},
    {id: 'free01', name: 'free', throttle: {rateLimit: 2, burstLimit: 5}, quota: {limit: 500, offset: 0, period: 'DAY'}, apiStages: [{apiId: 'benchapi01', stage: 'prod', throttle: {'/pets/POST': {rateLimit: 1, burstLimit: 2}}}]},
  ]
  return {
    version: 1,
    apis: [{id: 'benchapi01', name: 'bench', apiKeySource: 'HEADER', methods: ROUTES.map(([path, httpMethod]) => ({path, httpMethod, apiKeyRequired: true})), stages: [{stageName: 'prod', methodSettings: {'*/*': {throttlingRateLimit: 5000, throttlingBurstLimit: 2000}}}]}],
    usagePlans: plans,
    apiKeys: Array.from({length: keys}, (_, k) => ({id: keyId(k), name: `customer-${k}`, enabled: k % 50 !== 7, usagePlanIds: [k % 10 === 0 ? 'gold01' : 'free01']})),
  }
}

/** Deterministic log lines: 600 requests a second on average, keys skewed so some get throttled. */
function* logLines(lines, keys) {
  let seed = 42
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    return seed / 2_147_483_648
  }

  let t = START
  for (let i = 0; i < lines; i++) {
    t += Math.floor(random() * 3.4)
    const k = Math.floor(random() * random() * keys)
    const [path, method] = ROUTES[i % ROUTES.length]
    const d = new Date(t)
    yield `{"requestId":"${i.toString(16).padStart(8, '0')}-1c2d-4e5f-8a9b-0c1d2e3f4a5b","extendedRequestId":"Xb${i.toString(36)}FQ=","requestTime":"${String(d.getUTCDate()).padStart(2, '0')}/Nov/2026:${d.toISOString().slice(11, 19)} +0000","requestTimeEpoch":"${t}","apiId":"benchapi01","stage":"prod","resourcePath":"${path}","httpMethod":"${method}","status":"200","apiKeyId":"${keyId(k)}","responseType":"-","ip":"198.51.100.${i % 250}","responseLength":"${200 + (i % 700)}"}\n`
  }
}

async function writeLog(file, lines, keys) {
  const out = createWriteStream(file)
  let buffer = ''
  for (const line of logLines(lines, keys)) {
    buffer += line
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise((resolve) => out.once('drain', resolve))
      buffer = ''
    }
  }

  out.end(buffer)
  await new Promise((resolve) => out.on('finish', resolve))
}

const HAS_TIME = existsSync('/usr/bin/time')

/** Runs a command, returning wall seconds and peak RSS in MB (from GNU time's %M, in KB). */
function measure(command, commandArgs, {input} = {}) {
  const argv = HAS_TIME ? ['-f', '%e %M', command, ...commandArgs] : commandArgs
  const started = process.hrtime.bigint()
  const result = spawnSync(HAS_TIME ? '/usr/bin/time' : command, argv, {input, maxBuffer: 1 << 28, encoding: 'utf8', shell: false})
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (result.status !== 0 && result.status !== 8) throw new Error(`${command} failed (${result.status}): ${result.stderr.slice(-500)}`)
  const times = HAS_TIME ? result.stderr.trim().split('\n').pop().split(' ') : []
  return {seconds, rssMb: HAS_TIME ? Number(times[1]) / 1024 : Number.NaN, stdout: result.stdout}
}

const READLINE_COUNT = `
import {createReadStream} from 'node:fs'
import {createInterface} from 'node:readline'
const counts = new Map()
for await (const line of createInterface({input: createReadStream(process.argv[1]), crlfDelay: Infinity})) {
  if (line === '') continue
  const key = JSON.parse(line).apiKeyId
  counts.set(key, (counts.get(key) ?? 0) + 1)
}
console.log(counts.size)
`

function table(rows) {
  const head = ['contender', 'lines', 'seconds', 'lines/s', 'peak RSS MB', 'vs gwctl']
  const body = rows.map((r) => [r.name, r.lines.toLocaleString('en-US'), r.seconds.toFixed(2), Math.round(r.lines / r.seconds).toLocaleString('en-US'), Number.isNaN(r.rssMb) ? 'n/a' : r.rssMb.toFixed(0), r.ratio])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)))
  return [head, ...body].map((cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ')).join('\n')
}

try {
  const snapshotFile = join(dir, 'snapshot.json')
  const logFile = join(dir, 'access.jsonl')
  writeFileSync(snapshotFile, JSON.stringify(snapshot(KEYS)))
  process.stderr.write(`generating ${LINES.toLocaleString('en-US')} lines for ${KEYS} keys in ${dir} ...\n`)
  await writeLog(logFile, LINES, KEYS)
  process.stderr.write(`log: ${(statSync(logFile).size / 1e6).toFixed(0)} MB\n`)

  const rows = []
  const gwctl = measure(process.execPath, [BIN, 'simulate', '--snapshot', snapshotFile, '--log', logFile, '--json'])
  const report = JSON.parse(gwctl.stdout)
  rows.push({name: 'gwctl simulate', lines: LINES, ...gwctl})
  if (!GWCTL_ONLY) {
    rows.push({name: 'node readline + JSON.parse (count per key)', lines: LINES, ...measure(process.execPath, ['--input-type=module', '-e', READLINE_COUNT, logFile])})
    try {
      execFileSync('jq', ['--version'])
      rows.push({name: 'jq (count per key)', lines: LINES, ...measure('jq', ['-n', 'reduce inputs as $r ({}; .[$r.apiKeyId] += 1) | length', logFile])})
    } catch {
      process.stderr.write('jq not installed; skipping it\n')
    }
  }

  for (const r of rows) r.ratio = r === rows[0] ? '1.00' : (r.seconds / rows[0].seconds).toFixed(2) + 'x slower'
  console.log(`\nThroughput: ${LINES.toLocaleString('en-US')} lines, ${KEYS} keys (gwctl: ${report.allowed} allowed, ${report.throttled} throttled, ${report.quotaExceeded} quota, ${report.forbidden} forbidden)\n`)
  console.log(table(rows))
  rmSync(logFile)

  if (MEMORY_LINES > 0) {
    writeFileSync(snapshotFile, JSON.stringify(snapshot(MEMORY_KEYS)))
    const memoryRows = []
    for (const lines of [Math.round(MEMORY_LINES / 10), MEMORY_LINES]) {
      process.stderr.write(`memory: ${lines.toLocaleString('en-US')} lines for ${MEMORY_KEYS} keys piped into gwctl ...\n`)
      const argv = HAS_TIME ? ['-f', '%e %M', process.execPath, BIN, 'simulate', '--snapshot', snapshotFile, '--log', '-', '--json'] : [BIN, 'simulate', '--snapshot', snapshotFile, '--log', '-', '--json']
      const child = spawn(HAS_TIME ? '/usr/bin/time' : process.execPath, argv, {stdio: ['pipe', 'pipe', 'pipe']})
      let stderr = ''
      child.stderr.on('data', (c) => (stderr += c))
      child.stdout.resume()
      const started = process.hrtime.bigint()
      let buffer = ''
      for (const line of logLines(lines, MEMORY_KEYS)) {
        buffer += line
        if (buffer.length > 1 << 20) {
          if (!child.stdin.write(buffer)) await new Promise((resolve) => child.stdin.once('drain', resolve))
          buffer = ''
        }
      }

      child.stdin.end(buffer)
      await new Promise((resolve) => child.on('close', resolve))
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      const rssMb = HAS_TIME ? Number(stderr.trim().split('\n').pop().split(' ')[1]) / 1024 : Number.NaN
      memoryRows.push({name: `gwctl simulate, stdin, ${MEMORY_KEYS} keys`, lines, seconds, rssMb, ratio: '-'})
    }

    console.log(`\nMemory: the same replay at two log lengths (time includes generating the lines)\n`)
    console.log(table(memoryRows))
  }
} finally {
  rmSync(dir, {recursive: true, force: true})
}
