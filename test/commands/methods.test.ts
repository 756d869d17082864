import {APIGatewayClient, CreateDeploymentCommand, GetResourcesCommand, GetUsagePlansCommand, UpdateMethodCommand} from '@aws-sdk/client-api-gateway'
import {runCommand} from '../helpers/run-command.js'
import {type AwsClientStub, mockClient} from 'aws-sdk-client-mock'
import assert from 'node:assert/strict'

import {ROOT} from '../helpers/cli.js'
import {jsonResult} from '../helpers/json-contract.js'
import {awsError} from '../helpers/mock-aws.js'
import {mockPetsApi} from '../gateway/fixtures.js'

describe('methods commands (in-process, mocked AWS)', () => {
  // Commands build their own client, so the class is mocked; only while this suite runs.
  let aws: AwsClientStub<APIGatewayClient>
  before(() => {
    aws = mockClient(APIGatewayClient)
  })
  const updates = () => aws.commandCalls(UpdateMethodCommand).map((c) => c.args[0].input)

  beforeEach(() => {
    aws.reset()
    process.exitCode = undefined
    mockPetsApi(aws)
    aws.on(UpdateMethodCommand).resolves({})
    aws.on(CreateDeploymentCommand).resolves({id: 'd9'})
  })
  after(() => aws.restore())

  it('lists methods with authorization, authorizer and key requirement', async () => {
    const {stdout} = await runCommand(['methods', 'list', '--api', 'pets'], {root: ROOT})
    assert.match(stdout, /Path\s+Method\s+Authorization\s+Authorizer\s+API key/)
    assert.match(stdout, /\/pets\s+GET\s+NONE\s+-\s+required/)
    assert.match(stdout, /\/pets\s+POST\s+CUSTOM\s+tokens \(au1\)\s+not required/)
    assert.match(stdout, /1 of 5 methods require an API key/)
  })

  it('gives the methods with AWS field names under --json', async () => {
    const {stdout} = await runCommand(['methods', 'list', '--api', 'a1', '--json'], {root: ROOT})
    assert.deepEqual(jsonResult('methods:list', stdout).items[2], {
      path: '/pets',
      resourceId: 'r1',
      httpMethod: 'POST',
      authorizationType: 'CUSTOM',
      authorizerId: 'au1',
      authorizerName: 'tokens',
      apiKeyRequired: false,
    })
  })

  it('exits 3 naming an unknown API', async () => {
    const {error, stderr} = await runCommand(['methods', 'list', '--api', 'petz'], {root: ROOT})
    assert.equal(error?.oclif?.exit, 3)
    assert.match(stderr, /No REST API with id or name "petz"/)
  })

  it('prints what changed and what was skipped, and says a deployment is needed', async () => {
    const {stdout, stderr} = await runCommand(['methods', 'require-key', '--api', 'pets', '--path', '/pets'], {root: ROOT})
    assert.deepEqual(
      updates().map((u) => [u.resourceId, u.httpMethod, u.patchOperations]),
      [['r1', 'POST', [{op: 'replace', path: '/apiKeyRequired', value: 'true'}]]],
    )
    assert.match(stdout, /Changed 1 method\(s\) of API pets \(a1\) to require an API key:/)
    assert.match(stdout, /\/pets\s+POST\s+not required -> required/)
    assert.match(stdout, /Already set, skipped: GET \/pets/)
    assert.match(stderr, /Callers see method changes only after a deployment: gwctl deploy --api a1 --stage prod/)
  })

  it('deploys with --deploy and reports the deployment under --json', async () => {
    const {stdout} = await runCommand(
      ['methods', 'require-key', '--api', 'pets', '--path', '/pets/*', '--method', 'delete', '--off', '--deploy', 'prod', '--json'],
      {root: ROOT},
    )
    const result = jsonResult('methods:require-key', stdout)
    assert.equal(result.apiKeyRequired, false)
    assert.deepEqual(result.changedMethods, [])
    assert.deepEqual(
      result.unchangedMethods.map((m: {path: string}) => m.path),
      ['/pets/{id}'],
    )
    assert.equal(result.deployment.id, 'd9')
    assert.equal(result.changed, true)
    assert.equal(aws.commandCalls(CreateDeploymentCommand).length, 1)
  })

  it('warns on stderr when CORS preflight (OPTIONS) methods would require a key', async () => {
    aws.on(GetResourcesCommand).resolves({items: [{id: 'r1', path: '/pets', resourceMethods: {OPTIONS: {apiKeyRequired: false}}}]})
    const {stderr} = await runCommand(['methods', 'require-key', '--api', 'pets', '--dry-run'], {root: ROOT})
    assert.match(stderr, /Warning: Browsers send CORS preflight requests \(OPTIONS\) without an API key, so OPTIONS \/pets will answer 403/)
  })

  it('--dry-run shows what would change and sends nothing', async () => {
    const {stdout} = await runCommand(['methods', 'require-key', '--api', 'pets', '--method', 'GET', '--dry-run'], {root: ROOT})
    assert.match(stdout, /Would change 2 method\(s\)/)
    assert.match(
      stdout,
      /Dry run: nothing was sent\. gwctl would send these 2 calls:\n {2}UpdateMethod restApiId=a1 resourceId=r0 httpMethod=GET\n {4}replace \/apiKeyRequired true/,
    )
    assert.equal(updates().length, 0)
  })

  it('--dry-run with --deploy lists the deployment too', async () => {
    const {stdout} = await runCommand(['methods', 'require-key', '--api', 'pets', '--path', '/', '--dry-run', '--deploy', 'prod'], {root: ROOT})
    assert.match(stdout, /CreateDeployment restApiId=a1 stageName=prod\n$/)
    assert.equal(updates().length + aws.commandCalls(CreateDeploymentCommand).length, 0)
  })

  describe('on a stage no usage plan covers', () => {
    beforeEach(() => {
      aws.on(GetUsagePlansCommand).resolves({items: []})
    })

    it('warns, naming stages attach, and refuses --deploy there without --yes (no terminal), changing nothing', async () => {
      const refused = await runCommand(['methods', 'require-key', '--api', 'pets', '--path', '/', '--deploy', 'prod'], {root: ROOT})
      assert.equal(refused.error?.oclif?.exit, 2)
      assert.match(
        refused.stderr,
        /Warning: No usage plan covers stage prod of API pets \(a1\): once it is deployed, every call of a method requiring a key gets 403 Forbidden there, whatever key it sends\. Cover it first: gwctl stages attach --plan PLAN --api a1 --stage prod/,
      )
      assert.match(
        refused.stderr,
        /Refusing to ask "No usage plan covers stage prod: deploy anyway, so that callers of methods requiring a key get 403 there\?" without a terminal\nTry: Pass --yes/,
      )
      assert.equal(updates().length + aws.commandCalls(CreateDeploymentCommand).length, 0)
      const yes = await runCommand(['methods', 'require-key', '--api', 'pets', '--path', '/', '--deploy', 'prod', '--yes', '--json'], {root: ROOT})
      const body = jsonResult('methods:require-key', yes.stdout)
      assert.equal(body.warnings.length, 1)
      assert.equal(aws.commandCalls(CreateDeploymentCommand).length, 1)
    })
  })

  const refusals: Array<[string, string[], number, RegExp]> = [
    ['a bad --method verb', ['--method', 'FETCH'], 2, /--method: "FETCH" is not an HTTP method/],
    ['a --path that is not a path', ['--path', 'pets'], 2, /--path must be a resource path starting with "\/"/],
    ['a glob matching nothing', ['--path', '/users/**'], 3, /No resource of API pets \(a1\) matches --path "\/users\/\*\*"/],
    ['a verb the matched resources lack', ['--path', '/', '--method', 'PUT'], 3, /No PUT method on resources matching --path "\/"/],
    ['an unknown --deploy stage', ['--deploy', 'staging'], 3, /has no stage "staging" \(stages: prod\)/],
  ]
  for (const [what, flags, exit, message] of refusals) {
    it(`refuses ${what} with exit ${exit} and changes nothing`, async () => {
      const {error, stderr} = await runCommand(['methods', 'require-key', '--api', 'pets', ...flags], {root: ROOT})
      assert.equal(error?.oclif?.exit, exit)
      assert.match(stderr + (error?.message ?? ''), message)
      assert.equal(updates().length, 0)
    })
  }

  it('exits 7 listing the methods changed and the undo command when a call fails part way', async () => {
    aws.on(UpdateMethodCommand).resolvesOnce({}).rejects(awsError('BadRequestException', 'Invalid Method identifier specified'))
    const {error, stderr} = await runCommand(['methods', 'require-key', '--api', 'pets'], {root: ROOT})
    assert.equal(error?.oclif?.exit, 7)
    assert.match(
      stderr,
      /Error: Setting apiKeyRequired=true on methods of API pets \(a1\) stopped after 1 of 4 steps: AWS refused setting apiKeyRequired=true on POST \/pets/,
    )
    assert.match(stderr, /\nDone:\n {2}- set apiKeyRequired=true on GET \/\nNot done:\n {2}- set apiKeyRequired=true on POST \/pets\n/)
    assert.match(stderr, /\nTo finish, once the cause is fixed:\n {2}gwctl methods require-key --api a1 --path \/pets --method POST\n/)
    assert.match(stderr, /\nTo undo:\n {2}gwctl methods require-key --api a1 --path \/ --method GET --off\n/)
  })
})
