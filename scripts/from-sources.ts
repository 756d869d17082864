// How bin/dev.js and the in-process command tests run gwctl from its TypeScript sources rather than from the bundle
// in dist/: oclif's load options with the commands taken from scripts/source-commands.ts (oclif's explicit command
// discovery), since the paths in oclif.manifest.json lead to dist/. Both already run under tsx, which compiles the
// sources as they are imported.
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
  const commands = {strategy: 'explicit', target: './scripts/source-commands.ts', identifier: 'COMMANDS'} as const
  return {root, pjson: {...pjson, oclif: {...pjson.oclif, commands}}}
}

/** oclif's id for a file under src/commands: its path with `:` between the parts; a topic's index.ts is the topic. */
export function commandIdOf(file: string): string {
  const parts = file.replace(/\.ts$/, '').split(/[/\\]/)
  if (parts.at(-1) === 'index') parts.pop()
  return parts.join(':')
}
