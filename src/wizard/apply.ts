import type {WizardWrites} from './ports.js'
import type {ApplyState, SetupStep} from './setup-steps.js'

import {type ChangeReport, runChangeSteps, type RunOptions} from '../model/change-steps.js'

/**
 * Applies the steps in order as one change (model/change-steps.ts), telling `progress`
 * before each one. When a step fails or the person interrupts, nothing more is sent,
 * and the error (PARTIAL_FAILURE, exit 7) reports what was done, what was not, and the
 * commands that finish or undo the job; created keys, with their values, are in its report.
 */
export function applySteps(steps: SetupStep[], writes: WizardWrites, state: ApplyState, options: RunOptions): Promise<ChangeReport> {
  return runChangeSteps(
    'The setup',
    steps.map((step) => ({
      title: step.title,
      finish: () => step.commands,
      undo: () => step.undo(state),
      undoLast: () => step.undoLast?.(state) ?? [],
      run: (record) => step.run(writes, state, record),
    })),
    options,
  )
}
