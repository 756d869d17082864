import {
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetResourcesCommand,
  GetStageCommand,
  GetTagsCommand,
  GetUsagePlanCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {jsonResult} from '../helpers/json-contract.js'
import {createDeployedApi, sdkFor} from '../helpers/moto-api.js'
import {useMoto} from '../helpers/moto.js'
import {gwctlOn} from '../helpers/moto-cli.js'

/** The admin changes of issue 14, made by the built CLI and read back through the SDK. */
describe('changing things in place, against moto (built CLI as a subprocess)', function () {
  this.timeout(120_000)
  const moto = useMoto()
  const sdk = () => sdkFor(moto.current.url)
  const {gwctl, ok, json} = gwctlOn(moto)
  const petsApi = () => createDeployedApi(moto.current.url, {name: 'pets', methods: {'/': ['GET'], '/pets': ['GET', 'POST']}, stages: ['prod', 'beta']})
  const planOf = async (usagePlanId: string) => sdk().send(new GetUsagePlanCommand({usagePlanId}))

  it('stages update changes per-method throttles in place: the stage stays covered, its keys keep access', async () => {
    const {id: apiId} = await petsApi()
    const plan = (
      await json('plans', 'create', '--name', 'gold', '--rate', '10', '--burst', '20', '--stage', 'pets:prod', '--method-throttle', 'pets:prod:/pets/POST=1/2')
    ).usagePlan
    const key = await sdk().send(new CreateApiKeyCommand({name: 'alice', enabled: true}))
    await sdk().send(new CreateUsagePlanKeyCommand({usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY'}))

    const updated = await json(
      'stages',
      'update',
      '--plan',
      'gold',
      '--api',
      'pets',
      '--stage',
      'prod',
      '--method-throttle',
      '//GET=5/10',
      '--method-throttle',
      '/pets/POST=3/4',
    )
    assert.deepEqual(
      updated.calls.map((c: {operation: string}) => c.operation),
      ['UpdateUsagePlan'],
    )
    const after = await planOf(plan.id)
    assert.deepEqual(after.apiStages, [
      {apiId, stage: 'prod', throttle: {'/pets/POST': {rateLimit: 3, burstLimit: 4}, '//GET': {rateLimit: 5, burstLimit: 10}}},
    ])
    assert.deepEqual(
      ((await sdk().send(new GetUsagePlanKeysCommand({usagePlanId: plan.id}))).items ?? []).map((k) => k.id),
      [key.id],
    )

    await ok('stages', 'update', '--plan', 'gold', '--api', 'pets', '--stage', 'prod', '--remove-method-throttle', '/pets/POST')
    assert.deepEqual((await planOf(plan.id)).apiStages?.[0].throttle, {'//GET': {rateLimit: 5, burstLimit: 10}})

    // a removal of a throttle that is not set, and a throttle already so: nothing sent, exit 0
    const same = await json(
      'stages',
      'update',
      '--plan',
      'gold',
      '--api',
      'pets',
      '--stage',
      'prod',
      '--remove-method-throttle',
      '/pets/POST',
      '--method-throttle',
      '//GET=5/10',
    )
    assert.deepEqual([same.changed, same.calls], [false, []])
  })

  it('stages attach and detach: detaching an uncovered stage is nothing to do; --dry-run sends nothing', async () => {
    const {id: apiId} = await petsApi()
    const plan = (await json('plans', 'create', '--name', 'gold')).usagePlan
    const dry = await ok('stages', 'attach', '--plan', 'gold', '--api', 'pets', '--stage', 'beta', '--method-throttle', '/pets/GET=1/2', '--dry-run')
    assert.match(dry.stdout, new RegExp(`replace /apiStages/${apiId}:beta/throttle//pets/GET/rateLimit 1`))
    assert.deepEqual((await planOf(plan.id)).apiStages ?? [], [])

    const detached = await json('stages', 'detach', '--plan', 'gold', '--api', 'pets', '--stage', 'beta')
    assert.equal(detached.changed, false)
  })

  it('stages throttle sets the stage default and one method, and switches it off with -1', async () => {
    const {id: apiId} = await petsApi()
    await ok('stages', 'throttle', 'pets:prod', '--rate', '100', '--burst', '200')
    await ok('stages', 'throttle', `${apiId}:prod`, '--method', '/pets/POST', '--rate', '5', '--burst', '10')
    let stage = await sdk().send(new GetStageCommand({restApiId: apiId, stageName: 'prod'}))
    assert.deepEqual(
      Object.fromEntries(Object.entries(stage.methodSettings ?? {}).map(([k, v]) => [k, [Number(v.throttlingRateLimit), Number(v.throttlingBurstLimit)]])),
      {'*/*': [100, 200], '~1pets/POST': [5, 10]},
    )

    await ok('stages', 'throttle', 'pets:prod', '--method', '/pets/POST', '--off')
    stage = await sdk().send(new GetStageCommand({restApiId: apiId, stageName: 'prod'}))
    assert.deepEqual(
      [Number(stage.methodSettings?.['~1pets/POST'].throttlingRateLimit), Number(stage.methodSettings?.['~1pets/POST'].throttlingBurstLimit)],
      [-1, -1],
    )
    const again = await json('stages', 'throttle', 'pets:prod', '--method', '/pets/POST', '--off')
    assert.equal(again.changed, false)
  })

  it('plans: product code on create and update, tags on and off, --dry-run and --if-exists on delete', async () => {
    await petsApi()
    const plan = (await json('plans', 'create', '--name', 'partner', '--product-code', 'prod-a1', '--tag', 'team=payments')).usagePlan
    assert.equal((await planOf(plan.id)).productCode, 'prod-a1')
    await ok('plans', 'update', 'partner', '--product-code', 'prod-b2')
    assert.equal((await planOf(plan.id)).productCode, 'prod-b2')

    const tagged = await json('plans', 'tag', 'partner', '--tag', 'env=prod')
    assert.equal(tagged.resourceArn, `arn:aws:apigateway:us-east-1::/usageplans/${plan.id}`)
    await ok('plans', 'untag', 'partner', '--tag-key', 'team')
    assert.deepEqual((await sdk().send(new GetTagsCommand({resourceArn: tagged.resourceArn}))).tags, {env: 'prod'})

    await ok('plans', 'update', 'partner', '--no-product-code')
    assert.equal((await planOf(plan.id)).productCode, undefined)

    await ok('plans', 'delete', 'partner', '--dry-run')
    assert.equal(((await sdk().send(new GetUsagePlansCommand({}))).items ?? []).length, 1)
    await ok('plans', 'delete', 'partner', '--yes')
    const gone = await json('plans', 'delete', 'partner', '--if-exists', '--yes')
    assert.deepEqual([gone.usagePlan, gone.changed], [null, false])
  })

  it('keys: create with a customer id, update, find by value, tag, disable twice, delete --if-exists', async () => {
    await petsApi()
    await json('plans', 'create', '--name', 'gold', '--stage', 'pets:prod')
    const created = (await json('keys', 'create', '--name', 'acme', '--customer-id', 'cust-1', '--plan', 'gold')).apiKey
    assert.equal((await sdk().send(new GetApiKeyCommand({apiKey: created.id}))).customerId, 'cust-1')

    await ok('keys', 'update', 'acme', '--name', 'acme-prod', '--description', 'Acme production', '--customer-id', 'cust-2', '--disabled')
    const stored = await sdk().send(new GetApiKeyCommand({apiKey: created.id}))
    assert.deepEqual([stored.name, stored.description, stored.customerId, stored.enabled], ['acme-prod', 'Acme production', 'cust-2', false])

    // a customer ticket quotes the value: find it without echoing it
    const found = await gwctl(['keys', 'find', '-', '--json'], `${created.value}\n`)
    assert.equal(found.code, 0, found.stderr)
    const body = jsonResult('keys:find', found.stdout)
    assert.deepEqual([body.apiKey.id, body.usagePlans.map((p: {name: string}) => p.name)], [created.id, ['gold']])
    assert.ok(!found.stdout.includes(created.value) && !found.stderr.includes(created.value), 'the value is never printed')
    const missing = await gwctl(['keys', 'find', 'NoSuchValue0123456789abcdef'])
    assert.equal(missing.code, 3)

    await ok('keys', 'tag', 'acme-prod', '--tag', 'tier=gold')
    assert.deepEqual((await sdk().send(new GetTagsCommand({resourceArn: `arn:aws:apigateway:us-east-1::/apikeys/${created.id}`}))).tags, {tier: 'gold'})

    const again = await ok('keys', 'disable', 'acme-prod')
    assert.equal(again.stdout, `API key acme-prod (${created.id}) is already disabled; nothing changed\n`)

    const listed = await json('keys', 'list', '--disabled', '--customer-id', 'cust-2')
    assert.deepEqual(
      listed.items.map((k: {id: string; usagePlans: Array<{name: string}>}) => [k.id, k.usagePlans.map((p) => p.name)]),
      [[created.id, ['gold']]],
    )

    await ok('keys', 'delete', 'acme-prod', '--yes')
    const gone = await json('keys', 'delete', 'acme-prod', '--if-exists', '--yes')
    assert.equal(gone.apiKey, null)
    assert.deepEqual((await sdk().send(new GetApiKeysCommand({}))).items ?? [], [])
  })

  it("keys export writes AWS's import CSV that keys import reads back, plans by name", async () => {
    await petsApi()
    const gold = (await json('plans', 'create', '--name', 'gold', '--stage', 'pets:prod')).usagePlan
    const value = 'Partner0123456789abcdefgh'
    await json('keys', 'create', '--name', 'partner', '--value', value, '--description', 'Partner, Inc.', '--plan', 'gold')
    const dir = mkdtempSync(join(tmpdir(), 'gwctl-keys-export-'))
    try {
      const file = join(dir, 'keys.csv')
      const exported = await json('keys', 'export', '--out', file, '--include-values', '--plans-by-name')
      assert.deepEqual([exported.count, exported.includesValues], [1, true])
      assert.equal(statSync(file).mode & 0o777, 0o600)
      assert.equal(readFileSync(file, 'utf8'), `Name,Key,Description,Enabled,UsagePlanIds,CustomerId\npartner,${value},"Partner, Inc.",true,gold,\n`)

      // as in another account: the key and the plan are gone, a plan of the same name exists
      await ok('keys', 'delete', 'partner', '--yes')
      await ok('plans', 'delete', 'gold', '--force', '--yes')
      const other = (await json('plans', 'create', '--name', 'gold', '--stage', 'pets:prod')).usagePlan
      assert.notEqual(other.id, gold.id)
      await ok('keys', 'import', file)
      const [key] = (await sdk().send(new GetApiKeysCommand({includeValues: true}))).items ?? []
      assert.deepEqual([key.name, key.value, key.description, key.enabled], ['partner', value, 'Partner, Inc.', true])
      assert.deepEqual(
        ((await sdk().send(new GetUsagePlanKeysCommand({usagePlanId: other.id}))).items ?? []).map((k) => k.id),
        [key.id],
      )
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('methods require-key warns about a stage no plan covers, and refuses to deploy there without --yes', async () => {
    const api = await petsApi()
    await sdk().send(new CreateUsagePlanCommand({name: 'gold', apiStages: [{apiId: api.id, stage: 'prod'}]}))
    const refused = await gwctl(['methods', 'require-key', '--api', 'pets', '--path', '/pets', '--deploy', 'beta'])
    assert.equal(refused.code, 2)
    assert.match(
      refused.stderr,
      new RegExp(String.raw`Warning: No usage plan covers stage beta of API pets \(${api.id}\).*gwctl stages attach --plan PLAN --api ${api.id} --stage beta`),
    )
    const resources = (await sdk().send(new GetResourcesCommand({restApiId: api.id, embed: ['methods']}))).items ?? []
    assert.equal(resources.find((r) => r.path === '/pets')?.resourceMethods?.GET.apiKeyRequired, false, 'nothing was changed')

    const warned = await json('methods', 'require-key', '--api', 'pets', '--path', '/pets')
    assert.equal(warned.warnings.length, 1)
    assert.match(warned.warnings[0], /No usage plan covers stage beta/)
  })
})
