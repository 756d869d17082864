import {
  APIGatewayClient,
  GetDeploymentsCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  UpdateStageCommand,
  UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway'
import {runCommand} from '../helpers/run-command.js'
import {type AwsClientStub, mockClient} from 'aws-sdk-client-mock'
import assert from 'node:assert/strict'

import {ROOT} from '../helpers/cli.js'
import {jsonResult} from '../helpers/json-contract.js'

const update = (...flags: string[]) => runCommand(['stages', 'update', '--plan', 'gold', '--api', 'pets', '--stage', 'prod', ...flags], {root: ROOT})

describe('stages commands (in-process, mocked AWS)', () => {
  // Commands build their own client, so the class is mocked; only while this suite runs.
  let aws: AwsClientStub<APIGatewayClient>
  before(() => {
    aws = mockClient(APIGatewayClient)
  })
  const sent = () => aws.commandCalls(UpdateStageCommand).map((c) => c.args[0].input)
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
      {op: 'replace', path: '/apiStages/a1:prod/throttle//pets/POST/rateLimit', value: '0.5'},
      {op: 'replace', path: '/apiStages/a1:prod/throttle//pets/POST/burstLimit', value: '1'},
    ])
  })

  it('returns the plan and the operations sent under --json', async () => {
    const {stdout} = await runCommand(['stages', 'attach', '--plan', 'p2', '--api', 'a1', '--stage', 'beta', '--json'], {root: ROOT})
    const out = jsonResult('stages:attach', stdout)
    assert.deepEqual([out.changed, out.dryRun], [true, false])
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
    assert.match(stderr, /--method-throttle names POST \/pets more than once; give each method once/)
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

  it('detaches a stage; a stage the plan does not cover is nothing to do (exit 0), as keys detach', async () => {
    aws.on(UpdateUsagePlanCommand).resolves({id: 'p1', name: 'gold', apiStages: []})
    const {stdout} = await runCommand(['stages', 'detach', '--plan', 'gold', '--api', 'pets', '--stage', 'prod'], {root: ROOT})
    assert.match(stdout, /Usage plan gold \(p1\) no longer covers a1:prod/)
    const missing = await runCommand(['stages', 'detach', '--plan', 'gold', '--api', 'pets', '--stage', 'beta', '--json'], {root: ROOT})
    assert.equal(missing.error, undefined)
    assert.equal(process.exitCode, undefined)
    const body = jsonResult('stages:detach', missing.stdout)
    assert.deepEqual([body.changed, body.operations], [false, []])
    assert.equal(aws.commandCalls(UpdateUsagePlanCommand).length, 1)
    const human = await runCommand(['stages', 'detach', '--plan', 'gold', '--api', 'pets', '--stage', 'beta'], {root: ROOT})
    assert.equal(human.stdout, 'Usage plan gold (p1) does not cover a1:beta; nothing changed\n')
  })

  it('--dry-run prints the patch it would send, and sends nothing', async () => {
    const {stdout} = await runCommand(['stages', 'detach', '--plan', 'gold', '--api', 'pets', '--stage', 'prod', '--dry-run'], {root: ROOT})
    assert.equal(stdout, 'Dry run: nothing was sent. gwctl would send this call:\n  UpdateUsagePlan usagePlanId=p1\n    remove /apiStages a1:prod\n')
    assert.equal(aws.commandCalls(UpdateUsagePlanCommand).length, 0)
  })

  describe('stages update', () => {
    beforeEach(() => {
      aws
        .on(GetUsagePlansCommand)
        .resolves({items: [{id: 'p1', name: 'gold', apiStages: [{apiId: 'a1', stage: 'prod', throttle: {'/pets/POST': {rateLimit: 1, burstLimit: 2}}}]}]})
      aws
        .on(UpdateUsagePlanCommand)
        .resolves({id: 'p1', name: 'gold', apiStages: [{apiId: 'a1', stage: 'prod', throttle: {'//GET': {rateLimit: 5, burstLimit: 10}}}]})
    })

    it("changes per-method throttles in place, in one UpdateUsagePlan, on AWS's paths", async () => {
      const {stdout} = await update('--method-throttle', '//GET=5/10', '--remove-method-throttle', '/pets/POST')
      assert.deepEqual(
        aws.commandCalls(UpdateUsagePlanCommand).map((c) => c.args[0].input),
        [
          {
            usagePlanId: 'p1',
            patchOperations: [
              {op: 'replace', path: '/apiStages/a1:prod/throttle///GET/rateLimit', value: '5'},
              {op: 'replace', path: '/apiStages/a1:prod/throttle///GET/burstLimit', value: '10'},
              {op: 'remove', path: '/apiStages/a1:prod/throttle//pets/POST'},
            ],
          },
        ],
      )
      assert.equal(stdout, 'Per-method throttles of stage a1:prod in usage plan gold (p1): //GET 5 rps, burst 10\n')
    })

    it('sends nothing when the throttles are already so', async () => {
      const {stdout} = await update('--method-throttle', '/pets/POST=1/2', '--json')
      const body = jsonResult('stages:update', stdout)
      assert.deepEqual([body.changed, body.operations], [false, []])
      assert.equal(aws.commandCalls(UpdateUsagePlanCommand).length, 0)
    })

    it('refuses no change, a repeated method, and a stage the plan does not cover, sending nothing', async () => {
      assert.match((await update()).stderr, /Nothing to change: give --method-throttle or --remove-method-throttle/)
      const twice = await update('--method-throttle', '/pets/POST=1/2', '--method-throttle', '/pets/POST=3/4')
      assert.equal(twice.error?.oclif?.exit, 2)
      const uncovered = await runCommand(['stages', 'update', '--plan', 'gold', '--api', 'pets', '--stage', 'beta', '--method-throttle', '/pets/POST=1/2'], {
        root: ROOT,
      })
      assert.equal(uncovered.error?.oclif?.exit, 3)
      assert.match(uncovered.stderr, /Try: Attach it with its throttles: gwctl stages attach --plan p1 --api a1 --stage beta --method-throttle/)
      assert.equal(aws.commandCalls(UpdateUsagePlanCommand).length, 0)
    })
  })

  describe('stages throttle', () => {
    beforeEach(() => {
      aws
        .on(GetStagesCommand)
        .resolves({item: [{stageName: 'prod', deploymentId: 'd1', methodSettings: {'~1pets/POST': {throttlingRateLimit: 10, throttlingBurstLimit: 20}}}]})
      aws.on(UpdateStageCommand).callsFake((input) => ({stageName: input.stageName, deploymentId: 'd1'}))
    })

    it('sets the stage default for every method with one UpdateStage', async () => {
      const {stdout} = await runCommand(['stages', 'throttle', 'pets:prod', '--rate', '100', '--burst', '200'], {root: ROOT})
      assert.deepEqual(sent(), [
        {
          restApiId: 'a1',
          stageName: 'prod',
          patchOperations: [
            {op: 'replace', path: '/*/*/throttling/rateLimit', value: '100'},
            {op: 'replace', path: '/*/*/throttling/burstLimit', value: '200'},
          ],
        },
      ])
      assert.equal(stdout, 'Throttle of every method of stage prod of API pets (a1): 100 requests per second, burst 200\n')
    })

    it('switches one method off with -1, and sends nothing when it is already so', async () => {
      await runCommand(['stages', 'throttle', 'a1:prod', '--method', '/pets/POST', '--off'], {root: ROOT})
      assert.deepEqual(sent()[0].patchOperations, [
        {op: 'replace', path: '/~1pets/POST/throttling/rateLimit', value: '-1'},
        {op: 'replace', path: '/~1pets/POST/throttling/burstLimit', value: '-1'},
      ])
      const same = await runCommand(['stages', 'throttle', 'a1:prod', '--method', '/pets/POST', '--rate', '10', '--burst', '20', '--json'], {root: ROOT})
      const body = jsonResult('stages:throttle', same.stdout)
      assert.deepEqual([body.changed, body.methodSetting, body.operations], [false, '~1pets/POST', []])
      assert.equal(sent().length, 1)
    })

    it('refuses --off with limits, a half throttle, a method the API lacks and an unknown stage, sending nothing', async () => {
      const cases: Array<[string[], number, RegExp]> = [
        [['pets:prod', '--off', '--rate', '1'], 2, /--off cannot be combined with --rate/],
        [['pets:prod', '--rate', '1'], 2, /--rate needs --burst/],
        [['pets:prod'], 2, /Give --rate and --burst, or --off/],
        [['prod', '--off'], 2, /STAGE must look like API:STAGE/],
        [['pets:prod', '--method', '/pets/GET', '--off'], 3, /has no GET method/],
        [['pets:qa', '--off'], 3, /has no stage "qa"/],
      ]
      for (const [args, exit, message] of cases) {
        const {stderr, error} = await runCommand(['stages', 'throttle', ...args], {root: ROOT})
        assert.equal(error?.oclif?.exit, exit, args.join(' '))
        assert.match(stderr, message)
      }

      assert.equal(sent().length, 0)
    })

    it('--dry-run prints the UpdateStage it would send', async () => {
      const {stdout} = await runCommand(['stages', 'throttle', 'pets:prod', '--rate', '1', '--burst', '2', '--dry-run'], {root: ROOT})
      assert.match(
        stdout,
        /^Dry run: nothing was sent\. gwctl would send this call:\n {2}UpdateStage restApiId=a1 stageName=prod\n {4}replace \/\*\/\*\/throttling\/rateLimit 1\n/,
      )
      assert.equal(sent().length, 0)
    })
  })

  it('lists stages with deployment, date and covering plans', async () => {
    aws.on(GetDeploymentsCommand).resolves({items: [{id: 'd1', createdDate: new Date('2026-11-20T14:05:00Z')}]})
    const {stdout} = await runCommand(['stages', 'list', '--api', 'pets'], {root: ROOT})
    assert.match(stdout, /Stage\s+Deployment\s+Deployed\s+Usage plans/)
    assert.match(stdout, /prod\s+d1\s+2026-11-20 14:05Z\s+gold \(p1\)/)
    assert.match(stdout, /beta\s+d2\s+-\s+-/)
    const {items} = jsonResult('stages:list', (await runCommand(['stages', 'list', '--api', 'pets', '--json'], {root: ROOT})).stdout)
    assert.equal(items[0].stageName, 'prod')
    assert.equal(items[0].deployment.id, 'd1')
    assert.deepEqual(items[0].usagePlans, [{id: 'p1', name: 'gold'}])
  })

  it('exits 3 naming an unknown API', async () => {
    const {stderr, error} = await runCommand(['stages', 'list', '--api', 'cats'], {root: ROOT})
    assert.equal(error?.oclif?.exit, 3)
    assert.match(stderr, /No REST API with id or name "cats"/)
  })
})
