import {CreateDeploymentCommand} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import type {ApiGateway} from '../../src/aws/api-gateway.js'

import {Deployments} from '../../src/gateway/deployments.js'
import {GwctlError} from '../../src/model/errors.js'
import {type ApiGatewayMock, awsError, mockApiGateway} from '../helpers/mock-aws.js'
import {mockPetsApi} from './fixtures.js'

describe('Deployments service', () => {
  let mock: ApiGatewayMock
  let apigw: ApiGateway
  let sleeps: number[]
  const deployments = () => new Deployments(apigw)
  const created = () => mock.commandCalls(CreateDeploymentCommand).map((c) => c.args[0].input)

  beforeEach(() => {
    ;({mock, apigw, sleeps} = mockApiGateway())
    mockPetsApi(mock)
    mock.on(CreateDeploymentCommand).resolves({id: 'd9', description: 'rollout', createdDate: new Date('2026-11-28T10:00:00Z')})
  })
  afterEach(() => mock.restore())

  it('deploys an existing stage with one CreateDeployment', async () => {
    const result = await deployments().deploy({api: 'pets', stage: 'prod', description: 'rollout'})
    assert.deepEqual(created(), [{restApiId: 'a1', stageName: 'prod', description: 'rollout'}])
    assert.deepEqual(result, {
      deployment: {id: 'd9', description: 'rollout', createdDate: new Date('2026-11-28T10:00:00Z')},
      restApi: {id: 'a1', name: 'pets'},
      stageName: 'prod',
      createdStage: false,
      changed: true,
      dryRun: false,
      calls: [{operation: 'CreateDeployment', input: {restApiId: 'a1', stageName: 'prod', description: 'rollout'}}],
    })
  })

  it('checks the stage and sends nothing on a dry run', async () => {
    const result = await deployments().deploy({api: 'pets', stage: 'prod', dryRun: true})
    assert.equal(created().length, 0)
    assert.deepEqual([result.changed, result.dryRun, result.calls.map((c) => c.operation)], [false, true, ['CreateDeployment']])
    await assert.rejects(deployments().deploy({api: 'pets', stage: 'beta', dryRun: true}), (e: GwctlError) => e.exitCode === 3)
  })

  it('refuses an unknown stage with exit 3 unless asked to create it', async () => {
    await assert.rejects(deployments().deploy({api: 'pets', stage: 'beta'}), (e: GwctlError) => {
      assert.equal(e.exitCode, 3)
      assert.match(e.message, /API pets \(a1\) has no stage "beta" \(stages: prod\)/)
      assert.match(e.suggestions[0], /--create-stage/)
      return true
    })
    assert.equal(created().length, 0)
    const result = await deployments().deploy({api: 'pets', stage: 'beta', createStage: true})
    assert.equal(result.createdStage, true)
    assert.deepEqual(created(), [{restApiId: 'a1', stageName: 'beta', description: undefined}])
  })

  it('refuses a stage name AWS would refuse, naming the flag', async () => {
    await assert.rejects(deployments().deploy({api: 'pets', stage: 'prod v2', createStage: true}), /--stage: "prod v2" is not a stage name/)
    assert.equal(created().length, 0)
  })

  it('waits and retries when AWS throttles CreateDeployment (1 call per 5 s per account)', async () => {
    mock
      .on(CreateDeploymentCommand)
      .rejectsOnce(awsError('TooManyRequestsException', 'Too Many Requests', {retryAfterSeconds: '5'}))
      .resolves({id: 'd10'})
    const result = await deployments().deploy({api: 'pets', stage: 'prod'})
    assert.equal(result.deployment.id, 'd10')
    assert.deepEqual(sleeps, [5000])
  })
})
