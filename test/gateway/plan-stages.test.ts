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

const update = (
  set: Array<{path: string; httpMethod: string; rateLimit: number; burstLimit: number}>,
  remove: Array<{path: string; httpMethod: string}>,
  dryRun = false,
) => new PlanStages(apigw).updateMethodThrottles({plan: 'gold', api: 'pets', stage: 'prod', set, remove, dryRun})

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

  it("attaches a stage with per-method throttles in one UpdateUsagePlan call, on AWS's documented paths", async () => {
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
          // {resourcePath} begins with "/": throttle/ + /pets + /POST, as Terraform's AWS provider sends it
          {op: 'replace', path: '/apiStages/a1:prod/throttle//pets/POST/rateLimit', value: '0.5'},
          {op: 'replace', path: '/apiStages/a1:prod/throttle//pets/POST/burstLimit', value: '1'},
          {op: 'replace', path: '/apiStages/a1:prod/throttle///GET/rateLimit', value: '5'},
          {op: 'replace', path: '/apiStages/a1:prod/throttle///GET/burstLimit', value: '10'},
        ],
      },
    ])
    assert.deepEqual([result.apiId, result.changed, result.dryRun], ['a1', true, false])
  })

  it('refuses the same method throttled twice (exit 2), rather than letting the last one win', async () => {
    const error = await rejection(
      new PlanStages(apigw).attach({
        plan: 'new',
        api: 'pets',
        stage: 'prod',
        methodThrottles: [
          {path: '/pets', httpMethod: 'POST', rateLimit: 1, burstLimit: 1},
          {path: '/pets', httpMethod: 'POST', rateLimit: 2, burstLimit: 2},
        ],
      }),
    )
    assert.equal(error.exitCode, 2)
    assert.equal(error.message, '--method-throttle names POST /pets more than once; give each method once')
    assert.deepEqual(patches(), [])
  })

  it('sends nothing on a dry run, and lists the call', async () => {
    const result = await new PlanStages(apigw).attach({plan: 'new', api: 'pets', stage: 'prod', methodThrottles: [], dryRun: true})
    assert.deepEqual(patches(), [])
    assert.deepEqual(
      [result.changed, result.calls],
      [false, [{operation: 'UpdateUsagePlan', input: {usagePlanId: 'p-new', patchOperations: [{op: 'add', path: '/apiStages', value: 'a1:prod'}]}}]],
    )
  })

  it('sends nothing for a covered stage with the same throttles, and points to stages update for other ones', async () => {
    const same = await new PlanStages(apigw).attach({
      plan: 'gold',
      api: 'pets',
      stage: 'prod',
      methodThrottles: [{path: '/pets', httpMethod: 'GET', rateLimit: 5, burstLimit: 10}],
    })
    assert.equal(same.changed, false)
    const other = await rejection(
      new PlanStages(apigw).attach({
        plan: 'gold',
        api: 'pets',
        stage: 'prod',
        methodThrottles: [{path: '/pets', httpMethod: 'GET', rateLimit: 6, burstLimit: 10}],
      }),
    )
    assert.equal(other.exitCode, 4)
    assert.deepEqual(other.suggestions, ['Change them in place: gwctl stages update --plan p-gold --api a1 --stage prod --method-throttle /pets/GET=6/10'])
    assert.deepEqual(patches(), [])
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

  it('leaves a stage the plan does not cover alone: nothing to detach, as keys detach does', async () => {
    const result = await new PlanStages(apigw).detach({plan: 'beta', api: 'pets', stage: 'prod'})
    assert.deepEqual([result.changed, result.operations, result.calls], [false, [], []])
    assert.deepEqual(patches(), [])
  })

  describe('updateMethodThrottles', () => {
    it('sets and removes per-method throttles in place, in one UpdateUsagePlan', async () => {
      const result = await update([{path: '/', httpMethod: 'GET', rateLimit: 1, burstLimit: 2}], [{path: '/pets', httpMethod: 'GET'}])
      assert.deepEqual(patches(), [
        {
          usagePlanId: 'p-gold',
          patchOperations: [
            {op: 'replace', path: '/apiStages/a1:prod/throttle///GET/rateLimit', value: '1'},
            {op: 'replace', path: '/apiStages/a1:prod/throttle///GET/burstLimit', value: '2'},
            {op: 'remove', path: '/apiStages/a1:prod/throttle//pets/GET'},
          ],
        },
      ])
      assert.equal(result.changed, true)
    })

    it('changes an existing throttle, and sends nothing when it is already so or a removed one is not set', async () => {
      await update([{path: '/pets', httpMethod: 'GET', rateLimit: 7, burstLimit: 10}], [])
      const same = await update([{path: '/pets', httpMethod: 'GET', rateLimit: 5, burstLimit: 10}], [{path: '/pets', httpMethod: 'POST'}])
      assert.deepEqual(
        patches().map((p) => p.patchOperations),
        [
          [
            {op: 'replace', path: '/apiStages/a1:prod/throttle//pets/GET/rateLimit', value: '7'},
            {op: 'replace', path: '/apiStages/a1:prod/throttle//pets/GET/burstLimit', value: '10'},
          ],
        ],
      )
      assert.deepEqual([same.changed, same.operations], [false, []])
    })

    it('sends nothing on a dry run', async () => {
      const result = await update([{path: '/pets', httpMethod: 'POST', rateLimit: 1, burstLimit: 1}], [], true)
      assert.deepEqual(patches(), [])
      assert.deepEqual([result.changed, result.dryRun, result.calls.length], [false, true, 1])
    })

    it('refuses a method named twice, or both set and removed (exit 2)', async () => {
      const twice = await rejection(
        update(
          [],
          [
            {path: '/pets', httpMethod: 'GET'},
            {path: '/pets', httpMethod: 'GET'},
          ],
        ),
      )
      assert.equal(twice.message, '--remove-method-throttle names GET /pets more than once; give each method once')
      const both = await rejection(update([{path: '/pets', httpMethod: 'GET', rateLimit: 1, burstLimit: 1}], [{path: '/pets', httpMethod: 'GET'}]))
      assert.equal(both.message, 'GET /pets is given to both --method-throttle and --remove-method-throttle; give it to one')
      assert.deepEqual(patches(), [])
    })

    it('names a stage the plan does not cover (exit 3), pointing to stages attach, and a method the API lacks', async () => {
      const uncovered = await rejection(
        new PlanStages(apigw).updateMethodThrottles({
          plan: 'beta',
          api: 'pets',
          stage: 'prod',
          set: [],
          remove: [{path: '/pets', httpMethod: 'GET'}],
          dryRun: false,
        }),
      )
      assert.equal(uncovered.exitCode, 3)
      assert.match(uncovered.message, /Usage plan beta \(p-beta\) does not cover stage a1:prod \(it covers: a1:beta\)/)
      assert.match(uncovered.suggestions[0], /gwctl stages attach --plan p-beta --api a1 --stage prod/)
      const method = await rejection(update([{path: '/pets', httpMethod: 'PUT', rateLimit: 1, burstLimit: 1}], []))
      assert.equal(method.exitCode, 3)
      assert.deepEqual(patches(), [])
    })
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
