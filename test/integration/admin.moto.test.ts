import {
  CreateApiKeyCommand,
  CreateAuthorizerCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetDeploymentsCommand,
  GetRestApiCommand,
  GetStagesCommand,
  PutMethodCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'
import {createHmac} from 'node:crypto'
import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {runCli} from '../helpers/cli.js'
import {jsonResult} from '../helpers/json-contract.js'
import {createDeployedApi, sdkFor} from '../helpers/moto-api.js'
import {MOTO_ENV, useMoto} from '../helpers/moto.js'

describe('methods, api, deploy and export against moto (built CLI as a subprocess)', function () {
  this.timeout(60_000)
  const moto = useMoto()
  const sdk = () => sdkFor(moto.current.url)
  const gwctl = (...args: string[]) => runCli([...args, '--endpoint-url', moto.current.url], {env: MOTO_ENV})

  /** pets: GET /, GET+POST /pets, GET /pets/{id} (key required), deployed to prod. */
  async function petsApi() {
    const api = await createDeployedApi(moto.current.url, {name: 'pets', methods: {'/': ['GET'], '/pets': ['GET', 'POST'], '/pets/{id}': []}, stages: ['prod']})
    await sdk().send(
      new PutMethodCommand({restApiId: api.id, resourceId: api.resourceIds['/pets/{id}'], httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: true}),
    )
    return api.id
  }

  it('lists APIs and methods, and shows one API', async () => {
    const apiId = await petsApi()
    const listed = await gwctl('api', 'list')
    assert.equal(listed.code, 0, listed.stderr)
    assert.match(listed.stdout, new RegExp(String.raw`${apiId}\s+pets\s+HEADER\s+prod\s+1 of 4`))

    const methods = await gwctl('methods', 'list', '--api', 'pets', '--json')
    assert.equal(methods.code, 0, methods.stderr)
    assert.deepEqual(
      jsonResult('methods:list', methods.stdout).items.map(
        (m: {path: string; httpMethod: string; apiKeyRequired: boolean}) => `${m.httpMethod} ${m.path} ${m.apiKeyRequired}`,
      ),
      ['GET / false', 'GET /pets false', 'POST /pets false', 'GET /pets/{id} true'],
    )

    const shown = await gwctl('api', 'show', apiId, '--json')
    assert.equal(shown.code, 0, shown.stderr)
    assert.deepEqual(
      jsonResult('api:show', shown.stdout).stages.map((s: {stageName: string}) => s.stageName),
      ['prod'],
    )
  })

  it('sets the key source, warning when no Lambda authorizer exists, and deploys', async () => {
    const apiId = await petsApi()
    const set = await gwctl('api', 'set-key-source', '--api', 'pets', '--source', 'AUTHORIZER')
    assert.equal(set.code, 0, set.stderr)
    assert.match(set.stderr, /Warning: API pets .* has no Lambda authorizer/)
    assert.match(set.stderr, new RegExp(`only after a deployment: gwctl deploy --api ${apiId} --stage prod`))
    assert.equal((await sdk().send(new GetRestApiCommand({restApiId: apiId}))).apiKeySource, 'AUTHORIZER')

    await sdk().send(
      new CreateAuthorizerCommand({
        restApiId: apiId,
        name: 'tokens',
        type: 'TOKEN',
        authorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations',
        identitySource: 'method.request.header.Authorization',
      }),
    )
    const back = await gwctl('api', 'set-key-source', '--api', apiId, '--source', 'header', '--deploy', 'prod', '--json')
    assert.equal(back.code, 0, back.stderr)
    const result = jsonResult('api:set-key-source', back.stdout)
    assert.deepEqual([result.previousApiKeySource, result.restApi.apiKeySource, result.warnings], ['AUTHORIZER', 'HEADER', []])
    assert.equal((await sdk().send(new GetStagesCommand({restApiId: apiId}))).item?.[0].deploymentId, result.deployment.id)
  })

  it('deploys to an existing stage, refuses an unknown one, and creates it when asked', async () => {
    const apiId = await petsApi()
    const deployed = await gwctl('deploy', '--api', 'pets', '--stage', 'prod', '--description', 'require keys', '--json')
    assert.equal(deployed.code, 0, deployed.stderr)
    const {id} = jsonResult('deploy', deployed.stdout).deployment
    const deployments = (await sdk().send(new GetDeploymentsCommand({restApiId: apiId}))).items ?? []
    assert.equal(deployments.find((d) => d.id === id)?.description, 'require keys')

    const refused = await gwctl('deploy', '--api', 'pets', '--stage', 'beta')
    assert.equal(refused.code, 3)
    assert.match(refused.stderr, /has no stage "beta" \(stages: prod\)/)

    const created = await gwctl('deploy', '--api', 'pets', '--stage', 'beta', '--create-stage')
    assert.equal(created.code, 0, created.stderr)
    assert.match(created.stdout, /to stage beta \(new stage\): deployment \w+/)
    const stages = (await sdk().send(new GetStagesCommand({restApiId: apiId}))).item ?? []
    assert.deepEqual(stages.map((s) => s.stageName).toSorted(), ['beta', 'prod'])
  })

  it('exports the account as a snapshot simulate can read', async () => {
    const apiId = await petsApi()
    await sdk().send(
      new UpdateStageCommand({
        restApiId: apiId,
        stageName: 'prod',
        patchOperations: [
          {op: 'replace', path: '/*/*/throttling/rateLimit', value: '100'},
          {op: 'replace', path: '/*/*/throttling/burstLimit', value: '50'},
        ],
      }),
    )
    const plan = await sdk().send(
      new CreateUsagePlanCommand({
        name: 'gold',
        throttle: {rateLimit: 10, burstLimit: 20},
        quota: {limit: 1000, period: 'DAY'},
        apiStages: [{apiId, stage: 'prod'}],
      }),
    )
    const value = 'alice0123456789abcdefghij'
    const key = await sdk().send(new CreateApiKeyCommand({name: 'alice', value, enabled: true}))
    await sdk().send(new CreateUsagePlanKeyCommand({usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY'}))

    const dir = mkdtempSync(join(tmpdir(), 'gwctl-export-'))
    try {
      const out = join(dir, 'snapshot.json')
      const exported = await gwctl('export', '--api', 'pets', '--out', out)
      assert.equal(exported.code, 0, exported.stderr)
      assert.match(exported.stdout, /Wrote 1 API\(s\), 1 usage plan\(s\) and 1 API key\(s\)/)
      const snapshot = JSON.parse(readFileSync(out, 'utf8'))
      assert.equal(snapshot.apis[0].id, apiId)
      assert.deepEqual(snapshot.apis[0].stages, [{stageName: 'prod', methodSettings: {'*/*': {throttlingRateLimit: 100, throttlingBurstLimit: 50}}}])
      assert.deepEqual(snapshot.usagePlans, [
        {id: plan.id, name: 'gold', throttle: {rateLimit: 10, burstLimit: 20}, quota: {limit: 1000, period: 'DAY'}, apiStages: [{apiId, stage: 'prod'}]},
      ])
      const digest = createHmac('sha256', Buffer.from(snapshot.keyValueSalt, 'hex')).update(value).digest('hex')
      assert.deepEqual(snapshot.apiKeys, [{id: key.id, name: 'alice', enabled: true, usagePlanIds: [plan.id], valueHmacSha256: digest}])
      assert.doesNotMatch(readFileSync(out, 'utf8'), new RegExp(value))

      const withValues = await gwctl('export', '--out', out, '--include-values')
      assert.equal(withValues.code, 0, withValues.stderr)
      assert.equal(JSON.parse(readFileSync(out, 'utf8')).apiKeys[0].value, value)
      assert.equal(statSync(out).mode & 0o777, 0o600)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
