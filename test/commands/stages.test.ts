import {
  APIGatewayClient,
  GetDeploymentsCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway'
import {runCommand} from '../helpers/run-command.js'
import {type AwsClientStub, mockClient} from 'aws-sdk-client-mock'
import assert from 'node:assert/strict'

import {ROOT} from '../helpers/cli.js'

describe('stages commands (in-process, mocked AWS)', () => {
  // Commands build their own client, so the class is mocked; only while this suite runs.
  let aws: AwsClientStub<APIGatewayClient>
  before(() => {
    aws = mockClient(APIGatewayClient)
  })
  const plans = [
    {id: 'p1', name: 'gold', apiStages: [{apiId: 'a1', stage: 'prod'}]},
    {id: 'p2', name: 'free', apiStages: [] as Array<{apiId: string; stage: string}>},
  ]

  beforeEach(() => {
    aws.reset()
    process.exitCode = undefined
    aws.on(GetUsagePlansCommand).resolves({items: plans})
    aws.on(GetRestApisCommand).resolves({items: [{id: 'a1', name: 'pets'}]})
    aws.on(GetStagesCommand).resolves({
      item: [
        {stageName: 'prod', deploymentId: 'd1'},
        {stageName: 'beta', deploymentId: 'd2'},
      ],
    })
    aws.on(GetResourcesCommand).resolves({
      items: [
        {id: 'r0', path: '/', resourceMethods: {GET: {}}},
        {id: 'r1', path: '/pets', resourceMethods: {POST: {}}},
      ],
    })
    aws.on(GetUsagePlanKeysCommand).resolves({items: []})
    aws.on(UpdateUsagePlanCommand).callsFake((input) => ({
      id: input.usagePlanId,
      name: 'free',
      apiStages: [{apiId: 'a1', stage: 'prod', throttle: {'/pets/POST': {rateLimit: 0.5, burstLimit: 1}}}],
    }))
  })
  after(() => aws.restore())

  it('attaches a stage with a per-method throttle and shows it', async () => {
    const {stdout} = await runCommand(['stages', 'attach', '--plan', 'free', '--api', 'pets', '--stage', 'prod', '--method-throttle', '/pets/POST=0.5/1'], {
      root: ROOT,
    })
    assert.match(stdout, /Usage plan free \(p2\) now covers a1:prod/)
    assert.match(stdout, /\/pets\/POST 0\.5 rps, burst 1/)
    assert.deepEqual(aws.commandCalls(UpdateUsagePlanCommand)[0].args[0].input.patchOperations, [
      {op: 'add', path: '/apiStages', value: 'a1:prod'},
      {op: 'replace', path: '/apiStages/a1:prod/throttle/pets/POST/rateLimit', value: '0.5'},
      {op: 'replace', path: '/apiStages/a1:prod/throttle/pets/POST/burstLimit', value: '1'},
    ])
  })

  it('returns the plan and the operations sent under --json', async () => {
    const {stdout} = await runCommand(['stages', 'attach', '--plan', 'p2', '--api', 'a1', '--stage', 'beta', '--json'], {root: ROOT})
    const out = JSON.parse(stdout)
    assert.deepEqual(out.operations, [{op: 'add', path: '/apiStages', value: 'a1:beta'}])
    assert.equal(out.usagePlan.id, 'p2')
  })

  it('exits 2 on a malformed --method-throttle or stage name, sending nothing', async () => {
    const throttle = await runCommand(['stages', 'attach', '--plan', 'free', '--api', 'pets', '--stage', 'prod', '--method-throttle', '/pets/POST=fast'], {
      root: ROOT,
    })
    assert.equal(throttle.error?.oclif?.exit, 2)
    assert.match(throttle.stderr, /--method-throttle: "fast" must be RATE\/BURST/)
    const stage = await runCommand(['stages', 'attach', '--plan', 'free', '--api', 'pets', '--stage', 'prod!'], {root: ROOT})
    assert.equal(stage.error?.oclif?.exit, 2)
    assert.match(stage.stderr, /--stage: "prod!" is not a stage name/)
    assert.equal(aws.commandCalls(UpdateUsagePlanCommand).length, 0)
  })

  it('exits 2 when --method-throttle names the same method twice', async () => {
    const {stderr, error} = await runCommand(
      ['stages', 'attach', '--plan', 'free', '--api', 'pets', '--stage', 'prod', '--method-throttle', '/pets/POST=1/2', '--method-throttle', '/pets/post=3/4'],
      {root: ROOT},
    )
    assert.equal(error?.oclif?.exit, 2)
    assert.match(stderr, /--method-throttle names \/pets\/POST twice/)
    assert.equal(aws.commandCalls(UpdateUsagePlanCommand).length, 0)
  })

  it('exits 3 naming a method the API does not have', async () => {
    const {stderr, error} = await runCommand(['stages', 'attach', '--plan', 'free', '--api', 'pets', '--stage', 'prod', '--method-throttle', '/pets/GET=1/2'], {
      root: ROOT,
    })
    assert.equal(error?.oclif?.exit, 3)
    assert.match(stderr, /Resource "\/pets" of API pets \(a1\) has no GET method \(methods: POST\)/)
  })

  it('exits 4 naming the key and both plans when a key of the plan is in another plan on that stage', async () => {
    aws.on(GetUsagePlanKeysCommand, {usagePlanId: 'p1'}).resolves({items: [{id: 'k1', name: 'alice'}]})
    aws.on(GetUsagePlanKeysCommand, {usagePlanId: 'p2'}).resolves({items: [{id: 'k1', name: 'alice'}]})
    const {stderr, error} = await runCommand(['stages', 'attach', '--plan', 'free', '--api', 'pets', '--stage', 'prod'], {root: ROOT})
    assert.equal(error?.oclif?.exit, 4)
    assert.match(stderr, /key alice \(k1\) would be in usage plans gold \(p1\) and free \(p2\), which both cover stage a1:prod/)
    assert.equal(aws.commandCalls(UpdateUsagePlanCommand).length, 0)
  })

  it('detaches a stage, and exits 3 for a stage the plan does not cover', async () => {
    aws.on(UpdateUsagePlanCommand).resolves({id: 'p1', name: 'gold', apiStages: []})
    const {stdout} = await runCommand(['stages', 'detach', '--plan', 'gold', '--api', 'pets', '--stage', 'prod'], {root: ROOT})
    assert.match(stdout, /Usage plan gold \(p1\) no longer covers a1:prod/)
    const missing = await runCommand(['stages', 'detach', '--plan', 'gold', '--api', 'pets', '--stage', 'beta'], {root: ROOT})
    assert.equal(missing.error?.oclif?.exit, 3)
    assert.match(missing.stderr, /does not cover stage a1:beta/)
  })

  it('lists stages with deployment, date and covering plans', async () => {
    aws.on(GetDeploymentsCommand).resolves({items: [{id: 'd1', createdDate: new Date('2026-11-20T14:05:00Z')}]})
    const {stdout} = await runCommand(['stages', 'list', '--api', 'pets'], {root: ROOT})
    assert.match(stdout, /Stage\s+Deployment\s+Deployed\s+Usage plans/)
    assert.match(stdout, /prod\s+d1\s+2026-11-20 14:05Z\s+gold \(p1\)/)
    assert.match(stdout, /beta\s+d2\s+-\s+-/)
    const json = JSON.parse((await runCommand(['stages', 'list', '--api', 'pets', '--json'], {root: ROOT})).stdout)
    assert.equal(json[0].stageName, 'prod')
    assert.equal(json[0].deployment.id, 'd1')
    assert.deepEqual(json[0].usagePlans, [{id: 'p1', name: 'gold'}])
  })

  it('exits 3 naming an unknown API', async () => {
    const {stderr, error} = await runCommand(['stages', 'list', '--api', 'cats'], {root: ROOT})
    assert.equal(error?.oclif?.exit, 3)
    assert.match(stderr, /No REST API with id or name "cats"/)
  })
})
