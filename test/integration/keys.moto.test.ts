import {GetApiKeyCommand, GetApiKeysCommand, GetUsagePlanCommand, GetUsagePlanKeysCommand} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import {runCli} from '../helpers/cli.js'
import {createDeployedApi, sdkFor} from '../helpers/moto-api.js'
import {MOTO_ENV, useMoto} from '../helpers/moto.js'

describe('keys and stages against moto (built CLI as a subprocess)', function () {
  this.timeout(120_000)
  const moto = useMoto()
  const sdk = () => sdkFor(moto.current.url)
  const gwctl = (args: string[], input?: string) => runCli([...args, '--endpoint-url', moto.current.url], {env: MOTO_ENV, input})
  const ok = async (...args: string[]) => {
    const result = await gwctl(args)
    assert.equal(result.code, 0, `gwctl ${args.join(' ')}\n${result.stderr}`)
    return result
  }

  const json = async (...args: string[]) => JSON.parse((await ok(...args, '--json')).stdout)
  const keyIdsOf = async (usagePlanId: string) => ((await sdk().send(new GetUsagePlanKeysCommand({usagePlanId}))).items ?? []).map((k) => k.id).toSorted()

  it('creates keys, attaches stages and keys, refuses a collision, detaches and rotates', async () => {
    const {id: apiId} = await createDeployedApi(moto.current.url, {name: 'pets', methods: {'/': ['GET'], '/pets': ['GET', 'POST']}, stages: ['prod', 'beta']})
    const gold = await json('plans', 'create', '--name', 'gold', '--rate', '10', '--burst', '20', '--stage', 'pets:prod')
    const silver = await json('plans', 'create', '--name', 'silver')

    // keys create --plan, value generated and shown once
    const alice = await json('keys', 'create', '--name', 'alice', '--description', 'Alice Ltd', '--plan', 'gold')
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

    const stages = await json('stages', 'list', '--api', 'pets')
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
    const newId = rotated.newKey.id
    assert.notEqual(newId, alice.id)
    assert.match(rotated.newKey.value, /^[A-Za-z0-9]{40}$/)
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
    assert.ok(!listed.stdout.includes(rotated.newKey.value), 'values are masked')
    await ok('keys', 'detach', alice.id, '--plan', 'silver')
    assert.deepEqual(await keyIdsOf(silver.id), [newId])
    await ok('keys', 'delete', alice.id, '--yes')
    assert.deepEqual(
      ((await sdk().send(new GetApiKeysCommand({}))).items ?? []).map((k) => k.id),
      [newId],
    )
  })

  it('keys import - --dry-run reads stdin, checks plans and existing values, and sends nothing', async () => {
    const gold = await json('plans', 'create', '--name', 'gold')
    await ok('keys', 'create', '--name', 'existing', '--value', 'abcdef1234ghijklmnop0123456789')
    const csv = `key,name, description, enabled, usageplanIds\nabcdef1234ghijklmnop8901234567, importedKey_1, firstone,  tRuE, ${gold.id}\nabcdef1234ghijklmnop0123456789, importedKey_2, secondone, TRUE, ${gold.id}\n`
    const result = await gwctl(['keys', 'import', '-', '--dry-run', '--json'], csv)
    assert.equal(result.code, 0, result.stderr)
    const out = JSON.parse(result.stdout)
    assert.deepEqual(out.toSend, [{line: 2, name: 'importedKey_1'}])
    assert.equal(out.skipped[0].line, 3)
    assert.equal(((await sdk().send(new GetApiKeysCommand({}))).items ?? []).length, 1)

    const bad = await gwctl(['keys', 'import', '-'], 'name,key\nbob,short\n')
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /stdin has 1 problem\(s\); nothing was sent:\n {2}line 2: Key must be 20 to 128 letters and digits/)
  })
})
