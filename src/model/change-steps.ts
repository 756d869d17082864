import {GwctlError} from '../model/errors.js'

/** One change in a multi-call operation, with the commands that finish or undo it by hand. */
export interface ChangeStep {
  /** Past tense, for the report: "attached it to usage plan gold (p1)". */
  done: string
  run: () => Promise<unknown>
  /** The command that performs this step, should a later run need it. */
  finish: string
  /** The command that reverts this step, if a person may want to. */
  undo?: string
}

/**
 * Runs steps in order. When one fails after others changed something, the error
 * lists what was done, the commands that would finish the job, and how to undo it.
 * @param alreadyDone changes made before these steps (e.g. the key just created)
 * @param undo commands that revert the changes made before these steps
 */
export async function runChangeSteps(steps: ChangeStep[], context: {what: string; alreadyDone: string[]; undo: string[]}): Promise<void> {
  const done = [...context.alreadyDone]
  const undo = [...context.undo]
  for (const [at, step] of steps.entries()) {
    try {
      await step.run()
    } catch (error) {
      if (done.length === 0) throw error
      const reason = error instanceof Error ? error.message : String(error)
      throw new GwctlError('PARTIAL_FAILURE', `${context.what} stopped part way: ${reason}`, {
        cause: error,
        done,
        suggestions: [...steps.slice(at).map((s) => `to finish: ${s.finish}`), ...undo.map((u) => `to undo: ${u}`)],
        details: {done, remaining: steps.slice(at).map((s) => s.finish)},
      })
    }

    done.push(step.done)
    if (step.undo) undo.unshift(step.undo)
  }
}
