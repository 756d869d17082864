#!/usr/bin/env node
// Start-up benchmark: wall time of short gwctl commands, against the floor (`node -e 0`)
// and the AWS CLI doing the same call. Starts its own moto server on a free port.
//
//   npm run bench:startup                 # build, then 15 timed runs after 2 warm-ups
//   node bench/startup.mjs --runs 30      # dist/ must be built
//   node bench/startup.mjs --root ../old  # measure another built checkout, e.g. before a change
//   node bench/startup.mjs --compare ../old  # also time ../old's gwctl in the same rounds (before/after)
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {availableParallelism, cpus, loadavg} from 'node:os'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {startMoto} from './moto.mjs'

const {values: options} = parseArgs({
  options: {
    runs: {type: 'string', default: '15'},
    warmups: {type: 'string', default: '2'},
    root: {type: 'string', default: fileURLToPath(new URL('..', import.meta.url))},
    compare: {type: 'string'},
  },
})
const root = resolve(options.root)
const compare = options.compare === undefined ? undefined : resolve(options.compare)
const runs = Number(options.runs)
const warmups = Number(options.warmups)
const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1', // the AWS CLI reads only this one
  NO_COLOR: '1',
}

for (const dir of [root, compare ?? root]) {
  if (!existsSync(join(dir, 'dist/commands/plans/list.js'))) {
    console.error(`${dir}/dist is missing: run \`npm run build\` there first (or \`npm run bench:startup\`)`)
    process.exit(1)
  }
}

function run(argv, cwd = root) {
  const started = process.hrtime.bigint()
  const result = spawnSync(argv[0], argv.slice(1), {cwd, env, encoding: 'utf8'})
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr || result.error}`)
  return seconds
}

function summarise(times) {
  const sorted = [...times].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  return {median, min: sorted[0], max: sorted.at(-1)}
}

/** Runs the cases in turn, round after round, so that a busy moment slows them all alike. */
function measure(cases) {
  for (let i = 0; i < warmups; i++) for (const [, argv, cwd] of cases) run(argv, cwd)
  const times = cases.map(() => [])
  for (let i = 0; i < runs; i++) for (const [c, [, argv, cwd]] of cases.entries()) times[c].push(run(argv, cwd))
  return new Map(cases.map(([label], c) => [label, summarise(times[c])]))
}

// Behind a pyenv shim, time the AWS CLI itself rather than the shim's bash start-up.
const pyenvAws = spawnSync('pyenv', ['which', 'aws'], {encoding: 'utf8'})
const aws = pyenvAws.status === 0 ? pyenvAws.stdout.trim() : 'aws'
const awsVersion = spawnSync(aws, ['--version'], {env, encoding: 'utf8'})
const hasAws = awsVersion.status === 0
const moto = await startMoto()
try {
  const gwctl = (...args) => [process.execPath, 'bin/run.js', ...args]
  for (const [name, rate] of [['bronze', 5], ['silver', 50], ['gold', 500]]) {
    run(gwctl('plans', 'create', '--name', name, '--rate', String(rate), '--burst', String(rate * 2), '--quota', `${rate * 1000}/MONTH`, '--endpoint-url', moto.url))
  }

  const cases = [
    ['node -e 0 (floor)', [process.execPath, '-e', '0']],
    ['gwctl --help', gwctl('--help')],
    ['gwctl plans list', gwctl('plans', 'list', '--endpoint-url', moto.url)],
  ]
  if (compare) {
    cases.push(['gwctl --help (compared)', gwctl('--help'), compare], ['gwctl plans list (compared)', gwctl('plans', 'list', '--endpoint-url', moto.url), compare])
  }

  if (hasAws) cases.push(['aws apigateway get-usage-plans', [aws, 'apigateway', 'get-usage-plans', '--endpoint-url', moto.url]])

  const loadBefore = loadavg()[0]
  const results = measure(cases)
  const loadAfter = loadavg()[0]
  const fmt = (s) => s.toFixed(3)
  const rows = [['command', 'median s', 'min s', 'max s'], ...[...results].map(([label, r]) => [label, fmt(r.median), fmt(r.min), fmt(r.max)])]
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)))
  const line = (row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')

  console.log(`${availableParallelism()} CPUs (${cpus()[0]?.model.trim()}), node ${process.version}${hasAws ? `, ${awsVersion.stdout.trim() || awsVersion.stderr.trim()}` : ''}`)
  console.log(`${runs} timed runs after ${warmups} warm-ups each; plans list reads 3 plans from moto; gwctl from ${root}${compare ? `, compared with ${compare}` : ''}`)
  // Other work on the machine inflates wall times; the load average says how quiet it was.
  console.log(`1-minute load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after\n`)
  console.log(line(rows[0]))
  for (const row of rows.slice(1)) console.log(line(row))
  console.log('')

  const list = results.get('gwctl plans list').median
  const help = results.get('gwctl --help').median
  const floor = results.get('node -e 0 (floor)').median
  const check = (ok) => (ok ? 'met' : 'MISSED')
  console.log(`gwctl plans list: ${fmt(list)} s (target <= 0.350: ${check(list <= 0.35)}), ${fmt(list - floor)} s above the floor`)
  console.log(`gwctl --help:     ${fmt(help)} s (target <= 0.300: ${check(help <= 0.3)}), ${fmt(help - floor)} s above the floor`)
  if (hasAws) {
    const ratio = list / results.get('aws apigateway get-usage-plans').median
    if (aws !== 'aws') console.log(`(AWS CLI timed as ${aws}, without the pyenv shim)`)
    console.log(`gwctl plans list / aws get-usage-plans: ${ratio.toFixed(2)} (target <= 0.25: ${check(ratio <= 0.25)})`)
  } else {
    console.log('AWS CLI not found: the comparison with `aws apigateway get-usage-plans` was skipped')
  }
} finally {
  moto.stop()
}
