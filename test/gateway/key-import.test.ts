import {GetApiKeysCommand, GetUsagePlanKeysCommand, GetUsagePlansCommand, ImportApiKeysCommand, UpdateApiKeyCommand} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import type {ApiGateway} from '../../src/aws/api-gateway.js'

import {ApiKeys} from '../../src/gateway/api-keys.js'
import {type ApiGatewayMock, awsError, keysAccount, mockApiGateway} from '../helpers/mock-aws.js'
import {rejection} from '../helpers/rejection.js'

let mock: ApiGatewayMock

let apigw: ApiGateway

let sleeps: number[]
const plans = [
  {id: 'p-gold', name: 'gold', apiStages: [{apiId: 'a1', stage: 'prod'}]},
  {id: 'p-silver', name: 'silver', apiStages: [{apiId: 'a1', stage: 'prod'}]},
  {id: 'p-free', name: 'free', apiStages: [{apiId: 'a2', stage: 'prod'}]},
]
const value = (i: number) => `Key${String(i).padStart(6, '0')}abcdefghijklmn`
const csvOf = (count: number) => ['Name,Key', ...Array.from({length: count}, (_, i) => `user${i},${value(i)}`)].join('\n')
const sentCsv = (call: number) => new TextDecoder().decode(mock.commandCalls(ImportApiKeysCommand)[call].args[0].input.body as Uint8Array)
const options = {source: 'keys.csv', plans: [] as string[], failOnWarnings: false, dryRun: false}

const account = (existing: Array<{id: string; name?: string; value: string}> = [], leaveOut: string[] = []) => keysAccount(mock, existing, leaveOut)

describe('ApiKeys.import (ImportApiKeys, mocked)', () => {
  beforeEach(() => {
    ;({mock, apigw, sleeps} = mockApiGateway())
    mock.on(GetUsagePlansCommand).resolves({items: plans})
    account()
  })
  afterEach(() => mock.restore())

  it('sends the normalised CSV as the body with format=csv and failOnWarnings, and adds --plan ids to each row', async () => {
    const csv = 'key,name,usageplanids\nabcdefghijklmnopqrst01,alice,\nabcdefghijklmnopqrst02,bob,p-free\n'
    const result = await new ApiKeys(apigw).import(csv, {...options, plans: ['free'], failOnWarnings: true})
    const calls = mock.commandCalls(ImportApiKeysCommand)
    assert.equal(calls.length, 1)
    const {body, ...query} = calls[0].args[0].input
    assert.ok(body instanceof Uint8Array)
    assert.deepEqual(query, {format: 'csv', failOnWarnings: true})
    assert.equal(sentCsv(0), 'Name,Key,Description,Enabled,UsagePlanIds\nalice,abcdefghijklmnopqrst01,,true,p-free\nbob,abcdefghijklmnopqrst02,,true,p-free\n')
    assert.deepEqual(result.ids, ['n0', 'n1'])
    assert.deepEqual(result.imported, [
      {line: 2, name: 'alice', id: 'n0', customerId: undefined},
      {line: 3, name: 'bob', id: 'n1', customerId: undefined},
    ])
    assert.deepEqual(result.usagePlanIds, ['p-free'])
  })

  it('splits 250 rows into batches of 100, 100 and 50, and gives each row the id of its key', async () => {
    const result = await new ApiKeys(apigw).import(csvOf(250), options)
    assert.deepEqual(
      [0, 1, 2].map((i) => sentCsv(i).trim().split('\n').length - 1),
      [100, 100, 50],
    )
    assert.match(sentCsv(1), /^Name,Key,Description,Enabled,UsagePlanIds\nuser100,/)
    assert.equal(result.ids.length, 250)
    assert.equal(result.batches, 3)
    assert.deepEqual(result.imported[120], {line: 122, name: 'user120', id: 'n120', customerId: undefined})
  })

  it('fails, naming the rows AWS left out with their warnings, and gives the imported ones their ids (exit 7)', async () => {
    account([], ['user1', 'user103'])
    const error = await rejection(new ApiKeys(apigw).import(csvOf(150), options))
    assert.equal(error.code, 'PARTIAL_FAILURE')
    assert.equal(
      error.message,
      'Not imported: lines 3, 105 of keys.csv: AWS created no key for them; it warned: line 3 (user1): API key user1 not imported: limit reached; line 105 (user103): API key user103 not imported: limit reached',
    )
    const details = error.details as {imported: Array<{line: number; id: string}>; notImported: unknown[]; ids: string[]}
    assert.deepEqual(details.notImported, [
      {line: 3, name: 'user1'},
      {line: 105, name: 'user103'},
    ])
    assert.equal(details.imported.length, 148)
    assert.deepEqual(details.imported[1], {line: 4, name: 'user2', id: 'n1', customerId: undefined})
    assert.deepEqual(error.done, ['imported lines 2, 4-104, 106-151 of keys.csv as 148 new key(s); their ids are in --json'])
  })

  it('fails with exit 2 when AWS created no key at all', async () => {
    account([], ['user0'])
    const error = await rejection(new ApiKeys(apigw).import(csvOf(1), options))
    assert.equal(error.exitCode, 2)
    assert.deepEqual(error.done, [])
    assert.match(error.message, /^Not imported: line 2 of keys\.csv: AWS created no key for them/)
  })

  it('sets customer ids, from CustomerId cells or --customer-id, with one UpdateApiKey per key', async () => {
    mock.on(UpdateApiKeyCommand).resolves({})
    const csv = 'Name,Key,CustomerId\nalice,abcdefghijklmnopqrst01,cust-a\nbob,abcdefghijklmnopqrst02,\n'
    const result = await new ApiKeys(apigw).import(csv, {...options, customerId: 'cust-default'})
    assert.doesNotMatch(sentCsv(0), /cust-/)
    assert.deepEqual(
      mock.commandCalls(UpdateApiKeyCommand).map((c) => c.args[0].input),
      [
        {apiKey: 'n0', patchOperations: [{op: 'replace', path: '/customerId', value: 'cust-a'}]},
        {apiKey: 'n1', patchOperations: [{op: 'replace', path: '/customerId', value: 'cust-default'}]},
      ],
    )
    assert.deepEqual(
      result.imported.map((r) => r.customerId),
      ['cust-a', 'cust-default'],
    )
  })

  it('says what was imported, and the commands that set the rest, when setting a customer id fails', async () => {
    mock.on(UpdateApiKeyCommand).resolvesOnce({}).rejects(awsError('BadRequestException', 'Invalid customer id'))
    const csv = 'Name,Key,CustomerId\nalice,abcdefghijklmnopqrst01,cust-a\nbob,abcdefghijklmnopqrst02,cust-b\n'
    const error = await rejection(new ApiKeys(apigw).import(csv, options))
    assert.equal(error.code, 'PARTIAL_FAILURE')
    assert.deepEqual(error.report?.done, ['imported lines 2-3 of keys.csv: 2 API key(s) created', 'set customer id cust-a on API key alice (n0)'])
    assert.deepEqual(error.report?.finish, ['gwctl keys update n1 --customer-id cust-b'])
    assert.deepEqual(error.report?.undo, ['gwctl keys delete n1 --yes', 'gwctl keys delete n0 --yes'])
  })

  it('gives a warning about a line of a batch the line of the file', async () => {
    mock.on(ImportApiKeysCommand).callsFake((input) => {
      const keys = new TextDecoder()
        .decode(input.body as Uint8Array)
        .trim()
        .split('\n')
        .slice(1)
      return {ids: [], warnings: keys.some((k) => k.startsWith('user100,')) ? ['Line 3: duplicate name', 'something else'] : []}
    })
    const error = await rejection(new ApiKeys(apigw).import(csvOf(150), options))
    assert.deepEqual((error.details as {warnings: string[]}).warnings, ['line 103 (user101): duplicate name', 'lines 102-151: something else'])
  })

  it('retries a throttled batch with backoff and carries on', async () => {
    const keys = account()
    mock
      .on(ImportApiKeysCommand)
      .rejectsOnce(awsError('TooManyRequestsException', 'Too Many Requests'))
      .rejectsOnce(awsError('TooManyRequestsException', 'Too Many Requests', {retryAfterSeconds: '2'}))
      .callsFake(() => {
        keys.push({id: 'k1', name: 'user0', value: value(0)})
        return {ids: ['k1']}
      })
    const result = await new ApiKeys(apigw).import(csvOf(1), options)
    assert.equal(mock.commandCalls(ImportApiKeysCommand).length, 3)
    assert.equal(sleeps.length, 2)
    assert.equal(sleeps[1], 2000)
    assert.deepEqual(result.imported, [{line: 2, name: 'user0', id: 'k1', customerId: undefined}])
  })

  it('when a later batch fails, reports the lines imported with their keys, the lines not, and how to resume or undo (exit 7)', async () => {
    mock
      .on(ImportApiKeysCommand)
      .resolvesOnce({ids: Array.from({length: 100}, (_, i) => `k${i}`)})
      .rejects(awsError('BadRequestException', 'Invalid CSV'))
    const error = await rejection(new ApiKeys(apigw).import(csvOf(150), options))
    assert.equal(error.code, 'PARTIAL_FAILURE')
    assert.equal(error.exitCode, 7)
    assert.equal(
      error.message,
      'Importing API keys from keys.csv stopped after 1 of 3 steps: AWS refused importing API keys from keys.csv (batch 2 of 2, lines 102-151): Invalid CSV',
    )
    const report = error.report!
    assert.deepEqual(report.done, ['imported lines 2-101 of keys.csv: 100 API key(s) created'])
    assert.deepEqual(report.notDone, ['import lines 102-151 of keys.csv', 'read the imported keys back'])
    assert.deepEqual(
      report.created.map((c) => c.id),
      Array.from({length: 100}, (_, i) => `k${i}`),
    )
    assert.ok(
      report.created.every((c) => c.value === undefined),
      'values the user gave are not repeated',
    )
    assert.deepEqual(report.finish, ['gwctl keys import keys.csv'], 'running the import again skips the keys already there')
    assert.equal(report.undo.length, 100)
    assert.equal(report.undo[0], 'gwctl keys delete k99 --yes')
    assert.doesNotMatch(JSON.stringify(error.toJSON()), /--json/)
  })

  it('when the first batch fails, nothing was imported: the AWS error as it is', async () => {
    mock.on(ImportApiKeysCommand).rejects(awsError('BadRequestException', 'Invalid CSV'))
    const error = await rejection(new ApiKeys(apigw).import(csvOf(3), options))
    assert.equal(error.code, 'BAD_INPUT')
    assert.equal(error.message, 'AWS refused importing API keys from keys.csv (batch 1 of 1, lines 2-4): Invalid CSV')
    assert.deepEqual(error.done, [])
  })

  it('skips rows whose value already exists, so a re-run resumes without duplicates', async () => {
    account([{id: 'old1', name: 'user1', value: value(1)}])
    const result = await new ApiKeys(apigw).import(csvOf(3), options)
    assert.deepEqual(mock.commandCalls(GetApiKeysCommand)[0].args[0].input, {position: undefined, limit: 500, includeValues: true})
    assert.deepEqual(result.skipped, [{line: 3, name: 'user1', id: 'old1', missingUsagePlanIds: []}])
    assert.doesNotMatch(sentCsv(0), /user1,/)
    assert.deepEqual(
      result.imported.map((r) => r.line),
      [2, 4],
    )
  })

  it('says which plans an existing key is not in, and leaves its membership alone', async () => {
    account([
      {id: 'old1', value: value(1)},
      {id: 'old2', value: value(2)},
    ])
    mock.on(GetUsagePlanKeysCommand).resolves({items: [{id: 'old1'}]})
    const result = await new ApiKeys(apigw).import(csvOf(3), {...options, plans: ['free']})
    assert.deepEqual(result.skipped, [
      {line: 3, name: 'user1', id: 'old1', missingUsagePlanIds: []},
      {line: 4, name: 'user2', id: 'old2', missingUsagePlanIds: ['p-free']},
    ])
    assert.deepEqual(
      mock.commandCalls(GetUsagePlanKeysCommand).map((c) => c.args[0].input.usagePlanId),
      ['p-free'],
    )
  })

  it('sends nothing when every value exists already', async () => {
    account([{id: 'old0', value: value(0)}])
    const result = await new ApiKeys(apigw).import(csvOf(1), options)
    assert.equal(mock.commandCalls(ImportApiKeysCommand).length, 0)
    assert.equal(result.batches, 0)
  })

  it('refuses an invalid file with every problem and its line, and sends nothing', async () => {
    const error = await rejection(new ApiKeys(apigw).import('Name,Key,Enabled\nalice,short,yes\n,abcdefghijklmnopqrst01,\n', options))
    assert.equal(error.code, 'BAD_INPUT')
    assert.equal(
      error.message,
      'keys.csv has 3 problem(s); nothing was sent:\n  line 2: Key must be 20 to 128 letters and digits; it has 5 characters\n  line 2: Enabled must be true, false or empty (any case); got "yes"\n  line 3: Name is empty',
    )
    assert.equal(mock.commandCalls(ImportApiKeysCommand).length, 0)
  })

  it('checks plan ids in the file against the account', async () => {
    const error = await rejection(new ApiKeys(apigw).import('Name,Key,UsagePlanIds\nalice,abcdefghijklmnopqrst01,"p-gold,nope"\n', options))
    assert.match(error.message, /line 2: UsagePlanIds names usage plan "nope", which does not exist/)
  })

  it('refuses (exit 4) a key that would join two plans covering one stage, through its cell and --plan', async () => {
    const error = await rejection(new ApiKeys(apigw).import('Name,Key,UsagePlanIds\nalice,abcdefghijklmnopqrst01,p-gold\n', {...options, plans: ['silver']}))
    assert.equal(error.exitCode, 4)
    assert.match(error.message, /key alice \(line 2\) would be in usage plans gold \(p-gold\) and silver \(p-silver\), which both cover stage a1:prod/)
    assert.equal(mock.commandCalls(ImportApiKeysCommand).length, 0)
  })

  it('names an unknown --plan with exit 3 before reading further', async () => {
    const error = await rejection(new ApiKeys(apigw).import(csvOf(1), {...options, plans: ['platinum']}))
    assert.equal(error.exitCode, 3)
    assert.match(error.message, /No usage plan with id or name "platinum"/)
  })

  it('--dry-run checks everything and sends nothing', async () => {
    const result = await new ApiKeys(apigw).import(csvOf(120), {...options, dryRun: true})
    assert.equal(mock.commandCalls(ImportApiKeysCommand).length, 0)
    assert.equal(result.batches, 2)
    assert.equal(result.toSend.length, 120)
    assert.deepEqual(result.imported, [])
  })
})
