// Part of `npm run manifest`, after `oclif manifest` (run with tsx): writes what is derived from oclif.manifest.json,
// so that it changes with the commands and flags it describes:
//   src/model/gwctl-commands.ts  every command id with its arguments and flags, which types the command-line
//                                builder (src/model/command-line.ts): a renamed flag breaks the build
//   docs/commands.md             the command reference
// test/manifest.test.ts checks both are current. It also sorts the manifest's commands by id, so that the
// committed file changes only when a command does. Run with --check to compare without writing.
import type {Command, Interfaces} from '@oclif/core'

import {readFileSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

type Manifest = Interfaces.Manifest
type Flag = Command.Flag.Cached

const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const OUTPUTS = {commands: 'src/model/gwctl-commands.ts', reference: 'docs/commands.md'}

const idOf = (manifestId: string) => manifestId.replaceAll(':', ' ')
const sorted = (manifest: Manifest) => Object.values(manifest.commands).toSorted((a, b) => idOf(a.id).localeCompare(idOf(b.id)))
const kindOf = (flag: Flag) => (flag.type === 'boolean' ? 'boolean' : flag.multiple ? 'multiple' : 'option')

/** src/model/gwctl-commands.ts for `manifest`. */
export function commandsModule(manifest: Manifest): string {
  const lines = sorted(manifest).map((command) => {
    const args = Object.keys(command.args ?? {}).map((name) => `'${name}'`)
    const flags = Object.values(command.flags).map((flag) => `'${flag.name}': '${kindOf(flag)}'`)
    return `  '${idOf(command.id)}': {args: [${args.join(', ')}], flags: {${flags.join(', ')}}},`
  })
  return [
    '// Generated from oclif.manifest.json by scripts/from-manifest.mjs (`npm run manifest`); do not edit.',
    '',
    '/** Every gwctl command: its arguments in order, and its flags by kind. */',
    'export const GWCTL_COMMANDS = {',
    ...lines,
    '} as const',
    '',
  ].join('\n')
}

const bin = (text: string) => String(text).replaceAll('<%= config.bin %>', 'gwctl')

function flagLine(flag: Flag): string {
  const option = flag.type === 'option' ? flag : undefined
  const name = `--${flag.name}${flag.type === 'boolean' ? '' : `=${typeof flag.helpValue === 'string' ? flag.helpValue : '<value>'}`}`
  const char = flag.char ? `-${flag.char}, ` : ''
  const notes = [
    flag.required ? 'required' : '',
    option?.multiple && !/repeatable/.test(flag.description ?? '') ? 'repeatable' : '',
    flag.dependsOn ? `needs ${flag.dependsOn.map((f) => `--${f}`).join(', ')}` : '',
    flag.exclusive ? `not with ${flag.exclusive.map((f) => `--${f}`).join(', ')}` : '',
    option?.options ? `one of: ${option.options.join(', ')}` : '',
    flag.default !== undefined && !(Array.isArray(flag.default) && flag.default.length === 0) && flag.type !== 'boolean' ? `default: ${flag.default}` : '',
    flag.env ? `env: ${flag.env}` : '',
  ].filter(Boolean)
  const description = String(flag.description ?? '').replaceAll(/[|*_]/g, (c) => `\\${c}`)
  return `| \`${char}${name}\` | ${description}${notes.length > 0 ? ` (${notes.join('; ')})` : ''} |`
}

/** A help description as Markdown: each line its own paragraph, indented lines (such as a table of globs) as they are, in a block. */
function prose(text: string): string[] {
  const out: string[] = []
  let block: string[] = []
  const flush = () => {
    if (block.length > 0) out.push('', '```text', ...block, '```')
    block = []
  }

  for (const line of text.split('\n')) {
    if (/^\s+\S/.test(line)) block.push(line)
    else {
      flush()
      if (line.trim() !== '') out.push('', line)
    }
  }

  flush()
  return out
}

/** docs/commands.md for `manifest`. */
export function referenceDocument(manifest: Manifest): string {
  const commands = sorted(manifest)
  const out = [
    '# gwctl command reference',
    '',
    '<!-- Generated from oclif.manifest.json by scripts/from-manifest.mjs (`npm run manifest`); do not edit. -->',
    '',
    'Every command also takes `--help`. Exit codes are listed in the [README](../README.md#output-and-exit-codes).',
    '',
    ...commands.map((c) => `- [\`gwctl ${idOf(c.id)}\`](#gwctl-${idOf(c.id).replaceAll(' ', '-')}): ${c.summary ?? ''}`),
  ]
  for (const command of commands) {
    const id = idOf(command.id)
    const args = Object.values(command.args ?? {})
    const usage = ['gwctl', id, ...args.map((a) => (a.required ? a.name.toUpperCase() : `[${a.name.toUpperCase()}]`)), '[FLAGS]'].join(' ')
    out.push('', `## gwctl ${id}`, '', command.summary ?? '', '', '```', usage, '```')
    if (command.description) out.push(...prose(bin(command.description)))
    if (args.length > 0)
      out.push(
        '',
        '| argument | meaning |',
        '| --- | --- |',
        ...args.map((a) => `| \`${a.name.toUpperCase()}\` | ${a.description ?? ''}${a.required ? '' : ' (optional)'} |`),
      )
    const groups = new Map<string, Flag[]>()
    for (const flag of Object.values(command.flags)) groups.set(flag.helpGroup ?? 'FLAGS', [...(groups.get(flag.helpGroup ?? 'FLAGS') ?? []), flag])
    for (const [group, flags] of [...groups].toSorted(([a], [b]) => (a === 'FLAGS' ? -1 : b === 'FLAGS' ? 1 : a.localeCompare(b)))) {
      out.push('', `| ${group === 'FLAGS' ? 'flag' : `${group.toLowerCase()} flag`} | meaning |`, '| --- | --- |', ...flags.map(flagLine))
    }

    const examples = (command.examples ?? []).map((example) => bin(typeof example === 'string' ? example : example.command))
    if (examples.length > 0) out.push('', 'Examples:', '', '```sh', ...examples, '```')
  }

  return out.join('\n') + '\n'
}

const read = (path: string) => readFileSync(new URL(path, `file://${ROOT}/`), 'utf8')

/** Each output as it should be, from the committed manifest. */
export function expectedOutputs(): Record<string, string> {
  const manifest = JSON.parse(read('oclif.manifest.json')) as Manifest
  return {[OUTPUTS.commands]: commandsModule(manifest), [OUTPUTS.reference]: referenceDocument(manifest)}
}

/** The manifest with its commands in order of id: oclif writes them in the order it happened to find them. */
export function sortedManifest(manifest: Manifest): string {
  const commands = Object.fromEntries(Object.entries(manifest.commands).toSorted(([a], [b]) => a.localeCompare(b)))
  return JSON.stringify({...manifest, commands}, null, 2) + '\n'
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check')
  const outputs = {'oclif.manifest.json': sortedManifest(JSON.parse(read('oclif.manifest.json')) as Manifest), ...expectedOutputs()}
  let stale = false
  for (const [path, text] of Object.entries(outputs)) {
    if (read(path) === text) continue
    stale = true
    // Written only when changed, so that an unchanged file does not look newer than the build.
    if (check) console.error(`${path} is out of date: run npm run manifest`)
    else {
      writeFileSync(new URL(path, `file://${ROOT}/`), text)
      console.log(`wrote ${path}`)
    }
  }

  if (check && stale) process.exitCode = 1
}
