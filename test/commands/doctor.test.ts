import {
  APIGatewayClient,
  CreateDeploymentCommand,
  GetAccountCommand,
  GetApiKeysCommand,
  GetDeploymentCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  UpdateMethodCommand,
} from '@aws-sdk/client-api-gateway'
import {type AwsClientStub, mockClient} from 'aws-sdk-client-mock'
import assert from 'node:assert/strict'

import {RECOMMENDED_FORMATS} from '../../src/simulator/formats.js'
import {ROOT} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'

/**
 * An account held in memory and served through the mocked SDK client, so that a
 * deployment made by --fix is what the check after it reads.
 */
function account() {
  const state = {
    keyed: {GET: true, POST: true, OPTIONS: false} as Record<string, boolean>,
    deployed: {GET: true, POST: false, OPTIONS: false} as Record<string, boolean>,
    keys: [{id: 'k1', name: 'acme', enabled: true}] as Array<{id: string; name: string; enabled: boolean}>,
    plans: [{id: 'p1', name: 'gold', throttle: {rateLimit: 100, burstLimit: 200}, apiStages: [{apiId: 'a1', stage: 'prod'}]}] as Array<Record<string, unknown>>,
    planKeys: {p1: ['k1']} as Record<string, string[]>,
  }
  const summary = (of: Record<string, boolean>) =>
    Object.fromEntries(Object.entries(of).map(([m, required]) => [m, {authorizationType: 'NONE', apiKeyRequired: required}]))
  const install = (aws: AwsClientStub<APIGatewayClient>) => {
    aws.on(GetAccountCommand).resolves({throttleSettings: {rateLimit: 10_000, burstLimit: 5000}, cloudwatchRoleArn: 'arn:aws:iam::123456789012:role/logs'})
    aws.on(GetRestApisCommand).resolves({items: [{id: 'a1', name: 'pets'}]})
    aws.on(GetResourcesCommand).callsFake(() => ({items: [{id: 'r1', path: '/pets', resourceMethods: summary(state.keyed)}]}))
    aws.on(GetStagesCommand).resolves({
      item: [
        {
          stageName: 'prod',
          deploymentId: 'd1',
          accessLogSettings: {destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:pets', format: RECOMMENDED_FORMATS.json},
        },
      ],
    })
    aws.on(GetDeploymentCommand).callsFake(() => ({id: 'd1', apiSummary: {'/pets': summary(state.deployed)}}))
    aws.on(GetUsagePlansCommand).callsFake(() => ({items: state.plans}))
    aws
      .on(GetUsagePlanKeysCommand)
      .callsFake((input: {usagePlanId: string}) => ({items: (state.planKeys[input.usagePlanId] ?? []).map((id) => ({id, type: 'API_KEY'}))}))
    aws.on(GetApiKeysCommand).callsFake((input: {position?: string}) => {
      const from = Number(input.position ?? 0)
      return {items: state.keys.slice(from, from + 500), ...(from + 500 < state.keys.length ? {position: String(from + 500)} : {})}
    })
    aws.on(UpdateMethodCommand).callsFake((input: {httpMethod: string; patchOperations: Array<{value: string}>}) => {
      state.keyed[input.httpMethod] = input.patchOperations[0].value === 'true'
      return {}
    })
    aws.on(CreateDeploymentCommand).callsFake(() => {
      state.deployed = {...state.keyed}
      return {id: 'd2'}
    })
  }

  return {state, install}
}

/** Enabled keys up to `n`, all in plan p1. */
function addKeysTo(state: ReturnType<typeof account>['state'], n: number) {
  for (let i = state.keys.length; i < n; i++) state.keys.push({id: `k${i + 1}`, name: `key-${i + 1}`, enabled: true})
  state.planKeys.p1 = state.keys.map((k) => k.id)
}

describe('doctor command (in-process, mocked AWS)', () => {
  let aws: AwsClientStub<APIGatewayClient>
  let held: ReturnType<typeof account>
  before(() => {
    aws = mockClient(APIGatewayClient)
  })
  beforeEach(() => {
    aws.reset()
    process.exitCode = undefined
    held = account()
    held.install(aws)
  })
  afterEach(() => {
    process.exitCode = undefined
  })
  after(() => aws.restore())

  const writes = () => aws.calls().filter((c) => !(c.args[0] as object).constructor.name.startsWith('Get'))

  it('names the broken link, why it matters and the fix, and exits 10', async () => {
    const {stdout} = await runCommand(['doctor'], {root: ROOT})
    assert.equal(process.exitCode, 10)
    assert.match(stdout, /ERROR {2}KEY_REQUIRED_NOT_DEPLOYED {2}API pets \(a1\) · stage prod/)
    assert.match(stdout, /POST \/pets requires an API key in the API, but stage prod of API pets \(a1\) serves it without one\./)
    assert.match(stdout, /Why: A method change reaches callers only when the stage is deployed again/)
    assert.match(stdout, /gwctl deploy --api a1 --stage prod/)
    assert.match(stdout, /1 error, 0 warnings, 0 notes\ngwctl doctor --fix applies 1 safe fix marked above/)
    assert.deepEqual(writes(), [])
  })

  it('exits 0 on a healthy account', async () => {
    held.state.deployed = {...held.state.keyed}
    const {stdout} = await runCommand(['doctor'], {root: ROOT})
    assert.equal(process.exitCode, undefined)
    assert.match(stdout, /Checked 1 REST API, 1 stage, 3 methods, 1 usage plan and 1 API key in us-east-1\.\n\nNo findings: 0 errors, 0 warnings, 0 notes/)
    const narrowed = await runCommand(['doctor', '--api', 'pets', '--stage', 'prod', '--plan', 'gold'], {root: ROOT})
    assert.match(narrowed.stdout, /in us-east-1 \(only API pets \(a1\), stage prod, plan gold \(p1\)\)\./)
  })

  it('lists the findings under --json, as one document, and still exits 10', async () => {
    const {stdout} = await runCommand(['doctor', '--json'], {root: ROOT})
    assert.equal(process.exitCode, 10)
    const result = JSON.parse(stdout)
    assert.deepEqual(Object.keys(result).toSorted(), ['changed', 'checked', 'findings', 'fixed', 'region', 'scope', 'summary', 'warnings'])
    assert.deepEqual([result.summary, result.warnings, result.fixed, result.changed], [{errors: 1, warnings: 0, infos: 0}, [], [], false])
    const [finding] = result.findings
    assert.deepEqual(Object.keys(finding).toSorted(), ['affects', 'check', 'fixes', 'id', 'message', 'reference', 'severity', 'why'])
    assert.deepEqual(finding.fixes[0], {
      description: 'Deploy API pets (a1) to stage prod, which publishes POST /pets requiring a key',
      command: 'gwctl deploy --api a1 --stage prod',
      safe: {kind: 'deploy', api: {id: 'a1', name: 'pets'}, stage: 'prod', publishes: ['POST /pets requiring a key'], replaces: 'd1'},
    })
    assert.doesNotMatch(stdout, /\$metadata|httpStatusCode|requestId/)
  })

  it('--fix without a terminal shows the changes and refuses without --yes, changing nothing (exit 2)', async () => {
    const {stderr} = await runCommand(['doctor', '--fix'], {root: ROOT})
    assert.equal(process.exitCode, 2)
    assert.match(stderr, /gwctl doctor --fix will make 1 change, in this order:\n {2}1\. Deploy API pets \(a1\) to stage prod/)
    assert.match(stderr, /Refusing to ask "Make these 1 change\(s\)\?" without a terminal\nTry: Pass --yes/)
    assert.deepEqual(writes(), [])
  })

  it('--fix --json needs --yes: stdout is for the result', async () => {
    const {stdout} = await runCommand(['doctor', '--fix', '--json'], {root: ROOT})
    assert.equal(JSON.parse(stdout).error.code, 'BAD_INPUT')
    assert.equal(process.exitCode, 2)
    assert.deepEqual(writes(), [])
  })

  it('--fix --yes applies the safe fixes, checks again and exits 0', async () => {
    held.state.keyed.OPTIONS = true
    held.state.deployed.OPTIONS = true
    const {stdout} = await runCommand(['doctor', '--fix', '--yes', '--json'], {root: ROOT})
    const result = JSON.parse(stdout)
    assert.equal(process.exitCode, undefined)
    assert.deepEqual(
      result.fixed.map((f: {command: string}) => f.command),
      ['gwctl methods require-key --api a1 --path /pets --method OPTIONS --off', 'gwctl deploy --api a1 --stage prod'],
    )
    assert.equal(result.changed, true)
    assert.deepEqual(result.findings, [])
    assert.deepEqual(held.state.deployed, {GET: true, POST: true, OPTIONS: false})
  })

  it('--fix with nothing safe to fix says so and changes nothing', async () => {
    held.state.deployed = {...held.state.keyed}
    held.state.plans.push({id: 'p2', name: 'empty', apiStages: []})
    const {stdout, stderr} = await runCommand(['doctor', '--fix'], {root: ROOT})
    assert.match(stderr, /Nothing here is safe for doctor to fix by itself/)
    assert.match(stdout, /WARNING {2}PLAN_HAS_NO_KEYS/)
    assert.equal(process.exitCode, undefined)
    assert.deepEqual(writes(), [])
  })

  it('--yes without --fix is a usage error', async () => {
    const {error, stderr} = await runCommand(['doctor', '--yes'], {root: ROOT})
    assert.equal(error?.oclif?.exit, 2)
    assert.match(stderr, /^Error: --yes answers the question --fix asks/)
  })

  describe('account caps that moto cannot hold', () => {
    beforeEach(() => {
      held.state.deployed = {...held.state.keyed}
    })

    it('warns from 8,000 API keys (80% of 10,000) and is quiet once below', async () => {
      addKeysTo(held.state, 8000)
      held.state.keys[7999].enabled = false
      const {stdout} = await runCommand(['doctor'], {root: ROOT})
      assert.match(
        stdout,
        /WARNING {2}API_KEYS_NEAR_LIMIT\n {2}The account holds 8000 API keys in us-east-1, 80% of AWS's limit of 10000, which cannot be raised; 1 of them are disabled or in no usage plan\./,
      )
      assert.match(stdout, /gwctl keys delete k8000 --yes/)
      assert.equal(process.exitCode, undefined, 'a warning, not an error')
      // What `gwctl keys delete k8000 --yes` does to the account.
      held.state.keys.pop()
      held.state.planKeys.p1.pop()
      assert.doesNotMatch((await runCommand(['doctor'], {root: ROOT})).stdout, /API_KEYS_NEAR_LIMIT/)
    })

    it('warns from 240 usage plans and from 8 plans on one key', async function () {
      // One GetUsagePlanKeys a plan, paced to AWS's 10 calls a second after a burst of 40: about 20 s.
      this.timeout(60_000)
      for (let i = 2; i <= 240; i++) {
        held.state.plans.push({id: `p${i}`, name: `plan-${i}`, apiStages: []})
        held.state.planKeys[`p${i}`] = i <= 8 ? ['k1'] : [`k${i}`]
      }

      addKeysTo(held.state, 1)
      for (let i = 9; i <= 240; i++) held.state.keys.push({id: `k${i}`, name: `key-${i}`, enabled: true})
      const {stdout} = await runCommand(['doctor', '--json'], {root: ROOT})
      const ids = JSON.parse(stdout).findings.map((f: {id: string}) => f.id)
      assert.deepEqual(ids, ['USAGE_PLANS_NEAR_LIMIT', 'KEY_PLANS_NEAR_LIMIT'])
    })
  })
})
