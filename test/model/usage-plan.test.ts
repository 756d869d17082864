import assert from 'node:assert/strict'

import {planDifferences, refuseRepeatedMethods} from '../../src/model/usage-plan.js'

describe('model/usage-plan', () => {
  describe('planDifferences', () => {
    const gold = {
      description: 'paying',
      throttle: {rateLimit: 10, burstLimit: 20},
      quota: {limit: 1000, period: 'MONTH', offset: 0},
      apiStages: [
        {apiId: 'a2', stage: 'beta'},
        {apiId: 'a1', stage: 'prod', throttle: {'/pets/GET': {rateLimit: 1, burstLimit: 2}}},
      ],
      tags: {team: 'x'},
    }

    it('finds none between equal plans, whatever the order of stages and tags, and 0 offset same as none', () => {
      const same = {...gold, quota: {limit: 1000, period: 'MONTH'}, apiStages: gold.apiStages.toReversed()}
      assert.deepEqual(planDifferences(gold, same), [])
    })

    it('names each setting that differs, with both values', () => {
      const asked = {throttle: {rateLimit: '10' as unknown as number, burstLimit: 20}, apiStages: [{apiId: 'a1', stage: 'prod'}], productCode: 'p-1'}
      assert.deepEqual(planDifferences(gold, asked), [
        {field: 'description', existing: 'paying', requested: null},
        {field: 'quota', existing: {limit: 1000, period: 'MONTH', offset: 0}, requested: null},
        {
          field: 'apiStages',
          existing: [{stage: 'a1:prod', throttle: {'/pets/GET': {rateLimit: 1, burstLimit: 2}}}, {stage: 'a2:beta'}],
          requested: [{stage: 'a1:prod'}],
        },
        {field: 'tags', existing: {team: 'x'}, requested: {}},
        {field: 'productCode', existing: null, requested: 'p-1'},
      ])
    })
  })

  it('refuseRepeatedMethods names the method given twice, per stage', () => {
    assert.doesNotThrow(() =>
      refuseRepeatedMethods(
        [
          {path: '/pets', httpMethod: 'GET', stage: 'a1:prod'},
          {path: '/pets', httpMethod: 'GET', stage: 'a1:beta'},
        ],
        '--m',
      ),
    )
    assert.throws(
      () =>
        refuseRepeatedMethods(
          [
            {path: '/', httpMethod: 'GET'},
            {path: '/', httpMethod: 'GET'},
          ],
          '--m',
        ),
      /^GwctlError: --m names GET \/ more than once; give each method once$/,
    )
  })
})
