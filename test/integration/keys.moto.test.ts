import {GetApiKeyCommand, GetApiKeysCommand, GetUsagePlanCommand, GetUsagePlanKeysCommand} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import {jsonResult} from '../helpers/json-contract.js'
import {createDeployedApi, sdkFor} from '../helpers/moto-api.js'
import {useMoto} from '../helpers/moto.js'
import {gwctlOn} from '../helpers/moto-cli.js'

describe('keys and stages against moto (built CLI as a subprocess)', function () {
  this.timeout(120_000)
  const moto = useMoto()
  const sdk = () => sdkFor(moto.current.url)
  const {gwctl, ok, json} = gwctlOn(moto)
  const keyIdsOf = async (usagePlanId: string) => ((await sdk().send(new GetUsagePlanKeysCommand({usagePlanId}))).items ?? []).map((k) => k.id).toSorted()

  it('creates keys, attaches stages and keys, refuses a collision, detaches and rotates', async () => {
    const {id: apiId} = await createDeployedApi(moto.current.url, {name: 'pets', methods: {'/': ['GET'], '/pets': ['GET', 'POST']}, stages: ['prod', 'beta']})
    const gold = (await json('plans', 'create', '--name', 'gold', '--rate', '10', '--burst', '20', '--stage', 'pets:prod')).usagePlan
    const silver = (await json('plans', 'create', '--name', 'silver')).usagePlan

    // keys create --plan, value generated and shown once
    const alice = (await json('keys', 'create', '--name', 'alice', '--description', 'Alice Ltd', '--plan', 'gold')).apiKey
    assert.match(alice.value, /^[A-Za-z0-9]{40}$/)
    assert.deepEqual(await keyIdsOf(gold.id), [alice.id])
    const stored = await sdk().send(new GetApiKeyCommand({apiKey: alice.id, includeValue: true}))
    assert.equal(stored.value, alice.value)
    assert.equal(stored.enabled, true)

    // stages attach with a per-method throttle (moto keeps the stage, not the throttle)
    const attached = await ok('stages', 'attach', '--plan', 'silver', '--api', 'pets', '--stage', 'beta', '--method-throttle', '/pets/GET=1/2')
    assert.match(attached.stdout, new RegExp(String.raw`Usage plan silver \(${silver.id}\) now covers ${apiId}:beta`))
    assert.deepEqual(
      (await sdk().send(new GetUsagePlanCommand({usagePlanId: silver.id}))).apiStages?.map((s) => `${s.apiId}:${s.stage}`),
      [`${apiId}:beta`],
    )

    // keys attach: silver covers beta only, so alice may join it
    await ok('keys', 'attach', 'alice', '--plan', 'silver')
    assert.deepEqual(await keyIdsOf(silver.id), [alice.id])

    // now silver may not cover prod: alice is in gold, which does
    const refused = await gwctl(['stages', 'attach', '--plan', 'silver', '--api', 'pets', '--stage', 'prod'])
    assert.equal(refused.code, 4, refused.stderr)
    assert.match(
      refused.stderr,
      new RegExp(
        String.raw`key alice \(${alice.id}\) would be in usage plans gold \(${gold.id}\) and silver \(${silver.id}\), which both cover stage ${apiId}:prod`,
      ),
    )

    const stages = (await json('stages', 'list', '--api', 'pets')).items
    assert.deepEqual(
      stages.map((s: {stageName: string; usagePlans: Array<{name: string}>; deployment?: {id: string}}) => [
        s.stageName,
        s.usagePlans.map((p) => p.name),
        Boolean(s.deployment?.id),
      ]),
      [
        ['prod', ['gold'], true],
        ['beta', ['silver'], true],
      ],
    )

    // stages detach
    await ok('stages', 'detach', '--plan', 'silver', '--api', 'pets', '--stage', 'beta')
    assert.deepEqual((await sdk().send(new GetUsagePlanCommand({usagePlanId: silver.id}))).apiStages ?? [], [])

    // keys rotate: the new key joins gold and silver, the old one is disabled
    const rotated = await json('keys', 'rotate', alice.id, '--disable-old')
    const newId = rotated.apiKey.id
    assert.notEqual(newId, alice.id)
    assert.match(rotated.apiKey.value, /^[A-Za-z0-9]{40}$/)
    assert.deepEqual(await keyIdsOf(gold.id), [alice.id, newId].toSorted())
    assert.deepEqual(await keyIdsOf(silver.id), [alice.id, newId].toSorted())
    const old = await sdk().send(new GetApiKeyCommand({apiKey: alice.id}))
    assert.equal(old.enabled, false)
    const fresh = await sdk().send(new GetApiKeyCommand({apiKey: newId}))
    assert.deepEqual([fresh.name, fresh.description, fresh.enabled], ['alice', 'Alice Ltd', true])

    // both keys are named alice now: a name is ambiguous, an id is not
    const ambiguous = await gwctl(['keys', 'show', 'alice'])
    assert.equal(ambiguous.code, 2)
    assert.match(ambiguous.stderr, /2 API keys are named "alice"/)

    // list masks values; detach and delete
    const listed = await ok('keys', 'list', '--plan', 'gold')
    assert.ok(!listed.stdout.includes(rotated.apiKey.value), 'values are masked')
    await ok('keys', 'detach', alice.id, '--plan', 'silver')
    assert.deepEqual(await keyIdsOf(silver.id), [newId])
    await ok('keys', 'delete', alice.id, '--yes')
    assert.deepEqual(
      ((await sdk().send(new GetApiKeysCommand({}))).items ?? []).map((k) => k.id),
      [newId],
    )
  })

  it('keys import - --dry-run reads stdin, checks plans and existing values, and sends nothing', async () => {
    const gold = (await json('plans', 'create', '--name', 'gold')).usagePlan
    await ok('keys', 'create', '--name', 'existing', '--value', 'abcdef1234ghijklmnop0123456789')
    const csv = `key,name, description, enabled, usageplanIds\nabcdef1234ghijklmnop8901234567, importedKey_1, firstone,  tRuE, ${gold.id}\nabcdef1234ghijklmnop0123456789, importedKey_2, secondone, TRUE, ${gold.id}\n`
    const result = await gwctl(['keys', 'import', '-', '--dry-run', '--json'], csv)
    assert.equal(result.code, 0, result.stderr)
    const out = jsonResult('keys:import', result.stdout)
    assert.deepEqual(out.toSend, [{line: 2, name: 'importedKey_1'}])
    assert.equal(out.skipped[0].line, 3)
    assert.equal(((await sdk().send(new GetApiKeysCommand({}))).items ?? []).length, 1)

    const bad = await gwctl(['keys', 'import', '-'], 'name,key\nbob,short\n')
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /stdin has 1 problem\(s\); nothing was sent:\n {2}line 2: Key must be 20 to 128 letters and digits/)
  })

  it("keys rotate keeps the old key's state, customer id and tags, and --rename-old ends the shared name", async () => {
    await createDeployedApi(moto.current.url, {name: 'pets', methods: {'/': ['GET']}, stages: ['prod']})
    const gold = (await json('plans', 'create', '--name', 'gold', '--stage', 'pets:prod')).usagePlan
    const acme = (await json('keys', 'create', '--name', 'acme', '--description', 'Acme', '--customer-id', 'cust-7', '--disabled', '--plan', 'gold')).apiKey
    await ok('keys', 'tag', 'acme', '--tag', 'tier=gold')

    const rotated = await gwctl(['keys', 'rotate', 'acme', '--json'])
    assert.equal(rotated.code, 0, rotated.stderr)
    const first = jsonResult('keys:rotate', rotated.stdout).apiKey
    const copy = await sdk().send(new GetApiKeyCommand({apiKey: first.id}))
    assert.deepEqual([copy.name, copy.description, copy.customerId, copy.enabled, copy.tags], ['acme', 'Acme', 'cust-7', false, {tier: 'gold'}])
    assert.match(rotated.stderr, /Warning: The new key acme \(\w+\) is disabled, as the old key was/)
    assert.deepEqual(await keyIdsOf(gold.id), [acme.id, first.id].toSorted())

    // two keys named acme: a name is ambiguous, and the error tells them apart
    const ambiguous = await gwctl(['keys', 'show', 'acme'])
    assert.equal(ambiguous.code, 2)
    assert.match(
      ambiguous.stderr,
      new RegExp(String.raw`2 API keys are named "acme": (${acme.id}|${first.id}) \(acme, disabled, created \d{4}-\d\d-\d\d \d\d:\d\dZ\), `),
    )

    await ok('keys', 'rotate', first.id, '--delete-old')
    const last = ((await sdk().send(new GetApiKeysCommand({nameQuery: 'acme'}))).items ?? []).find((k) => k.id !== acme.id)
    assert.ok(last, 'the key of the second rotation')
    await ok('keys', 'rotate', last.id!, '--disable-old', '--rename-old', '-retired')
    const renamed = await sdk().send(new GetApiKeyCommand({apiKey: last.id}))
    assert.deepEqual([renamed.name, renamed.enabled], ['acme-retired', false])
  })

  it("keys import gives each row its key id, resolves plan names, and sets customer ids AWS's format cannot carry", async () => {
    const gold = (await json('plans', 'create', '--name', 'gold')).usagePlan
    const csv = 'Name,Key,UsagePlanIds,CustomerId\nalice,AliceValue0123456789abcd,gold,cust-a\nbob,BobValue0123456789abcdef,,\n'
    const result = await gwctl(['keys', 'import', '-', '--customer-id', 'cust-default', '--json'], csv)
    assert.equal(result.code, 0, result.stderr)
    const body = jsonResult('keys:import', result.stdout)
    const stored = (await sdk().send(new GetApiKeysCommand({includeValues: true}))).items ?? []
    const idOf = (name: string) => stored.find((k) => k.name === name)?.id
    assert.deepEqual(body.imported, [
      {line: 2, name: 'alice', id: idOf('alice'), customerId: 'cust-a'},
      {line: 3, name: 'bob', id: idOf('bob'), customerId: 'cust-default'},
    ])
    assert.deepEqual(stored.map((k) => [k.name, k.customerId]).toSorted(), [
      ['alice', 'cust-a'],
      ['bob', 'cust-default'],
    ])
    assert.deepEqual(await keyIdsOf(gold.id), [idOf('alice')])
  })
})
