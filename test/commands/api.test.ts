import {APIGatewayClient, CreateDeploymentCommand, GetAuthorizersCommand, UpdateRestApiCommand} from '@aws-sdk/client-api-gateway'
import {runCommand} from '../helpers/run-command.js'
import {type AwsClientStub, mockClient} from 'aws-sdk-client-mock'
import assert from 'node:assert/strict'

import {ROOT} from '../helpers/cli.js'
import {jsonError, jsonResult} from '../helpers/json-contract.js'
import {mockPetsApi} from '../gateway/fixtures.js'

describe('api and deploy commands (in-process, mocked AWS)', () => {
  // Commands build their own client, so the class is mocked; only while this suite runs.
  let aws: AwsClientStub<APIGatewayClient>
  before(() => {
    aws = mockClient(APIGatewayClient)
  })

  beforeEach(() => {
    aws.reset()
    process.exitCode = undefined
    mockPetsApi(aws)
    aws.on(UpdateRestApiCommand).resolves({})
    aws.on(CreateDeploymentCommand).resolves({id: 'd9'})
  })
  after(() => aws.restore())

  it('api list shows key source, stages and methods requiring a key', async () => {
    const {stdout} = await runCommand(['api', 'list'], {root: ROOT})
    assert.match(stdout, /ID\s+Name\s+Key source\s+Stages\s+Methods requiring a key/)
    assert.match(stdout, /a1\s+pets\s+HEADER\s+prod\s+1 of 5/)
    const json = jsonResult('api:list', (await runCommand(['api', 'list', '--json'], {root: ROOT})).stdout)
    assert.deepEqual(json, {
      items: [{id: 'a1', name: 'pets', apiKeySource: 'HEADER', stageNames: ['prod'], methodCount: 5, methodsRequiringKey: 1}],
      warnings: [],
    })
  })

  it('api show lists stages with their deployment and the authorizers', async () => {
    const {stdout} = await runCommand(['api', 'show', 'pets'], {root: ROOT})
    assert.match(stdout, /Key source\s+HEADER/)
    assert.match(stdout, /Methods requiring a key\s+1 of 5/)
    assert.match(stdout, /Stages \(1\)\nStage\s+Deployment\s+Last updated\nprod\s+d0/)
    assert.match(stdout, /au1\s+tokens\s+TOKEN/)
  })

  it('api show exits 3 naming an unknown API', async () => {
    const {error, stderr} = await runCommand(['api', 'show', 'shop'], {root: ROOT})
    assert.equal(error?.oclif?.exit, 3)
    assert.match(stderr, /No REST API with id or name "shop"/)
  })

  it('set-key-source sends the patch and says a deployment is needed', async () => {
    const {stdout, stderr} = await runCommand(['api', 'set-key-source', '--api', 'pets', '--source', 'authorizer'], {root: ROOT})
    assert.deepEqual(aws.commandCalls(UpdateRestApiCommand)[0].args[0].input.patchOperations, [{op: 'replace', path: '/apiKeySource', value: 'AUTHORIZER'}])
    assert.match(stdout, /API key source of API pets \(a1\): HEADER -> AUTHORIZER/)
    assert.match(stderr, /Callers see the new key source only after a deployment: gwctl deploy --api a1 --stage prod/)
    assert.doesNotMatch(stderr, /Warning/)
  })

  it('set-key-source AUTHORIZER warns on stderr when there is no Lambda authorizer, and in the --json result', async () => {
    aws.on(GetAuthorizersCommand).resolves({items: []})
    const {stderr} = await runCommand(['api', 'set-key-source', '--api', 'pets', '--source', 'AUTHORIZER'], {root: ROOT})
    assert.match(stderr, /Warning: API pets \(a1\) has no Lambda authorizer \(TOKEN or REQUEST\)/)
    const {stdout} = await runCommand(['api', 'set-key-source', '--api', 'pets', '--source', 'AUTHORIZER', '--json'], {root: ROOT})
    assert.match(jsonResult('api:set-key-source', stdout).warnings[0], /no Lambda authorizer/)
  })

  it('set-key-source refuses a bad --source with exit 2 and sends nothing', async () => {
    const {error, stderr} = await runCommand(['api', 'set-key-source', '--api', 'pets', '--source', 'query'], {root: ROOT})
    assert.equal(error?.oclif?.exit, 2)
    assert.match(stderr, /--source must be HEADER .* or AUTHORIZER .*got "query"/)
    assert.equal(aws.commandCalls(UpdateRestApiCommand).length, 0)
  })

  it('deploy prints the deployment id and stage', async () => {
    const {stdout} = await runCommand(['deploy', '--api', 'pets', '--stage', 'prod', '--description', 'keys-on'], {root: ROOT})
    assert.match(stdout, /Deployed API pets \(a1\) to stage prod: deployment d9/)
    assert.deepEqual(aws.commandCalls(CreateDeploymentCommand)[0].args[0].input, {restApiId: 'a1', stageName: 'prod', description: 'keys-on'})
  })

  it('deploy refuses an unknown stage with exit 3 unless --create-stage', async () => {
    const refused = await runCommand(['deploy', '--api', 'pets', '--stage', 'beta', '--json'], {root: ROOT})
    assert.equal(jsonError(refused.stdout).code, 'NOT_FOUND')
    assert.equal(process.exitCode, 3)
    process.exitCode = undefined
    assert.equal(aws.commandCalls(CreateDeploymentCommand).length, 0)
    const created = await runCommand(['deploy', '--api', 'pets', '--stage', 'beta', '--create-stage'], {root: ROOT})
    assert.match(created.stdout, /to stage beta \(new stage\): deployment d9/)
  })

  it('deploy --dry-run checks the stage and prints the call, sending nothing', async () => {
    const {stdout} = await runCommand(['deploy', '--api', 'pets', '--stage', 'prod', '--dry-run', '--json'], {root: ROOT})
    const body = jsonResult('deploy', stdout)
    assert.deepEqual([body.changed, body.dryRun, body.calls], [false, true, [{operation: 'CreateDeployment', input: {restApiId: 'a1', stageName: 'prod'}}]])
    assert.equal(aws.commandCalls(CreateDeploymentCommand).length, 0)
  })

  it('deploy refuses a stage name AWS would refuse, with exit 2', async () => {
    const {error, stderr} = await runCommand(['deploy', '--api', 'pets', '--stage', 'prod/v2', '--create-stage'], {root: ROOT})
    assert.equal(error?.oclif?.exit, 2)
    assert.match(stderr, /--stage: "prod\/v2" is not a stage name/)
  })
})
