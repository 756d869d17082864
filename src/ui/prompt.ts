import {GwctlError} from '../model/errors.js'

/** Prompts only for a person: stdin and stdout are terminals and CI is not set. */
export function canPrompt(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0'
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !ci
}

/**
 * Asks a yes/no question, or refuses without a terminal so that scripts never hang.
 * `yesFlag` names the flag that skips the question, for the error message.
 */
export async function confirmOrRefuse(message: string, options: {yes: boolean; yesFlag?: string}): Promise<void> {
  if (options.yes) return
  const flag = options.yesFlag ?? '--yes'
  if (!canPrompt()) {
    throw new GwctlError('BAD_INPUT', `Refusing to ask "${message}" without a terminal`, {
      suggestions: [`Pass ${flag} to confirm non-interactively`],
    })
  }

  const {confirm} = await import('@inquirer/prompts')
  let answer: boolean
  try {
    answer = await confirm({message, default: false})
  } catch (error) {
    if ((error as Error)?.name === 'ExitPromptError') throw new GwctlError('ABORTED', 'Cancelled; nothing was changed')
    throw error
  }

  if (!answer) throw new GwctlError('ABORTED', 'Cancelled; nothing was changed')
}
