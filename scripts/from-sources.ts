// How bin/dev.js and the in-process command tests run gwctl from its TypeScript sources rather than from the bundle
// in dist/: oclif's load options with the command list taken from src/index.ts. Both already run under tsx, which
// compiles the sources as they are imported.
import {type Interfaces, settings} from '@oclif/core'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

/** oclif's load options for the checkout at `root` (this one by default), running its sources. */
export function fromSources(root = fileURLToPath(new URL('..', import.meta.url))): Interfaces.LoadOptions {
  // tsx is loaded already; oclif would otherwise try to register it a second time (which fails with tsx 4) before
  // it maps dist/ to src/ by itself.
  settings.enableAutoTranspile = false
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Interfaces.PJSON
  const commands = {...(pjson.oclif.commands as object), target: './src/index.ts'} as typeof pjson.oclif.commands
  return {root, pjson: {...pjson, oclif: {...pjson.oclif, commands}}}
}
