import type {UsagePlan} from '@aws-sdk/client-api-gateway'

import assert from 'node:assert/strict'

import {
  addStageOp,
  attachStageOps,
  detachStageOps,
  escapePointer,
  keyCustomerIdOp,
  keyDescriptionOp,
  keyEnabledOp,
  keyNameOp,
  methodThrottleOps,
  methodThrottlePath,
  planPatchInEffect,
  planUpdateOps,
  removeMethodThrottleOp,
  removeStageOp,
  STAGE_THROTTLE_OFF,
  stageMethodSettingKey,
  stageThrottleOps,
} from '../../src/model/patches.js'

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

  describe('per-method throttle paths of a usage plan', () => {
    // AWS: /apiStages/{apiId}:{stage}/throttle/{resourcePath}/{httpMethod}/rateLimit, and a
    // resource path begins with "/"; Terraform's AWS provider sends exactly this.
    it('writes the resource path after "throttle/" as it is: a double slash, a triple one for the root', () => {
      assert.equal(methodThrottlePath('a1', 'prod', {path: '/pets', httpMethod: 'GET'}), '/apiStages/a1:prod/throttle//pets/GET')
      assert.equal(methodThrottlePath('a1', 'prod', {path: '/', httpMethod: 'GET'}), '/apiStages/a1:prod/throttle///GET')
      assert.equal(methodThrottlePath('a1', 'prod', {path: '/pets/{id}', httpMethod: 'DELETE'}), '/apiStages/a1:prod/throttle//pets/{id}/DELETE')
    })

    it('sets a throttle with a replace of each limit, and removes one by its method path', () => {
      assert.deepEqual(methodThrottleOps('a1', 'prod', [{path: '/pets', httpMethod: 'GET', rateLimit: 0.5, burstLimit: 1}]), [
        {op: 'replace', path: '/apiStages/a1:prod/throttle//pets/GET/rateLimit', value: '0.5'},
        {op: 'replace', path: '/apiStages/a1:prod/throttle//pets/GET/burstLimit', value: '1'},
      ])
      assert.deepEqual(removeMethodThrottleOp('a1', 'prod', {path: '/pets', httpMethod: 'GET'}), {op: 'remove', path: '/apiStages/a1:prod/throttle//pets/GET'})
    })

    it('attaches a stage and its throttles in one patch', () => {
      assert.deepEqual(
        attachStageOps('a1', 'prod', [{path: '/', httpMethod: 'GET', rateLimit: 5, burstLimit: 10}]).map((o) => o.path),
        ['/apiStages', '/apiStages/a1:prod/throttle///GET/rateLimit', '/apiStages/a1:prod/throttle///GET/burstLimit'],
      )
    })
  })

  describe('product code', () => {
    it('adds one to a plan without, replaces one it has, removes it', () => {
      assert.deepEqual(planUpdateOps(gold, {productCode: 'prod-1'}), [{op: 'add', path: '/productCode', value: 'prod-1'}])
      assert.deepEqual(planUpdateOps({...gold, productCode: 'prod-1'}, {productCode: 'prod-2'}), [{op: 'replace', path: '/productCode', value: 'prod-2'}])
      assert.deepEqual(planUpdateOps({...gold, productCode: 'prod-1'}, {productCode: 'prod-1'}), [])
      assert.deepEqual(planUpdateOps({...gold, productCode: 'prod-1'}, {removeProductCode: true}), [{op: 'remove', path: '/productCode'}])
      assert.deepEqual(planUpdateOps(gold, {removeProductCode: true}), [])
    })
  })

  describe('stage throttles (UpdateStage method settings)', () => {
    it('keys every method "*/*" and one method by its escaped resource path', () => {
      assert.equal(stageMethodSettingKey(), '*/*')
      assert.equal(stageMethodSettingKey({path: '/pets/{id}', httpMethod: 'GET'}), '~1pets~1{id}/GET')
      assert.equal(stageMethodSettingKey({path: '/', httpMethod: 'GET'}), '~1/GET')
    })

    it('replaces rate and burst; -1 switches the throttle off', () => {
      assert.deepEqual(stageThrottleOps('~1pets/POST', {rateLimit: STAGE_THROTTLE_OFF, burstLimit: STAGE_THROTTLE_OFF}), [
        {op: 'replace', path: '/~1pets/POST/throttling/rateLimit', value: '-1'},
        {op: 'replace', path: '/~1pets/POST/throttling/burstLimit', value: '-1'},
      ])
    })
  })

  describe('API key operations', () => {
    it('replaces name, description, customer id and enabled', () => {
      assert.deepEqual(
        [keyNameOp('a'), keyDescriptionOp('b'), keyCustomerIdOp('c'), keyEnabledOp(false)],
        [
          {op: 'replace', path: '/name', value: 'a'},
          {op: 'replace', path: '/description', value: 'b'},
          {op: 'replace', path: '/customerId', value: 'c'},
          {op: 'replace', path: '/enabled', value: 'false'},
        ],
      )
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

    it("reads per-method throttle paths as gwctl writes them: the resource path's leading slash kept, //GET for the root", () => {
      const throttled = {
        ...gold,
        apiStages: [{apiId: 'a1', stage: 'prod', throttle: {'/pets/GET': {rateLimit: 0.5, burstLimit: 1}, '//GET': {rateLimit: 2, burstLimit: 4}}}],
      }
      assert.equal(methodThrottlePath('a1', 'prod', {path: '/pets', httpMethod: 'GET'}), '/apiStages/a1:prod/throttle//pets/GET')
      assert.equal(planPatchInEffect(throttled, methodThrottleOps('a1', 'prod', [{path: '/pets', httpMethod: 'GET', rateLimit: 0.5, burstLimit: 1}])), true)
      assert.equal(planPatchInEffect(throttled, methodThrottleOps('a1', 'prod', [{path: '/', httpMethod: 'GET', rateLimit: 2, burstLimit: 4}])), true)
      assert.equal(planPatchInEffect(throttled, methodThrottleOps('a1', 'prod', [{path: '/pets', httpMethod: 'GET', rateLimit: 1, burstLimit: 1}])), false)
      assert.equal(planPatchInEffect(throttled, [removeMethodThrottleOp('a1', 'prod', {path: '/pets', httpMethod: 'GET'})]), false)
      assert.equal(planPatchInEffect(throttled, [removeMethodThrottleOp('a1', 'prod', {path: '/pets', httpMethod: 'POST'})]), true)
      assert.equal(planPatchInEffect(throttled, [removeMethodThrottleOp('a1', 'prod', {path: '/', httpMethod: 'GET'})]), false)
    })

    it('sees a product code set or removed', () => {
      assert.equal(planPatchInEffect({...gold, productCode: 'pc-1'}, [{op: 'add', path: '/productCode', value: 'pc-1'}]), true)
      assert.equal(planPatchInEffect(gold, [{op: 'add', path: '/productCode', value: 'pc-1'}]), false)
      assert.equal(planPatchInEffect(gold, [{op: 'remove', path: '/productCode'}]), true)
    })

    it('counts an operation it does not know as not in effect', () => {
      assert.equal(planPatchInEffect(plan, [{op: 'add', path: '/tags/team', value: 'x'}]), false)
    })
  })
})
