#!/usr/bin/env node
// Checks that a change to the simulator leaves every answer as it was: runs this
// checkout's gwctl and another built checkout's (`--base DIR`, e.g. a worktree of main)
// on the same inputs and compares, byte for byte, what each prints (stdout and stderr),
// its exit code and the --decisions file it writes.
//
//   npm run build && node bench/same-reports.mjs --base ../main [--lines 300000]
//
// Inputs: every layout of bench/logs.mjs, large enough to be parsed on a worker thread
// and small enough to be parsed in-thread; gzip, stdin and two logs merged; the sorting
// path; --decisions, --set, --chart and --fail-on; examples/ and the test fixtures.
// Exits 1 when anything differs. Not part of `npm test`.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {gzipSync} from 'node:zlib'

import {LAYOUT_WRITERS, layoutText, requests, snapshot, write} from './logs.mjs'

const args = process.argv.slice(2)
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i === -1 ? fallback : args[i + 1]
}

const BASE = opt('base', undefined)
if (BASE === undefined) {
  console.error('usage: node bench/same-reports.mjs --base OTHER_CHECKOUT [--lines 300000]')
  process.exit(2)
}

const LINES = Number(opt('lines', 300_000))
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const FIXTURES = join(ROOT, 'test/fixtures')
const dir = mkdtempSync(join(tmpdir(), 'gwctl-same-'))

/** One gwctl run: its output, exit code and decisions file. */
function run(root, argv, input) {
  const decisions = join(dir, 'decisions.jsonl')
  rmSync(decisions, {force: true})
  const full = argv.map((a) => (a === '{decisions}' ? decisions : a))
  const result = spawnSync(process.execPath, [join(root, 'bin/run.js'), 'simulate', ...full], {
    input: input === undefined ? undefined : readFileSync(input),
    maxBuffer: 1 << 30,
    encoding: 'utf8',
    timeout: 600_000,
  })
  if (result.error) throw result.error
  let written = ''
  try {
    written = readFileSync(decisions, 'utf8')
  } catch {
    // No --decisions, or the run failed.
  }

  return {stdout: result.stdout, stderr: result.stderr, status: result.status, decisions: written}
}

function firstDifference(a, b) {
  const la = a.split('\n')
  const lb = b.split('\n')
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}:\n    this: ${la[i]?.slice(0, 300)}\n    base: ${lb[i]?.slice(0, 300)}`
  }

  return 'same lines, different bytes'
}

let differences = 0
function check(name, argv, input) {
  const started = Date.now()
  const mine = run(ROOT, argv, input)
  const base = run(BASE, argv, input)
  const diffs = ['status', 'stdout', 'stderr', 'decisions'].filter((k) => mine[k] !== base[k])
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  if (diffs.length === 0) {
    console.log(
      `same     ${name} (exit ${mine.status}, ${mine.stdout.length} bytes${mine.decisions ? `, ${mine.decisions.length} bytes of decisions` : ''}; ${seconds} s)`,
    )
    return
  }

  differences++
  console.log(`DIFFERS  ${name}: ${diffs.join(', ')}`)
  for (const k of diffs) console.log(`  ${k}: ${k === 'status' ? `${mine.status} against ${base.status}` : firstDifference(String(mine[k]), String(base[k]))}`)
}

try {
  const snap = join(dir, 'snapshot.json')
  writeFileSync(snap, JSON.stringify(snapshot(1000)))
  const sim = (log, ...extra) => ['--snapshot', snap, '--log', log, '--json', ...extra]
  const small = Math.max(1000, Math.floor(LINES / 20))

  for (const layout of Object.keys(LAYOUT_WRITERS)) {
    const big = join(dir, `${layout}.log`)
    const little = join(dir, `${layout}-small.log`)
    await write(big, layoutText(layout, requests(LINES, 1000)))
    await write(little, layoutText(layout, requests(small, 1000, 7)))
    check(`${layout}, ${LINES} lines`, sim(big))
    check(`${layout}, ${small} lines`, sim(little))
    if (layout === 'gwctl' || layout === 'aws') {
      check(`${layout}, ${LINES} lines, --decisions --set --chart --fail-on`, [
        ...sim(big, '--decisions', '{decisions}', '--set', 'free:rate=3,burst=6,quota=800/DAY', '--chart', 'customer-1'),
        '--fail-on',
        'throttled>1%',
      ])
      check(`${layout}, ${small} lines on stdin`, sim('-'), little)
    }

    if (layout === 'nested') check(`nested, ${LINES} lines, --field apiKeyId=identity.apiKeyId`, sim(big, '--field', 'apiKeyId=identity.apiKeyId'))
    if (layout !== 'gwctl') rmSync(big)
  }

  const gz = join(dir, 'gwctl.log.gz')
  writeFileSync(gz, gzipSync(readFileSync(join(dir, 'gwctl.log'))))
  check(`gwctl, ${LINES} lines, gzip`, sim(gz))
  check('gwctl and aws logs merged', [...sim(join(dir, 'gwctl-small.log')), '--log', join(dir, 'aws-small.log')])

  // The sorting path: eight streams of the same hours concatenated.
  const streams = []
  for (let s = 0; s < 8; s++) for (const r of requests(Math.floor(LINES / 8), 1000, 1000 + s)) streams.push({...r, i: streams.length})
  const concatenated = join(dir, 'concatenated.log')
  await write(concatenated, layoutText('gwctl', streams))
  streams.length = 0
  check(`${LINES} lines in 8 concatenated streams, --sort auto`, sim(concatenated, '--decisions', '{decisions}'))
  check(`${LINES} lines in 8 concatenated streams, --sort always`, sim(concatenated, '--sort', 'always'))

  const examples = join(ROOT, 'examples')
  const demo = ['--snapshot', join(examples, 'snapshot.json'), '--log', join(examples, 'access-log.jsonl.gz')]
  check('examples', [...demo, '--json'])
  check('examples, text report', demo)
  check('examples, --decisions --set --chart', [...demo, '--json', '--decisions', '{decisions}', '--set', 'free:rate=1,burst=2', '--chart', 'bursty-labs'])
  for (const file of readdirSync(join(FIXTURES, 'logs'))) {
    check(`test/fixtures/logs/${file}`, [
      '--snapshot',
      join(FIXTURES, 'snapshot.json'),
      '--log',
      join(FIXTURES, 'logs', file),
      '--json',
      '--decisions',
      '{decisions}',
    ])
  }
} finally {
  rmSync(dir, {recursive: true, force: true})
}

console.log(differences === 0 ? '\nEvery output is the same.' : `\n${differences} case(s) differ.`)
process.exit(differences === 0 ? 0 : 1)
