import {
  GetAccountCommand,
  GetApiKeysCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import type {ApiGateway} from '../../src/aws/api-gateway.js'
import {createHmac} from 'node:crypto'

import {exportSnapshot} from '../../src/gateway/export.js'
import {type ApiGatewayMock, awsError, mockApiGateway} from '../helpers/mock-aws.js'
import {mockPetsApi} from './fixtures.js'

const hmac = (salt: string, v: string) => createHmac('sha256', Buffer.from(salt, 'hex')).update(v).digest('hex')

describe('exportSnapshot', () => {
  let mock: ApiGatewayMock
  let apigw: ApiGateway
  const aliceValue = 'alice0123456789abcdefghij'

  beforeEach(() => {
    ;({mock, apigw} = mockApiGateway())
    mockPetsApi(mock)
    mock.on(GetRestApisCommand).resolves({
      items: [
        {id: 'a1', name: 'pets', apiKeySource: 'HEADER'},
        {id: 'a2', name: 'shop', apiKeySource: 'AUTHORIZER'},
      ],
    })
    mock
      .on(GetResourcesCommand, {restApiId: 'a2'})
      .resolves({items: [{id: 's0', path: '/', resourceMethods: {POST: {apiKeyRequired: true, authorizationType: 'NONE'}}}]})
    mock.on(GetStagesCommand).resolves({
      item: [
        {
          stageName: 'prod',
          methodSettings: {
            '*/*': {throttlingRateLimit: 100, throttlingBurstLimit: 50, loggingLevel: 'INFO'},
            '~1pets/GET': {throttlingRateLimit: 10, throttlingBurstLimit: 5},
            '~1pets/POST': {metricsEnabled: true},
          },
        },
      ],
    })
    mock.on(GetUsagePlansCommand).resolves({
      items: [
        {
          id: 'p1',
          name: 'gold',
          throttle: {rateLimit: 10, burstLimit: 20},
          quota: {limit: 1000, offset: 0, period: 'MONTH'},
          apiStages: [
            {apiId: 'a1', stage: 'prod', throttle: {'/pets/GET': {rateLimit: 2, burstLimit: 4}}},
            {apiId: 'a2', stage: 'prod'},
          ],
        },
        {id: 'p2', name: 'shop-only', apiStages: [{apiId: 'a2', stage: 'prod'}]},
      ],
    })
    mock.on(GetUsagePlanKeysCommand, {usagePlanId: 'p1'}).resolves({items: [{id: 'k1', name: 'alice', type: 'API_KEY'}]})
    mock.on(GetUsagePlanKeysCommand, {usagePlanId: 'p2'}).resolves({
      items: [
        {id: 'k1', name: 'alice'},
        {id: 'k2', name: 'bob'},
      ],
    })
    mock.on(GetApiKeysCommand).resolves({
      items: [
        {id: 'k1', name: 'alice', enabled: true, value: aliceValue},
        {id: 'k2', name: 'bob', enabled: false, value: 'bob0123456789abcdefghijk'},
        {id: 'k3', name: 'loose', enabled: true, value: 'loose0123456789abcdefghij'},
      ],
    })
    mock.on(GetAccountCommand).resolves({throttleSettings: {rateLimit: 5000, burstLimit: 2500}})
  })
  afterEach(() => mock.restore())

  it('writes APIs, plans, keys and the account throttle in the snapshot shape, hashing key values', async () => {
    const {snapshot, warnings} = await exportSnapshot(apigw)
    assert.deepEqual(warnings, [])
    assert.equal(snapshot.version, 1)
    assert.equal(snapshot.region, 'us-east-1')
    assert.deepEqual(snapshot.account, {throttle: {rateLimit: 5000, burstLimit: 2500}})
    assert.deepEqual(snapshot.apis[0], {
      id: 'a1',
      name: 'pets',
      apiKeySource: 'HEADER',
      methods: [
        {path: '/', httpMethod: 'GET', apiKeyRequired: false},
        {path: '/pets', httpMethod: 'GET', apiKeyRequired: true},
        {path: '/pets', httpMethod: 'POST', apiKeyRequired: false},
        {path: '/pets/{id}', httpMethod: 'DELETE', apiKeyRequired: false},
        {path: '/pets/{id}', httpMethod: 'GET', apiKeyRequired: false},
      ],
      stages: [
        {
          stageName: 'prod',
          methodSettings: {'*/*': {throttlingRateLimit: 100, throttlingBurstLimit: 50}, '~1pets/GET': {throttlingRateLimit: 10, throttlingBurstLimit: 5}},
        },
      ],
    })
    assert.equal(snapshot.apis[1].apiKeySource, 'AUTHORIZER')
    assert.deepEqual(snapshot.usagePlans[0], {
      id: 'p1',
      name: 'gold',
      throttle: {rateLimit: 10, burstLimit: 20},
      quota: {limit: 1000, period: 'MONTH'},
      apiStages: [
        {apiId: 'a1', stage: 'prod', throttle: {'/pets/GET': {rateLimit: 2, burstLimit: 4}}},
        {apiId: 'a2', stage: 'prod'},
      ],
    })
    // Values as HMAC-SHA-256 keyed with a random salt kept in the snapshot (issue 13), never a plain hash.
    const salt = snapshot.keyValueSalt!
    assert.match(salt, /^[0-9a-f]{64}$/)
    assert.deepEqual(snapshot.apiKeys, [
      {id: 'k1', name: 'alice', enabled: true, usagePlanIds: ['p1', 'p2'], valueHmacSha256: hmac(salt, aliceValue)},
      {id: 'k2', name: 'bob', enabled: false, usagePlanIds: ['p2'], valueHmacSha256: hmac(salt, 'bob0123456789abcdefghijk')},
      {id: 'k3', name: 'loose', enabled: true, usagePlanIds: [], valueHmacSha256: hmac(salt, 'loose0123456789abcdefghij')},
    ])
    const again = (await exportSnapshot(apigw)).snapshot
    assert.notEqual(again.keyValueSalt, salt, 'a new salt for each export')
    assert.notEqual(again.apiKeys[0].valueHmacSha256, snapshot.apiKeys[0].valueHmacSha256, 'so digests of two snapshots cannot be compared')
    assert.doesNotMatch(JSON.stringify(snapshot), new RegExp(aliceValue))
    assert.deepEqual(mock.commandCalls(GetApiKeysCommand)[0].args[0].input, {position: undefined, limit: 500, includeValues: true})
  })

  it('puts values instead of hashes with includeValues', async () => {
    const {snapshot} = await exportSnapshot(apigw, {includeValues: true})
    assert.deepEqual(snapshot.apiKeys[0], {id: 'k1', name: 'alice', enabled: true, usagePlanIds: ['p1', 'p2'], value: aliceValue})
    assert.equal(snapshot.keyValueSalt, undefined)
  })

  it("keeps only the named APIs, the plans covering them (their stages only) and those plans' keys", async () => {
    const {snapshot} = await exportSnapshot(apigw, {apis: ['pets']})
    assert.deepEqual(
      snapshot.apis.map((a) => a.id),
      ['a1'],
    )
    assert.deepEqual(
      snapshot.usagePlans.map((p) => [p.id, p.apiStages.map((s) => s.apiId)]),
      [['p1', ['a1']]],
    )
    assert.deepEqual(
      snapshot.apiKeys.map((k) => [k.id, k.usagePlanIds]),
      [['k1', ['p1']]],
    )
  })

  it('leaves the account throttle out, with a warning, when GetAccount is refused', async () => {
    mock.on(GetAccountCommand).rejects(awsError('UnauthorizedException', 'not allowed: apigateway:GET /account'))
    const {snapshot, warnings} = await exportSnapshot(apigw)
    assert.equal(snapshot.account, undefined)
    assert.match(warnings[0], /Could not read the account throttle .*not allowed.*simulate will assume AWS's default of 10000 requests per second, burst 5000/)
  })

  it('warns when AWS withholds key values, keeping those keys matchable by id', async () => {
    mock.on(GetApiKeysCommand).resolves({items: [{id: 'k1', name: 'alice', enabled: true}]})
    const {snapshot, warnings} = await exportSnapshot(apigw, {apis: ['a1']})
    assert.deepEqual(snapshot.apiKeys, [{id: 'k1', name: 'alice', enabled: true, usagePlanIds: ['p1']}])
    assert.deepEqual(warnings, ['AWS returned some API keys without their values; logs can match those keys by id only'])
  })

  it('fails with exit 3 naming an unknown API', async () => {
    await assert.rejects(
      exportSnapshot(apigw, {apis: ['petz']}),
      (e: Error & {exitCode: number}) => e.exitCode === 3 && /No REST API with id or name "petz"/.test(e.message),
    )
  })
})
