// Every command of the TypeScript sources, by id, for running gwctl without a build (bin/dev.js and the in-process
// command tests, through scripts/from-sources.ts). The bundle needs no such list: oclif finds each command in
// dist/commands by the path oclif.manifest.json gives it.
import type {Command} from '@oclif/core'

import {readdirSync} from 'node:fs'

import {commandIdOf} from './from-sources.js'

const COMMANDS_DIR = new URL('../src/commands/', import.meta.url)

const files = readdirSync(COMMANDS_DIR, {recursive: true, encoding: 'utf8'}).filter((file) => file.endsWith('.ts'))

export const COMMANDS: Record<string, Command.Class> = Object.fromEntries(
  await Promise.all(
    files.map(async (file) => {
      const module = (await import(new URL(file, COMMANDS_DIR).href)) as {default: Command.Class}
      return [commandIdOf(file), module.default] as const
    }),
  ),
)
