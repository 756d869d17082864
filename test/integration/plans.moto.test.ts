import {GetUsagePlanCommand, GetUsagePlansCommand} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import {runCli} from '../helpers/cli.js'
import {createDeployedApi, sdkFor} from '../helpers/moto-api.js'
import {MOTO_ENV, useMoto} from '../helpers/moto.js'

describe('plans against moto (built CLI as a subprocess)', function () {
  this.timeout(60_000)
  const moto = useMoto()
  const sdk = () => sdkFor(moto.current.url)
  const gwctl = (...args: string[]) => runCli([...args, '--endpoint-url', moto.current.url], {env: MOTO_ENV})

  const deployedApi = async () => (await createDeployedApi(moto.current.url, {name: 'pets', methods: {'/': ['GET'], '/pets': ['GET', 'POST']}, stages: ['prod']})).id

  it('creates, lists, shows, updates and deletes a plan', async () => {
    const apiId = await deployedApi()
    const created = await gwctl('plans', 'create', '--name', 'gold', '--rate', '10', '--burst', '20', '--quota', '1000/MONTH', '--stage', 'pets:prod', '--json')
    assert.equal(created.code, 0, created.stderr)
    const plan = JSON.parse(created.stdout)
    assert.deepEqual(plan.apiStages, [{apiId, stage: 'prod'}])

    const listed = await gwctl('plans', 'list')
    assert.equal(listed.code, 0, listed.stderr)
    assert.match(listed.stdout, new RegExp(`${plan.id}\\s+gold\\s+10\\s+20\\s+1000/MONTH\\s+${apiId}:prod`))

    const shown = await gwctl('plans', 'show', 'gold', '--json')
    assert.equal(JSON.parse(shown.stdout).id, plan.id)

    const updated = await gwctl('plans', 'update', 'gold', '--rate', '50', '--burst', '100', '--quota', '5/day')
    assert.equal(updated.code, 0, updated.stderr)
    const after = await sdk().send(new GetUsagePlanCommand({usagePlanId: plan.id}))
    assert.deepEqual({rate: Number(after.throttle?.rateLimit), burst: Number(after.throttle?.burstLimit)}, {rate: 50, burst: 100})
    assert.equal(Number(after.quota?.limit), 5) // moto stores patched numbers as strings
    assert.equal(after.quota?.period, 'DAY')

    const refused = await gwctl('plans', 'delete', 'gold', '--yes')
    assert.equal(refused.code, 4)
    assert.match(refused.stderr, new RegExp(`still covers 1 stage\\(s\\): ${apiId}:prod`))

    const deleted = await gwctl('plans', 'delete', 'gold', '--force', '--yes')
    assert.equal(deleted.code, 0, deleted.stderr)
    assert.deepEqual((await sdk().send(new GetUsagePlansCommand({}))).items ?? [], [])
  })

  it('exits 3 naming the missing stage', async () => {
    await deployedApi()
    const result = await gwctl('plans', 'create', '--name', 'x', '--stage', 'pets:staging')
    assert.equal(result.code, 3)
    assert.match(result.stderr, /no stage "staging"/)
  })
})
