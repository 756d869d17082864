#!/usr/bin/env node
// Part of `npm run build`, after tsc: bundles the SDK parts gwctl uses (src/aws/sdk-parts.ts)
// into dist/vendor/api-gateway-sdk.cjs, then writes V8's code cache for it after one warm-up call.
// See src/aws/sdk.ts for why.
import {build} from 'esbuild'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:http'

const root = new URL('..', import.meta.url)
const {BUNDLE, CODE_CACHE} = await import(new URL('dist/aws/sdk-bundle.js', root).href)

await build({
  entryPoints: [new URL('src/aws/sdk-parts.ts', root).pathname],
  outfile: BUNDLE,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // The SDK's ES module build, so that the commands gwctl does not use are left out.
  mainFields: ['module', 'main'],
  // Signing with the CRT is optional and not installed; the SDK only tries to require it.
  external: ['@aws-sdk/signature-v4-crt'],
  logLevel: 'warning',
})

// A script compiled with a code cache cannot import() on Node 20 (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING).
// The SDK import()s only Node built-ins, which require() gives just as well.
const source = readFileSync(BUNDLE, 'utf8').replaceAll(/\bimport\(("node:[\w/]+")\)/g, 'Promise.resolve(require($1))')
const unresolved = source.match(/\bimport\([^)]*\)/g)
if (unresolved) throw new Error(`${BUNDLE} still has dynamic imports the code cache cannot run: ${unresolved.join(', ')}`)
writeFileSync(BUNDLE, source)

// The warm-up: `plans list` the way the CLI runs it, against a local stand-in for API Gateway, so that
// the cache also holds the functions V8 compiles only when they are first called.
rmSync(CODE_CACHE, {force: true})
const server = createServer((request, response) => {
  response.writeHead(200, {'content-type': 'application/json'})
  response.end(
    JSON.stringify({
      item: [
        {
          id: 'p1',
          name: 'warm-up',
          throttle: {rateLimit: 10, burstLimit: 20},
          quota: {limit: 1000, offset: 0, period: 'MONTH'},
          apiStages: [{apiId: 'a1', stage: 'prod'}],
        },
      ],
    }),
  )
})
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
try {
  // Credentials from the environment, as a user's shell might give them; never a real profile of whoever builds.
  Object.assign(process.env, {AWS_ACCESS_KEY_ID: 'warm-up', AWS_SECRET_ACCESS_KEY: 'warm-up'})
  delete process.env.AWS_PROFILE
  globalThis.gwctlBundledSdk = true
  const {connectApiGateway} = await import(new URL('dist/aws/api-gateway.js', root).href)
  const {loadBundle} = await import(new URL('dist/aws/sdk-bundle.js', root).href)
  const apigw = connectApiGateway({region: 'us-east-1', endpointUrl: `http://127.0.0.1:${server.address().port}`})
  const plans = await apigw.getUsagePlans({}, 'listing usage plans')
  if (plans[0]?.name !== 'warm-up') throw new Error(`the warm-up call read ${JSON.stringify(plans)}`)
  writeFileSync(CODE_CACHE, loadBundle().script.createCachedData())
} finally {
  server.close()
}
