import {
  GetAccountCommand,
  GetApiKeysCommand,
  GetAuthorizersCommand,
  GetDeploymentCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import type {ApiGateway} from '../../../src/aws/api-gateway.js'

import {Doctor} from '../../../src/gateway/doctor/doctor.js'
import {DOCTOR_CONCURRENCY, readDoctorData} from '../../../src/gateway/doctor/reader.js'
import {GwctlError} from '../../../src/model/errors.js'
import {type ApiGatewayMock, mockApiGateway} from '../../helpers/mock-aws.js'
import {healthyAccount} from './fixtures.js'

/** Answers a list call page by page, `limit` items at a time, as API Gateway does. */
function paged<T>(items: T[]) {
  return (input: {position?: string; limit?: number}) => {
    const from = Number(input.position ?? 0)
    const to = from + (input.limit ?? 25)
    return {items: items.slice(from, to), ...(to < items.length ? {position: String(to)} : {})}
  }
}

/** The healthy account of fixtures.ts as API Gateway would answer it. */
function mockHealthyAccount(mock: ApiGatewayMock) {
  mock.on(GetAccountCommand).resolves({throttleSettings: {rateLimit: 10_000, burstLimit: 5000}, cloudwatchRoleArn: 'arn:aws:iam::123456789012:role/apigw-logs'})
  mock.on(GetRestApisCommand).resolves({
    items: [
      {id: 'a1', name: 'pets'},
      {id: 'a2', name: 'shop'},
    ],
  })
  mock.on(GetResourcesCommand, {restApiId: 'a1'}).resolves({
    items: [
      {id: 'r0', path: '/', resourceMethods: {GET: {authorizationType: 'NONE', apiKeyRequired: false}}},
      {
        id: 'r1',
        path: '/pets',
        resourceMethods: {
          GET: {authorizationType: 'NONE', apiKeyRequired: true},
          OPTIONS: {authorizationType: 'NONE', apiKeyRequired: false},
          POST: {authorizationType: 'NONE', apiKeyRequired: true},
        },
      },
    ],
  })
  mock
    .on(GetResourcesCommand, {restApiId: 'a2'})
    .resolves({items: [{id: 's0', path: '/', resourceMethods: {GET: {authorizationType: 'NONE', apiKeyRequired: false}}}]})
  const fixture = healthyAccount().apis[0].stages[0]
  mock.on(GetStagesCommand, {restApiId: 'a1'}).resolves({
    item: [
      {
        stageName: 'prod',
        deploymentId: 'd1',
        methodSettings: {'*/*': {throttlingRateLimit: 10_000, throttlingBurstLimit: 5000, loggingLevel: 'INFO'}},
        accessLogSettings: fixture.accessLog,
      },
    ],
  })
  mock.on(GetStagesCommand, {restApiId: 'a2'}).resolves({item: [{stageName: 'beta', deploymentId: 'd9', accessLogSettings: fixture.accessLog}]})
  mock.on(GetDeploymentCommand, {restApiId: 'a1', deploymentId: 'd1'}).resolves({
    id: 'd1',
    apiSummary: {
      '/': {GET: {authorizationType: 'NONE', apiKeyRequired: false}},
      '/pets': {
        GET: {authorizationType: 'NONE', apiKeyRequired: true},
        OPTIONS: {authorizationType: 'NONE', apiKeyRequired: false},
        POST: {authorizationType: 'NONE', apiKeyRequired: true},
      },
    },
  })
  mock
    .on(GetDeploymentCommand, {restApiId: 'a2', deploymentId: 'd9'})
    .resolves({id: 'd9', apiSummary: {'/': {GET: {authorizationType: 'NONE', apiKeyRequired: false}}}})
  mock.on(GetUsagePlansCommand).resolves({
    items: [
      {
        id: 'p1',
        name: 'gold',
        throttle: {rateLimit: 100, burstLimit: 200},
        quota: {limit: 100_000, offset: 0, period: 'MONTH'},
        apiStages: [{apiId: 'a1', stage: 'prod'}],
      },
    ],
  })
  mock.on(GetUsagePlanKeysCommand).resolves({items: [{id: 'k1', name: 'acme', type: 'API_KEY'}]})
  mock.on(GetApiKeysCommand).resolves({items: [{id: 'k1', name: 'acme', enabled: true}]})
}

describe('doctor reader (mocked API Gateway)', () => {
  let mock: ApiGatewayMock
  let apigw: ApiGateway

  beforeEach(() => {
    ;({mock, apigw} = mockApiGateway())
    mockHealthyAccount(mock)
  })
  afterEach(() => mock.restore())

  it('reads an account into the data the checks take, with only Get calls', async () => {
    const data = await readDoctorData(apigw, {apis: ['pets']})
    const expected = healthyAccount()
    expected.scope = {apis: [{id: 'a1', name: 'pets'}]}
    // As --json shows it: fields left undefined drop out.
    // eslint-disable-next-line unicorn/prefer-structured-clone
    assert.deepEqual(JSON.parse(JSON.stringify(data)), expected)
    const sent = mock.calls().map((c) => (c.args[0] as {constructor: {name: string}}).constructor.name)
    assert.ok(sent.length > 0)
    assert.deepEqual(
      sent.filter((name) => !name.startsWith('Get')),
      [],
      'doctor without --fix writes nothing',
    )
  })

  it('asks each deployment for its API summary', async () => {
    await readDoctorData(apigw)
    const asked = mock.commandCalls(GetDeploymentCommand).map((c) => c.args[0].input)
    assert.deepEqual(
      asked.toSorted((a, b) => a.restApiId!.localeCompare(b.restApiId!)),
      [
        {restApiId: 'a1', deploymentId: 'd1', embed: ['apisummary']},
        {restApiId: 'a2', deploymentId: 'd9', embed: ['apisummary']},
      ],
    )
  })

  it('reads authorizers only for APIs that use them or take keys from them', async () => {
    mock.on(GetAuthorizersCommand).resolves({items: []})
    await readDoctorData(apigw)
    assert.equal(mock.commandCalls(GetAuthorizersCommand).length, 0)
    mock.on(GetRestApisCommand).resolves({items: [{id: 'a1', name: 'pets', apiKeySource: 'AUTHORIZER'}]})
    await readDoctorData(apigw)
    assert.deepEqual(
      mock.commandCalls(GetAuthorizersCommand).map((c) => c.args[0].input.restApiId),
      ['a1'],
    )
  })

  it('narrows to --plan: the APIs and stages it covers, and reads no other deployment', async () => {
    const data = await readDoctorData(apigw, {plan: 'gold'})
    assert.deepEqual(data.scope, {plan: {id: 'p1', name: 'gold'}})
    assert.deepEqual(
      data.apis.map((a) => [a.id, a.stages.map((s) => s.stageName)]),
      [['a1', ['prod']]],
    )
    assert.deepEqual(
      mock.commandCalls(GetDeploymentCommand).map((c) => c.args[0].input.deploymentId),
      ['d1'],
    )
  })

  it('narrows to --stage, and refuses a stage no API in scope has (exit 3)', async () => {
    const data = await readDoctorData(apigw, {stage: 'beta'})
    assert.deepEqual(
      data.apis.map((a) => [a.id, a.stages.map((s) => s.stageName), a.stageNames]),
      [
        ['a1', [], ['prod']],
        ['a2', ['beta'], ['beta']],
      ],
    )
    await assert.rejects(
      readDoctorData(apigw, {apis: ['pets'], stage: 'beta'}),
      (e: GwctlError) => e.exitCode === 3 && /No stage named "beta" of pets \(a1\)/.test(e.message),
    )
    await assert.rejects(readDoctorData(apigw, {stage: 'bad name!'}), (e: GwctlError) => e.exitCode === 2 && /--stage/.test(e.message))
  })

  it('refuses an unknown --api or --plan before reading the rest (exit 3)', async () => {
    await assert.rejects(readDoctorData(apigw, {apis: ['petz']}), (e: GwctlError) => e.exitCode === 3 && /No REST API with id or name "petz"/.test(e.message))
    await assert.rejects(
      readDoctorData(apigw, {plan: 'platinum'}),
      (e: GwctlError) => e.exitCode === 3 && /No usage plan with id or name "platinum"/.test(e.message),
    )
    assert.equal(mock.commandCalls(GetDeploymentCommand).length, 0)
  })

  it('fails, rather than judge half an account, when a read fails (exit as the AWS error says)', async () => {
    mock
      .on(GetDeploymentCommand)
      .rejects(Object.assign(new Error('User is not authorized to perform apigateway:GET'), {name: 'AccessDeniedException', $metadata: {httpStatusCode: 403}}))
    await assert.rejects(new Doctor(apigw).examine(), (e: GwctlError) => e.exitCode === 6 && /reading deployment d\d of stage/.test(e.message))
  })

  it('stops (exit 1) rather than guess when a deployment comes back without its API summary', async () => {
    mock.on(GetDeploymentCommand).resolves({id: 'd1'})
    await assert.rejects(
      readDoctorData(apigw, {apis: ['pets']}),
      (e: GwctlError) => e.exitCode === 1 && /deployment d1 of stage prod of API pets \(a1\) without its API summary/.test(e.message),
    )
  })

  it('pages through thousands of keys and hundreds of plans, with at most DOCTOR_CONCURRENCY calls in flight', async () => {
    const keys = Array.from({length: 9000}, (_, i) => ({id: `k${i + 1}`, name: `key-${i + 1}`, enabled: true}))
    const plans = Array.from({length: 250}, (_, i) => ({id: `p${i + 1}`, name: `plan-${i + 1}`, apiStages: i === 0 ? [{apiId: 'a1', stage: 'prod'}] : []}))
    mock.on(GetApiKeysCommand).callsFake(paged(keys))
    mock.on(GetUsagePlansCommand).callsFake(paged(plans))
    let inFlight = 0
    let most = 0
    mock.on(GetUsagePlanKeysCommand).callsFake(async (input: {usagePlanId: string; position?: string; limit?: number}) => {
      inFlight++
      most = Math.max(most, inFlight)
      await new Promise((r) => setTimeout(r, 2))
      inFlight--
      const n = Number(input.usagePlanId.slice(1))
      // Plan n holds keys 36(n-1)+1 .. 36n: every key in exactly one plan.
      return paged(keys.slice(36 * (n - 1), 36 * n).map((k) => ({id: k.id, name: k.name, type: 'API_KEY'})))(input)
    })

    // shop has 600 resources with GET and POST each: 1200 methods, in two pages.
    const resources = Array.from({length: 600}, (_, i) => ({
      id: `s${i}`,
      path: `/items/${i}`,
      resourceMethods: {GET: {authorizationType: 'NONE', apiKeyRequired: false}, POST: {authorizationType: 'NONE', apiKeyRequired: false}},
    }))
    mock.on(GetResourcesCommand, {restApiId: 'a2'}).callsFake(paged(resources))

    const report = await new Doctor(apigw).examine()
    assert.deepEqual(report.checked, {apis: 2, stages: 2, methods: 1204, usagePlans: 250, apiKeys: 9000})
    assert.equal(mock.commandCalls(GetApiKeysCommand).length, 18, '9000 keys in pages of 500')
    assert.equal(mock.commandCalls(GetResourcesCommand, {restApiId: 'a2'}).length, 2, '600 resources in pages of 500')
    assert.ok(most > 1 && most <= DOCTOR_CONCURRENCY, `at most ${DOCTOR_CONCURRENCY} in flight, saw ${most}`)
    assert.deepEqual(
      report.findings.map((f) => f.id).filter((id, i, all) => all.indexOf(id) === i),
      ['API_KEYS_NEAR_LIMIT', 'USAGE_PLANS_NEAR_LIMIT'],
    )
  })
})
