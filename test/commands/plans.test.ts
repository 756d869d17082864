import {CreateUsagePlanCommand, GetRestApisCommand, GetStagesCommand, GetUsagePlanKeysCommand, GetUsagePlansCommand, UpdateUsagePlanCommand} from '@aws-sdk/client-api-gateway'
import {runCommand} from '@oclif/test'
import {mockClient} from 'aws-sdk-client-mock'
import {APIGatewayClient} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import {ROOT} from '../helpers/cli.js'

describe('plans commands (in-process, mocked AWS)', () => {
  const aws = mockClient(APIGatewayClient)
  const gold = {id: 'p1', name: 'gold', throttle: {rateLimit: 10, burstLimit: 20}, quota: {limit: 1000, offset: 0, period: 'MONTH' as const}, apiStages: [{apiId: 'a1', stage: 'prod'}]}

  beforeEach(() => {
    aws.reset()
    process.exitCode = undefined
    aws.on(GetUsagePlansCommand).resolves({items: [gold]})
    aws.on(GetRestApisCommand).resolves({items: [{id: 'a1', name: 'pets'}]})
    aws.on(GetStagesCommand).resolves({item: [{stageName: 'prod', deploymentId: 'd1'}]})
    aws.on(GetUsagePlanKeysCommand).resolves({items: [{id: 'k1', name: 'alice', type: 'API_KEY', value: 'abcdefghijklmnopqrstuvwxyz'}]})
  })
  after(() => aws.restore())

  it('lists plans as a table', async () => {
    const {stdout} = await runCommand(['plans', 'list'], {root: ROOT})
    assert.match(stdout, /ID\s+Name\s+Rate\s+Burst\s+Quota\s+Stages/)
    assert.match(stdout, /p1\s+gold\s+10\s+20\s+1000\/MONTH\s+a1:prod/)
  })

  it('prints exactly the AWS-shaped list under --json', async () => {
    const {stdout} = await runCommand(['plans', 'list', '--json'], {root: ROOT})
    assert.deepEqual(JSON.parse(stdout), [gold])
  })

  it('masks key values in show', async () => {
    const {stdout} = await runCommand(['plans', 'show', 'gold'], {root: ROOT})
    assert.match(stdout, /alice\s+abcd\*{6}yz/)
    assert.doesNotMatch(stdout, /abcdefghijklmnop/)
  })

  it('creates a plan with stages, resolving the API by name', async () => {
    aws.on(CreateUsagePlanCommand).resolves({id: 'p2', name: 'silver'})
    const {stdout} = await runCommand(['plans', 'create', '--name', 'silver', '--rate', '5', '--burst', '10', '--quota', '500/day', '--stage', 'pets:prod', '--json'], {root: ROOT})
    assert.deepEqual(aws.commandCalls(CreateUsagePlanCommand)[0].args[0].input, {
      name: 'silver',
      description: undefined,
      throttle: {rateLimit: 5, burstLimit: 10},
      quota: {limit: 500, period: 'DAY', offset: 0},
      apiStages: [{apiId: 'a1', stage: 'prod'}],
      tags: undefined,
    })
    assert.equal(JSON.parse(stdout).created, true)
  })

  it('refuses a duplicate name with exit 4, and --if-not-exists returns the existing plan', async () => {
    const dup = await runCommand(['plans', 'create', '--name', 'gold'], {root: ROOT})
    assert.equal(dup.error?.oclif?.exit, 4)
    assert.match(dup.stderr, /Error: A usage plan named "gold" already exists \(p1\)/)
    const again = await runCommand(['plans', 'create', '--name', 'gold', '--if-not-exists', '--json'], {root: ROOT})
    assert.equal(JSON.parse(again.stdout).id, 'p1')
    assert.equal(aws.commandCalls(CreateUsagePlanCommand).length, 0)
  })

  it('update --dry-run prints the minimal patch and sends nothing', async () => {
    const {stdout} = await runCommand(['plans', 'update', 'gold', '--rate', '10', '--burst', '40', '--dry-run', '--json'], {root: ROOT})
    assert.deepEqual(JSON.parse(stdout).operations, [{op: 'replace', path: '/throttle/burstLimit', value: '40'}])
    assert.equal(aws.commandCalls(UpdateUsagePlanCommand).length, 0)
  })

  it('puts a structured error on stdout under --json, with the exit code', async () => {
    const {stdout} = await runCommand(['plans', 'show', 'platinum', '--json'], {root: ROOT})
    const body = JSON.parse(stdout)
    assert.equal(body.error.code, 'NOT_FOUND')
    assert.equal(body.error.exitCode, 3)
    assert.equal(process.exitCode, 3)
    process.exitCode = undefined
  })
})
