import {AsyncLocalStorage} from 'node:async_hooks'

import {GwctlError} from './errors.js'
import {gwctlCommandLine} from './shell.js'

/**
 * The one mechanism for a change made of several calls: a list of steps, run in order
 * with progress, stopped by an interrupt between steps, and reported from what actually
 * happened. Each step records what it creates as soon as it exists, so a step that fails
 * halfway still reports it. A step may itself run steps (a service called by the wizard):
 * its report, carried by its error, becomes part of the outer one.
 *
 * When a step fails after anything was changed, the error (PARTIAL_FAILURE, exit 7)
 * carries a ChangeReport: what was done, what was not, the commands that finish the job
 * (naming what was created, so nothing is created twice) and the commands that undo it
 * (newest first, leaving nothing behind). When nothing was changed the step's own error
 * is thrown as it is (an interrupt: ABORTED, exit 130).
 */

/** Something a change created, named as the report names it. */
export interface Created {
  kind: 'API key' | 'deployment' | 'usage plan'
  id: string
  name?: string
  /** A key value gwctl generated: it is shown in full, once, in the result or the report. */
  value?: string
}

/** What a step tells the runner as it goes. */
export interface StepRecord {
  /**
   * Something now exists; `undo` (gwctl argv) removes it. `line` is what the report says
   * was done ("created API key alice (k1)" unless given); false when a `changed` line says it.
   */
  created(item: Created, undo?: string[], line?: string | false): void
  /** A change made inside the step, with the command that reverts it. */
  changed(line: string, undo?: string[]): void
}

/** A command for a report: gwctl argv (without `gwctl`), or a whole command line of another tool (the AWS CLI). */
export type StepCommand = string[] | string

const lineOf = (command: StepCommand): string => (typeof command === 'string' ? command : gwctlCommandLine(command))

export interface ChangeStep {
  /** What the step does, for progress and the report: "add API key alice (k1) to usage plan gold (p1)". */
  title: string | (() => string)
  /** Does it, recording what it creates as soon as it exists. */
  run(record: StepRecord): Promise<void>
  /**
   * The commands (gwctl argv) that do this step by hand, for a report; asked only when one
   * is made, so that they can name what earlier steps created.
   */
  finish(): StepCommand[]
  /** The commands that take the step back once it is done; by default, the undo of each thing it recorded. */
  undo?(): StepCommand[]
  /** Commands that come after every other undo: a deployment that publishes the undone settings. */
  undoLast?(): StepCommand[]
}

export interface ChangeReport {
  /** What was changed, in order: the steps done and the work done inside the step that failed. */
  done: string[]
  /** The steps not done, the failed one first. */
  notDone: string[]
  created: Created[]
  /** Command lines that finish the job, in order. */
  finish: string[]
  /** Command lines that undo what was done, in the order to run them. */
  undo: string[]
}

export interface RunOptions {
  /** Told before each step when there are several: "[2/5] add API key ...". */
  progress?: (line: string) => void
  /** When aborted, no further step starts (its reason names the signal). */
  interrupted?: AbortSignal
}

/** Set while a change runs: a change run by one of its steps (a service the wizard calls) is part of it, and shows no progress of its own. */
const enclosing = new AsyncLocalStorage<true>()

const titleOf = (step: ChangeStep) => (typeof step.title === 'function' ? step.title() : step.title)
const label = (item: Created) => (item.name ? `${item.name} (${item.id})` : item.id)

/** Runs the steps in order; returns what they did, or throws a report of what happened (see above). */
export function runChangeSteps(what: string, steps: ChangeStep[], options: RunOptions = {}): Promise<ChangeReport> {
  const progress = enclosing.getStore() ? undefined : options.progress
  return enclosing.run(true, () => runSteps(what, steps, {...options, progress}))
}

async function runSteps(what: string, steps: ChangeStep[], options: RunOptions): Promise<ChangeReport> {
  const done: string[] = []
  const created: Created[] = []
  /** Undo commands of the steps done so far, each step's in its own order. */
  const undoSteps: StepCommand[][] = []
  const undoLast: StepCommand[] = []

  for (const [index, step] of steps.entries()) {
    const record = stepRecord()
    try {
      if (index > 0 && options.interrupted?.aborted) throw interruptedBetween(String(options.interrupted.reason))
      if (steps.length > 1) options.progress?.(`[${index + 1}/${steps.length}] ${titleOf(step)}`)
      await step.run(record.recorder)
    } catch (error) {
      throw failureReport({what, steps, index, error, record, done, created, undoSteps, undoLast})
    }

    done.push(...(record.lines.length > 0 ? record.lines : [titleOf(step)]))
    created.push(...record.created)
    undoSteps.push(step.undo ? step.undo() : record.undo.toReversed())
    undoLast.push(...(step.undoLast?.() ?? []))
  }

  return {done, notDone: [], created, finish: [], undo: undoLines(undoSteps, undoLast)}
}

/** The record one step keeps: lines of what it did, what it created, and how to undo each. */
function stepRecord() {
  const lines: string[] = []
  const created: Created[] = []
  const undo: string[][] = []
  const recorder: StepRecord = {
    created(item, undoArgv, line) {
      created.push(item)
      if (line !== false) lines.push(line ?? `created ${item.kind} ${label(item)}`)
      if (undoArgv) undo.push(undoArgv)
    },
    changed(line, undoArgv) {
      lines.push(line)
      if (undoArgv) undo.push(undoArgv)
    },
  }
  return {lines, created, undo, recorder}
}

const interruptedBetween = (signal: string) => new GwctlError('ABORTED', `Interrupted (${signal})`, {details: {interrupted: signal}})

/** Undo commands newest first, then (once each) those that come last. */
function undoLines(undoSteps: StepCommand[][], undoLast: StepCommand[]): string[] {
  const last = [...new Set(undoLast.map((command) => lineOf(command)))]
  return [
    ...undoSteps
      .toReversed()
      .flat()
      .map((command) => lineOf(command)),
    ...last,
  ]
}

function failureReport(at: {
  what: string
  steps: ChangeStep[]
  index: number
  error: unknown
  record: ReturnType<typeof stepRecord>
  done: string[]
  created: Created[]
  undoSteps: StepCommand[][]
  undoLast: StepCommand[]
}): unknown {
  const {what, steps, index, error, record} = at
  const inner = error instanceof GwctlError ? error.report : undefined
  const mayHaveChanged = error instanceof GwctlError && error.mayHaveChanged
  // What the failed step did before failing: what it recorded, then what a change it ran reported.
  const partDone = [...record.lines, ...(inner?.done ?? [])]
  const changedAnything = at.done.length > 0 || partDone.length > 0 || mayHaveChanged
  const interrupted = error instanceof GwctlError && error.details?.interrupted !== undefined
  if (!changedAnything) {
    if (!interrupted) return error
    const signal = String(error.details?.interrupted)
    return new GwctlError('ABORTED', `${what} was interrupted (${signal}) before it changed anything; nothing was changed`, {
      cause: error,
      details: {interrupted: signal},
    })
  }

  const failedTitle = titleOf(steps[index])
  const rest = steps.slice(index + 1)
  const report: ChangeReport = {
    done: [...at.done, ...partDone],
    notDone: [
      ...(inner ? inner.notDone : [`${failedTitle}${mayHaveChanged ? ' (may have taken effect: check before finishing)' : ''}`]),
      ...rest.map((s) => titleOf(s)),
    ],
    created: [...at.created, ...record.created, ...(inner?.created ?? [])],
    // Steps that share a finish command (batches of one import) name it once.
    finish: [
      ...new Set([
        ...(inner ? inner.finish : steps[index].finish().map((command) => lineOf(command))),
        ...rest.flatMap((s) => s.finish().map((command) => lineOf(command))),
      ]),
    ],
    undo: [...(inner?.undo ?? []), ...undoLines([...at.undoSteps, record.undo.toReversed()], at.undoLast)],
  }
  const reason = error instanceof Error ? error.message : String(error)
  const stepsDone = `${index} of ${steps.length} steps`
  const message = interrupted
    ? `${what} was interrupted (${String(error instanceof GwctlError && error.details?.interrupted)}) after ${stepsDone}`
    : `${what} stopped after ${stepsDone}: ${reason}`
  return new GwctlError('PARTIAL_FAILURE', message, {
    cause: error,
    report,
    done: report.done,
    suggestions: error instanceof GwctlError && !inner ? error.suggestions : [],
    details: {...report, created: report.created},
  })
}
