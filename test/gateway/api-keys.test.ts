import {
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanKeyCommand,
  GetApiKeysCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  UpdateApiKeyCommand,
} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import type {ApiGateway} from '../../src/aws/api-gateway.js'

import {ApiKeys} from '../../src/gateway/api-keys.js'
import {type ApiGatewayMock, awsError, mockApiGateway} from '../helpers/mock-aws.js'
import {rejection} from '../helpers/rejection.js'

let mock: ApiGatewayMock

let apigw: ApiGateway
const plans = [
  {id: 'p-gold', name: 'gold', apiStages: [{apiId: 'a1', stage: 'prod'}]},
  {
    id: 'p-silver',
    name: 'silver',
    apiStages: [
      {apiId: 'a1', stage: 'prod'},
      {apiId: 'a1', stage: 'beta'},
    ],
  },
  {id: 'p-free', name: 'free', apiStages: [{apiId: 'a2', stage: 'prod'}]},
]
const alice = {id: 'k1', name: 'alice', description: 'Alice Ltd', customerId: 'c-42', enabled: true}

const usagePlanKeyInputs = () => mock.commandCalls(CreateUsagePlanKeyCommand).map((c) => c.args[0].input)

describe('ApiKeys (mocked)', () => {
  beforeEach(() => {
    ;({mock, apigw} = mockApiGateway())
    mock.on(GetUsagePlansCommand).resolves({items: plans})
    mock.on(GetApiKeysCommand).resolves({items: [alice]})
    mock.on(GetUsagePlanKeysCommand).resolves({items: []})
    mock.on(GetUsagePlanKeysCommand, {usagePlanId: 'p-gold'}).resolves({items: [{id: 'k1', name: 'alice', type: 'API_KEY'}]})
  })
  afterEach(() => mock.restore())

  describe('create', () => {
    it('generates a 40-character value, sends enabled explicitly, then adds the key to each plan', async () => {
      mock.on(CreateApiKeyCommand).callsFake((input) => ({id: 'k9', ...input}))
      const result = await new ApiKeys(apigw).create({name: 'bob', description: 'Bob Inc', enabled: false, plans: ['gold', 'p-free']})
      const input = mock.commandCalls(CreateApiKeyCommand)[0].args[0].input
      assert.match(input.value!, /^[A-Za-z0-9]{40}$/)
      assert.deepEqual(input, {name: 'bob', description: 'Bob Inc', enabled: false, value: input.value})
      assert.deepEqual(usagePlanKeyInputs(), [
        {usagePlanId: 'p-gold', keyId: 'k9', keyType: 'API_KEY'},
        {usagePlanId: 'p-free', keyId: 'k9', keyType: 'API_KEY'},
      ])
      assert.equal(result.generatedValue, true)
      assert.deepEqual(result.usagePlans, [
        {id: 'p-gold', name: 'gold'},
        {id: 'p-free', name: 'free'},
      ])
    })

    it('refuses a bad --value before calling AWS', async () => {
      const error = await rejection(new ApiKeys(apigw).create({name: 'bob', value: 'too-short', enabled: true, plans: []}))
      assert.equal(error.exitCode, 2)
      assert.match(error.message, /^--value must be 20 to 128 letters and digits; it has 9 characters$/)
      assert.equal(mock.commandCalls(CreateApiKeyCommand).length, 0)
    })

    it('refuses (exit 4) two plans covering the same stage, before creating anything', async () => {
      const error = await rejection(new ApiKeys(apigw).create({name: 'bob', enabled: true, plans: ['gold', 'silver']}))
      assert.equal(error.exitCode, 4)
      assert.match(error.message, /key bob \(new key\) would be in usage plans gold \(p-gold\) and silver \(p-silver\), which both cover stage a1:prod/)
      assert.equal(mock.commandCalls(CreateApiKeyCommand).length, 0)
    })

    it('reports what was done, how to finish and how to undo when attaching fails part way', async () => {
      mock.on(CreateApiKeyCommand).resolves({id: 'k9', name: 'bob'})
      mock.on(CreateUsagePlanKeyCommand, {usagePlanId: 'p-free'}).rejects(awsError('NotFoundException', 'Invalid Usage Plan ID specified'))
      const error = await rejection(new ApiKeys(apigw).create({name: 'bob', enabled: true, plans: ['gold', 'free']}))
      assert.equal(error.code, 'PARTIAL_FAILURE')
      const value = (mock.commandCalls(CreateApiKeyCommand)[0].args[0].input as {value: string}).value
      assert.deepEqual(error.report, {
        done: ['created API key bob (k9)', 'add API key bob (k9) to usage plan gold (p-gold)'],
        notDone: ['add API key bob (k9) to usage plan free (p-free)'],
        created: [{kind: 'API key', id: 'k9', name: 'bob', value}],
        finish: ['gwctl keys attach k9 --plan p-free'],
        undo: ['gwctl keys delete k9 --yes'],
      })
    })

    it('reports a value it was given without repeating it', async () => {
      mock.on(CreateApiKeyCommand).resolves({id: 'k9', name: 'bob'})
      mock.on(CreateUsagePlanKeyCommand).rejects(awsError('NotFoundException', 'Invalid Usage Plan ID specified'))
      const error = await rejection(new ApiKeys(apigw).create({name: 'bob', value: 'Given0123456789abcdefghij', enabled: true, plans: ['gold']}))
      assert.deepEqual(error.report?.created, [{kind: 'API key', id: 'k9', name: 'bob'}])
      assert.ok(!JSON.stringify(error.toJSON()).includes('Given0123456789abcdefghij'))
    })
  })

  describe('attach and detach', () => {
    it('refuses a key already in a plan covering the same stage, naming key, both plans and the stage', async () => {
      const error = await rejection(new ApiKeys(apigw).attach('alice', 'silver'))
      assert.equal(error.exitCode, 4)
      assert.match(error.message, /key alice \(k1\) would be in usage plans gold \(p-gold\) and silver \(p-silver\), which both cover stage a1:prod/)
      assert.equal(mock.commandCalls(CreateUsagePlanKeyCommand).length, 0)
    })

    it('attaches with CreateUsagePlanKey when no stage is shared', async () => {
      const result = await new ApiKeys(apigw).attach('alice', 'free')
      assert.deepEqual(usagePlanKeyInputs(), [{usagePlanId: 'p-free', keyId: 'k1', keyType: 'API_KEY'}])
      assert.equal(result.changed, true)
    })

    it('leaves a key that is already in the plan alone', async () => {
      const result = await new ApiKeys(apigw).attach('k1', 'gold')
      assert.equal(result.changed, false)
      assert.equal(mock.commandCalls(CreateUsagePlanKeyCommand).length, 0)
    })

    it('detaches with DeleteUsagePlanKey, and only a member', async () => {
      const result = await new ApiKeys(apigw).detach('alice', 'gold')
      assert.deepEqual(mock.commandCalls(DeleteUsagePlanKeyCommand)[0].args[0].input, {usagePlanId: 'p-gold', keyId: 'k1'})
      assert.equal(result.changed, true)
      assert.equal((await new ApiKeys(apigw).detach('alice', 'free')).changed, false)
      assert.equal(mock.commandCalls(DeleteUsagePlanKeyCommand).length, 1)
    })

    it('names an unknown key with exit 3', async () => {
      const error = await rejection(new ApiKeys(apigw).attach('mallory', 'gold'))
      assert.equal(error.exitCode, 3)
      assert.match(error.message, /No API key with id or name "mallory"/)
    })
  })

  it('enables and disables with one replace /enabled', async () => {
    mock.on(UpdateApiKeyCommand).resolves({...alice, enabled: false})
    await new ApiKeys(apigw).setEnabled('alice', false)
    await new ApiKeys(apigw).setEnabled('alice', true)
    assert.deepEqual(
      mock.commandCalls(UpdateApiKeyCommand).map((c) => c.args[0].input),
      [
        {apiKey: 'k1', patchOperations: [{op: 'replace', path: '/enabled', value: 'false'}]},
        {apiKey: 'k1', patchOperations: [{op: 'replace', path: '/enabled', value: 'true'}]},
      ],
    )
  })

  describe('rotate', () => {
    beforeEach(() => {
      mock.on(GetUsagePlansCommand, {keyId: 'k1'}).resolves({items: [plans[0], plans[2]]})
      mock.on(CreateApiKeyCommand).callsFake((input) => ({id: 'k2', ...input}))
    })

    it('creates a key like the old one with a new value, adds it to every plan of the old one, then disables the old one', async () => {
      const result = await new ApiKeys(apigw).rotate('alice', 'disable')
      const input = mock.commandCalls(CreateApiKeyCommand)[0].args[0].input
      assert.deepEqual(input, {name: 'alice', description: 'Alice Ltd', customerId: 'c-42', enabled: true, value: input.value})
      assert.match(input.value!, /^[A-Za-z0-9]{40}$/)
      assert.deepEqual(usagePlanKeyInputs(), [
        {usagePlanId: 'p-gold', keyId: 'k2', keyType: 'API_KEY'},
        {usagePlanId: 'p-free', keyId: 'k2', keyType: 'API_KEY'},
      ])
      assert.deepEqual(mock.commandCalls(UpdateApiKeyCommand)[0].args[0].input, {
        apiKey: 'k1',
        patchOperations: [{op: 'replace', path: '/enabled', value: 'false'}],
      })
      assert.equal(result.newKey.id, 'k2')
      assert.equal(mock.commandCalls(DeleteApiKeyCommand).length, 0)
    })

    it('deletes the old key with --delete-old, and keeps it untouched by default', async () => {
      await new ApiKeys(apigw).rotate('alice', 'delete')
      assert.deepEqual(mock.commandCalls(DeleteApiKeyCommand)[0].args[0].input, {apiKey: 'k1'})
      mock.resetHistory()
      await new ApiKeys(apigw).rotate('alice', 'keep')
      assert.equal(mock.commandCalls(DeleteApiKeyCommand).length + mock.commandCalls(UpdateApiKeyCommand).length, 0)
    })

    it('stops at a failure midway, listing what was done and how to finish or undo', async () => {
      mock.on(CreateUsagePlanKeyCommand, {usagePlanId: 'p-free'}).rejects(awsError('ConflictException', 'Usage plan key already exists'))
      const error = await rejection(new ApiKeys(apigw).rotate('alice', 'disable'))
      assert.equal(error.exitCode, 7)
      assert.equal(
        error.message,
        'Rotating API key alice (k1) stopped after 2 of 4 steps: AWS refused adding API key alice (k2) to usage plan free (p-free): Usage plan key already exists',
      )
      assert.deepEqual(error.report?.done, ['created API key alice (k2)', 'add API key alice (k2) to usage plan gold (p-gold)'])
      assert.deepEqual(error.report?.notDone, ['add API key alice (k2) to usage plan free (p-free)', 'disable the old key alice (k1)'])
      assert.deepEqual(error.report?.finish, ['gwctl keys attach k2 --plan p-free', 'gwctl keys disable k1'])
      assert.deepEqual(error.report?.undo, ['gwctl keys delete k2 --yes'])
      assert.match(error.report.created[0].value!, /^[A-Za-z0-9]{40}$/, 'the new value, generated by gwctl, is in the report')
      assert.equal(mock.commandCalls(UpdateApiKeyCommand).length, 0)
    })
  })
})
