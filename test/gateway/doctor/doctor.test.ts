import {CreateDeploymentCommand, GetResourcesCommand, GetRestApisCommand, GetStagesCommand, UpdateMethodCommand} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import type {ApiGateway} from '../../../src/aws/api-gateway.js'

import {diagnose, Doctor, safeFixes} from '../../../src/gateway/doctor/doctor.js'
import {GwctlError} from '../../../src/model/errors.js'
import {type ApiGatewayMock, awsError, mockApiGateway} from '../../helpers/mock-aws.js'
import {healthyAccount, method, partsOf, served} from './fixtures.js'

/** Pets with OPTIONS /pets requiring a key, served so on prod, and POST /pets requiring one that prod does not serve yet. */
function brokenPets() {
  const data = healthyAccount()
  const {api, stage} = partsOf(data)
  method(api, 'OPTIONS', '/pets').apiKeyRequired = true
  served(stage, 'OPTIONS', '/pets').apiKeyRequired = true
  served(stage, 'POST', '/pets').apiKeyRequired = false
  return data
}

describe('doctor --fix (mocked API Gateway)', () => {
  let mock: ApiGatewayMock
  let apigw: ApiGateway

  beforeEach(() => {
    ;({mock, apigw} = mockApiGateway())
    mock.on(GetRestApisCommand).resolves({items: [{id: 'a1', name: 'pets'}]})
    mock.on(GetStagesCommand).resolves({item: [{stageName: 'prod', deploymentId: 'd1'}]})
    mock.on(GetResourcesCommand).resolves({
      items: [
        {
          id: 'r1',
          path: '/pets',
          resourceMethods: {OPTIONS: {authorizationType: 'NONE', apiKeyRequired: true}, POST: {authorizationType: 'NONE', apiKeyRequired: true}},
        },
      ],
    })
    mock.on(UpdateMethodCommand).resolves({})
    mock.on(CreateDeploymentCommand).resolves({id: 'd2'})
  })
  afterEach(() => mock.restore())

  it('plans each safe fix once: the OPTIONS change first, then one deployment naming all it publishes', () => {
    const fixes = safeFixes(diagnose(brokenPets()))
    assert.deepEqual(
      fixes.map((f) => [f.description, f.command]),
      [
        [
          'Stop requiring an API key on OPTIONS /pets of API pets (a1) first, so that the deployment does not publish that',
          'gwctl methods require-key --api a1 --path /pets --method OPTIONS --off',
        ],
        [
          'Deploy API pets (a1) to stage prod, which publishes POST /pets requiring a key and OPTIONS /pets without a key',
          'gwctl deploy --api a1 --stage prod',
        ],
      ],
    )
  })

  it('applies them through the same services as the commands, in order', async () => {
    const applied = await new Doctor(apigw).apply(safeFixes(diagnose(brokenPets())))
    assert.equal(applied.length, 2)
    assert.deepEqual(
      mock.commandCalls(UpdateMethodCommand).map((c) => c.args[0].input),
      [{restApiId: 'a1', resourceId: 'r1', httpMethod: 'OPTIONS', patchOperations: [{op: 'replace', path: '/apiKeyRequired', value: 'false'}]}],
    )
    assert.deepEqual(
      mock.commandCalls(CreateDeploymentCommand).map((c) => c.args[0].input),
      [{restApiId: 'a1', stageName: 'prod', description: 'gwctl doctor --fix'}],
    )
  })

  it('says what was applied, what is left and how to undo it when a fix fails part way (exit 7)', async () => {
    mock.on(CreateDeploymentCommand).rejects(awsError('BadRequestException', 'Too many deployments'))
    await assert.rejects(new Doctor(apigw).apply(safeFixes(diagnose(brokenPets()))), (e: GwctlError) => {
      assert.equal(e.exitCode, 7)
      assert.deepEqual(e.report?.done, ['Stop requiring an API key on OPTIONS /pets of API pets (a1) first, so that the deployment does not publish that'])
      assert.deepEqual(e.report?.finish, ['gwctl deploy --api a1 --stage prod'])
      assert.deepEqual(e.report?.undo, ['gwctl methods require-key --api a1 --path /pets --method OPTIONS'])
      return true
    })
  })

  it('offers the way back to the previous deployment when a later fix fails', async () => {
    const data = healthyAccount()
    served(partsOf(data).stage, 'POST', '/pets').apiKeyRequired = false
    data.apis.push({...partsOf(data).api, id: 'a2', name: 'shop', stages: [{...partsOf(data).stage, deploymentId: 'd7'}]})
    partsOf(data).plan.apiStages.push({apiId: 'a2', stage: 'prod'})
    mock.on(GetRestApisCommand).resolves({
      items: [
        {id: 'a1', name: 'pets'},
        {id: 'a2', name: 'shop'},
      ],
    })
    mock.on(CreateDeploymentCommand, {restApiId: 'a2'}).rejects(awsError('BadRequestException', 'nope'))
    await assert.rejects(new Doctor(apigw).apply(safeFixes(diagnose(data))), (e: GwctlError) => {
      assert.deepEqual(e.report?.finish, ['gwctl deploy --api a2 --stage prod'])
      assert.deepEqual(e.report?.undo, [
        'aws apigateway update-stage --rest-api-id a1 --stage-name prod --patch-operations op=replace,path=/deploymentId,value=d1',
      ])
      return true
    })
  })

  it('sends nothing when there is nothing safe to fix', async () => {
    assert.deepEqual(await new Doctor(apigw).apply([]), [])
    assert.equal(mock.calls().length, 0)
  })
})
