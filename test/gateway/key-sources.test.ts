import {CreateDeploymentCommand, GetRestApisCommand, UpdateRestApiCommand} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import type {ApiGateway} from '../../src/aws/api-gateway.js'

import {KeySources} from '../../src/gateway/key-sources.js'
import {GwctlError} from '../../src/model/errors.js'
import {type ApiGatewayMock, awsError, mockApiGateway} from '../helpers/mock-aws.js'
import {mockPetsApi} from './fixtures.js'

describe('KeySources service', () => {
  let mock: ApiGatewayMock
  let apigw: ApiGateway
  const keySources = () => new KeySources(apigw)
  const patches = () => mock.commandCalls(UpdateRestApiCommand).map((c) => c.args[0].input)

  beforeEach(() => {
    ;({mock, apigw} = mockApiGateway())
    mockPetsApi(mock)
    mock.on(UpdateRestApiCommand).resolves({id: 'a1', name: 'pets', apiKeySource: 'AUTHORIZER'})
    mock.on(CreateDeploymentCommand).resolves({id: 'd9'})
  })
  afterEach(() => mock.restore())

  it('sets the key source with one UpdateRestApi replace /apiKeySource', async () => {
    const result = await keySources().set({api: 'pets', source: 'authorizer'})
    assert.deepEqual(patches(), [{restApiId: 'a1', patchOperations: [{op: 'replace', path: '/apiKeySource', value: 'AUTHORIZER'}]}])
    assert.deepEqual(result, {
      restApi: {id: 'a1', name: 'pets', apiKeySource: 'AUTHORIZER'},
      previousApiKeySource: 'HEADER',
      changed: true,
      dryRun: false,
      calls: [{operation: 'UpdateRestApi', input: {restApiId: 'a1', patchOperations: [{op: 'replace', path: '/apiKeySource', value: 'AUTHORIZER'}]}}],
      warnings: [],
      stagesToRedeploy: ['prod'],
    })
  })

  it('sends nothing on a dry run, listing the calls it would send', async () => {
    const result = await keySources().set({api: 'pets', source: 'AUTHORIZER', deploy: 'prod', dryRun: true})
    assert.equal(patches().length + mock.commandCalls(CreateDeploymentCommand).length, 0)
    assert.deepEqual(
      [result.changed, result.restApi.apiKeySource, result.calls.map((c) => c.operation)],
      [false, 'AUTHORIZER', ['UpdateRestApi', 'CreateDeployment']],
    )
  })

  it('sends nothing when the API already has that source (HEADER is the default when AWS omits it)', async () => {
    mock.on(GetRestApisCommand).resolves({items: [{id: 'a1', name: 'pets'}]})
    const result = await keySources().set({api: 'a1', source: 'HEADER'})
    assert.equal(result.changed, false)
    assert.deepEqual(result.stagesToRedeploy, [])
    assert.equal(patches().length, 0)
  })

  it('warns when AUTHORIZER is chosen and no Lambda authorizer could return a key', async () => {
    mock.reset()
    mockPetsApi(mock, {authorizerType: 'COGNITO_USER_POOLS'})
    mock.on(UpdateRestApiCommand).resolves({})
    const result = await keySources().set({api: 'pets', source: 'AUTHORIZER'})
    assert.equal(result.warnings.length, 1)
    assert.match(result.warnings[0], /API pets \(a1\) has no Lambda authorizer \(TOKEN or REQUEST\).*403 Forbidden/)
    assert.equal(patches().length, 1)
  })

  it('refuses a bad source before calling AWS', async () => {
    await assert.rejects(keySources().set({api: 'pets', source: 'COOKIE'}), (e: GwctlError) => e.exitCode === 2 && /--source .* got "COOKIE"/.test(e.message))
    assert.equal(mock.calls().length, 0)
  })

  it('deploys afterwards with --deploy, and says how to undo when the deployment fails', async () => {
    const ok = await keySources().set({api: 'pets', source: 'AUTHORIZER', deploy: 'prod'})
    assert.equal(ok.deployment?.id, 'd9')
    assert.deepEqual(mock.commandCalls(CreateDeploymentCommand)[0].args[0].input, {restApiId: 'a1', stageName: 'prod', description: undefined})

    mock.on(CreateDeploymentCommand).rejects(awsError('ConflictException', 'deployment in progress'))
    await assert.rejects(keySources().set({api: 'pets', source: 'AUTHORIZER', deploy: 'prod'}), (e: GwctlError) => {
      assert.equal(e.code, 'PARTIAL_FAILURE')
      assert.deepEqual(e.report, {
        done: ['set the API key source of API pets (a1) to AUTHORIZER (was HEADER)'],
        notDone: ['deploy API pets (a1) to stage prod'],
        created: [],
        finish: ['gwctl deploy --api a1 --stage prod'],
        // A deployment cannot be taken back: once the source is set back, deploying again publishes it.
        undo: ['gwctl api set-key-source --api a1 --source HEADER'],
      })
      return true
    })
  })

  it('fails with the plain deployment error when nothing was changed before it', async () => {
    mock.on(GetRestApisCommand).resolves({items: [{id: 'a1', name: 'pets', apiKeySource: 'AUTHORIZER'}]})
    mock.on(CreateDeploymentCommand).rejects(awsError('ConflictException', 'deployment in progress'))
    await assert.rejects(keySources().set({api: 'pets', source: 'AUTHORIZER', deploy: 'prod'}), (e: GwctlError) => e.code === 'CONFLICT' && e.done.length === 0)
    assert.equal(patches().length, 0)
  })
})
