import {GetApiKeysCommand, GetDeploymentsCommand, GetUsagePlanKeysCommand, GetUsagePlansCommand} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import {apiGatewayOver} from '../../src/aws/api-gateway.js'
import {makeStyle} from '../../src/ui/style.js'
import {awsWizardPorts} from '../../src/wizard/aws.js'
import {runWizard} from '../../src/wizard/wizard.js'
import {runCli} from '../helpers/cli.js'
import {createDeployedApi, sdkFor} from '../helpers/moto-api.js'
import {MOTO_ENV, useMoto} from '../helpers/moto.js'
import {NEW_PLAN_TWO_KEYS, scriptedPrompter} from '../helpers/wizard-fakes.js'

const PETS = {name: 'pets', methods: {'/': ['GET'], '/pets': ['GET', 'POST']}, stages: ['prod', 'beta']}

/**
 * What a user would compare after a setup, with ids replaced by names: plans with
 * their limits and stages, keys with their plans, and deployments per stage.
 */
async function accountState(url: string, apiId: string) {
  const sdk = sdkFor(url)
  const plans = (await sdk.send(new GetUsagePlansCommand({}))).items ?? []
  const keys = (await sdk.send(new GetApiKeysCommand({}))).items ?? []
  const members = new Map<string, string[]>()
  for (const plan of plans) {
    for (const k of (await sdk.send(new GetUsagePlanKeysCommand({usagePlanId: plan.id}))).items ?? [])
      members.set(k.id!, [...(members.get(k.id!) ?? []), plan.name!])
  }

  const deployments = (await sdk.send(new GetDeploymentsCommand({restApiId: apiId}))).items ?? []
  return {
    plans: plans.map((p) => ({
      name: p.name,
      throttle: p.throttle,
      quota: p.quota,
      stages: (p.apiStages ?? []).map((s) => `${s.apiId === apiId ? 'pets' : s.apiId}:${s.stage}`).toSorted(),
    })),
    keys: keys.map((k) => ({name: k.name, enabled: k.enabled, plans: members.get(k.id!) ?? []})).toSorted((a, b) => a.name!.localeCompare(b.name!)),
    deployments: deployments.length,
  }
}

describe('wizard against moto: its printed commands make the same account', function () {
  this.timeout(180_000)
  const moto = useMoto()

  it('sets up plan, keys and deployments, and running its commands on a fresh account gives the same state', async () => {
    const url = moto.current.url
    const first = await createDeployedApi(url, PETS)
    const prompter = scriptedPrompter(NEW_PLAN_TWO_KEYS)
    const warnings: string[] = []
    const result = await runWizard({
      prompter,
      ...awsWizardPorts(apiGatewayOver(sdkFor(url))),
      log() {},
      note: (t) => warnings.push(t),
      style: makeStyle(false),
    })
    assert.equal(prompter.left(), 0)
    assert.match(warnings.join('\n'), /No method of pets would require an API key/)
    const byWizard = await accountState(url, first.id)
    assert.deepEqual(byWizard.plans, [
      {name: 'gold', throttle: {rateLimit: 100, burstLimit: 200}, quota: {limit: 50_000, offset: 0, period: 'MONTH'}, stages: ['pets:beta', 'pets:prod']},
    ])
    assert.deepEqual(byWizard.keys, [
      {name: 'gold-1', enabled: true, plans: ['gold']},
      {name: 'gold-2', enabled: true, plans: ['gold']},
    ])
    // Two deployments made with the API, two by the wizard.
    assert.equal(byWizard.deployments, 4)

    // The same API on a fresh account, then the wizard's commands, with the new API id.
    await moto.current.reset()
    const second = await createDeployedApi(url, PETS)
    for (const argv of result.commands) {
      const args = argv.map((a) => a.replaceAll(first.id, second.id))
      const run = await runCli([...args, '--endpoint-url', url], {env: MOTO_ENV})
      assert.equal(run.code, 0, `gwctl ${args.join(' ')}\n${run.stderr}`)
    }

    assert.deepEqual(await accountState(url, second.id), byWizard)
  })
})
