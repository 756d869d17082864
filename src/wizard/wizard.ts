import type {ChalkInstance} from 'chalk'

import type {Prompter} from './prompts.js'
import type {WizardReads, WizardWrites} from './ports.js'

import {fileExists, writeNewFile} from '../io/files.js'
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

async function assertKeysOutFree(file: string): Promise<void> {
  if (await fileExists(file)) throw badInput(`--keys-out ${file} already exists; gwctl does not overwrite a file of key values, so name a new file`)
}

/**
 * The whole wizard: ask (nothing sent yet), show the summary and the equivalent
 * commands, then on confirmation apply them step by step and show new key values once.
 */
export async function runWizard(deps: WizardDeps, options: WizardOptions = {}): Promise<WizardResult> {
  const {prompter, style} = deps
  if (options.keysOut) await assertKeysOutFree(options.keysOut)
  const setup = await askSetup({prompter, reads: deps.reads, warn: (m) => deps.note(style.yellow(`Warning: ${m}`))})
  const steps = setupSteps(setup)
  const commands = steps.map((s) => s.command)
  deps.log(renderSummary(setup, steps, style))
  const notApplied: WizardResult = {applied: false, commands, keys: [], deployments: []}
  if (options.dryRun) {
    deps.note('Dry run: nothing was changed.')
    return notApplied
  }

  if (!(await prompter.confirm({message: `Apply these ${steps.length} changes now?`, default: false}))) throw cancelled()
  const state = newApplyState(setup)
  try {
    await applySteps(steps, deps.writes, state, (line) => deps.note(line))
  } finally {
    // Even after a failure, keys already made must reach their owner: their values are shown only now.
    if (state.createdKeys.length > 0) {
      deps.log(renderNewKeys(state.createdKeys, style))
      if (options.keysOut) {
        await writeNewFile(options.keysOut, keysCsv(state.createdKeys), 0o600)
        deps.note(`Wrote the new key values to ${options.keysOut} (readable by you only).`)
      }
    }
  }

  deps.note(style.green(`Done: ${steps.length} changes applied; callers of ${setup.stages.map((s) => `${setup.api.name}:${s}`).join(', ')} see them now.`))
  return {applied: true, planId: state.planId, commands, keys: state.createdKeys.map(({id, name}) => ({id, name})), deployments: state.deployments}
}
