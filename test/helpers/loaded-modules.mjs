// Preloaded with `node --import` by packagesLoadedBy (test/helpers/cli.ts): writes the file of every module the run
// loads, one per line, to the file named by GWCTL_LOADED_MODULES. ES modules (the bundle's files) are seen by a
// loader hook, which is this same file loaded again on the loader's own thread; CommonJS modules required from
// node_modules are read from require.cache at exit.
import {appendFileSync} from 'node:fs'
import {createRequire, register} from 'node:module'
import {fileURLToPath} from 'node:url'
import {isMainThread} from 'node:worker_threads'

const out = process.env.GWCTL_LOADED_MODULES

/** The loader hook: called for each ES module before it is loaded. */
export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) appendFileSync(out, `${fileURLToPath(url)}\n`)
  return nextLoad(url, context)
}

if (isMainThread) {
  register(import.meta.url)
  process.on('exit', () => appendFileSync(out, Object.keys(createRequire(import.meta.url).cache).join('\n')))
}
