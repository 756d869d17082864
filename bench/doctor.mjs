#!/usr/bin/env node
// `gwctl doctor` on a large account: how many API Gateway calls it makes, how long it
// takes against the extended moto, and how much memory it needs. Starts its own moto
// server and a counting proxy in front of it on free loopback ports.
//
//   npm run build && node bench/doctor.mjs          # 5,000 keys, 200 plans, 3 APIs of 200 resources (1,200 methods), 2 stages each
//   node bench/doctor.mjs --keys 9000 --plans 280 --resources 300 --runs 3
//
// Against AWS the reads are bound by the account's 10 management calls per second,
// so the call count divided by 10 is the time to expect there.
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  GetResourcesCommand,
  ImportApiKeysCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway'
import {spawn} from 'node:child_process'
import {createServer as createHttpServer, request} from 'node:http'
import {availableParallelism, loadavg} from 'node:os'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {freePort, motoEnv, startMoto} from './moto.mjs'

const {values: options} = parseArgs({
  options: {
    keys: {type: 'string', default: '5000'},
    plans: {type: 'string', default: '200'},
    apis: {type: 'string', default: '3'},
    resources: {type: 'string', default: '200'},
    stages: {type: 'string', default: '2'},
    runs: {type: 'string', default: '3'},
  },
})
const [keys, plans, apis, resources, stages, runs] = ['keys', 'plans', 'apis', 'resources', 'stages', 'runs'].map((k) => Number(options[k]))
const root = fileURLToPath(new URL('..', import.meta.url))
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
const env = motoEnv()

/** Forwards to moto and counts requests by method. */
async function startCountingProxy(target) {
  const counts = {}
  const server = createHttpServer((req, res) => {
    counts[req.method] = (counts[req.method] ?? 0) + 1
    const upstream = request(`${target}${req.url}`, {method: req.method, headers: req.headers}, (answer) => {
      res.writeHead(answer.statusCode, answer.headers)
      answer.pipe(res)
    })
    req.pipe(upstream)
  })
  const port = await freePort()
  await new Promise((r) => server.listen(port, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    reset: () => {
      for (const k of Object.keys(counts)) delete counts[k]
    },
    stop: () => server.close(),
  }
}

async function seed(url) {
  const c = new APIGatewayClient({region: 'us-east-1', endpoint: url, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}})
  const apiIds = []
  for (let a = 0; a < apis; a++) {
    const api = await c.send(new CreateRestApiCommand({name: `api-${a}`}))
    const root = (await c.send(new GetResourcesCommand({restApiId: api.id}))).items.find((r) => r.path === '/')
    for (let r = 0; r < resources; r++) {
      const resource = await c.send(new CreateResourceCommand({restApiId: api.id, parentId: root.id, pathPart: `items${r}`}))
      for (const httpMethod of ['GET', 'POST']) {
        await c.send(
          new PutMethodCommand({restApiId: api.id, resourceId: resource.id, httpMethod, authorizationType: 'NONE', apiKeyRequired: httpMethod === 'POST'}),
        )
        await c.send(new PutIntegrationCommand({restApiId: api.id, resourceId: resource.id, httpMethod, type: 'MOCK'}))
      }
    }

    for (let s = 0; s < stages; s++) await c.send(new CreateDeploymentCommand({restApiId: api.id, stageName: `stage${s}`}))
    apiIds.push(api.id)
  }

  const planIds = []
  for (let p = 0; p < plans; p++) {
    const apiStages = p < apis * stages ? [{apiId: apiIds[Math.floor(p / stages)], stage: `stage${p % stages}`}] : []
    planIds.push((await c.send(new CreateUsagePlanCommand({name: `plan-${p}`, throttle: {rateLimit: 100, burstLimit: 200}, apiStages}))).id)
  }

  // Keys spread over the plans, imported a thousand at a time with their plan.
  for (let from = 0; from < keys; from += 1000) {
    const rows = ['Name,Key,Enabled,UsagePlanIds']
    for (let k = from; k < Math.min(keys, from + 1000); k++) rows.push(`key-${k},${`k${k}`.padEnd(30, 'x')},true,${planIds[k % planIds.length]}`)
    await c.send(new ImportApiKeysCommand({body: new TextEncoder().encode(rows.join('\n')), format: 'csv', failOnWarnings: true}))
  }
}

function runDoctor(url) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', process.execPath, 'bin/run.js', 'doctor', '--json', '--endpoint-url', url], {cwd: root, env})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      if (code !== 0 && code !== 10) return reject(new Error(`doctor exited ${code}: ${stderr}`))
      const [rssKb, user, system] = stderr.trim().split('\n').at(-1).split(' ').map(Number)
      resolve({seconds, rssMb: rssKb / 1024, cpuSeconds: user + system, report: JSON.parse(stdout)})
    })
  })
}

const moto = await startMoto({extended: true})
const proxy = await startCountingProxy(moto.url)
try {
  const seeding = Date.now()
  await seed(moto.url)
  console.log(
    `Seeded ${keys} keys, ${plans} plans, ${apis} APIs of ${resources} resources (${apis * resources * 2} methods), ${stages} stages each in ${((Date.now() - seeding) / 1000).toFixed(1)} s`,
  )
  const results = []
  for (let i = 0; i < runs; i++) {
    proxy.reset()
    results.push({...(await runDoctor(proxy.url)), calls: {...proxy.counts}})
  }

  const {report, calls} = results[0]
  const total = Object.values(calls).reduce((a, b) => a + b, 0)
  const times = results.map((r) => r.seconds).toSorted((a, b) => a - b)
  console.log(`checked: ${JSON.stringify(report.checked)}; findings: ${report.findings.length} (${JSON.stringify(report.summary)})`)
  console.log(
    `API Gateway calls per run: ${total} (${Object.entries(calls)
      .map(([m, n]) => `${n} ${m}`)
      .join(', ')}); at AWS's 10 per second: ${(total / 10).toFixed(0)} s`,
  )
  console.log(
    `wall time against moto over ${runs} runs: median ${times[Math.floor(times.length / 2)].toFixed(2)} s, min ${times[0].toFixed(2)} s, max ${times.at(-1).toFixed(2)} s`,
  )
  console.log(
    `gwctl's own CPU time (user + system): median ${results
      .map((r) => r.cpuSeconds)
      .toSorted((a, b) => a - b)
      [Math.floor(runs / 2)].toFixed(2)} s; peak RSS ${Math.max(...results.map((r) => r.rssMb)).toFixed(0)} MB`,
  )
  console.log(`1-minute load average at the end: ${loadavg()[0].toFixed(1)} (${availableParallelism()} cores)`)
} finally {
  proxy.stop()
  moto.stop()
}
