// Logs shaped like users' data, for the simulator's benchmark (bench/simulate.mjs) and the
// check that a change leaves every report as it was (bench/same-reports.mjs): a snapshot
// with two plans and N keys, and deterministic requests written in each layout users have.
import {createWriteStream} from 'node:fs'

const START = Date.UTC(2026, 10, 2)

const keyId = (k) => `bk${String(k).padStart(8, '0')}`
const ROUTES = [
  ['/pets', 'GET'],
  ['/pets', 'POST'],
  ['/pets/{id}', 'GET'],
  ['/pets/{id}', 'DELETE'],
]

export function snapshot(keys) {
  const plans = [
    {
      id: 'gold01',
      name: 'gold',
      throttle: {rateLimit: 20, burstLimit: 40},
      quota: {limit: 1_000_000, offset: 0, period: 'MONTH'},
      apiStages: [{apiId: 'benchapi01', stage: 'prod'}],
    },
    {
      id: 'free01',
      name: 'free',
      throttle: {rateLimit: 2, burstLimit: 5},
      quota: {limit: 500, offset: 0, period: 'DAY'},
      apiStages: [{apiId: 'benchapi01', stage: 'prod', throttle: {'/pets/POST': {rateLimit: 1, burstLimit: 2}}}],
    },
  ]
  return {
    version: 1,
    apis: [
      {
        id: 'benchapi01',
        name: 'bench',
        apiKeySource: 'HEADER',
        methods: ROUTES.map(([path, httpMethod]) => ({path, httpMethod, apiKeyRequired: true})),
        stages: [{stageName: 'prod', methodSettings: {'*/*': {throttlingRateLimit: 5000, throttlingBurstLimit: 2000}}}],
      },
    ],
    usagePlans: plans,
    apiKeys: Array.from({length: keys}, (_, k) => ({
      id: keyId(k),
      name: `customer-${k}`,
      enabled: k % 50 !== 7,
      usagePlanIds: [k % 10 === 0 ? 'gold01' : 'free01'],
    })),
  }
}

/** Deterministic requests: 600 a second on average, keys skewed so some get throttled. */
export function* requests(lines, keys, seed = 42, from = START) {
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    return seed / 2_147_483_648
  }

  let t = from
  for (let i = 0; i < lines; i++) {
    t += Math.floor(random() * 3.4)
    const [path, method] = ROUTES[i % ROUTES.length]
    const d = new Date(t)
    yield {
      i,
      t,
      key: keyId(Math.floor(random() * random() * keys)),
      path,
      method,
      requestId: `${i.toString(16).padStart(8, '0')}-1c2d-4e5f-8a9b-0c1d2e3f4a5b`,
      requestTime: `${String(d.getUTCDate()).padStart(2, '0')}/Nov/2026:${d.toISOString().slice(11, 19)} +0000`,
      ip: `198.51.100.${i % 250}`,
      length: 200 + (i % 700),
    }
  }
}

export const gwctlLine = (r) =>
  `{"requestId":"${r.requestId}","extendedRequestId":"Xb${r.i.toString(36)}FQ=","requestTime":"${r.requestTime}","requestTimeEpoch":"${r.t}","apiId":"benchapi01","stage":"prod","resourcePath":"${r.path}","httpMethod":"${r.method}","status":"200","apiKeyId":"${r.key}","responseType":"-","ip":"${r.ip}","responseLength":"${r.length}"}`

const awsLine = (r) =>
  `{ "requestId":"${r.requestId}", "extendedRequestId":"Xb${r.i.toString(36)}FQ=", "ip": "${r.ip}", "caller":"-", "user":"-", "requestTime":"${r.requestTime}", "httpMethod":"${r.method}", "resourcePath":"${r.path}", "status":"200", "protocol":"HTTP/1.1", "responseLength":"${r.length}", "requestTimeEpoch":"${r.t}", "apiId":"benchapi01", "stage":"prod", "apiKeyId":"${r.key}" }`

const nestedLine = (r) =>
  `{ "requestId":"${r.requestId}", "identity": {"sourceIp": "${r.ip}", "userAgent": "python-requests/2.31.0", "apiKeyId": "${r.key}"}, "integration": {"status": 200, "latency": ${r.length % 97}, "error": "-"}, "requestTime":"${r.requestTime}", "httpMethod":"${r.method}", "resourcePath":"${r.path}", "status":"200", "protocol":"HTTP/1.1", "responseLength":"${r.length}", "requestTimeEpoch":"${r.t}", "apiId":"benchapi01", "stage":"prod", "apiKeyId":"${r.key}" }`

/** How each layout is written: one string per request, and what goes before, between and after. */
export const LAYOUT_WRITERS = {
  gwctl: {line: gwctlLine, sep: '\n', head: '', tail: '\n'},
  aws: {line: awsLine, sep: '\n', head: '', tail: '\n'},
  nested: {line: nestedLine, sep: '\n', head: '', tail: '\n'},
  firehose: {line: gwctlLine, sep: '', head: '', tail: ''},
  cloudwatch: {
    line: (r) =>
      `{"logStreamName":"benchapi01/prod/${r.i % 8}","timestamp":${r.t + 3},"message":${JSON.stringify(gwctlLine(r))},"ingestionTime":${r.t + 900},"eventId":"${r.i}"}`,
    sep: ',\n',
    head: '{"events": [\n',
    tail: '\n], "searchedLogStreams": []}\n',
  },
  s3export: {line: (r) => `${new Date(r.t + 3).toISOString()} ${gwctlLine(r)}`, sep: '\n', head: '', tail: '\n'},
  // AWS's sample CSV and CLF layouts with the variables `gwctl logs format --format csv|clf` appends.
  csv: {
    line: (r) =>
      `${r.ip},-,-,${r.requestTime},${r.method},${r.path},HTTP/1.1,200,${r.length},${r.requestId},Xb${r.i.toString(36)}FQ=,benchapi01,prod,${r.key},${r.t}`,
    sep: '\n',
    head: '',
    tail: '\n',
  },
  clf: {
    line: (r) =>
      `${r.ip} - - [${r.requestTime}]"${r.method} ${r.path} HTTP/1.1" 200 ${r.length} ${r.requestId} Xb${r.i.toString(36)}FQ= benchapi01 prod ${r.key} ${r.t}`,
    sep: '\n',
    head: '',
    tail: '\n',
  },
}

/** Line layouts the naive loop can read (one JSON object per line with apiKeyId at the top). */
export const NAIVE_LAYOUTS = new Set(['gwctl', 'aws', 'nested'])

export async function write(file, strings) {
  const out = createWriteStream(file)
  let buffer = ''
  for (const s of strings) {
    buffer += s
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise((resolve) => out.once('drain', resolve))
      buffer = ''
    }
  }

  out.end(buffer)
  await new Promise((resolve) => out.on('finish', resolve))
}

export function* layoutText(layout, source) {
  const w = LAYOUT_WRITERS[layout]
  yield w.head
  let first = true
  for (const r of source) {
    yield first ? w.line(r) : w.sep + w.line(r)
    first = false
  }

  yield w.tail
}
