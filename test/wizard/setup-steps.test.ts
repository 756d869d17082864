import assert from 'node:assert/strict'

import type {Setup} from '../../src/wizard/setup.js'

import {gwctlCommandLine} from '../../src/model/shell.js'
import {newApplyState, setupSteps} from '../../src/wizard/setup-steps.js'

const extend = (current: Setup['plan'] & {kind: 'existing'}): Setup => ({
  api: {id: 'a1', name: 'pets'},
  stages: ['prod'],
  plan: current,
  methodThrottles: [{path: '/pets/{id}', httpMethod: 'GET', rateLimit: 0.5, burstLimit: 1}],
  keys: {kind: 'none'},
  requireKey: {on: [], off: []},
  keySource: {from: 'HEADER', to: 'HEADER'},
})

describe('wizard steps', () => {
  it('undoes limits added to a plan that had none by removing them', () => {
    const setup = extend({
      kind: 'existing',
      current: {id: 'p1', name: 'free'},
      change: {rateLimit: 1, burstLimit: 2, quotaLimit: 100, quotaPeriod: 'DAY'},
      newStages: ['prod'],
    })
    const steps = setupSteps(setup)
    // One step, one UpdateUsagePlan call (AWS allows one per 20 s); as commands, plans update and stages attach.
    assert.deepEqual(
      steps.map((s) => s.commands.map((c) => gwctlCommandLine(c))),
      [
        [
          'gwctl plans update p1 --rate 1 --burst 2 --quota 100/DAY',
          "gwctl stages attach --plan p1 --api a1 --stage prod --method-throttle '/pets/{id}/GET=0.5/1'",
        ],
        ["gwctl deploy --api a1 --stage prod --description 'gwctl wizard: usage plan free'"],
      ],
    )
    const state = newApplyState(setup)
    assert.deepEqual(steps[0].undo(state), [
      ['stages', 'detach', '--plan', 'p1', '--api', 'a1', '--stage', 'prod'],
      ['plans', 'update', 'p1', '--no-throttle', '--no-quota'],
    ])
  })

  it('sends nothing for a plan whose limits are kept and whose stages are covered already', () => {
    const steps = setupSteps(extend({kind: 'existing', current: {id: 'p1', name: 'free'}, change: {}, newStages: []}))
    assert.deepEqual(
      steps.map((s) => s.commands[0][0]),
      ['deploy'],
    )
  })
})
