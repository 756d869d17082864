import type {UsagePlan} from '@aws-sdk/client-api-gateway'

import assert from 'node:assert/strict'

import {addStageOp, attachStageOps, detachStageOps, escapePointer, planPatchInEffect, planUpdateOps, removeStageOp} from '../../src/model/patches.js'

describe('model/patches', () => {
  const gold: UsagePlan = {
    id: 'p1',
    name: 'gold',
    description: 'paying customers',
    throttle: {rateLimit: 10, burstLimit: 20},
    quota: {limit: 1000, offset: 0, period: 'MONTH'},
  }

  describe('planUpdateOps', () => {
    it('sends nothing when every value is already set', () => {
      assert.deepEqual(
        planUpdateOps(gold, {
          name: 'gold',
          description: 'paying customers',
          rateLimit: 10,
          burstLimit: 20,
          quotaLimit: 1000,
          quotaPeriod: 'MONTH',
          quotaOffset: 0,
        }),
        [],
      )
    })

    it('sends a throttle or quota that changes whole, as strings, and nothing for what stays', () => {
      assert.deepEqual(planUpdateOps(gold, {rateLimit: 10, burstLimit: 40, quotaLimit: 1000, quotaPeriod: 'DAY'}), [
        {op: 'replace', path: '/throttle/rateLimit', value: '10'},
        {op: 'replace', path: '/throttle/burstLimit', value: '40'},
        {op: 'replace', path: '/quota/limit', value: '1000'},
        {op: 'replace', path: '/quota/period', value: 'DAY'},
      ])
      assert.deepEqual(planUpdateOps(gold, {quotaOffset: 5}), [{op: 'replace', path: '/quota/offset', value: '5'}])
    })

    it("completes a half given with the plan's other half, so a racing change cannot leave half a throttle (issue 13)", () => {
      assert.deepEqual(planUpdateOps(gold, {rateLimit: 50}), [
        {op: 'replace', path: '/throttle/rateLimit', value: '50'},
        {op: 'replace', path: '/throttle/burstLimit', value: '20'},
      ])
      assert.deepEqual(planUpdateOps(gold, {quotaPeriod: 'WEEK'}), [
        {op: 'replace', path: '/quota/limit', value: '1000'},
        {op: 'replace', path: '/quota/period', value: 'WEEK'},
      ])
    })

    it('replaces name, description and quota offset', () => {
      assert.deepEqual(planUpdateOps(gold, {name: 'platinum', description: '', quotaOffset: 10}), [
        {op: 'replace', path: '/name', value: 'platinum'},
        {op: 'replace', path: '/description', value: ''},
        {op: 'replace', path: '/quota/offset', value: '10'},
      ])
    })

    it('treats a missing description as empty and a missing offset as 0', () => {
      const bare: UsagePlan = {id: 'p2', name: 'bare', quota: {limit: 5, period: 'DAY'}}
      assert.deepEqual(planUpdateOps(bare, {description: '', quotaOffset: 0}), [])
      assert.deepEqual(planUpdateOps(bare, {description: 'x'}), [{op: 'replace', path: '/description', value: 'x'}])
    })

    it('compares numbers by value even when the service returned strings', () => {
      // moto, for one, answers patched numbers as strings
      const stringly = {...gold, throttle: {rateLimit: '10.0' as unknown as number, burstLimit: '20' as unknown as number}}
      assert.deepEqual(planUpdateOps(stringly, {burstLimit: 20}), [])
    })

    it('adds a throttle and a quota to a plan that has neither', () => {
      const bare: UsagePlan = {id: 'p2', name: 'bare'}
      assert.deepEqual(planUpdateOps(bare, {rateLimit: 1.5, burstLimit: 3, quotaLimit: 100, quotaPeriod: 'WEEK'}), [
        {op: 'replace', path: '/throttle/rateLimit', value: '1.5'},
        {op: 'replace', path: '/throttle/burstLimit', value: '3'},
        {op: 'replace', path: '/quota/limit', value: '100'},
        {op: 'replace', path: '/quota/period', value: 'WEEK'},
      ])
    })

    it('removes the throttle and the quota, only when the plan has them', () => {
      assert.deepEqual(planUpdateOps(gold, {removeThrottle: true, removeQuota: true}), [
        {op: 'remove', path: '/throttle'},
        {op: 'remove', path: '/quota'},
      ])
      assert.deepEqual(planUpdateOps({name: 'bare'}, {removeThrottle: true, removeQuota: true}), [])
    })

    it('ignores rate and burst when the throttle is being removed', () => {
      assert.deepEqual(planUpdateOps(gold, {removeThrottle: true, rateLimit: 5}), [{op: 'remove', path: '/throttle'}])
    })
  })

  describe('stage operations', () => {
    it('adds and removes a stage with API_ID:STAGE as the value', () => {
      assert.deepEqual(addStageOp('a1', 'prod'), {op: 'add', path: '/apiStages', value: 'a1:prod'})
      assert.deepEqual(removeStageOp('a1', 'prod'), {op: 'remove', path: '/apiStages', value: 'a1:prod'})
    })
  })

  it('escapes JSON Pointer segments', () => {
    assert.equal(escapePointer('/pets/{id}'), '~1pets~1{id}')
    assert.equal(escapePointer('a~b'), 'a~0b')
  })

  describe('planPatchInEffect: after an UpdateUsagePlan whose answer was lost, whether it took effect', () => {
    const plan = {
      ...gold,
      apiStages: [{apiId: 'a1', stage: 'prod', throttle: {'/pets/GET': {rateLimit: 0.5, burstLimit: 1}}}],
    }

    it('sees a stage added, with its per-method throttles, and one removed', () => {
      assert.equal(planPatchInEffect(plan, attachStageOps('a1', 'prod', [{path: '/pets', httpMethod: 'GET', rateLimit: 0.5, burstLimit: 1}])), true)
      assert.equal(planPatchInEffect(plan, attachStageOps('a1', 'beta', [])), false)
      assert.equal(planPatchInEffect(plan, detachStageOps({apiId: 'a2', stage: 'prod'})), true)
      assert.equal(planPatchInEffect(plan, detachStageOps({apiId: 'a1', stage: 'prod', throttle: {'/pets/GET': {}}})), false)
    })

    it('sees values replaced, numbers compared as numbers, and the throttle or quota removed', () => {
      assert.equal(planPatchInEffect(plan, planUpdateOps({}, {rateLimit: 10, burstLimit: 20, quotaLimit: 1000, quotaPeriod: 'MONTH', name: 'gold'})), true)
      assert.equal(planPatchInEffect(plan, [{op: 'replace', path: '/throttle/rateLimit', value: '10.0'}]), true)
      assert.equal(planPatchInEffect(plan, [{op: 'replace', path: '/throttle/rateLimit', value: '11'}]), false)
      assert.equal(planPatchInEffect(plan, [{op: 'remove', path: '/throttle'}]), false)
      assert.equal(
        planPatchInEffect({name: 'bare'}, [
          {op: 'remove', path: '/throttle'},
          {op: 'remove', path: '/quota'},
        ]),
        true,
      )
    })

    it('counts an operation it does not know as not in effect', () => {
      assert.equal(planPatchInEffect(plan, [{op: 'add', path: '/productCode', value: 'x'}]), false)
    })
  })
})
