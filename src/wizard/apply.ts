import type {WizardWrites} from './ports.js'
import type {ApplyState, SetupStep} from './setup-steps.js'

import {GwctlError} from '../model/errors.js'
import {gwctlCommandLine} from '../model/shell.js'

/**
 * Applies the steps in order, telling `progress` before each one. When a step
 * fails, nothing more is sent, and the error (PARTIAL_FAILURE, exit 7) says which
 * steps were done, which were not, and the commands that finish or undo the job.
 */
export async function applySteps(steps: SetupStep[], writes: WizardWrites, state: ApplyState, progress: (line: string) => void): Promise<void> {
  for (const [index, step] of steps.entries()) {
    progress(`[${index + 1}/${steps.length}] ${step.title}`)
    try {
      await step.run(writes, state)
    } catch (error) {
      // Nothing changed yet: the error as it is (with its own exit code) says all there is to say.
      if (index === 0 && !(error instanceof GwctlError && error.done.length > 0)) throw error
      throw failureReport(steps, index, state, error)
    }
  }
}

function failureReport(steps: SetupStep[], failed: number, state: ApplyState, error: unknown): GwctlError {
  const reason = error instanceof Error ? error.message : String(error)
  const done = steps.slice(0, failed)
  const notDone = steps.slice(failed)
  const finish = notDone.map((s) => gwctlCommandLine(s.command))
  // Undo newest first; deployments stay, so redeploy at the end to publish the undone settings.
  const undo = done
    .toReversed()
    .flatMap((s) => s.undo(state))
    .map((argv) => gwctlCommandLine(argv))
  const redeploy = done.filter((s) => s.command[0] === 'deploy').map((s) => gwctlCommandLine(s.command))
  const undoAll = [...undo, ...redeploy]
  // A step that is itself several calls (an import in batches) may have done part of its work.
  const partly = error instanceof GwctlError ? error.done.map((d) => `${d} (part of step ${failed + 1})`) : []
  const message = [
    `Step ${failed + 1} of ${steps.length} failed (${steps[failed].title}): ${reason}`,
    'Not done:',
    ...notDone.map((s) => `  - ${s.title}`),
  ].join('\n')
  return new GwctlError('PARTIAL_FAILURE', message, {
    cause: error,
    done: [...done.map((s) => s.title), ...partly],
    suggestions: [
      'finish the job (after fixing the cause) with:',
      ...finish.map((c) => `  ${c}`),
      ...(undoAll.length > 0 ? ['or undo what was done with:', ...undoAll.map((c) => `  ${c}`)] : []),
    ],
    details: {failedStep: steps[failed].title, notDone: notDone.map((s) => s.title), finish, undo: undoAll},
  })
}
