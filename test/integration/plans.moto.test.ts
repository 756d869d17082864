import {CreateUsagePlanCommand, GetUsagePlanCommand, GetUsagePlansCommand} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import {runCli} from '../helpers/cli.js'
import {commandIdOf, jsonError, jsonResult} from '../helpers/json-contract.js'
import {createDeployedApi, sdkFor} from '../helpers/moto-api.js'
import {MOTO_ENV, useMoto} from '../helpers/moto.js'

describe('plans against moto (built CLI as a subprocess)', function () {
  this.timeout(60_000)
  const moto = useMoto()
  const sdk = () => sdkFor(moto.current.url)
  const gwctl = (...args: string[]) => runCli([...args, '--endpoint-url', moto.current.url], {env: MOTO_ENV})

  const deployedApi = async () =>
    (await createDeployedApi(moto.current.url, {name: 'pets', methods: {'/': ['GET'], '/pets': ['GET', 'POST']}, stages: ['prod']})).id

  it('creates, lists, shows, updates and deletes a plan', async () => {
    const apiId = await deployedApi()
    const created = await gwctl('plans', 'create', '--name', 'gold', '--rate', '10', '--burst', '20', '--quota', '1000/MONTH', '--stage', 'pets:prod', '--json')
    assert.equal(created.code, 0, created.stderr)
    const plan = jsonResult('plans:create', created.stdout).usagePlan
    assert.deepEqual(plan.apiStages, [{apiId, stage: 'prod'}])

    const listed = await gwctl('plans', 'list')
    assert.equal(listed.code, 0, listed.stderr)
    assert.match(listed.stdout, new RegExp(String.raw`${plan.id}\s+gold\s+10\s+20\s+1000/MONTH\s+${apiId}:prod`))

    const shown = await gwctl('plans', 'show', 'gold', '--json')
    assert.equal(jsonResult('plans:show', shown.stdout).usagePlan.id, plan.id)

    const updated = await gwctl('plans', 'update', 'gold', '--rate', '50', '--burst', '100', '--quota', '5/day')
    assert.equal(updated.code, 0, updated.stderr)
    const after = await sdk().send(new GetUsagePlanCommand({usagePlanId: plan.id}))
    assert.deepEqual({rate: Number(after.throttle?.rateLimit), burst: Number(after.throttle?.burstLimit)}, {rate: 50, burst: 100})
    assert.equal(Number(after.quota?.limit), 5) // moto stores patched numbers as strings
    assert.equal(after.quota?.period, 'DAY')

    const refused = await gwctl('plans', 'delete', 'gold', '--yes')
    assert.equal(refused.code, 4)
    assert.match(refused.stderr, new RegExp(String.raw`still covers 1 stage\(s\): ${apiId}:prod`))

    const deleted = await gwctl('plans', 'delete', 'gold', '--force', '--yes')
    assert.equal(deleted.code, 0, deleted.stderr)
    assert.deepEqual((await sdk().send(new GetUsagePlansCommand({}))).items ?? [], [])
  })

  it('creates per-method throttles that read back through the SDK, with no noise on stderr', async () => {
    const apiId = await deployedApi()
    const created = await gwctl(
      'plans',
      'create',
      '--name',
      'free',
      '--description',
      'trial users',
      '--rate',
      '1',
      '--burst',
      '5',
      '--quota',
      '1000/day',
      '--stage',
      'pets:prod',
      '--method-throttle',
      'pets:prod:/pets/POST=0.5/1',
      '--method-throttle',
      `${apiId}:prod://GET=2/4`,
      '--tag',
      'team=payments',
    )
    assert.equal(created.code, 0, created.stderr)
    assert.equal(created.stderr, '', 'a normal run writes nothing to stderr (no SDK warnings)')
    assert.match(created.stdout, /Created usage plan free \(\w+\)/)

    const [plan] = (await sdk().send(new GetUsagePlansCommand({}))).items ?? []
    assert.equal(plan.description, 'trial users')
    assert.deepEqual(plan.tags, {team: 'payments'})
    assert.deepEqual(plan.apiStages, [
      {apiId, stage: 'prod', throttle: {'/pets/POST': {rateLimit: 0.5, burstLimit: 1}, '//GET': {rateLimit: 2, burstLimit: 4}}},
    ])

    const shown = await gwctl('plans', 'show', 'free')
    assert.equal(shown.stderr, '')
    assert.match(shown.stdout, new RegExp(String.raw`pets \(${apiId}\)\s+prod\s+/pets/POST 0\.5 rps, burst 1; //GET 2 rps, burst 4`))
    assert.match(shown.stdout, /Tags\s+team=payments/)
  })

  it('--if-not-exists returns the existing plan and creates no second one', async () => {
    const first = await gwctl('plans', 'create', '--name', 'gold', '--rate', '10', '--burst', '20', '--json')
    const again = await gwctl('plans', 'create', '--name', 'gold', '--rate', '99', '--burst', '99', '--if-not-exists', '--json')
    assert.equal(again.code, 0, again.stderr)
    const reused = jsonResult('plans:create', again.stdout)
    assert.equal(reused.usagePlan.id, jsonResult('plans:create', first.stdout).usagePlan.id)
    assert.equal(reused.changed, false)
    assert.deepEqual(
      reused.differences.map((d: {field: string}) => d.field),
      ['throttle'],
    )
    assert.match(
      again.stderr,
      /^Warning: Usage plan gold \(\w+\) differs from the settings given, and was left unchanged: throttle 10 rps, burst 20 \(asked: 99 rps, burst 99\)\n$/,
    )
    const duplicate = await gwctl('plans', 'create', '--name', 'gold')
    assert.equal(duplicate.code, 4)
    const plans = (await sdk().send(new GetUsagePlansCommand({}))).items ?? []
    assert.equal(plans.length, 1)
    assert.equal(Number(plans[0].throttle?.rateLimit), 10)
  })

  it('prints exactly one JSON document on stdout under --json, of its documented shape, and nothing on stderr', async () => {
    await deployedApi()
    const runs = [
      ['plans', 'create', '--name', 'gold', '--rate', '10', '--burst', '20', '--stage', 'pets:prod', '--product-code', 'prod-1', '--tag', 'team=a'],
      ['plans', 'list'],
      ['plans', 'show', 'gold'],
      ['plans', 'update', 'gold', '--rate', '11'],
      ['plans', 'tag', 'gold', '--tag', 'env=prod'],
      ['plans', 'untag', 'gold', '--tag-key', 'team'],
      ['stages', 'update', '--plan', 'gold', '--api', 'pets', '--stage', 'prod', '--method-throttle', '/pets/GET=1/2'],
      ['stages', 'throttle', 'pets:prod', '--rate', '100', '--burst', '200'],
      ['plans', 'delete', 'gold', '--force', '--yes'],
    ]
    for (const argv of runs) {
      const run = await gwctl(...argv, '--json')
      assert.equal(run.code, 0, run.stderr)
      assert.equal(run.stderr, '')
      const body = jsonResult(commandIdOf(argv), run.stdout)
      assert.deepEqual(body.warnings, [])
    }

    const failed = await gwctl('plans', 'show', 'gold', '--json')
    assert.equal(failed.code, 3)
    assert.equal(jsonError(failed.stdout).code, 'NOT_FOUND')
    const parse = await gwctl('plans', 'list', '--bogus', '--json')
    assert.equal(parse.code, 2)
    assert.deepEqual([jsonError(parse.stdout).code, jsonError(parse.stdout).exitCode], ['BAD_INPUT', 2])
  })

  it('finds the endpoint in AWS_ENDPOINT_URL_API_GATEWAY or AWS_ENDPOINT_URL, as the AWS CLI does', async () => {
    await sdk().send(new CreateUsagePlanCommand({name: 'gold'}))
    for (const variable of ['AWS_ENDPOINT_URL_API_GATEWAY', 'AWS_ENDPOINT_URL']) {
      const listed = await runCli(['plans', 'list'], {env: {...MOTO_ENV, [variable]: moto.current.url}})
      assert.equal(listed.code, 0, `${variable}: ${listed.stderr}`)
      assert.match(listed.stdout, /gold/)
    }
  })

  it('exits 6 with a hint when nothing answers at the endpoint', async () => {
    const result = await runCli(['plans', 'list', '--endpoint-url', 'http://127.0.0.1:9'], {env: MOTO_ENV})
    assert.equal(result.code, 6)
    assert.match(result.stderr, /Could not reach the API Gateway endpoint while listing usage plans/)
    assert.match(result.stderr, /Try: Check --endpoint-url/)
  })

  it('exits 3 naming the missing stage', async () => {
    await deployedApi()
    const result = await gwctl('plans', 'create', '--name', 'x', '--stage', 'pets:staging')
    assert.equal(result.code, 3)
    assert.match(result.stderr, /no stage "staging"/)
  })
})
