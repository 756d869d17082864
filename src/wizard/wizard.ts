import type {ChalkInstance} from 'chalk'

import type {Prompter} from './prompts.js'
import type {WizardReads, WizardWrites} from './ports.js'

import type {Created} from '../model/change-steps.js'

import {ReservedFile} from '../io/files.js'
import {commandLine, optional, placeholder} from '../model/command-line.js'
import {badInput, GwctlError} from '../model/errors.js'
import {applySteps} from './apply.js'
import {askSetup} from './flow.js'
import {cancelled} from './prompts.js'
import {keysCsv, renderNewKeys, renderSummary} from './render.js'
import {newApplyState, setupSteps} from './setup-steps.js'

export interface WizardDeps {
  prompter: Prompter
  reads: WizardReads
  writes: WizardWrites
  /** stdout, for the summary, the commands and the new key values. */
  log: (text: string) => void
  /** stderr, for progress and warnings. */
  note: (text: string) => void
  style: ChalkInstance
}

export interface WizardOptions {
  dryRun?: boolean
  /** Where to write the new key values (CSV, mode 0600); must not exist yet. */
  keysOut?: string
  /** Aborted when the person interrupts (Ctrl-C, SIGTERM): no further step starts. */
  interrupted?: AbortSignal
}

export interface WizardResult {
  applied: boolean
  planId?: string
  commands: string[][]
  keys: Array<{id: string; name: string}>
  deployments: Array<{stage: string; id: string}>
}

/** The commands to use where there is no terminal, for the refusal message. */
const PLAN = placeholder('PLAN')
export const NON_INTERACTIVE_COMMANDS = [
  commandLine('plans create', {
    name: placeholder('NAME'),
    rate: placeholder('R'),
    burst: placeholder('B'),
    quota: placeholder('LIMIT/PERIOD'),
    stage: [placeholder('API:STAGE')],
  }),
  `${commandLine('stages attach', {plan: PLAN, api: placeholder('API'), stage: placeholder('STAGE'), 'method-throttle': [optional('/path/METHOD=RATE/BURST')]})}   (a stage for an existing plan)`,
  `${commandLine('keys create', {name: placeholder('NAME'), plan: [PLAN]})}   (or: ${commandLine('keys import', {file: placeholder('FILE'), plan: [PLAN]})}, ${commandLine('keys attach', {key: placeholder('KEY'), plan: PLAN})})`,
  commandLine('methods require-key', {api: placeholder('API'), path: optional('GLOB'), method: [optional('VERB')]}),
  commandLine('api set-key-source', {api: placeholder('API'), source: placeholder('HEADER|AUTHORIZER')}),
  commandLine('deploy', {api: placeholder('API'), stage: placeholder('STAGE')}),
]

export function refuseWithoutTerminal(): GwctlError {
  return badInput('gwctl wizard asks questions and needs a terminal on stdin and stdout (and CI unset)', {
    suggestions: [
      `script the same setup with these commands (run \`${commandLine('wizard', {'dry-run': true})}\` in a terminal to get them filled in):`,
      ...NON_INTERACTIVE_COMMANDS.map((c) => `  ${c}`),
    ],
  })
}

/**
 * The whole wizard: ask (nothing sent yet), show the summary and the equivalent
 * commands, then on confirmation apply them step by step and show new key values once.
 */
export async function runWizard(deps: WizardDeps, options: WizardOptions = {}): Promise<WizardResult> {
  // Created now, so that a path that cannot be written is refused before any question.
  const keysOut = options.keysOut === undefined ? undefined : await ReservedFile.create(options.keysOut, 0o600, '--keys-out')
  let wroteKeys = false
  try {
    const result = await askAndApply(deps, options, async (keys) => {
      wroteKeys = keysOut !== undefined && keys.length > 0 && (await saveKeys(keysOut, keys, deps))
    })
    return result
  } finally {
    if (keysOut && !wroteKeys) await keysOut.discard()
  }
}

async function askAndApply(deps: WizardDeps, options: WizardOptions, keep: (keys: NewKey[]) => Promise<void>): Promise<WizardResult> {
  const {prompter, style} = deps
  const setup = await askSetup({prompter, reads: deps.reads, warn: (m) => deps.note(style.yellow(`Warning: ${m}`))})
  const steps = setupSteps(setup)
  const commands = steps.flatMap((s) => s.commands)
  deps.log(renderSummary(setup, steps, style))
  const notApplied: WizardResult = {applied: false, commands, keys: [], deployments: []}
  if (options.dryRun) {
    deps.note('Dry run: nothing was changed.')
    return notApplied
  }

  if (!(await prompter.confirm({message: `Apply these ${steps.length} changes now?`, default: false}))) throw cancelled()
  const state = newApplyState(setup)
  try {
    await applySteps(steps, deps.writes, state, {progress: (line) => deps.note(line), interrupted: options.interrupted})
  } catch (error) {
    // Keys already made must reach their owner: the report shows their values, the file keeps them.
    if (error instanceof GwctlError && error.report) await keep(newKeys(error.report.created))
    throw error
  }

  if (state.createdKeys.length > 0) deps.log(renderNewKeys(state.createdKeys, style))
  await keep(state.createdKeys)
  deps.note(style.green(`Done: ${steps.length} changes applied; callers of ${setup.stages.map((s) => `${setup.api.name}:${s}`).join(', ')} see them now.`))
  return {applied: true, planId: state.planId, commands, keys: state.createdKeys.map(({id, name}) => ({id, name})), deployments: state.deployments}
}

type NewKey = {id: string; name: string; value: string}

const newKeys = (created: Created[]): NewKey[] =>
  created.flatMap((c) => (c.kind === 'API key' && c.value !== undefined ? [{id: c.id, name: c.name ?? c.id, value: c.value}] : []))

/**
 * Writes the new keys to --keys-out. When that fails at the end the values have been
 * shown already: say so, and let a successful setup stay successful.
 */
async function saveKeys(file: ReservedFile, keys: NewKey[], deps: WizardDeps): Promise<boolean> {
  if (keys.length === 0) return false
  try {
    await file.fill(keysCsv(keys))
  } catch (error) {
    deps.note(
      deps.style.yellow(
        `Warning: could not write the new key values to ${file.flag} ${file.path} (${(error as Error).message}); they are printed here: store them now`,
      ),
    )
    return false
  }

  deps.note(`Wrote the values of ${keys.length} new key(s) to ${file.path} (readable by you only).`)
  return true
}
