import assert from 'node:assert/strict'

import type {ApiGateway} from '../../src/aws/api-gateway.js'

import {ApiOverviews} from '../../src/gateway/api-overviews.js'
import {type ApiGatewayMock, mockApiGateway} from '../helpers/mock-aws.js'
import {mockPetsApi} from './fixtures.js'

describe('ApiOverviews service', () => {
  let mock: ApiGatewayMock
  let apigw: ApiGateway
  beforeEach(() => {
    ;({mock, apigw} = mockApiGateway())
    mockPetsApi(mock)
  })
  afterEach(() => mock.restore())

  it('summarises each API: key source, stages, methods requiring a key', async () => {
    const [pets] = await new ApiOverviews(apigw).list()
    assert.deepEqual(
      {source: pets.apiKeySource, stages: pets.stageNames, methods: pets.methodCount, keyed: pets.methodsRequiringKey},
      {source: 'HEADER', stages: ['prod'], methods: 5, keyed: 1},
    )
    const details = await new ApiOverviews(apigw).show('pets')
    assert.deepEqual(
      details.authorizers.map((a) => a.name),
      ['tokens'],
    )
    assert.deepEqual(
      details.stages.map((s) => s.deploymentId),
      ['d0'],
    )
  })
})
