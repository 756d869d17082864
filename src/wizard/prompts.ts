import {GwctlError} from '../model/errors.js'

/**
 * The few questions the wizard asks, as a narrow interface so that tests can
 * answer them without a terminal. `terminalPrompter` binds it to @inquirer/prompts.
 */

export interface Choice<T> {
  name: string
  value: T
  description?: string
  checked?: boolean
}

/** A validator returns true, or the reason the value is refused (shown at once, under the prompt). */
export type Validate<T> = (value: T) => Promise<string | true> | string | true

export interface Prompter {
  select<T>(question: {message: string; choices: Array<Choice<T>>; default?: T}): Promise<T>
  /** A select that filters its choices by what the person types, for long lists. */
  search<T>(question: {message: string; choices: Array<Choice<T>>}): Promise<T>
  checkbox<T>(question: {message: string; choices: Array<Choice<T>>; validate?: Validate<T[]>}): Promise<T[]>
  input(question: {message: string; default?: string; validate?: Validate<string>}): Promise<string>
  confirm(question: {message: string; default?: boolean}): Promise<boolean>
}

export const cancelled = () => new GwctlError('ABORTED', 'Cancelled; nothing was changed')

/** Ctrl-C at any question becomes the documented exit 130, with nothing changed. */
async function orCancelled<T>(answer: Promise<T>): Promise<T> {
  try {
    return await answer
  } catch (error) {
    if ((error as Error)?.name === 'ExitPromptError') throw cancelled()
    throw error
  }
}

/** The same questions, with Ctrl-C (inquirer's ExitPromptError) turned into a GwctlError ABORTED. */
export function cancellable(prompter: Prompter): Prompter {
  return {
    select: (q) => orCancelled(prompter.select(q)),
    search: (q) => orCancelled(prompter.search(q)),
    checkbox: (q) => orCancelled(prompter.checkbox(q)),
    input: (q) => orCancelled(prompter.input(q)),
    confirm: (q) => orCancelled(prompter.confirm(q)),
  }
}

/** Where inquirer reads keys and draws; the process's terminal unless given (tests give streams). */
export interface PromptStreams {
  input?: NodeJS.ReadableStream
  output?: NodeJS.WritableStream
}

export async function terminalPrompter(streams: PromptStreams = {}): Promise<Prompter> {
  const inquirer = await import('@inquirer/prompts')
  return cancellable({
    select: (q) => inquirer.select({message: q.message, choices: q.choices, default: q.default, pageSize: 15}, streams),
    search: (q) =>
      inquirer.search(
        {
          message: q.message,
          pageSize: 15,
          source: (term) => q.choices.filter((c) => !term || `${c.name} ${c.description ?? ''}`.toLowerCase().includes(term.toLowerCase())),
        },
        streams,
      ),
    checkbox: (q) =>
      inquirer.checkbox(
        {
          message: q.message,
          choices: q.choices,
          pageSize: 20,
          validate: q.validate && ((chosen) => q.validate!(chosen.map((c) => c.value))),
        },
        streams,
      ),
    input: (q) => inquirer.input({message: q.message, default: q.default, validate: q.validate}, streams),
    confirm: (q) => inquirer.confirm({message: q.message, default: q.default}, streams),
  })
}

/** Turns a parser that throws a GwctlError into a prompt validator that returns its message. */
export function validatorFrom<T>(parse: (raw: T) => unknown): Validate<T> {
  return async (raw) => {
    try {
      await parse(raw)
      return true
    } catch (error) {
      if (error instanceof GwctlError) return error.message
      throw error
    }
  }
}
