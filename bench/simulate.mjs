#!/usr/bin/env node
// Throughput and memory of `gwctl simulate` on logs shaped like users' data, beside a
// plain Node readline + JSON.parse loop that only counts requests per key.
//
//   npm run build && node bench/simulate.mjs [options]
//
//   --layouts gwctl,aws,nested,firehose,cloudwatch,s3export   which log shapes to time (default: all; --layout aws for one)
//   --lines 2000000 --keys 1000 --rounds 3                    throughput runs
//   --sort-lines 2000000                                      the sorting path (lines far out of order)
//   --memory-lines 10000000 --memory-keys 10000               peak memory, piped through stdin and from a file
//   --only throughput|sort|memory                             one part only
//
// Layouts: gwctl is the format `gwctl logs format` prints; aws is AWS's documented JSON
// sample (its field order and spacing) with requestTimeEpoch, apiId, stage and apiKeyId
// appended, as a user adds them; nested adds objects users log (identity, integration)
// holding names replay reads at the top level; firehose is the gwctl layout delivered by
// Kinesis Data Firehose (records run together, no newline); cloudwatch is the output of
// `aws logs filter-log-events`; s3export is a CloudWatch Logs export to S3.
//
// Each contender runs `rounds` times, in turn, under /usr/bin/time (wall seconds, CPU
// seconds and peak RSS); the 1-minute load average is recorded before each run, since the
// machine may be shared: on a busy machine the CPU seconds compare the work done better
// than wall time does. The tables give medians. Not part of `npm test`.
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {gwctlLine, layoutText, NAIVE_LAYOUTS, requests, snapshot, write} from './logs.mjs'

const args = process.argv.slice(2)
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i === -1 ? fallback : args[i + 1]
}

const KNOWN = new Set(['lines', 'keys', 'rounds', 'sort-lines', 'memory-lines', 'memory-keys', 'layouts', 'layout', 'only'])
for (const [i, a] of args.entries()) {
  if (i % 2 === 0 && !(a.startsWith('--') && KNOWN.has(a.slice(2)))) {
    console.error(`bench/simulate.mjs: unknown option ${a}; options: ${[...KNOWN].map((k) => `--${k}`).join(' ')}`)
    process.exit(2)
  }
}

const LINES = Number(opt('lines', 2_000_000))
const KEYS = Number(opt('keys', 1000))
const ROUNDS = Number(opt('rounds', 3))
const SORT_LINES = Number(opt('sort-lines', 2_000_000))
const MEMORY_LINES = Number(opt('memory-lines', 10_000_000))
const MEMORY_KEYS = Number(opt('memory-keys', 10_000))
// --layout is the same as --layouts, for one layout at a time.
const LAYOUTS = opt('layouts', opt('layout', 'gwctl,aws,nested,firehose,cloudwatch,s3export')).split(',')
const ONLY = opt('only', undefined)
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BIN = join(ROOT, 'bin/run.js')
const dir = mkdtempSync(join(tmpdir(), 'gwctl-bench-'))
const HAS_TIME = existsSync('/usr/bin/time')

/** Runs a command, returning wall seconds, CPU seconds (user + system), peak RSS in MB (GNU time's %M) and the load average before it. */
function measure(command, commandArgs) {
  const load = loadavg()[0]
  const argv = HAS_TIME ? ['-f', '%e %M %U %S', command, ...commandArgs] : commandArgs
  const started = process.hrtime.bigint()
  const result = spawnSync(HAS_TIME ? '/usr/bin/time' : command, argv, {maxBuffer: 1 << 28, encoding: 'utf8'})
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (result.status !== 0 && result.status !== 8) throw new Error(`${command} failed (${result.status}): ${result.stderr.slice(-800)}`)
  const times = HAS_TIME ? result.stderr.trim().split('\n').pop().split(' ') : []
  return {
    seconds,
    rssMb: HAS_TIME ? Number(times[1]) / 1024 : Number.NaN,
    cpu: HAS_TIME ? Number(times[2]) + Number(times[3]) : Number.NaN,
    load,
    stdout: result.stdout,
  }
}

const NAIVE = `
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

const median = (values) => {
  const sorted = values.toSorted((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', {maximumFractionDigits: digits, minimumFractionDigits: digits})

function table(head, rows) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

const gwctl = (snapshotFile, log, extra = []) => [BIN, 'simulate', '--snapshot', snapshotFile, '--log', log, '--json', ...extra]

async function throughput(snapshotFile) {
  const rows = []
  for (const layout of LAYOUTS) {
    const file = join(dir, `access-${layout}.log`)
    process.stderr.write(`${layout}: writing ${fmt(LINES)} requests ...\n`)
    await write(file, layoutText(layout, requests(LINES, KEYS)))
    const size = statSync(file).size
    const runs = {gwctl: [], naive: []}
    for (let round = 0; round < ROUNDS; round++) {
      const g = measure(process.execPath, gwctl(snapshotFile, file))
      const report = JSON.parse(g.stdout)
      if (report.requests !== LINES) throw new Error(`${layout}: gwctl replayed ${report.requests} of ${LINES} requests`)
      runs.gwctl.push(g)
      if (NAIVE_LAYOUTS.has(layout)) runs.naive.push(measure(process.execPath, ['--input-type=module', '-e', NAIVE, file]))
      process.stderr.write(
        `  round ${round + 1}: gwctl ${g.seconds.toFixed(2)} s${runs.naive.length > round ? `, naive ${runs.naive[round].seconds.toFixed(2)} s` : ''} (load ${g.load.toFixed(2)})\n`,
      )
    }

    const g = median(runs.gwctl.map((r) => r.seconds))
    const naive = runs.naive.length > 0 ? median(runs.naive.map((r) => r.seconds)) : undefined
    const loads = [...runs.gwctl, ...runs.naive].map((r) => r.load)
    rows.push([
      layout,
      `${fmt(size / 1e6)} MB`,
      g.toFixed(2),
      fmt(LINES / g),
      naive === undefined ? 'n/a' : naive.toFixed(2),
      naive === undefined ? 'n/a' : fmt(LINES / naive),
      naive === undefined ? 'n/a' : `${(naive / g).toFixed(2)}x`,
      median(runs.gwctl.map((r) => r.cpu)).toFixed(2),
      naive === undefined ? 'n/a' : median(runs.naive.map((r) => r.cpu)).toFixed(2),
      fmt(median(runs.gwctl.map((r) => r.rssMb))),
      `${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}`,
    ])
    rmSync(file)
  }

  console.log(`\nThroughput: ${fmt(LINES)} requests, ${fmt(KEYS)} keys, median of ${ROUNDS} rounds\n`)
  console.log(
    table(
      [
        'layout',
        'size',
        'gwctl s',
        'gwctl lines/s',
        'naive s',
        'naive lines/s',
        'gwctl vs naive',
        'gwctl CPU s',
        'naive CPU s',
        'gwctl peak RSS MB',
        'load avg',
      ],
      rows,
    ),
  )
}

/**
 * Eight log streams of the same hours concatenated, as `zcat export/*\/*.gz` gives
 * them: every stream after the first goes back in time. Replay must sort; the answer
 * must equal the replay of the same requests in time order.
 */
async function sorting(snapshotFile) {
  const streams = 8
  const perStream = Math.floor(SORT_LINES / streams)
  const all = []
  for (let s = 0; s < streams; s++) for (const r of requests(perStream, KEYS, 1000 + s)) all.push({...r, i: all.length})
  const unsorted = join(dir, 'concatenated.jsonl')
  const sorted = join(dir, 'sorted.jsonl')
  await write(unsorted, layoutText('gwctl', all))
  await write(
    sorted,
    layoutText(
      'gwctl',
      all.toSorted((a, b) => a.t - b.t),
    ),
  )
  all.length = 0
  const rows = []
  const reference = JSON.parse(measure(process.execPath, gwctl(snapshotFile, sorted)).stdout)
  for (const [name, extra] of [
    ['--sort auto (replays, then sorts at the first late line)', []],
    ['--sort always', ['--sort', 'always']],
  ]) {
    const runs = []
    for (let round = 0; round < ROUNDS; round++) {
      const run = measure(process.execPath, gwctl(snapshotFile, unsorted, extra))
      const report = JSON.parse(run.stdout)
      for (const k of ['requests', 'allowed', 'throttled', 'quotaExceeded', 'forbidden']) {
        if (report[k] !== reference[k]) throw new Error(`sorted replay differs from the replay in time order: ${k} ${report[k]} against ${reference[k]}`)
      }

      runs.push(run)
      process.stderr.write(`  ${name}, round ${round + 1}: ${run.seconds.toFixed(2)} s, ${run.rssMb.toFixed(0)} MB (load ${run.load.toFixed(2)})\n`)
    }

    const s = median(runs.map((r) => r.seconds))
    const loads = runs.map((r) => r.load)
    rows.push([
      name,
      s.toFixed(2),
      fmt((streams * perStream) / s),
      median(runs.map((r) => r.cpu)).toFixed(2),
      fmt(median(runs.map((r) => r.rssMb))),
      fmt(Math.max(...runs.map((r) => r.rssMb))),
      `${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}`,
    ])
  }

  console.log(
    `\nSorting path: ${fmt(streams * perStream)} requests in ${streams} concatenated streams, ${fmt(KEYS)} keys; same totals as the replay in time order\n`,
  )
  console.log(table(['mode', 'seconds', 'lines/s', 'CPU s', 'peak RSS MB (median)', 'peak RSS MB (max)', 'load avg'], rows))
  rmSync(unsorted)
  rmSync(sorted)
}

/** The replay piped through stdin (so no file of that size is written), at two lengths: memory must not grow with the log. */
async function memory() {
  const snapshotFile = join(dir, 'snapshot-memory.json')
  writeFileSync(snapshotFile, JSON.stringify(snapshot(MEMORY_KEYS)))
  const rows = []
  for (const lines of [Math.round(MEMORY_LINES / 10), MEMORY_LINES]) {
    process.stderr.write(`memory: ${fmt(lines)} lines for ${fmt(MEMORY_KEYS)} keys piped into gwctl ...\n`)
    const load = loadavg()[0]
    const argv = [BIN, 'simulate', '--snapshot', snapshotFile, '--log', '-', '--json']
    const child = spawn(HAS_TIME ? '/usr/bin/time' : process.execPath, HAS_TIME ? ['-f', '%e %M', process.execPath, ...argv] : argv, {
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stderr = ''
    let stdout = ''
    child.stderr.on('data', (c) => (stderr += c))
    child.stdout.on('data', (c) => (stdout += c))
    const started = process.hrtime.bigint()
    let buffer = ''
    for (const r of requests(lines, MEMORY_KEYS)) {
      buffer += gwctlLine(r) + '\n'
      if (buffer.length > 1 << 20) {
        if (!child.stdin.write(buffer)) await new Promise((resolve) => child.stdin.once('drain', resolve))
        buffer = ''
      }
    }

    child.stdin.end(buffer)
    const code = await new Promise((resolve) => child.on('close', resolve))
    if (code !== 0) throw new Error(`gwctl failed: ${stderr.slice(-800)}`)
    if (JSON.parse(stdout).requests !== lines) throw new Error('gwctl did not replay every line')
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    const rssMb = HAS_TIME ? Number(stderr.trim().split('\n').pop().split(' ')[1]) / 1024 : Number.NaN
    rows.push([fmt(lines), seconds.toFixed(1), fmt(rssMb), load.toFixed(2)])
  }

  console.log(`\nMemory: the replay piped through stdin, ${fmt(MEMORY_KEYS)} keys (seconds include generating the lines)\n`)
  console.log(table(['lines', 'seconds', 'peak RSS MB', 'load avg'], rows))

  // The same from a file, which large replays read with two parse threads: each thread is a V8 heap of its own.
  const file = join(dir, 'memory.log')
  process.stderr.write(`memory: writing ${fmt(MEMORY_LINES)} lines for ${fmt(MEMORY_KEYS)} keys to a file ...\n`)
  await write(file, layoutText('gwctl', requests(MEMORY_LINES, MEMORY_KEYS)))
  const run = measure(process.execPath, gwctl(snapshotFile, file))
  if (JSON.parse(run.stdout).requests !== MEMORY_LINES) throw new Error('gwctl did not replay every line of the file')
  console.log(`\nMemory: the replay of a ${fmt(statSync(file).size / 1e6)} MB file of ${fmt(MEMORY_LINES)} lines, ${fmt(MEMORY_KEYS)} keys\n`)
  console.log(
    table(
      ['lines', 'seconds', 'CPU s', 'peak RSS MB', 'load avg'],
      [[fmt(MEMORY_LINES), run.seconds.toFixed(1), run.cpu.toFixed(1), fmt(run.rssMb), run.load.toFixed(2)]],
    ),
  )
  rmSync(file)
}

try {
  const snapshotFile = join(dir, 'snapshot.json')
  writeFileSync(snapshotFile, JSON.stringify(snapshot(KEYS)))
  console.log(`Node ${process.version}, ${new Date().toISOString()}`)
  if (!ONLY || ONLY === 'throughput') await throughput(snapshotFile)
  if (!ONLY || ONLY === 'sort') await sorting(snapshotFile)
  if (!ONLY || ONLY === 'memory') await memory()
} finally {
  rmSync(dir, {recursive: true, force: true})
}
