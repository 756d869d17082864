import {
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetMethodCommand,
  GetStageCommand,
  UpdateMethodCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import {awsErrorOf, createDeployedApi, sdkFor} from '../helpers/moto-api.js'
import {useMoto} from '../helpers/moto.js'

// GetDeployment's apiSummary (extensions/deployments.py) and UpdateMethod (extensions/methods.py).
describe('extended moto: deployments keep an API summary, UpdateMethod', function () {
  this.timeout(30_000)
  const moto = useMoto()
  const sdk = () => sdkFor(moto.current.url)
  const pets = () =>
    createDeployedApi(moto.current.url, {name: 'pets', methods: {'/': ['GET'], '/pets': ['GET', 'POST'], '/pets/{id}': ['GET']}, stages: ['prod']})

  const NO_KEY = {authorizationType: 'NONE', apiKeyRequired: false}

  it('UpdateMethod changes apiKeyRequired; each deployment keeps the methods as they were when it was made', async () => {
    const api = await pets()
    const before = (await sdk().send(new GetStageCommand({restApiId: api.id, stageName: 'prod'}))).deploymentId!

    const updated = await sdk().send(
      new UpdateMethodCommand({
        restApiId: api.id,
        resourceId: api.resourceIds['/pets'],
        httpMethod: 'POST',
        patchOperations: [{op: 'replace', path: '/apiKeyRequired', value: 'true'}],
      }),
    )
    assert.equal(updated.apiKeyRequired, true)
    assert.equal((await sdk().send(new GetMethodCommand({restApiId: api.id, resourceId: api.resourceIds['/pets'], httpMethod: 'POST'}))).apiKeyRequired, true)

    const after = await sdk().send(new CreateDeploymentCommand({restApiId: api.id, stageName: 'prod'}))
    const summary = async (deploymentId: string) =>
      (await sdk().send(new GetDeploymentCommand({restApiId: api.id, deploymentId, embed: ['apisummary']}))).apiSummary
    assert.deepEqual(await summary(before), {'/': {GET: NO_KEY}, '/pets': {GET: NO_KEY, POST: NO_KEY}, '/pets/{id}': {GET: NO_KEY}})
    assert.deepEqual(await summary(after.id!), {
      '/': {GET: NO_KEY},
      '/pets': {GET: NO_KEY, POST: {authorizationType: 'NONE', apiKeyRequired: true}},
      '/pets/{id}': {GET: NO_KEY},
    })
    assert.equal((await sdk().send(new GetDeploymentCommand({restApiId: api.id, deploymentId: after.id}))).apiSummary, undefined, 'only with embed=apisummary')
  })

  it('a redeploy keeps the stage and its settings, pointing it at the new deployment', async () => {
    const api = await pets()
    await sdk().send(
      new UpdateStageCommand({restApiId: api.id, stageName: 'prod', patchOperations: [{op: 'replace', path: '/*/*/throttling/rateLimit', value: '50'}]}),
    )
    const deployment = await sdk().send(new CreateDeploymentCommand({restApiId: api.id, stageName: 'prod'}))
    const stage = await sdk().send(new GetStageCommand({restApiId: api.id, stageName: 'prod'}))
    assert.equal(stage.deploymentId, deployment.id)
    assert.equal(stage.methodSettings?.['*/*']?.throttlingRateLimit, 50)
  })

  it('UpdateMethod sets a CUSTOM authorizer, and refuses one the API does not have', async () => {
    const api = await pets()
    const resourceId = api.resourceIds['/pets/{id}']
    const authorizer = await sdk().send(
      new CreateAuthorizerCommand({
        restApiId: api.id,
        name: 'tokens',
        type: 'TOKEN',
        authorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations',
        identitySource: 'method.request.header.Authorization',
      }),
    )
    const update = (...patchOperations: Array<{op: 'replace'; path: string; value: string}>) =>
      sdk().send(new UpdateMethodCommand({restApiId: api.id, resourceId, httpMethod: 'GET', patchOperations}))

    const refused = await awsErrorOf(
      update({op: 'replace', path: '/authorizationType', value: 'CUSTOM'}, {op: 'replace', path: '/authorizerId', value: 'nosuch'}),
    )
    assert.deepEqual(refused, {
      name: 'BadRequestException',
      status: 400,
      message: 'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.',
    })
    assert.equal(
      (await sdk().send(new GetMethodCommand({restApiId: api.id, resourceId, httpMethod: 'GET'}))).authorizationType,
      'NONE',
      'a refused update changes nothing',
    )

    const custom = await update({op: 'replace', path: '/authorizationType', value: 'CUSTOM'}, {op: 'replace', path: '/authorizerId', value: authorizer.id!})
    assert.deepEqual([custom.authorizationType, custom.authorizerId], ['CUSTOM', authorizer.id])
    const deployment = await sdk().send(new CreateDeploymentCommand({restApiId: api.id, stageName: 'prod'}))
    const {apiSummary} = await sdk().send(new GetDeploymentCommand({restApiId: api.id, deploymentId: deployment.id, embed: ['apisummary']}))
    assert.deepEqual(apiSummary?.['/pets/{id}'], {GET: {authorizationType: 'CUSTOM', apiKeyRequired: false}})

    const none = await update({op: 'replace', path: '/authorizationType', value: 'NONE'})
    assert.deepEqual([none.authorizationType, none.authorizerId], ['NONE', undefined])
  })

  it('UpdateMethod refuses unknown paths, bad values and unknown methods', async () => {
    const api = await pets()
    const update = (httpMethod: string, op: {op: 'replace' | 'add'; path: string; value: string}) =>
      sdk().send(new UpdateMethodCommand({restApiId: api.id, resourceId: api.resourceIds['/pets'], httpMethod, patchOperations: [op]}))

    assert.match(
      (await awsErrorOf(update('GET', {op: 'replace', path: '/httpMethod', value: 'PUT'}))).message,
      /^Invalid patch path '\/httpMethod' specified for op 'replace'/,
    )
    assert.deepEqual(await awsErrorOf(update('GET', {op: 'replace', path: '/apiKeyRequired', value: 'yes'})), {
      name: 'BadRequestException',
      status: 400,
      message: "Invalid value 'yes' for /apiKeyRequired: expected true or false",
    })
    assert.deepEqual(await awsErrorOf(update('DELETE', {op: 'replace', path: '/apiKeyRequired', value: 'true'})), {
      name: 'NotFoundException',
      status: 404,
      message: 'Invalid Method identifier specified',
    })
    assert.deepEqual(await awsErrorOf(sdk().send(new GetDeploymentCommand({restApiId: api.id, deploymentId: 'nosuch'}))), {
      name: 'NotFoundException',
      status: 404,
      message: 'Invalid Deployment identifier specified',
    })
  })
})
