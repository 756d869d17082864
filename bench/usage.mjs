#!/usr/bin/env node
// Wall time and peak memory of `gwctl usage PLAN --json` on a plan with many keys, against the
// extended moto (test/moto/server.py, which answers GetUsage). Not part of `npm test`.
//
//   npm run build && node bench/usage.mjs [--keys 5000] [--days 90] [--runs 3]
//
// Imports --keys keys into one plan (ImportApiKeys, 100 rows a call), then times `gwctl usage`
// over the current month (one 31-day chunk, pages of 500 keys) and over --days days (chunks of
// 31 days), each run under /usr/bin/time for peak RSS. Every key is reported by the emulator
// (with no use unless seeded), so the figures are computed for every key.
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {motoEnv, startMoto} from './moto.mjs'

const {values: options} = parseArgs({
  options: {keys: {type: 'string', default: '5000'}, days: {type: 'string', default: '90'}, runs: {type: 'string', default: '3'}},
})
const KEYS = Number(options.keys)
const DAYS = Number(options.days)
const RUNS = Number(options.runs)
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const env = motoEnv()

if (!existsSync(join(ROOT, 'dist/cli.js'))) {
  console.error('dist is missing: run `npm run build` first')
  process.exit(1)
}

/** Runs gwctl under /usr/bin/time: seconds and peak RSS in MB. */
function timed(args) {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, 'bin/run.js', ...args], {cwd: ROOT, env, encoding: 'utf8', maxBuffer: 1 << 30})
  if (result.status !== 0) throw new Error(`gwctl ${args.join(' ')} exited ${result.status}: ${result.stderr}`)
  const [seconds, kb] = result.stderr.trim().split('\n').at(-1).split(' ').map(Number)
  return {seconds, mb: kb / 1024, bytes: result.stdout.length}
}

const dir = mkdtempSync(join(tmpdir(), 'gwctl-bench-usage-'))
const moto = await startMoto({extended: true})
try {
  const gwctl = (...args) => {
    const result = spawnSync(process.execPath, ['bin/run.js', ...args, '--endpoint-url', moto.url], {cwd: ROOT, env, encoding: 'utf8'})
    if (result.status !== 0) throw new Error(`gwctl ${args.join(' ')} exited ${result.status}: ${result.stderr}`)
    return result.stdout
  }

  gwctl('plans', 'create', '--name', 'gold', '--quota', '1000000/MONTH')
  const csv = ['Name,Key', ...Array.from({length: KEYS}, (_, i) => `key${i},${`k${i}`.padEnd(24, 'x')}${String(i).padStart(16, '0')}`)].join('\n')
  writeFileSync(join(dir, 'keys.csv'), csv + '\n')
  gwctl('keys', 'import', join(dir, 'keys.csv'), '--plan', 'gold')

  const today = new Date()
  const from = new Date(today.getTime() - (DAYS - 1) * 86_400_000).toISOString().slice(0, 10)
  const cases = [
    [`usage gold (this month, ${KEYS} keys)`, ['usage', 'gold', '--json', '--endpoint-url', moto.url]],
    [`usage gold --from ${from} (${DAYS} days, ${KEYS} keys)`, ['usage', 'gold', '--from', from, '--json', '--endpoint-url', moto.url]],
  ]
  console.log(`load average ${loadavg()[0].toFixed(1)}; ${RUNS} runs each, median wall time and the highest peak RSS`)
  for (const [label, args] of cases) {
    const runs = Array.from({length: RUNS}, () => timed(args)).toSorted((a, b) => a.seconds - b.seconds)
    const median = runs[Math.floor(runs.length / 2)]
    console.log(
      `${label}: ${median.seconds.toFixed(2)} s, ${Math.max(...runs.map((r) => r.mb)).toFixed(0)} MB peak RSS, ${(median.bytes / 1e6).toFixed(1)} MB of JSON`,
    )
  }
} finally {
  moto.stop()
  rmSync(dir, {recursive: true, force: true})
}
