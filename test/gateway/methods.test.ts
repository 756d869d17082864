import {CreateDeploymentCommand, GetResourcesCommand, GetUsagePlansCommand, UpdateMethodCommand} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import type {ApiGateway} from '../../src/aws/api-gateway.js'

import {Methods} from '../../src/gateway/methods.js'
import {GwctlError} from '../../src/model/errors.js'
import {type ApiGatewayMock, awsError, mockApiGateway} from '../helpers/mock-aws.js'
import {mockPetsApi} from './fixtures.js'

const keyOn = (resourceId: string, httpMethod: string, value = 'true') => ({
  restApiId: 'a1',
  resourceId,
  httpMethod,
  patchOperations: [{op: 'replace', path: '/apiKeyRequired', value}],
})

describe('Methods service', () => {
  let mock: ApiGatewayMock
  let apigw: ApiGateway
  const methods = () => new Methods(apigw)
  const updates = () => mock.commandCalls(UpdateMethodCommand).map((c) => c.args[0].input)

  beforeEach(() => {
    ;({mock, apigw} = mockApiGateway())
    mockPetsApi(mock)
    mock.on(UpdateMethodCommand).resolves({})
    mock.on(CreateDeploymentCommand).resolves({id: 'd9', description: 'keys on'})
  })
  afterEach(() => mock.restore())

  it('lists every method sorted by path, with authorizer names, from one embedded GetResources', async () => {
    const list = await methods().list('pets')
    assert.deepEqual(
      list.map((m) => [m.path, m.httpMethod, m.authorizationType, m.authorizerName, m.apiKeyRequired]),
      [
        ['/', 'GET', 'NONE', undefined, false],
        ['/pets', 'GET', 'NONE', undefined, true],
        ['/pets', 'POST', 'CUSTOM', 'tokens', false],
        ['/pets/{id}', 'DELETE', 'AWS_IAM', undefined, false],
        ['/pets/{id}', 'GET', 'NONE', undefined, false],
      ],
    )
    assert.deepEqual(mock.commandCalls(GetResourcesCommand)[0].args[0].input, {restApiId: 'a1', position: undefined, limit: 500, embed: ['methods']})
  })

  it('requires a key on every method not yet requiring one, one UpdateMethod each', async () => {
    const result = await methods().requireKey({api: 'pets'})
    assert.deepEqual(updates(), [keyOn('r0', 'GET'), keyOn('r1', 'POST'), keyOn('r2', 'DELETE'), keyOn('r2', 'GET')])
    assert.deepEqual(
      result.unchangedMethods.map((m) => `${m.httpMethod} ${m.path}`),
      ['GET /pets'],
    )
    assert.ok(result.changedMethods.every((m) => m.apiKeyRequired))
    assert.equal(result.changed, true)
    assert.deepEqual(result.warnings, [])
    assert.deepEqual(result.stagesToRedeploy, ['prod'])
  })

  it('selects by path glob and verb, and --off sends false', async () => {
    const result = await methods().requireKey({api: 'a1', path: '/pets/**', methods: ['get'], off: true})
    assert.deepEqual(updates(), [keyOn('r1', 'GET', 'false')])
    assert.deepEqual(
      result.unchangedMethods.map((m) => `${m.httpMethod} ${m.path}`),
      ['GET /pets/{id}'],
    )
  })

  it('warns when CORS preflight (OPTIONS) methods would require a key', async () => {
    mock.on(GetResourcesCommand).resolves({items: [{id: 'r1', path: '/pets', resourceMethods: {GET: {}, OPTIONS: {apiKeyRequired: false}}}]})
    const result = await methods().requireKey({api: 'pets', dryRun: true})
    assert.deepEqual(result.warnings, [
      'Browsers send CORS preflight requests (OPTIONS) without an API key, so OPTIONS /pets will answer 403 to them; leave them out with --method',
    ])
    const off = await methods().requireKey({api: 'pets', off: true, dryRun: true})
    assert.deepEqual(off.warnings, [])
  })

  it('sends nothing on a dry run or when every selected method is already set', async () => {
    const dry = await methods().requireKey({api: 'pets', path: '/pets/*', dryRun: true})
    assert.deepEqual(
      dry.changedMethods.map((m) => `${m.httpMethod} ${m.path}`),
      ['DELETE /pets/{id}', 'GET /pets/{id}'],
    )
    assert.deepEqual([dry.changed, dry.dryRun], [false, true])
    assert.deepEqual(dry.calls, [
      {operation: 'UpdateMethod', input: keyOn('r2', 'DELETE')},
      {operation: 'UpdateMethod', input: keyOn('r2', 'GET')},
    ])
    const same = await methods().requireKey({api: 'pets', path: '/pets', methods: ['GET']})
    assert.equal(same.changed, false)
    assert.deepEqual(same.stagesToRedeploy, [])
    assert.equal(updates().length, 0)
  })

  it('refuses a glob that matches nothing, naming the glob and listing the resources', async () => {
    await assert.rejects(methods().requireKey({api: 'pets', path: '/users/*'}), (e: GwctlError) => {
      assert.equal(e.exitCode, 3)
      assert.equal(e.message, 'No resource of API pets (a1) matches --path "/users/*" (resources with methods: /, /pets, /pets/{id})')
      return true
    })
    await assert.rejects(
      methods().requireKey({api: 'pets', path: '/', methods: ['POST']}),
      /No POST method on resources matching --path "\/" \(methods there: GET\)/,
    )
    assert.equal(updates().length, 0)
  })

  it('refuses a bad verb before calling AWS for any change', async () => {
    await assert.rejects(
      methods().requireKey({api: 'pets', methods: ['GET', 'FETCH']}),
      (e: GwctlError) => e.exitCode === 2 && /--method: "FETCH"/.test(e.message),
    )
    assert.equal(updates().length, 0)
  })

  it('reports the methods already changed, and how to undo them, when a later call fails', async () => {
    mock.on(UpdateMethodCommand).resolvesOnce({}).resolvesOnce({}).rejects(awsError('BadRequestException', 'Invalid method'))
    await assert.rejects(methods().requireKey({api: 'pets'}), (e: GwctlError) => {
      assert.equal(e.code, 'PARTIAL_FAILURE')
      assert.equal(e.exitCode, 7)
      assert.match(e.message, /stopped after 2 of 4 steps: AWS refused setting apiKeyRequired=true on DELETE \/pets\/\{id\}/)
      assert.deepEqual(e.report?.done, ['set apiKeyRequired=true on GET /', 'set apiKeyRequired=true on POST /pets'])
      assert.deepEqual(e.report?.finish, [
        "gwctl methods require-key --api a1 --path '/pets/{id}' --method DELETE",
        "gwctl methods require-key --api a1 --path '/pets/{id}' --method GET",
      ])
      assert.deepEqual(e.report?.undo, [
        'gwctl methods require-key --api a1 --path /pets --method POST --off',
        'gwctl methods require-key --api a1 --path / --method GET --off',
      ])
      return true
    })
  })

  it('fails with the plain AWS error when the first change fails', async () => {
    mock.on(UpdateMethodCommand).rejects(awsError('NotFoundException', 'Invalid Method identifier'))
    await assert.rejects(methods().requireKey({api: 'pets'}), (e: GwctlError) => e.code === 'NOT_FOUND' && e.done.length === 0)
  })

  it('checks the deploy stage before changing anything', async () => {
    await assert.rejects(
      methods().requireKey({api: 'pets', deploy: 'staging'}),
      (e: GwctlError) => e.exitCode === 3 && /no stage "staging" \(stages: prod\)/.test(e.message),
    )
    assert.equal(updates().length, 0)
  })

  it('deploys after the changes with --deploy, even when nothing changed', async () => {
    const result = await methods().requireKey({api: 'pets', path: '/pets/{id}', deploy: 'prod', deployDescription: 'keys on'})
    assert.deepEqual(updates(), [keyOn('r2', 'DELETE'), keyOn('r2', 'GET')])
    assert.deepEqual(
      mock.commandCalls(CreateDeploymentCommand).map((c) => c.args[0].input),
      [{restApiId: 'a1', stageName: 'prod', description: 'keys on'}],
    )
    assert.equal(result.deployment?.id, 'd9')
    assert.deepEqual(result.stagesToRedeploy, [])

    mock.resetHistory()
    const again = await methods().requireKey({api: 'pets', path: '/pets', methods: ['GET'], deploy: 'prod'})
    assert.deepEqual([again.changedMethods, again.changed], [[], true])
    assert.equal(mock.commandCalls(CreateDeploymentCommand).length, 1)
  })

  describe('on a stage no usage plan covers', () => {
    const uncovered =
      /^No usage plan covers stage prod of API pets \(a1\): once it is deployed, every call of a method requiring a key gets 403 Forbidden there, whatever key it sends\. Cover it first: gwctl stages attach --plan PLAN --api a1 --stage prod$/
    beforeEach(() => {
      mock.on(GetUsagePlansCommand).resolves({items: [{id: 'p1', name: 'gold', apiStages: [{apiId: 'a9', stage: 'prod'}]}]})
    })

    it('warns, naming the stage and stages attach, but not when the key is turned off', async () => {
      const on = await methods().requireKey({api: 'pets', path: '/'})
      assert.equal(on.warnings.length, 1)
      assert.match(on.warnings[0], uncovered)
      assert.deepEqual((await methods().requireKey({api: 'pets', path: '/pets', methods: ['GET'], off: true})).warnings, [])
    })

    it('asks before deploying to it, and changes nothing when refused', async () => {
      const questions: string[] = []
      const refuse = async (question: string, warnings: string[]) => {
        questions.push(question, ...warnings)
        throw new GwctlError('BAD_INPUT', 'refused')
      }

      await assert.rejects(methods().requireKey({api: 'pets', path: '/', deploy: 'prod'}, {confirm: refuse}), /refused/)
      assert.equal(questions[0], 'No usage plan covers stage prod: deploy anyway, so that callers of methods requiring a key get 403 there?')
      assert.match(questions[1], uncovered)
      assert.equal(updates().length + mock.commandCalls(CreateDeploymentCommand).length, 0)
      const yes = await methods().requireKey({api: 'pets', path: '/', deploy: 'prod'}, {confirm: async () => {}})
      assert.equal(yes.deployment?.id, 'd9')
    })
  })

  it('says what was changed, and how to deploy or undo, when the deployment fails', async () => {
    mock.on(CreateDeploymentCommand).rejects(awsError('BadRequestException', 'No integration defined for method'))
    await assert.rejects(methods().requireKey({api: 'pets', path: '/', deploy: 'prod'}), (e: GwctlError) => {
      assert.equal(e.code, 'PARTIAL_FAILURE')
      assert.match(e.message, /stopped after 1 of 2 steps: .*No integration defined for method/)
      assert.deepEqual(e.report?.done, ['set apiKeyRequired=true on GET /'])
      assert.deepEqual(e.report?.finish, ['gwctl deploy --api a1 --stage prod'])
      assert.deepEqual(e.report?.undo, ['gwctl methods require-key --api a1 --path / --method GET --off'])
      return true
    })
  })
})
