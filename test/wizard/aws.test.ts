import {
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetApiKeysCommand,
  GetAuthorizersCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  UpdateMethodCommand,
} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'
import {fileURLToPath} from 'node:url'

import {GwctlError} from '../../src/model/errors.js'
import {makeStyle} from '../../src/ui/style.js'
import {awsWizardPorts} from '../../src/wizard/aws.js'
import {runWizard} from '../../src/wizard/wizard.js'
import {mockApiGateway} from '../helpers/mock-aws.js'
import {HAPPY, type Script, scriptedPrompter} from '../helpers/wizard-fakes.js'

const method = (apiKeyRequired: boolean) => ({httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired})

/** API "pets" (a1) with stages prod and beta, no plans and no keys yet. */
function petsAccount() {
  const {mock, apigw} = mockApiGateway()
  const gold = {
    id: 'pNEW',
    name: 'gold',
    apiStages: [
      {apiId: 'a1', stage: 'prod'},
      {apiId: 'a1', stage: 'beta'},
    ],
  }
  mock.on(GetRestApisCommand).resolves({items: [{id: 'a1', name: 'pets', apiKeySource: 'HEADER'}]})
  mock.on(GetStagesCommand).resolves({
    item: [
      {stageName: 'prod', deploymentId: 'd0'},
      {stageName: 'beta', deploymentId: 'd0'},
    ],
  })
  mock.on(GetResourcesCommand).resolves({
    items: [
      {id: 'r0', path: '/', resourceMethods: {GET: method(false)}},
      {id: 'r1', path: '/pets', resourceMethods: {GET: method(false), POST: {...method(true), httpMethod: 'POST'}}},
      {id: 'r2', path: '/pets/{id}', resourceMethods: {GET: method(false)}},
    ],
  })
  mock.on(GetAuthorizersCommand).resolves({items: []})
  // No plan before the wizard creates one; the new plan afterwards.
  mock
    .on(GetUsagePlansCommand)
    .resolvesOnce({items: []})
    .resolves({items: [gold]})
  mock.on(GetUsagePlanKeysCommand).resolves({items: []})
  mock.on(GetApiKeysCommand).resolves({items: []})
  mock.on(CreateUsagePlanCommand).resolves(gold)
  let n = 0
  mock.on(CreateApiKeyCommand).callsFake((input: {name: string; value: string}) => ({id: `k${++n}`, name: input.name, value: input.value, enabled: true}))
  mock.on(CreateUsagePlanKeyCommand).resolves({})
  mock.on(UpdateMethodCommand).resolves({})
  mock.on(CreateDeploymentCommand).callsFake((input: {stageName: string}) => ({id: `dep-${input.stageName}`}))
  return {mock, apigw}
}

const SCRIPT: Script = [...HAPPY, [/Apply these 7 changes/, true]]

/** A call as "CommandName" plus the input fields that matter to the user. */
const callsOf = (mock: ReturnType<typeof petsAccount>['mock']) =>
  mock.calls().map((c) => ({command: c.args[0].constructor.name.replace(/Command$/, ''), input: c.args[0].input as Record<string, unknown>}))

const isWrite = (name: string) => /^(Create|Update|Delete|Import)/.test(name)

describe('wizard over the real services (mocked API Gateway client)', () => {
  it("sends the calls of the printed commands in the AWS guide's order, and no write before the confirmation", async () => {
    const {mock, apigw} = petsAccount()
    const out: string[] = []
    const err: string[] = []
    const prompter = scriptedPrompter(SCRIPT)
    const result = await runWizard({prompter, ...awsWizardPorts(apigw), log: (t) => out.push(t), note: (t) => err.push(t), style: makeStyle(false)})
    assert.equal(prompter.left(), 0)
    assert.equal(result.applied, true)

    const writes = callsOf(mock).filter((c) => isWrite(c.command))
    assert.deepEqual(
      writes.map((c) => c.command),
      [
        'CreateUsagePlan',
        'CreateApiKey',
        'CreateUsagePlanKey',
        'CreateApiKey',
        'CreateUsagePlanKey',
        'UpdateMethod',
        'UpdateMethod',
        'CreateDeployment',
        'CreateDeployment',
      ],
    )
    const [plan, key1, member1, key2, member2, getPets, getPet, deployProd, deployBeta] = writes.map((c) => c.input)
    assert.deepEqual(plan, {
      name: 'gold',
      description: undefined,
      throttle: {rateLimit: 100, burstLimit: 200},
      quota: {limit: 50_000, period: 'MONTH', offset: 0},
      apiStages: [
        {apiId: 'a1', stage: 'prod', throttle: {'/pets/POST': {rateLimit: 1, burstLimit: 2}}},
        {apiId: 'a1', stage: 'beta', throttle: {'/pets/POST': {rateLimit: 1, burstLimit: 2}}},
      ],
      tags: undefined,
    })
    assert.equal(key1.name, 'gold-1')
    assert.equal(key1.enabled, true)
    assert.match(String(key1.value), /^[A-Za-z0-9]{40}$/)
    assert.deepEqual(member1, {usagePlanId: 'pNEW', keyId: 'k1', keyType: 'API_KEY'})
    assert.equal(key2.name, 'gold-2')
    assert.notEqual(key2.value, key1.value)
    assert.deepEqual(member2, {usagePlanId: 'pNEW', keyId: 'k2', keyType: 'API_KEY'})
    // POST /pets already required a key: only the two GETs change.
    assert.deepEqual(getPets, {
      restApiId: 'a1',
      resourceId: 'r1',
      httpMethod: 'GET',
      patchOperations: [{op: 'replace', path: '/apiKeyRequired', value: 'true'}],
    })
    assert.deepEqual(getPet, {restApiId: 'a1', resourceId: 'r2', httpMethod: 'GET', patchOperations: [{op: 'replace', path: '/apiKeyRequired', value: 'true'}]})
    assert.deepEqual(deployProd, {restApiId: 'a1', stageName: 'prod', description: 'gwctl wizard: usage plan gold'})
    assert.equal(deployBeta.stageName, 'beta')

    // Nothing was written before the confirmation: the first write comes after the last question.
    const firstWrite = callsOf(mock).findIndex((c) => isWrite(c.command))
    assert.ok(
      callsOf(mock)
        .slice(0, firstWrite)
        .every((c) => c.command.startsWith('Get')),
    )
    assert.deepEqual(result.deployments, [
      {stage: 'prod', id: 'dep-prod'},
      {stage: 'beta', id: 'dep-beta'},
    ])
    // The key values are printed once, as AWS returned them.
    const value = String(key1.value)
    assert.equal(out.join('\n').split(value).length - 1, 1)
    assert.match(err.join('\n'), /\[7\/7\] Deploy pets to stage beta/)
  })

  it('--dry-run asks everything, reads, and sends no write', async () => {
    const {mock, apigw} = petsAccount()
    const prompter = scriptedPrompter(SCRIPT.slice(0, -1))
    const result = await runWizard({prompter, ...awsWizardPorts(apigw), log() {}, note() {}, style: makeStyle(false)}, {dryRun: true})
    assert.equal(result.applied, false)
    assert.deepEqual(
      callsOf(mock).filter((c) => isWrite(c.command)),
      [],
    )
    assert.equal(result.commands.length, 7)
  })

  it('stops at a failing UpdateMethod with what was done, and the commands to finish or undo', async () => {
    const {mock, apigw} = petsAccount()
    mock
      .on(UpdateMethodCommand)
      .rejects(Object.assign(new Error('Invalid method'), {name: 'BadRequestException', $fault: 'client', $metadata: {httpStatusCode: 400}}))
    const prompter = scriptedPrompter(SCRIPT)
    const error = await runWizard({prompter, ...awsWizardPorts(apigw), log() {}, note() {}, style: makeStyle(false)}).catch((error_: unknown) => error_)
    assert.ok(error instanceof GwctlError)
    assert.equal(error.exitCode, 7)
    assert.match(error.message, /^The setup stopped after 3 of 7 steps: AWS refused setting apiKeyRequired=true on GET \/pets/)
    assert.deepEqual(
      error.report?.done.map((d) => d.replace(/\(\w+\)$/, '(id)')),
      ['created usage plan gold (id)', 'created API key gold-1 (id)', 'created API key gold-2 (id)'],
    )
    assert.equal(error.report?.notDone[0], 'Require an API key on GET /pets')
    assert.ok(error.report?.undo.includes('gwctl plans delete pNEW --force --yes'))
    // No deployment after the failure.
    assert.equal(callsOf(mock).filter((c) => c.command === 'CreateDeployment').length, 0)
  })

  it('the check of a CSV file never repeats a key value in its refusal (issue 13)', async () => {
    const {apigw} = petsAccount()
    const file = fileURLToPath(new URL('../fixtures/keys/headerless.csv', import.meta.url))
    const refusal = await awsWizardPorts(apigw)
      .reads.checkKeysFile(file)
      .catch((error: unknown) => error)
    assert.ok(refusal instanceof GwctlError)
    assert.match(refusal.message, /the header has no Name column \(found: acme, Zx8K\*{6}T1\)/)
    assert.ok(!refusal.message.includes('SECRET1'))
  })
})
