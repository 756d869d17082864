import {
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetUsagePlanKeysCommand,
  ImportApiKeysCommand,
  UpdateApiKeyCommand,
} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import {awsErrorOf, sdkFor} from '../helpers/moto-api.js'
import {useMoto} from '../helpers/moto.js'

// ImportApiKeys, UpdateApiKey and GetApiKeys?customerId of the extended moto (extensions/api_keys.py).
describe('extended moto: API keys', function () {
  this.timeout(30_000)
  const moto = useMoto()
  const sdk = () => sdkFor(moto.current.url)
  const importCsv = (csv: string, failOnWarnings?: boolean) =>
    sdk().send(new ImportApiKeysCommand({body: new TextEncoder().encode(csv), format: 'csv', failOnWarnings}))
  const keysByName = async () =>
    Object.fromEntries(
      ((await sdk().send(new GetApiKeysCommand({includeValues: true}))).items ?? []).map((k) => [
        k.name,
        {id: k.id, value: k.value, enabled: k.enabled, description: k.description},
      ]),
    )
  const members = async (usagePlanId: string) => ((await sdk().send(new GetUsagePlanKeysCommand({usagePlanId}))).items ?? []).map((k) => k.name).toSorted()

  it("imports AWS's key file format: any header case and order, quoted plan lists, defaults, plan memberships", async () => {
    const gold = await sdk().send(new CreateUsagePlanCommand({name: 'gold'}))
    const free = await sdk().send(new CreateUsagePlanCommand({name: 'free'}))
    // Shaped like AWS's sample: spaces after commas in the header, mixed-case booleans, an empty cell.
    const csv = [
      'key,name, description, Enabled, usageplanIds,ignored',
      `alice0123456789abcdefghij,alice,first key,tRuE,"${gold.id},${free.id}",x`,
      `bob0123456789abcdefghijkl,bob,,FALSE,'${free.id}',y`,
      'carol0123456789abcdefghij,carol',
    ].join('\r\n')
    const out = await importCsv(csv)
    assert.deepEqual(out.warnings, [])
    const keys = await keysByName()
    assert.deepEqual(out.ids, [keys.alice.id, keys.bob.id, keys.carol.id])
    assert.deepEqual(keys, {
      alice: {id: keys.alice.id, value: 'alice0123456789abcdefghij', enabled: true, description: 'first key'},
      bob: {id: keys.bob.id, value: 'bob0123456789abcdefghijkl', enabled: false, description: ''},
      carol: {id: keys.carol.id, value: 'carol0123456789abcdefghij', enabled: true, description: ''},
    })
    assert.deepEqual(await members(gold.id!), ['alice'])
    assert.deepEqual(await members(free.id!), ['alice', 'bob'])
  })

  it('skips rows it cannot import with a warning each, and re-importing a value overwrites that key', async () => {
    const gold = await sdk().send(new CreateUsagePlanCommand({name: 'gold'}))
    const existing = await sdk().send(new CreateApiKeyCommand({name: 'old-name', value: 'alice0123456789abcdefghij', enabled: true}))
    const csv = [
      'Name,Key,Enabled,UsagePlanIds',
      `alice,alice0123456789abcdefghij,false,${gold.id}`,
      'short,tooshort',
      `nope,nope0123456789abcdefghijk,maybe,${gold.id}`,
      'ghost,ghost0123456789abcdefghij,true,nosuchplan',
    ].join('\n')
    const out = await importCsv(csv)
    assert.deepEqual(out.ids, [existing.id])
    assert.deepEqual(out.warnings, [
      'Line 3: API key short not imported: the Key value must be 20 to 128 characters long (it has 8)',
      "Line 4: API key nope not imported: Enabled must be true or false, not 'maybe'",
      'Line 5: API key ghost not imported: Invalid Usage Plan ID specified: nosuchplan',
    ])
    assert.deepEqual(await keysByName(), {alice: {id: existing.id, value: 'alice0123456789abcdefghij', enabled: false, description: ''}})
    assert.deepEqual(await members(gold.id!), ['alice'])
  })

  it('with failOnWarnings imports nothing when any row has a warning', async () => {
    const gold = await sdk().send(new CreateUsagePlanCommand({name: 'gold'}))
    const csv = `name,key,usagePlanIds\nalice,alice0123456789abcdefghij,${gold.id}\nshort,tooshort,${gold.id}\n`
    const error = await awsErrorOf(importCsv(csv, true))
    assert.deepEqual([error.name, error.status], ['BadRequestException', 400])
    assert.match(error.message, /^Nothing was imported: failonwarnings is set and the file has 1 warning\(s\): Line 3: API key short not imported/)
    assert.deepEqual(await keysByName(), {})
    assert.deepEqual(await members(gold.id!), [])
  })

  it('refuses a file without Name or Key columns, an unclosed quote, or another format', async () => {
    assert.deepEqual(await awsErrorOf(importCsv('name,value\na,alice0123456789abcdefghij\n')), {
      name: 'BadRequestException',
      status: 400,
      message: 'Invalid API key file: the header has no Key column',
    })
    assert.match((await awsErrorOf(importCsv('name,key\n"alice,alice0123456789abcdefghij\n'))).message, /line 2: a cell opened with " is never closed/)
    const json = sdk().send(new ImportApiKeysCommand({body: new TextEncoder().encode('[]'), format: 'json' as 'csv'}))
    assert.match((await awsErrorOf(json)).message, /Invalid format 'json'/)
  })

  it('UpdateApiKey changes name, description, customer id and enabled, and refuses other paths', async () => {
    const key = await sdk().send(new CreateApiKeyCommand({name: 'alice', enabled: true}))
    const updated = await sdk().send(
      new UpdateApiKeyCommand({
        apiKey: key.id,
        patchOperations: [
          {op: 'replace', path: '/name', value: 'alice-2'},
          {op: 'replace', path: '/description', value: 'rotated'},
          {op: 'replace', path: '/customerId', value: 'cust-42'},
          {op: 'replace', path: '/enabled', value: 'false'},
        ],
      }),
    )
    assert.deepEqual([updated.name, updated.description, updated.customerId, updated.enabled], ['alice-2', 'rotated', 'cust-42', false])
    const staged = await sdk().send(new UpdateApiKeyCommand({apiKey: key.id, patchOperations: [{op: 'add', path: '/stages', value: 'abc123/prod'}]}))
    assert.deepEqual(staged.stageKeys, ['abc123/prod'])

    const refused = await awsErrorOf(
      sdk().send(
        new UpdateApiKeyCommand({
          apiKey: key.id,
          patchOperations: [
            {op: 'replace', path: '/name', value: 'partly'},
            {op: 'remove', path: '/value'},
          ],
        }),
      ),
    )
    assert.deepEqual([refused.name, refused.status], ['BadRequestException', 400])
    assert.match(refused.message, /^Invalid patch path '\/value' specified for op 'remove'/)
    assert.equal((await sdk().send(new GetApiKeyCommand({apiKey: key.id}))).name, 'alice-2', 'a refused update changes nothing')
  })

  it('GetApiKeys filters by customerId', async () => {
    await sdk().send(new CreateApiKeyCommand({name: 'a', customerId: 'acme'}))
    await sdk().send(new CreateApiKeyCommand({name: 'b', customerId: 'globex'}))
    const acme = (await sdk().send(new GetApiKeysCommand({customerId: 'acme'}))).items ?? []
    assert.deepEqual(
      acme.map((k) => k.name),
      ['a'],
    )
  })
})
