#!/usr/bin/env node
// keys list benchmark: `gwctl keys list` (its table, and --json) against the AWS CLI's
// `aws apigateway get-api-keys --include-values` on the same account in the same rounds,
// with 10,000 keys (the account maximum), most of them in one of three usage plans, as a
// busy account has them. Starts its own extended moto server (test/moto/server.py, which
// pages list calls as AWS does) on a free port.
//
//   npm run build && node bench/keys-list.mjs             # 5 rounds after 1 warm-up
//   node bench/keys-list.mjs --keys 2000 --rounds 3
//
// Prints the median and best wall time of each, their ratio, and the load average before
// and after: the machine may be shared, so compare figures of the same run only.
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {availableParallelism, cpus, loadavg} from 'node:os'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {motoEnv, startMoto} from './moto.mjs'

const {values: options} = parseArgs({
  options: {
    keys: {type: 'string', default: '10000'},
    rounds: {type: 'string', default: '5'},
    warmups: {type: 'string', default: '1'},
  },
})
const root = fileURLToPath(new URL('..', import.meta.url))
const keyCount = Number(options.keys)
const rounds = Number(options.rounds)
const warmups = Number(options.warmups)
const env = motoEnv()

if (!existsSync(`${root}dist/cli.js`)) {
  console.error('dist/ is missing: run `npm run build` first')
  process.exit(1)
}

if (spawnSync('aws', ['--version'], {stdio: 'ignore'}).status !== 0) {
  console.error('the AWS CLI (aws) is not installed: it is the yardstick here')
  process.exit(1)
}

/** 10,000 keys as a busy account has them: 60% in gold, 30% in silver, 5% in trial, 5% in no plan. */
async function seed(url) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const {APIGatewayClient, CreateUsagePlanCommand, ImportApiKeysCommand} = await import('@aws-sdk/client-api-gateway')
  const client = new APIGatewayClient({region: 'us-east-1', endpoint: url, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}})
  const plans = []
  for (const name of ['gold', 'silver', 'trial']) plans.push((await client.send(new CreateUsagePlanCommand({name}))).id)
  const planOf = (i) => (i % 20 < 12 ? plans[0] : i % 20 < 18 ? plans[1] : i % 20 === 18 ? plans[2] : '')
  const batch = 1000
  for (let start = 0; start < keyCount; start += batch) {
    const lines = ['Name,Key,Description,Enabled,UsagePlanIds']
    for (let i = start; i < Math.min(keyCount, start + batch); i++) {
      lines.push(
        `customer-${String(i).padStart(5, '0')},Key${String(i).padStart(8, '0')}abcdefghijklmnopqrstu,Customer ${i} production,${i % 10 !== 0},${planOf(i)}`,
      )
    }

    await client.send(new ImportApiKeysCommand({body: new TextEncoder().encode(lines.join('\n') + '\n'), format: 'csv'}))
  }
}

function time(command, args) {
  const start = process.hrtime.bigint()
  const result = spawnSync(command, args, {env, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8'})
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`)
  return {seconds, stdout: result.stdout}
}

const median = (values) => {
  const sorted = values.toSorted((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

const moto = await startMoto({extended: true})
const {url} = moto
try {
  const seeding = Date.now()
  await seed(url)
  console.error(`seeded ${keyCount} keys in ${((Date.now() - seeding) / 1000).toFixed(1)} s`)

  const gwctl = [`${root}bin/run.js`, 'keys', 'list', '--endpoint-url', url]
  const subjects = {
    'aws apigateway get-api-keys --include-values': ['aws', ['apigateway', 'get-api-keys', '--include-values', '--endpoint-url', url, '--output', 'json']],
    'gwctl keys list (table with a plans column)': [process.execPath, gwctl],
    'gwctl keys list --json': [process.execPath, [...gwctl, '--json']],
  }

  // The outputs must be whole before their times mean anything.
  const awsItems = JSON.parse(time(...subjects['aws apigateway get-api-keys --include-values']).stdout).items.length
  const gwctlItems = JSON.parse(time(...subjects['gwctl keys list --json']).stdout).items.length
  const tableLines = time(...subjects['gwctl keys list (table with a plans column)'])
    .stdout.trimEnd()
    .split('\n').length
  if (awsItems !== keyCount || gwctlItems !== keyCount || tableLines !== keyCount + 1)
    throw new Error(`incomplete output: aws ${awsItems}, gwctl --json ${gwctlItems}, table lines ${tableLines}`)

  const loadBefore = loadavg()
  const times = Object.fromEntries(Object.keys(subjects).map((name) => [name, []]))
  for (let round = 0; round < warmups + rounds; round++) {
    // Rotate the order each round, so that no subject always runs right after another.
    const names = Object.keys(subjects)
    const order = names.map((_, i) => names[(i + round) % names.length])
    for (const name of order) {
      const {seconds} = time(...subjects[name])
      if (round >= warmups) times[name].push(seconds)
    }
  }

  const loadAfter = loadavg()
  const aws = median(times['aws apigateway get-api-keys --include-values'])
  console.log(
    `keys list, ${keyCount} keys, ${rounds} rounds after ${warmups} warm-up(s); ${cpus().length} CPUs (${availableParallelism()} usable), Node ${process.version}`,
  )
  console.log(`load average (1, 5, 15 min): before ${loadBefore.map((l) => l.toFixed(2)).join(', ')}; after ${loadAfter.map((l) => l.toFixed(2)).join(', ')}`)
  console.log('')
  console.log('| command | median s | best s | median / AWS CLI |')
  console.log('| --- | --- | --- | --- |')
  for (const [name, values] of Object.entries(times)) {
    console.log(`| \`${name}\` | ${median(values).toFixed(2)} | ${Math.min(...values).toFixed(2)} | ${(median(values) / aws).toFixed(2)} |`)
  }
} finally {
  moto.stop()
}
