import assert from 'node:assert/strict'

import {createDeployedApi} from '../helpers/moto-api.js'
import {useMoto} from '../helpers/moto.js'
import {resourceOf, useFaultProxy} from '../helpers/faults.js'

// Issue 13, item 1: AWS did the work and only its answer was lost (a 500 after the work, or the
// connection dropped once moto had answered). gwctl must neither do the work twice nor report a
// failure that did not happen: a create is looked for before it is repeated, a DELETE that
// answers 404 on its repeat is done.
describe('faults: answers lost after AWS did the work (built CLI, proxy in front of moto)', function () {
  this.timeout(120_000)
  const moto = useMoto()
  const bench = useFaultProxy(moto)
  const CREATE_KEY = {method: 'POST', path: /^\/apikeys$/, query: /^$/}
  const IMPORT_KEYS = {method: 'POST', path: /^\/apikeys$/, query: /mode=import/}

  it('keys create --plan: the key is created once, joins the plan, and its generated value is shown', async () => {
    const gold = resourceOf(await bench.json(['plans', 'create', '--name', 'gold']), 'usagePlan')
    bench.proxy.when({...CREATE_KEY, nth: 1}).failAfter()
    const result = await bench.gwctl(['keys', 'create', '--name', 'alice', '--plan', 'gold', '--json'])
    assert.equal(result.code, 0, result.stderr)
    const keys = await bench.keys()
    assert.deepEqual(
      keys.map((k) => k.name),
      ['alice'],
      'one key, not two',
    )
    assert.deepEqual(await bench.planKeyIds(gold.id), [keys[0].id])
    const shown = resourceOf(JSON.parse(result.stdout), 'apiKey')
    assert.equal(shown.id, keys[0].id)
    assert.equal(shown.value, keys[0].value, 'the generated value is shown in full, once')
    assert.match(result.stderr, /answer to creating API key "alice" was lost .*HTTP 500.*found it .*not created again/i)
    assert.equal(bench.proxy.requestsMatching(CREATE_KEY).length, 1, 'CreateApiKey was not repeated')
  })

  it('keys create: a connection dropped after AWS answered is treated the same way', async () => {
    bench.proxy.when({...CREATE_KEY, nth: 1}).reset('after')
    const created = resourceOf(await bench.json(['keys', 'create', '--name', 'bob']), 'apiKey')
    assert.deepEqual(
      (await bench.keys()).map((k) => k.id),
      [created.id],
    )
  })

  it('plans create: one plan of that name, and the command says so', async () => {
    bench.proxy.when({method: 'POST', path: /^\/usageplans$/, nth: 1}).failAfter()
    const created = resourceOf(await bench.json(['plans', 'create', '--name', 'gold', '--rate', '5', '--burst', '10']), 'usagePlan')
    const plans = await bench.plans()
    assert.deepEqual(
      plans.map((p) => [p.id, p.name]),
      [[created.id, 'gold']],
    )
    // by-name commands still work: the name is not ambiguous
    assert.equal((await bench.gwctl(['plans', 'show', 'gold'])).code, 0)
  })

  it('stages attach: the stage added by a lost UpdateUsagePlan is found, not added twice', async () => {
    await createDeployedApi(moto.current.url, {name: 'pets', methods: {'/pets': ['GET']}, stages: ['prod']})
    await bench.json(['plans', 'create', '--name', 'gold'])
    bench.proxy.when({method: 'PATCH', path: /^\/usageplans\/[^/]+$/, nth: 1}).failAfter()
    const result = await bench.gwctl(['stages', 'attach', '--plan', 'gold', '--api', 'pets', '--stage', 'prod'])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(
      (await bench.plans())[0].apiStages?.map((s) => s.stage),
      ['prod'],
    )
  })

  it("keys attach: membership created by a lost call is found by listing the plan's keys", async () => {
    const gold = resourceOf(await bench.json(['plans', 'create', '--name', 'gold']), 'usagePlan')
    const key = resourceOf(await bench.json(['keys', 'create', '--name', 'carol']), 'apiKey')
    bench.proxy.when({method: 'POST', path: /^\/usageplans\/[^/]+\/keys$/, nth: 1}).failAfter()
    const result = await bench.gwctl(['keys', 'attach', 'carol', '--plan', 'gold'])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(await bench.planKeyIds(gold.id), [key.id])
  })

  it('plans delete --force: a repeated DELETE that answers 404 means done; no failure, no undo', async () => {
    await createDeployedApi(moto.current.url, {name: 'pets', methods: {'/pets': ['GET']}, stages: ['prod']})
    await bench.json(['plans', 'create', '--name', 'gold', '--stage', 'pets:prod'])
    bench.proxy.when({method: 'DELETE', path: /^\/usageplans\/[^/]+$/, nth: 1}).failAfter()
    const result = await bench.gwctl(['plans', 'delete', 'gold', '--force', '--yes'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Deleted usage plan gold/)
    assert.doesNotMatch(result.stdout + result.stderr, /undo|stages attach/)
    assert.deepEqual(await bench.plans(), [])
  })

  it('keys delete: the same for an API key', async () => {
    await bench.json(['keys', 'create', '--name', 'dave'])
    bench.proxy.when({method: 'DELETE', path: /^\/apikeys\/[^/]+$/, nth: 1}).failAfter()
    const result = await bench.gwctl(['keys', 'delete', 'dave', '--yes'])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(await bench.keys(), [])
  })

  describe('keys import: a batch whose answer was lost', () => {
    const ROWS = 250 // three batches: 100, 100, 50
    const csv = (plan: string) =>
      [
        'Name,Key,UsagePlanIds',
        ...Array.from({length: ROWS}, (_, i) => `customer-${i + 1},Imported${String(i + 1).padStart(4, '0')}abcdefghijklmnop,${plan}`),
      ].join('\n') + '\n'

    for (const failOnWarnings of [false, true]) {
      it(`is checked by key value: every key once, every id, no spurious warning${failOnWarnings ? ' (--fail-on-warnings)' : ''}`, async () => {
        const gold = resourceOf(await bench.json(['plans', 'create', '--name', 'gold']), 'usagePlan')
        bench.proxy.when({...IMPORT_KEYS, nth: 3}).failAfter()
        const result = await bench.gwctl(['keys', 'import', '-', '--json', ...(failOnWarnings ? ['--fail-on-warnings'] : [])], {input: csv(gold.id)})
        assert.equal(result.code, 0, result.stderr)
        const out = JSON.parse(result.stdout)
        const keys = await bench.keys()
        assert.equal(keys.length, ROWS, 'every key exists once')
        assert.deepEqual([...out.ids].toSorted(), keys.map((k) => k.id!).toSorted(), 'ids counts every key created, the lost batch too')
        assert.deepEqual(out.warnings, [])
        assert.equal((await bench.planKeyIds(gold.id)).length, ROWS)
        assert.equal(bench.proxy.requestsMatching(IMPORT_KEYS).length, 3, 'the third batch was not sent again')
      })
    }
  })
})
