import {CreateApiKeyCommand, CreateUsagePlanCommand, GetApiKeysCommand, GetUsagePlansCommand, paginateGetApiKeys} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import {awsErrorOf, sdkFor} from '../helpers/moto-api.js'
import {useMoto} from '../helpers/moto.js'

// Lists page as on AWS (extensions/paging.py): 25 items unless `limit` says otherwise, then `position`.
describe('extended moto: paged lists', function () {
  this.timeout(30_000)
  const moto = useMoto()
  const sdk = () => sdkFor(moto.current.url)

  it('pages API keys by 25 by default, follows position, and gives every key to a paginator once', async () => {
    const names = Array.from({length: 30}, (_, i) => `key-${String(i).padStart(2, '0')}`)
    for (const name of names) await sdk().send(new CreateApiKeyCommand({name}))

    const first = await sdk().send(new GetApiKeysCommand({}))
    assert.equal(first.items?.length, 25)
    assert.ok(first.position)
    const rest = await sdk().send(new GetApiKeysCommand({position: first.position}))
    assert.equal(rest.items?.length, 5)
    assert.equal(rest.position, undefined)

    const all: string[] = []
    for await (const page of paginateGetApiKeys({client: sdk(), pageSize: 7}, {})) {
      assert.ok((page.items?.length ?? 0) <= 7)
      all.push(...(page.items ?? []).map((k) => k.name!))
    }

    assert.deepEqual(all.toSorted(), names)
  })

  it('refuses a limit above 500 and a position it did not give', async () => {
    await sdk().send(new CreateUsagePlanCommand({name: 'gold'}))
    assert.deepEqual(await awsErrorOf(sdk().send(new GetUsagePlansCommand({limit: 501}))), {
      name: 'BadRequestException',
      status: 400,
      message: "Invalid limit '501': must be between 1 and 500",
    })
    assert.match((await awsErrorOf(sdk().send(new GetUsagePlansCommand({position: '!!'})))).message, /Invalid position/)
    assert.equal((await sdk().send(new GetUsagePlansCommand({limit: 500}))).items?.length, 1)
  })
})
