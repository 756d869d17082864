import {GWCTL_COMMANDS} from './gwctl-commands.js'
import {shellQuote} from './shell.js'

/**
 * Every gwctl command line gwctl prints (a suggestion, a step that finishes or undoes
 * a change, the wizard's script) is built here from the commands' own definitions:
 * GWCTL_COMMANDS is generated from oclif.manifest.json, so a command or flag renamed
 * there stops the build where a printed command still uses the old name.
 *
 *   commandLine('keys attach', {key: 'k1', plan: 'gold'})               // gwctl keys attach k1 --plan gold
 *   commandLine('deploy', {api: 'a1', stage: 'prod', 'create-stage': true})
 *   commandLine('keys detach', {key: placeholder('KEY'), plan: placeholder('PLAN')})
 */

type Commands = typeof GWCTL_COMMANDS
export type CommandId = keyof Commands

/** A word that stands for a value the reader fills in ("PLAN", "HEADER|AUTHORIZER"), printed as it is. */
export class Placeholder {
  constructor(
    readonly text: string,
    /** Printed as `[--flag TEXT]`: the flag may be left out. */
    readonly optional = false,
  ) {}
}

export const placeholder = (text: string) => new Placeholder(text)
export const optional = (text: string) => new Placeholder(text, true)

type Value = number | Placeholder | string
type ValueOf<Kind> = Kind extends 'boolean' ? boolean : Kind extends 'multiple' ? readonly Value[] : Value

/** The arguments (by name) and flags a command takes, each with a value of its kind. */
export type CommandParams<C extends CommandId> = {[A in Commands[C]['args'][number]]?: Value} & {
  [F in keyof Commands[C]['flags']]?: ValueOf<Commands[C]['flags'][F]>
}

interface Word {
  text: string
  raw: boolean
}

/** Arguments in the command's order, then flags in the order given; false and undefined are left out. */
function words<C extends CommandId>(command: C, params: CommandParams<C>): Word[] {
  const {args} = GWCTL_COMMANDS[command]
  const given = params as Record<string, boolean | readonly Value[] | undefined | Value>
  const word = (value: Value): Word => (value instanceof Placeholder ? {text: value.text, raw: true} : {text: String(value), raw: false})
  const out: Word[] = command.split(' ').map((text) => ({text, raw: false}))
  for (const name of args as readonly string[]) {
    const value = given[name]
    if (value !== undefined && typeof value !== 'boolean' && !Array.isArray(value)) out.push(word(value as Value))
  }

  for (const [name, value] of Object.entries(given)) {
    if ((args as readonly string[]).includes(name) || value === undefined || value === false) continue
    const flag = `--${name}`
    if (value === true) {
      out.push({text: flag, raw: false})
      continue
    }

    for (const each of Array.isArray(value) ? (value as readonly Value[]) : [value as Value]) {
      if (each instanceof Placeholder && each.optional) out.push({text: `[${flag} ${each.text}]`, raw: true})
      else out.push({text: flag, raw: false}, word(each))
    }
  }

  return out
}

/** The command's argv, without `gwctl`, as the CLI would receive it. */
export function commandArgv<C extends CommandId>(command: C, params: CommandParams<C> = {}): string[] {
  return words(command, params).map((w) => w.text)
}

/** The command line a person can paste into a shell: `gwctl`, then each word quoted when it needs it. */
export function commandLine<C extends CommandId>(command: C, params: CommandParams<C> = {}): string {
  return ['gwctl', ...words(command, params).map((w) => (w.raw ? w.text : shellQuote(w.text)))].join(' ')
}
