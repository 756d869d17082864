#!/usr/bin/env node
// Writes examples/access-log.jsonl.gz: one hour of traffic to the `pets` API in
// examples/snapshot.json, in the format `gwctl logs format` recommends. The seed is
// fixed, so the file is the same on every run:  node examples/generate-access-log.mjs
import {writeFileSync} from 'node:fs'
import {gzipSync} from 'node:zlib'

const API = 'a1b2c3d4e5'
const START = Date.UTC(2026, 10, 2, 9, 0, 0) // Monday 2 November 2026, 09:00 UTC
const HOUR = 3_600_000

// mulberry32: a small deterministic PRNG, so the sample never changes under review.
let seed = 20_261_102
function random() {
  seed = (seed + 0x6d_2b_79_f5) >>> 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
}

const pick = (items) => items[Math.floor(random() * items.length)]
const requests = []
const add = (t, keyId, path, httpMethod, status, responseType) => requests.push({t: Math.floor(t), keyId, path, httpMethod, status, responseType})
const browse = () =>
  pick([
    ['/pets', 'GET'],
    ['/pets', 'GET'],
    ['/pets/{id}', 'GET'],
    ['/pets', 'POST'],
  ])

// acme-steady (gold, 50 rps): about 2 requests a second all hour, never near its limits.
for (let t = START; t < START + HOUR; t += 250 + random() * 500) add(t, 'k8acme0001', ...browse(), 200)

// bursty-labs (free, 5 rps burst 10): a light trickle, and every 5 minutes 40 requests within 400 ms.
for (let t = START; t < START + HOUR; t += 5000 + random() * 10_000) add(t, 'k8bursty02', '/pets', 'GET', 200)
for (let burst = START + 60_000; burst < START + HOUR; burst += 300_000) {
  for (let i = 0; i < 40; i++) add(burst + i * 10, 'k8bursty02', '/pets/{id}', 'GET', i < 12 ? 200 : 429)
}

// quota-hog (free, 1000 a day): one request a second for 25 minutes, so the day's quota runs out.
let used = 0
for (let t = START + 600_000; t < START + 600_000 + 1_500_000; t += 1000) {
  const fits = ++used <= 1000
  add(t + random() * 200, 'k8quota003', '/pets', 'GET', fits ? 200 : 429, fits ? undefined : 'QUOTA_EXCEEDED')
}

// old-partner: its key was disabled, but its cron job still calls every 30 s.
for (let t = START + 15_000; t < START + HOUR; t += 30_000) add(t, 'k8old00004', '/pets', 'GET', 403)

// staging-only: a key whose plan covers only the staging stage, calling prod.
for (let t = START + 120_000; t < START + 900_000; t += 20_000) add(t, 'k8stage005', '/pets/{id}', 'GET', 403)

// Requests without a key: a monitor on /health (no key needed) and a misconfigured client on /pets.
for (let t = START; t < START + HOUR; t += 10_000) add(t + random() * 1000, undefined, '/health', 'GET', 200)
for (let t = START + 1_800_000; t < START + 2_100_000; t += 5000) add(t, undefined, '/pets', 'GET', 403)

// A key id the snapshot does not know (a key created after the snapshot was taken).
for (let t = START + 2_400_000; t < START + 2_700_000; t += 15_000) add(t, 'k8newkey99', '/pets', 'GET', 200)

// A few backend errors among allowed requests, so the agreement table has something to show.
for (const r of requests) if (r.status === 200 && random() < 0.003) r.status = 502

// Access logs arrive from several log streams: shuffle lines by up to two seconds.
requests.sort((a, b) => a.t + ((a.t * 7919) % 2000) - (b.t + ((b.t * 7919) % 2000)))

let id = 0
const lines = requests.map((r) => {
  const requestId = `${(++id).toString(16).padStart(8, '0')}-6b1f-4d0e-9c55-2f7a1c${(id * 31).toString(16).padStart(6, '0').slice(-6)}`
  const d = new Date(r.t)
  const clf = `${String(d.getUTCDate()).padStart(2, '0')}/${d.toLocaleString('en-US', {month: 'short', timeZone: 'UTC'})}/${d.getUTCFullYear()}:${d.toISOString().slice(11, 19)} +0000`
  return JSON.stringify({
    requestId,
    extendedRequestId: `Xq${id.toString(36).padStart(6, '0')}FfA=`,
    requestTime: clf,
    requestTimeEpoch: String(r.t),
    apiId: API,
    stage: 'prod',
    resourcePath: r.path,
    httpMethod: r.httpMethod,
    status: String(r.status),
    apiKeyId: r.keyId ?? '-',
    responseType: r.responseType ?? (r.status === 429 ? 'THROTTLED' : r.status === 403 ? 'INVALID_API_KEY' : '-'),
    ip: `203.0.113.${(id % 200) + 1}`,
    responseLength: r.status === 200 ? String(180 + (id % 900)) : '23',
  })
})

const out = new URL('access-log.jsonl.gz', import.meta.url)
writeFileSync(out, gzipSync(lines.join('\n') + '\n', {level: 9}))
console.log(`wrote ${lines.length} lines to ${out.pathname}`)
