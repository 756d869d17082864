import assert from 'node:assert/strict'

import {describeCollision, findStageCollisions, type PlanCoverage} from '../../src/model/stage-collisions.js'

const alice = {id: 'k1', name: 'alice'}
const bob = {id: 'k2', name: 'bob'}
const plans: PlanCoverage[] = [
  {id: 'p1', name: 'gold', stages: ['a1:prod', 'a1:beta'], keys: [alice]},
  {id: 'p2', name: 'silver', stages: ['a1:prod'], keys: [bob]},
  {id: 'p3', name: 'free', stages: ['a2:prod'], keys: []},
  {id: 'p4', name: 'empty', stages: [], keys: [alice]},
]

describe('findStageCollisions', () => {
  it('finds a key joining a plan that shares a stage with a plan it is already in', () => {
    const found = findStageCollisions(plans, [{planId: 'p2', keys: [alice]}])
    assert.deepEqual(found, [{key: alice, stage: 'a1:prod', plan: {id: 'p2', name: 'silver'}, otherPlan: {id: 'p1', name: 'gold'}}])
    assert.equal(describeCollision(found[0]), 'key alice (k1) would be in usage plans gold (p1) and silver (p2), which both cover stage a1:prod')
  })

  it('allows a key in plans covering different stages, and re-adding a member', () => {
    assert.deepEqual(findStageCollisions(plans, [{planId: 'p3', keys: [alice]}]), [])
    assert.deepEqual(findStageCollisions(plans, [{planId: 'p1', keys: [alice]}]), [])
  })

  it('finds a stage joining a plan whose key already has that stage through another plan', () => {
    const found = findStageCollisions(plans, [{planId: 'p4', stages: ['a1:beta']}])
    assert.deepEqual(found, [{key: alice, stage: 'a1:beta', plan: {id: 'p4', name: 'empty'}, otherPlan: {id: 'p1', name: 'gold'}}])
  })

  it('allows a stage joining a plan when no key is shared', () => {
    assert.deepEqual(findStageCollisions(plans, [{planId: 'p3', stages: ['a1:prod']}]), [])
  })

  it('finds a new key added to two plans of the same stage at once, reported once', () => {
    const newKey = {id: 'line 2', name: 'carol'}
    const found = findStageCollisions(plans, [
      {planId: 'p1', keys: [newKey]},
      {planId: 'p2', keys: [newKey]},
    ])
    assert.equal(found.length, 1)
    assert.deepEqual(found[0], {key: newKey, stage: 'a1:prod', plan: {id: 'p2', name: 'silver'}, otherPlan: {id: 'p1', name: 'gold'}})
  })

  it('reports one collision per stage the plans share', () => {
    const shared: PlanCoverage[] = [
      {id: 'x', stages: ['a:1', 'a:2'], keys: [alice]},
      {id: 'y', stages: ['a:1', 'a:2', 'a:3'], keys: []},
    ]
    assert.deepEqual(
      findStageCollisions(shared, [{planId: 'y', keys: [alice]}]).map((c) => c.stage),
      ['a:1', 'a:2'],
    )
  })
})
