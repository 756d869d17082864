import assert from 'node:assert/strict'

import {type ChangeStep, runChangeSteps} from '../../src/model/change-steps.js'
import {GwctlError} from '../../src/model/errors.js'
import {rejection} from '../helpers/rejection.js'

/** A step that creates a key `id`, or fails with `fails`. */
const createKey = (id: string, fails?: GwctlError): ChangeStep => ({
  title: `create key ${id}`,
  finish: () => [['keys', 'create', '--name', id]],
  async run(record) {
    if (fails) throw fails
    record.created({kind: 'API key', id, name: id, value: `${id}-value`}, ['keys', 'delete', id, '--yes'])
  },
})
/** One batch of an import: every batch finishes with the same command. */
const batch = (n: number, fails?: boolean): ChangeStep => ({
  title: `import batch ${n}`,
  finish: () => [['keys', 'import', 'keys.csv']],
  undo: () => [['keys', 'delete', `b${n}`, '--yes']],
  undoLast: () => [['deploy', '--api', 'a1', '--stage', 'prod']],
  run: async () => {
    if (fails) throw refused()
  },
})
const refused = () => new GwctlError('BAD_INPUT', 'AWS refused it')

describe('model/change-steps: one mechanism for changes of several calls', () => {
  it('runs the steps in order, with progress when there are several, and returns what they did', async () => {
    const progress: string[] = []
    const report = await runChangeSteps('Making keys', [createKey('k1'), createKey('k2')], {progress: (line) => progress.push(line)})
    assert.deepEqual(progress, ['[1/2] create key k1', '[2/2] create key k2'])
    assert.deepEqual(report, {
      done: ['created API key k1 (k1)', 'created API key k2 (k2)'],
      notDone: [],
      created: [
        {kind: 'API key', id: 'k1', name: 'k1', value: 'k1-value'},
        {kind: 'API key', id: 'k2', name: 'k2', value: 'k2-value'},
      ],
      finish: [],
      undo: ['gwctl keys delete k2 --yes', 'gwctl keys delete k1 --yes'],
    })
  })

  it("when nothing was changed, the step's own error goes out as it is", async () => {
    const error = refused()
    assert.equal(await runChangeSteps('Making keys', [createKey('k1', error), createKey('k2')]).catch((error_: unknown) => error_), error)
  })

  it('a failure after a change reports done, not done, how to finish and how to undo (exit 7)', async () => {
    const error = await rejection(runChangeSteps('Making keys', [createKey('k1'), createKey('k2', refused()), createKey('k3')]))
    assert.equal(error.exitCode, 7)
    assert.equal(error.message, 'Making keys stopped after 1 of 3 steps: AWS refused it')
    assert.deepEqual(error.report, {
      done: ['created API key k1 (k1)'],
      notDone: ['create key k2', 'create key k3'],
      created: [{kind: 'API key', id: 'k1', name: 'k1', value: 'k1-value'}],
      finish: ['gwctl keys create --name k2', 'gwctl keys create --name k3'],
      undo: ['gwctl keys delete k1 --yes'],
    })
    assert.deepEqual(error.toJSON().details, error.report, 'the same report under --json')
  })

  it('reports work done inside the step that failed, and the undo of it', async () => {
    const halfway: ChangeStep = {
      title: 'create and attach k2',
      finish: () => [['keys', 'create', '--name', 'k2', '--plan', 'gold']],
      async run(record) {
        record.created({kind: 'API key', id: 'k2', name: 'k2'}, ['keys', 'delete', 'k2', '--yes'])
        throw refused()
      },
    }
    const error = await rejection(runChangeSteps('Making keys', [halfway]))
    assert.equal(error.exitCode, 7)
    assert.deepEqual(error.report?.done, ['created API key k2 (k2)'])
    assert.deepEqual(error.report?.undo, ['gwctl keys delete k2 --yes'])
  })

  it("a step that runs a change of its own: its report becomes part of the outer one, and its finish replaces the step's", async () => {
    const inner: ChangeStep = {
      title: 'create key k2 in plan gold',
      finish: () => [['keys', 'create', '--name', 'k2', '--plan', 'gold']],
      run: async () => {
        await runChangeSteps('Creating k2', [
          createKey('k2'),
          {
            title: 'add k2 to gold',
            finish: () => [['keys', 'attach', 'k2', '--plan', 'gold']],
            undo: () => [],
            run: async () => {
              throw refused()
            },
          },
        ])
      },
    }
    const progress: string[] = []
    const error = await rejection(runChangeSteps('The setup', [createKey('k1'), inner, createKey('k3')], {progress: (line) => progress.push(line)}))
    assert.deepEqual(progress, ['[1/3] create key k1', '[2/3] create key k2 in plan gold'], 'the inner change shows no progress of its own')
    assert.equal(error.message, 'The setup stopped after 1 of 3 steps: Creating k2 stopped after 1 of 2 steps: AWS refused it')
    assert.deepEqual(error.report, {
      done: ['created API key k1 (k1)', 'created API key k2 (k2)'],
      notDone: ['add k2 to gold', 'create key k3'],
      created: [
        {kind: 'API key', id: 'k1', name: 'k1', value: 'k1-value'},
        {kind: 'API key', id: 'k2', name: 'k2', value: 'k2-value'},
      ],
      finish: ['gwctl keys attach k2 --plan gold', 'gwctl keys create --name k3'],
      undo: ['gwctl keys delete k2 --yes', 'gwctl keys delete k1 --yes'],
    })
  })

  it('an interrupt stops it before the next step; nothing done yet is exit 130, else the report (exit 7)', async () => {
    const interrupt = new AbortController()
    const interrupting: ChangeStep = {
      ...createKey('k1'),
      run: async (record) => {
        record.created({kind: 'API key', id: 'k1'})
        interrupt.abort('SIGTERM')
      },
    }
    const error = await rejection(runChangeSteps('Making keys', [interrupting, createKey('k2')], {interrupted: interrupt.signal}))
    assert.equal(error.exitCode, 7)
    assert.equal(error.message, 'Making keys was interrupted (SIGTERM) after 1 of 2 steps')
    assert.deepEqual(error.report?.notDone, ['create key k2'])

    const before = new GwctlError('ABORTED', 'Interrupted (SIGINT) before creating key k1: it was not sent', {details: {interrupted: 'SIGINT'}})
    const nothing = await rejection(runChangeSteps('Making keys', [createKey('k1', before)]))
    assert.equal(nothing.exitCode, 130)
    assert.equal(nothing.message, 'Making keys was interrupted (SIGINT) before it changed anything; nothing was changed')
  })

  it('a call that may have taken effect counts as a change: exit 7, marked in what is not done', async () => {
    const maybe = new GwctlError('AWS_SERVICE', 'API Gateway returned HTTP 500: it may have taken effect', {mayHaveChanged: true})
    const error = await rejection(runChangeSteps('Making keys', [createKey('k1', maybe)]))
    assert.equal(error.exitCode, 7)
    assert.deepEqual(error.report?.notDone, ['create key k1 (may have taken effect: check before finishing)'])
  })

  it('steps that finish with the same command name it once; undoLast commands come after every undo, once each', async () => {
    const error = await rejection(runChangeSteps('Importing', [batch(1), batch(2), batch(3, true), batch(4)]))
    assert.deepEqual(error.report?.finish, ['gwctl keys import keys.csv'])
    assert.deepEqual(error.report?.undo, ['gwctl keys delete b2 --yes', 'gwctl keys delete b1 --yes', 'gwctl deploy --api a1 --stage prod'])
  })
})
