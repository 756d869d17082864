import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname} from 'node:path'
import {fileURLToPath} from 'node:url'
import {Script} from 'node:vm'

import type * as SdkParts from './sdk-parts.js'

export type Sdk = typeof SdkParts

/** Written by `npm run build` (scripts/bundle-sdk.mjs): the SDK parts as one CommonJS file, and V8's code cache for it. */
export const BUNDLE = fileURLToPath(new URL('../vendor/api-gateway-sdk.cjs', import.meta.url))
export const CODE_CACHE = fileURLToPath(new URL('../vendor/api-gateway-sdk.v8cache', import.meta.url))

let loaded: {sdk: Sdk; script: Script} | undefined

/**
 * Runs the bundle the way Node runs a CommonJS file, but compiled with V8's code cache
 * when there is one: compiling the bundle's 0.8 MB would otherwise cost about 40 ms on
 * every run (Node 20 has no compile cache of its own). V8 rejects a cache made by another
 * Node version, and the bundle is then simply compiled. The script is kept so that the
 * build can write the cache after a warm-up call.
 */
export function loadBundle(): {sdk: Sdk; script: Script} {
  if (loaded) return loaded
  let cachedData: Buffer | undefined
  try {
    cachedData = readFileSync(CODE_CACHE)
  } catch {
    // no cache (e.g. while the build makes it): compile from source
  }

  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(BUNDLE, 'utf8')}\n})`, {filename: BUNDLE, cachedData})
  const module = {exports: {}}
  const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void
  run(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE))
  loaded = {sdk: module.exports as Sdk, script}
  return loaded
}
