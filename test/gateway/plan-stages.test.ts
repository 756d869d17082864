import {
  GetDeploymentsCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import type {ApiGateway} from '../../src/aws/api-gateway.js'

import {PlanStages} from '../../src/gateway/plan-stages.js'
import {type ApiGatewayMock, mockApiGateway} from '../helpers/mock-aws.js'
import {rejection} from '../helpers/rejection.js'

let mock: ApiGatewayMock

let apigw: ApiGateway
const plans = [
  {id: 'p-gold', name: 'gold', apiStages: [{apiId: 'a1', stage: 'prod', throttle: {'/pets/GET': {rateLimit: 5, burstLimit: 10}}}]},
  {id: 'p-new', name: 'new', apiStages: []},
  {id: 'p-beta', name: 'beta', apiStages: [{apiId: 'a1', stage: 'beta'}]},
]

const patches = () => mock.commandCalls(UpdateUsagePlanCommand).map((c) => c.args[0].input)

describe('PlanStages (mocked)', () => {
  beforeEach(() => {
    ;({mock, apigw} = mockApiGateway())
    mock.on(GetUsagePlansCommand).resolves({items: plans})
    mock.on(GetRestApisCommand).resolves({items: [{id: 'a1', name: 'pets'}]})
    mock.on(GetStagesCommand).resolves({
      item: [
        {stageName: 'prod', deploymentId: 'd2'},
        {stageName: 'beta', deploymentId: 'd1'},
        {stageName: 'dev', deploymentId: 'gone'},
      ],
    })
    mock.on(GetResourcesCommand).resolves({
      items: [
        {id: 'r0', path: '/', resourceMethods: {GET: {}}},
        {id: 'r1', path: '/pets', resourceMethods: {GET: {}, POST: {}}},
      ],
    })
    mock.on(GetUsagePlanKeysCommand).resolves({items: []})
    mock.on(UpdateUsagePlanCommand).callsFake((input) => ({id: input.usagePlanId, name: 'new'}))
  })
  afterEach(() => mock.restore())

  it('attaches a stage with per-method throttles in one UpdateUsagePlan call', async () => {
    const result = await new PlanStages(apigw).attach({
      plan: 'new',
      api: 'pets',
      stage: 'prod',
      methodThrottles: [
        {path: '/pets', httpMethod: 'POST', rateLimit: 0.5, burstLimit: 1},
        {path: '/', httpMethod: 'GET', rateLimit: 5, burstLimit: 10},
      ],
    })
    assert.deepEqual(patches(), [
      {
        usagePlanId: 'p-new',
        patchOperations: [
          {op: 'add', path: '/apiStages', value: 'a1:prod'},
          {op: 'replace', path: '/apiStages/a1:prod/throttle/pets/POST/rateLimit', value: '0.5'},
          {op: 'replace', path: '/apiStages/a1:prod/throttle/pets/POST/burstLimit', value: '1'},
          {op: 'replace', path: '/apiStages/a1:prod/throttle//GET/rateLimit', value: '5'},
          {op: 'replace', path: '/apiStages/a1:prod/throttle//GET/burstLimit', value: '10'},
        ],
      },
    ])
    assert.equal(result.apiId, 'a1')
  })

  it('refuses (exit 4) when a key of the plan is in another plan covering the stage, naming key, plans and stage', async () => {
    mock.on(GetUsagePlanKeysCommand, {usagePlanId: 'p-beta'}).resolves({items: [{id: 'k1', name: 'alice'}]})
    mock.on(GetUsagePlanKeysCommand, {usagePlanId: 'p-gold'}).resolves({items: [{id: 'k1', name: 'alice'}]})
    const error = await rejection(new PlanStages(apigw).attach({plan: 'beta', api: 'pets', stage: 'prod', methodThrottles: []}))
    assert.equal(error.exitCode, 4)
    assert.match(error.message, /key alice \(k1\) would be in usage plans gold \(p-gold\) and beta \(p-beta\), which both cover stage a1:prod/)
    assert.deepEqual(patches(), [])
  })

  it('names a missing stage or method (exit 3) and sends nothing', async () => {
    const stage = await rejection(new PlanStages(apigw).attach({plan: 'new', api: 'pets', stage: 'qa', methodThrottles: []}))
    assert.equal(stage.exitCode, 3)
    assert.match(stage.message, /API pets \(a1\) has no stage "qa" \(stages: prod, beta, dev\)/)
    const method = await rejection(
      new PlanStages(apigw).attach({
        plan: 'new',
        api: 'pets',
        stage: 'prod',
        methodThrottles: [{path: '/pets', httpMethod: 'DELETE', rateLimit: 1, burstLimit: 1}],
      }),
    )
    assert.equal(method.exitCode, 3)
    assert.match(method.message, /has no DELETE method \(methods: GET, POST\)/)
    assert.deepEqual(patches(), [])
  })

  it('leaves a stage the plan covers already alone', async () => {
    const result = await new PlanStages(apigw).attach({plan: 'beta', api: 'a1', stage: 'beta', methodThrottles: []})
    assert.deepEqual(result.operations, [])
    assert.deepEqual(patches(), [])
  })

  it('detaches a stage with per-method throttles by removing them in the same call', async () => {
    await new PlanStages(apigw).detach({plan: 'gold', api: 'pets', stage: 'prod'})
    await new PlanStages(apigw).detach({plan: 'beta', api: 'pets', stage: 'beta'})
    assert.deepEqual(patches(), [
      {
        usagePlanId: 'p-gold',
        patchOperations: [
          {op: 'remove', path: '/apiStages/a1:prod/throttle'},
          {op: 'remove', path: '/apiStages', value: 'a1:prod'},
        ],
      },
      {usagePlanId: 'p-beta', patchOperations: [{op: 'remove', path: '/apiStages', value: 'a1:beta'}]},
    ])
  })

  it('names a stage the plan does not cover (exit 3)', async () => {
    const error = await rejection(new PlanStages(apigw).detach({plan: 'beta', api: 'pets', stage: 'prod'}))
    assert.equal(error.exitCode, 3)
    assert.match(error.message, /Usage plan beta \(p-beta\) does not cover stage a1:prod \(it covers: a1:beta\)/)
  })

  it('lists stages with their deployment and the plans covering each', async () => {
    const created = new Date('2026-11-01T10:00:00Z')
    mock.on(GetDeploymentsCommand).resolves({
      items: [
        {id: 'd1', createdDate: created},
        {id: 'd2', createdDate: created},
      ],
    })
    const stages = await new PlanStages(apigw).list('pets')
    assert.deepEqual(
      stages.map((s) => [s.stageName, s.deployment?.id, s.usagePlans]),
      [
        ['prod', 'd2', [{id: 'p-gold', name: 'gold'}]],
        ['beta', 'd1', [{id: 'p-beta', name: 'beta'}]],
        ['dev', undefined, []],
      ],
    )
  })
})
