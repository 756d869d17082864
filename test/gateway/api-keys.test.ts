import {
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanKeyCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  TagResourceCommand,
  UntagResourceCommand,
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

const ids = (keys: Array<{id?: string}>) => keys.map((k) => k.id)
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
      assert.deepEqual(input, {name: 'bob', description: 'Bob Inc', customerId: undefined, enabled: false, value: input.value})
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

  it('disables with one replace /enabled, and sends nothing for a key already so', async () => {
    mock.on(UpdateApiKeyCommand).resolves({...alice, enabled: false})
    const disabled = await new ApiKeys(apigw).setEnabled('alice', false)
    const again = await new ApiKeys(apigw).setEnabled('alice', true)
    assert.deepEqual(
      mock.commandCalls(UpdateApiKeyCommand).map((c) => c.args[0].input),
      [{apiKey: 'k1', patchOperations: [{op: 'replace', path: '/enabled', value: 'false'}]}],
    )
    assert.deepEqual([disabled.changed, again.changed, again.operations], [true, false, []])
  })

  describe('update', () => {
    it('sends only the fields that differ, in one UpdateApiKey', async () => {
      mock.on(UpdateApiKeyCommand).resolves({...alice, name: 'alice-2'})
      const result = await new ApiKeys(apigw).update('alice', {name: 'alice-2', description: 'Alice Ltd', customerId: 'c-43', enabled: true})
      assert.deepEqual(
        mock.commandCalls(UpdateApiKeyCommand).map((c) => c.args[0].input),
        [
          {
            apiKey: 'k1',
            patchOperations: [
              {op: 'replace', path: '/name', value: 'alice-2'},
              {op: 'replace', path: '/customerId', value: 'c-43'},
            ],
          },
        ],
      )
      assert.deepEqual([result.changed, result.apiKey?.name, result.calls.map((c) => c.operation)], [true, 'alice-2', ['UpdateApiKey']])
    })

    it('sends nothing when the key is already so, or on a dry run', async () => {
      const same = await new ApiKeys(apigw).update('alice', {description: 'Alice Ltd', customerId: 'c-42'})
      const dry = await new ApiKeys(apigw).update('alice', {description: 'new'}, {dryRun: true})
      assert.equal(mock.commandCalls(UpdateApiKeyCommand).length, 0)
      assert.deepEqual([same.changed, same.operations], [false, []])
      assert.deepEqual(
        [dry.changed, dry.dryRun, dry.calls],
        [false, true, [{operation: 'UpdateApiKey', input: {apiKey: 'k1', patchOperations: [{op: 'replace', path: '/description', value: 'new'}]}}]],
      )
    })
  })

  describe('delete', () => {
    it('deletes with DeleteApiKey; with ifExists a missing key is nothing to do', async () => {
      const deleted = await new ApiKeys(apigw).delete('alice')
      const missing = await new ApiKeys(apigw).delete('mallory', {ifExists: true})
      assert.deepEqual(
        mock.commandCalls(DeleteApiKeyCommand).map((c) => c.args[0].input),
        [{apiKey: 'k1'}],
      )
      assert.deepEqual([deleted.changed, missing.changed, missing.apiKey], [true, false, null])
      assert.equal((await rejection(new ApiKeys(apigw).delete('mallory'))).exitCode, 3)
    })
  })

  it('lists keys sharing a name with their state and creation date, which tell them apart', async () => {
    mock.on(GetApiKeysCommand).resolves({
      items: [
        {...alice, createdDate: new Date('2026-11-02T09:30:00Z')},
        {id: 'k2', name: 'alice', enabled: false, createdDate: new Date('2026-11-28T16:05:00Z')},
      ],
    })
    const error = await rejection(new ApiKeys(apigw).resolve('alice'))
    assert.equal(error.exitCode, 2)
    assert.equal(error.message, '2 API keys are named "alice": k1 (alice, enabled, created 2026-11-02 09:30Z), k2 (alice, disabled, created 2026-11-28 16:05Z)')
  })

  describe('find', () => {
    beforeEach(() => {
      mock.on(GetApiKeysCommand).resolves({
        items: [
          {...alice, value: 'AliceValue0123456789xy'},
          {id: 'k2', name: 'bob', value: 'BobValue0123456789abcd'},
        ],
      })
      mock.on(GetUsagePlansCommand, {keyId: 'k2'}).resolves({items: [plans[2]]})
    })

    it('finds the key with that value, reading values from AWS, and its plans', async () => {
      const found = await new ApiKeys(apigw).find('BobValue0123456789abcd\n')
      assert.deepEqual([found.apiKey.id, found.usagePlans], ['k2', [{id: 'p-free', name: 'free'}]])
      assert.equal(mock.commandCalls(GetApiKeysCommand)[0].args[0].input.includeValues, true)
    })

    it('says no key has the value (exit 3) without repeating it, also for a prefix of a real value', async () => {
      for (const value of ['BobValue0123456789abc', 'nothing-like-it']) {
        const error = await rejection(new ApiKeys(apigw).find(value))
        assert.equal(error.exitCode, 3)
        assert.equal(error.message, 'No API key in this account and Region has that value')
      }
    })
  })

  describe('listWithPlans', () => {
    beforeEach(() => {
      mock.on(GetApiKeysCommand).resolves({
        items: [alice, {id: 'k2', name: 'bob-test', enabled: false, customerId: 'c-7'}, {id: 'k3', name: 'bob-prod', enabled: true}],
      })
      mock.on(GetUsagePlanKeysCommand, {usagePlanId: 'p-free'}).resolves({items: [{id: 'k1'}, {id: 'k3'}]})
    })

    it('gives each key the plans it is in', async () => {
      const keys = await new ApiKeys(apigw).listWithPlans({})
      assert.deepEqual(
        keys.map((k) => [k.id, k.usagePlans.map((p) => p.name)]),
        [
          ['k1', ['gold', 'free']],
          ['k2', []],
          ['k3', ['free']],
        ],
      )
    })

    it('filters by plan, name prefix, customer id, enabled state and no plan, in combination', async () => {
      const keys = new ApiKeys(apigw)
      assert.deepEqual(ids(await keys.listWithPlans({plan: 'free'})), ['k1', 'k3'])
      assert.deepEqual(ids(await keys.listWithPlans({namePrefix: 'bob-'})), ['k2', 'k3'])
      assert.deepEqual(ids(await keys.listWithPlans({customerId: 'c-7'})), ['k2'])
      assert.deepEqual(ids(await keys.listWithPlans({enabled: false})), ['k2'])
      assert.deepEqual(ids(await keys.listWithPlans({noPlan: true})), ['k2'])
      assert.deepEqual(ids(await keys.listWithPlans({namePrefix: 'bob-', enabled: true, plan: 'p-free'})), ['k3'])
    })
  })

  describe('create --if-not-exists', () => {
    it('returns the existing key unchanged, with how it differs from what was asked', async () => {
      mock.on(GetApiKeyCommand).resolves({...alice, value: 'AliceValue0123456789xy'})
      mock.on(GetUsagePlansCommand, {keyId: 'k1'}).resolves({items: [plans[0]]})
      const result = await new ApiKeys(apigw).create({
        name: 'alice',
        description: 'Other',
        enabled: false,
        value: 'AnotherValue0123456789',
        plans: ['gold', 'free'],
        ifNotExists: true,
      })
      assert.equal(mock.commandCalls(CreateApiKeyCommand).length + mock.commandCalls(CreateUsagePlanKeyCommand).length, 0)
      assert.deepEqual([result.changed, result.apiKey.id, result.calls], [false, 'k1', []])
      assert.deepEqual(result.differences, [
        'description is "Alice Ltd" (asked: "Other")',
        'it is enabled (asked: disabled)',
        'its value is not the one given',
        'it is not in usage plan free (p-free) (add it: gwctl keys attach k1 --plan p-free)',
      ])
    })

    it('creates the key when no key has that name, with its customer id', async () => {
      mock.on(CreateApiKeyCommand).callsFake((input) => ({id: 'k9', ...input}))
      const result = await new ApiKeys(apigw).create({name: 'carol', customerId: 'c-9', enabled: true, plans: [], ifNotExists: true})
      assert.equal(mock.commandCalls(CreateApiKeyCommand)[0].args[0].input.customerId, 'c-9')
      assert.equal(result.changed, true)
    })
  })

  describe('dry runs', () => {
    it('create, attach, detach and rotate send nothing and list the calls they would send, never a key value', async () => {
      mock.on(GetUsagePlansCommand, {keyId: 'k1'}).resolves({items: [plans[0]]})
      mock.on(GetApiKeyCommand).resolves(alice)
      const keys = new ApiKeys(apigw)
      const created = await keys.create({name: 'carol', value: 'CarolValue0123456789ab', enabled: true, plans: ['free'], dryRun: true})
      const attached = await keys.attach('alice', 'free', {dryRun: true})
      const detached = await keys.detach('alice', 'gold', {dryRun: true})
      const rotated = await keys.rotate('alice', 'delete', {dryRun: true})
      assert.deepEqual(
        mock
          .calls()
          .map((c) => c.args[0].constructor.name)
          .filter((name) => !name.startsWith('Get')),
        [],
        'only reads were sent',
      )
      assert.deepEqual(created.calls, [
        {operation: 'CreateApiKey', input: {name: 'carol', description: undefined, customerId: undefined, enabled: true, value: '<value, not shown>'}},
        {operation: 'CreateUsagePlanKey', input: {usagePlanId: 'p-free', keyId: '<id of the new key>', keyType: 'API_KEY'}},
      ])
      assert.deepEqual(attached.calls, [{operation: 'CreateUsagePlanKey', input: {usagePlanId: 'p-free', keyId: 'k1', keyType: 'API_KEY'}}])
      assert.deepEqual(detached.calls, [{operation: 'DeleteUsagePlanKey', input: {usagePlanId: 'p-gold', keyId: 'k1'}}])
      assert.deepEqual(
        rotated.calls.map((c) => c.operation),
        ['CreateApiKey', 'CreateUsagePlanKey', 'DeleteApiKey'],
      )
      assert.ok([created, attached, detached, rotated].every((r) => r.dryRun && !r.changed))
      assert.doesNotMatch(JSON.stringify([created, rotated]), /CarolValue/)
    })
  })

  describe('tags', () => {
    it('tags the key by its ARN, sending only tags whose value differs', async () => {
      mock.on(GetApiKeyCommand).resolves({...alice, tags: {team: 'a', env: 'prod'}})
      const result = await new ApiKeys(apigw).changeTags('alice', {set: {team: 'b', env: 'prod'}, dryRun: false})
      assert.deepEqual(
        mock.commandCalls(TagResourceCommand).map((c) => c.args[0].input),
        [{resourceArn: 'arn:aws:apigateway:us-east-1::/apikeys/k1', tags: {team: 'b'}}],
      )
      assert.deepEqual([result.changed, result.tags], [true, {team: 'b', env: 'prod'}])
    })

    it('untags only the keys it has, and nothing at all when it has none of them', async () => {
      mock.on(GetApiKeyCommand).resolves({...alice, tags: {team: 'a'}})
      const removed = await new ApiKeys(apigw).changeTags('alice', {remove: ['team', 'env'], dryRun: false})
      const none = await new ApiKeys(apigw).changeTags('alice', {remove: ['env'], dryRun: false})
      assert.deepEqual(
        mock.commandCalls(UntagResourceCommand).map((c) => c.args[0].input),
        [{resourceArn: 'arn:aws:apigateway:us-east-1::/apikeys/k1', tagKeys: ['team']}],
      )
      assert.deepEqual([removed.changed, removed.tags, none.changed], [true, {}, false])
    })
  })

  describe('exportKeys', () => {
    it('writes plan ids, or names where asked and unique; values only when asked', async () => {
      mock.on(GetApiKeysCommand).resolves({items: [{...alice, value: 'AliceValue0123456789xy'}]})
      mock.on(GetUsagePlansCommand).resolves({items: [...plans, {id: 'p-gold2', name: 'gold', apiStages: []}]})
      mock.on(GetUsagePlanKeysCommand, {usagePlanId: 'p-free'}).resolves({items: [{id: 'k1'}]})
      const byId = await new ApiKeys(apigw).exportKeys({includeValues: false, plansByName: false})
      const byName = await new ApiKeys(apigw).exportKeys({includeValues: true, plansByName: true})
      assert.deepEqual(byId.keys, [{name: 'alice', value: '', description: 'Alice Ltd', enabled: true, usagePlans: ['p-gold', 'p-free'], customerId: 'c-42'}])
      assert.deepEqual(byName.keys[0].usagePlans, ['p-gold', 'free'])
      assert.equal(byName.keys[0].value, 'AliceValue0123456789xy')
      assert.deepEqual(byName.warnings, ['Several usage plans are named "gold": written as the id p-gold'])
      assert.equal(mock.commandCalls(GetApiKeysCommand)[0].args[0].input.includeValues, false)
    })
  })

  describe('rotate', () => {
    beforeEach(() => {
      mock.on(GetUsagePlansCommand, {keyId: 'k1'}).resolves({items: [plans[0], plans[2]]})
      mock.on(GetApiKeyCommand, {apiKey: 'k1'}).resolves(alice)
      mock.on(CreateApiKeyCommand).callsFake((input) => ({id: 'k2', ...input}))
    })

    it('creates a key like the old one with a new value, adds it to every plan of the old one, then disables the old one', async () => {
      const result = await new ApiKeys(apigw).rotate('alice', 'disable')
      const input = mock.commandCalls(CreateApiKeyCommand)[0].args[0].input
      assert.deepEqual(input, {name: 'alice', description: 'Alice Ltd', customerId: 'c-42', enabled: true, tags: undefined, value: input.value})
      assert.match(input.value!, /^[A-Za-z0-9]{40}$/)
      assert.deepEqual(usagePlanKeyInputs(), [
        {usagePlanId: 'p-gold', keyId: 'k2', keyType: 'API_KEY'},
        {usagePlanId: 'p-free', keyId: 'k2', keyType: 'API_KEY'},
      ])
      assert.deepEqual(mock.commandCalls(UpdateApiKeyCommand)[0].args[0].input, {
        apiKey: 'k1',
        patchOperations: [{op: 'replace', path: '/enabled', value: 'false'}],
      })
      assert.deepEqual([result.apiKey.id, result.previousApiKey.id], ['k2', 'k1'])
      assert.equal(mock.commandCalls(DeleteApiKeyCommand).length, 0)
    })

    it("keeps the old key's enabled state and tags: a disabled key is replaced by a disabled one", async () => {
      mock.on(GetApiKeyCommand, {apiKey: 'k1'}).resolves({...alice, enabled: false, tags: {tier: 'gold'}})
      mock.on(UpdateApiKeyCommand).resolves({})
      await new ApiKeys(apigw).rotate('alice', 'disable')
      const input = mock.commandCalls(CreateApiKeyCommand)[0].args[0].input
      assert.deepEqual([input.enabled, input.tags, input.customerId, input.description], [false, {tier: 'gold'}, 'c-42', 'Alice Ltd'])
      assert.equal(mock.commandCalls(UpdateApiKeyCommand).length, 0, 'the old key is disabled already')
    })

    it('renames the old key with renameOld, in the same UpdateApiKey that disables it', async () => {
      mock.on(UpdateApiKeyCommand).resolves({...alice, name: 'alice-old', enabled: false})
      const result = await new ApiKeys(apigw).rotate('alice', 'disable', {renameOld: '-old'})
      assert.deepEqual(
        mock.commandCalls(UpdateApiKeyCommand).map((c) => c.args[0].input),
        [
          {
            apiKey: 'k1',
            patchOperations: [
              {op: 'replace', path: '/name', value: 'alice-old'},
              {op: 'replace', path: '/enabled', value: 'false'},
            ],
          },
        ],
      )
      assert.equal(result.previousApiKey.name, 'alice-old')
    })

    it('refuses renameOld with delete, and an empty suffix, before creating anything', async () => {
      assert.match(
        (await rejection(new ApiKeys(apigw).rotate('alice', 'delete', {renameOld: '-old'}))).message,
        /--rename-old renames the old key, which --delete-old deletes/,
      )
      assert.equal((await rejection(new ApiKeys(apigw).rotate('alice', 'keep', {renameOld: ''}))).exitCode, 2)
      assert.equal(mock.commandCalls(CreateApiKeyCommand).length, 0)
    })

    it('says how to finish and undo the rename when it fails', async () => {
      mock.on(UpdateApiKeyCommand).rejects(awsError('BadRequestException', 'Invalid name'))
      const error = await rejection(new ApiKeys(apigw).rotate('alice', 'keep', {renameOld: '-old'}))
      assert.equal(error.code, 'PARTIAL_FAILURE')
      assert.deepEqual(error.report?.finish, ['gwctl keys update k1 --name alice-old'])
      assert.deepEqual(error.report?.undo, ['gwctl keys delete k2 --yes'])
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
