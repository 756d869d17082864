#!/usr/bin/env node
// Start-up benchmark: wall time of short gwctl commands against the floor (`node -e 0`) and against the AWS CLI
// making the same call (each major version installed; v2 is the yardstick of the target). Starts its own moto
// server on a loopback port with three plans in it; every AWS call goes there, with fake credentials.
//
//   npm run bench:startup                       # build, then 25 timed runs of each after 2 warm-ups
//   node bench/startup.mjs --runs 40            # dist/ must be built
//   node bench/startup.mjs --compare ../before  # also time another built checkout's gwctl in the same rounds
//   node bench/startup.mjs --root ../other      # time another built checkout instead of this one
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {availableParallelism, cpus, loadavg, tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {startMoto} from './moto.mjs'

const {values: options} = parseArgs({
  options: {
    runs: {type: 'string', default: '25'},
    warmups: {type: 'string', default: '2'},
    root: {type: 'string', default: fileURLToPath(new URL('..', import.meta.url))},
    compare: {type: 'string'},
  },
})
const root = resolve(options.root)
const compare = options.compare === undefined ? undefined : resolve(options.compare)
const runs = Number(options.runs)
const warmups = Number(options.warmups)
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(warmups) || warmups < 0) {
  console.error(`--runs must be a whole number of at least 1 and --warmups at least 0 (got ${options.runs} and ${options.warmups})`)
  process.exit(2)
}

for (const dir of compare ? [root, compare] : [root]) {
  if (!existsSync(join(dir, 'dist')) || !existsSync(join(dir, 'bin/run.js'))) {
    console.error(`${dir}: no built gwctl there; run \`npm run build\` in it first (or \`npm run bench:startup\` here)`)
    process.exit(1)
  }
}

// Fake credentials and nothing from the user's AWS configuration (a profile with a role or SSO would add calls);
// no proxy, no instance metadata lookups, no pager: every request goes to moto on 127.0.0.1.
const awsHome = mkdtempSync(join(tmpdir(), 'gwctl-bench-aws-'))
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(aws_|https?_proxy$|all_proxy$)/i.test(name)))
Object.assign(env, {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1', // the AWS CLI reads only this one
  AWS_CONFIG_FILE: join(awsHome, 'config'),
  AWS_SHARED_CREDENTIALS_FILE: join(awsHome, 'credentials'),
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PAGER: '',
  NO_COLOR: '1',
})

/** Runs argv to the end and returns its wall time in ms; fails on a non-zero exit or output without `expect`. */
function run({argv, cwd = root, expect}) {
  const started = process.hrtime.bigint()
  const result = spawnSync(argv[0], argv.slice(1), {cwd, env, encoding: 'utf8', timeout: 60_000})
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr || result.error}`)
  if (expect && !expect.test(result.stdout)) throw new Error(`${argv.join(' ')} printed no ${expect}:\n${result.stdout}`)
  return ms
}

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted, p) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]

function summarise(times) {
  const sorted = times.toSorted((a, b) => a - b)
  return {median: percentile(sorted, 50), p90: percentile(sorted, 90), min: sorted[0], max: sorted.at(-1)}
}

/** Runs the cases in turn, round after round, so that a busy moment slows them all alike. */
function measure(cases) {
  for (let i = 0; i < warmups; i++) for (const item of cases) run(item)
  const times = cases.map(() => [])
  const loads = []
  for (let i = 0; i < runs; i++) {
    for (const [c, item] of cases.entries()) times[c].push(run(item))
    loads.push(loadavg()[0])
  }

  return {results: new Map(cases.map(({label}, c) => [label, summarise(times[c])])), load: summarise(loads)}
}

/**
 * The AWS CLIs installed, one per major version, newest first: `aws` on the PATH and where packages put it.
 * Behind a pyenv shim, the AWS CLI itself is timed rather than the shim's bash start-up.
 */
function awsClis() {
  const pyenv = spawnSync('pyenv', ['which', 'aws'], {encoding: 'utf8'})
  const candidates = [pyenv.status === 0 ? pyenv.stdout.trim() : 'aws', '/usr/bin/aws', '/usr/local/bin/aws']
  const found = new Map()
  for (const path of candidates) {
    const result = spawnSync(path, ['--version'], {env, encoding: 'utf8', timeout: 30_000})
    const version = /aws-cli\/(\d+)\.\S+/.exec(`${result.stdout} ${result.stderr}`)
    if (result.status === 0 && version && !found.has(version[1])) found.set(version[1], {path, version: `${result.stdout}${result.stderr}`.trim()})
  }

  return [...found].toSorted(([a], [b]) => Number(b) - Number(a)).map(([major, cli]) => ({major: Number(major), ...cli}))
}

const clis = awsClis()
const moto = await startMoto()
try {
  const gwctl = (...args) => [process.execPath, 'bin/run.js', ...args]
  const plans = [
    ['bronze', 5],
    ['silver', 50],
    ['gold', 500],
  ]
  for (const [name, rate] of plans) {
    const quota = `${rate * 1000}/MONTH`
    run({argv: gwctl('plans', 'create', '--name', name, '--rate', `${rate}`, '--burst', `${rate * 2}`, '--quota', quota, '--endpoint-url', moto.url)})
  }

  const version = /gwctl\/\d/
  const listed = /bronze[\s\S]*gold|gold[\s\S]*bronze/ // every run must really list the plans
  const gwctlCases = (cwd, suffix = '') => [
    {label: `gwctl --help${suffix}`, argv: gwctl('--help'), cwd, expect: /USAGE/},
    {label: `gwctl --version${suffix}`, argv: gwctl('--version'), cwd, expect: version},
    {label: `gwctl plans list${suffix}`, argv: gwctl('plans', 'list', '--endpoint-url', moto.url), cwd, expect: listed},
  ]
  const cases = [{label: 'node -e 0 (floor)', argv: [process.execPath, '-e', '0']}, ...gwctlCases(root)]
  if (compare) cases.push(...gwctlCases(compare, ' (compared)'))
  for (const cli of clis) {
    const argv = [cli.path, 'apigateway', 'get-usage-plans', '--endpoint-url', moto.url, '--output', 'json']
    cases.push({label: `aws v${cli.major} apigateway get-usage-plans`, argv, expect: listed})
  }

  const loadBefore = loadavg()
  const {results, load} = measure(cases)
  const loadAfter = loadavg()

  const ms = (value) => value.toFixed(0)
  const list = results.get('gwctl plans list').median
  const aws = (cli) => results.get(`aws v${cli.major} apigateway get-usage-plans`)
  const ratio = (label) => {
    const v2 = clis.find((cli) => cli.major === 2)
    return v2 && label.includes('plans list') ? (results.get(label).median / aws(v2).median).toFixed(2) : ''
  }

  const rows = [
    ['command', 'median ms', 'p90 ms', 'min ms', 'max ms', '/ aws v2'],
    ...[...results].map(([label, r]) => [label, ms(r.median), ms(r.p90), ms(r.min), ms(r.max), ratio(label)]),
  ]
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)))
  const line = (row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')

  console.log(`${availableParallelism()} CPUs (${cpus()[0]?.model.trim()}), node ${process.version}`)
  for (const cli of clis) console.log(`${cli.version} (${cli.path})`)
  console.log(`${runs} timed runs after ${warmups} warm-ups each; plans list reads 3 plans from moto at ${moto.url}`)
  console.log(`gwctl from ${root}${compare ? `, compared with ${compare}` : ''}`)
  // Other work on the machine inflates wall times; the load average says how quiet it was.
  const loads = (l) => l.map((v) => v.toFixed(2)).join(' ')
  console.log(`load average (1, 5, 15 min) ${loads(loadBefore)} before, ${loads(loadAfter)} after;`)
  console.log(`1-minute load average over the rounds: median ${load.median.toFixed(2)}, max ${load.max.toFixed(2)}\n`)
  console.log(line(rows[0]))
  for (const row of rows.slice(1)) console.log(line(row))
  console.log('')

  const help = results.get('gwctl --help').median
  const check = (ok) => (ok ? 'met' : 'MISSED')
  console.log(`gwctl --help: ${ms(help)} ms (target <= 250 ms: ${check(help <= 250)})`)
  const v2 = clis.find((cli) => cli.major === 2)
  if (v2) {
    const r = list / aws(v2).median
    console.log(`gwctl plans list / aws v2 get-usage-plans: ${r.toFixed(2)} (target <= 0.30: ${check(r <= 0.3)}; aim 0.25: ${check(r <= 0.25)})`)
  } else {
    console.log('AWS CLI v2 not found: the target ratio was not measured (Debian: apt-get install awscli)')
  }

  if (compare) {
    for (const label of ['gwctl --help', 'gwctl --version', 'gwctl plans list']) {
      const before = results.get(`${label} (compared)`).median
      const now = results.get(label).median
      console.log(`${label} / compared build: ${(now / before).toFixed(2)} (never slower: ${check(now <= before)})`)
    }
  }
} finally {
  moto.stop()
  rmSync(awsHome, {recursive: true, force: true})
}
