import {GetApiKeysCommand, GetUsagePlanKeysCommand, GetUsagePlansCommand} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'
import {mkdtemp, readFile, stat} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {createDeployedApi, sdkFor} from '../helpers/moto-api.js'
import {MOTO_ENV, useMoto} from '../helpers/moto.js'
import {hasScript, KEYS, onTerminal} from '../helpers/terminal.js'

describe('wizard on a terminal against moto (built CLI on a pseudo-terminal)', function () {
  this.timeout(120_000)
  const moto = useMoto()
  before(function () {
    if (!hasScript()) {
      console.warn('  [skipped] util-linux `script` is missing: the terminal tests need it to open a pseudo-terminal')
      this.skip()
    }
  })

  it('asks, refuses a bad value, applies on confirmation, and shows the key values once', async () => {
    const {id: apiId} = await createDeployedApi(moto.current.url, {name: 'pets', methods: {'/': ['GET'], '/pets': ['GET', 'POST']}, stages: ['prod', 'beta']})
    const keysOut = join(await mkdtemp(join(tmpdir(), 'gwctl-wizard-')), 'keys.csv')
    const t = onTerminal(['wizard', '--endpoint-url', moto.current.url, '--keys-out', keysOut], {...MOTO_ENV, CI: ''})
    const {enter, down, space, clearLine} = KEYS

    await t.expect(/Which REST API/)
    await t.type('pets')
    await t.expect(/pets \(/)
    await t.type(enter)
    await t.expect(/Which stages/)
    await t.type(space + down + space + enter)
    await t.expect(/extend an existing one/)
    await t.type(enter)
    await t.expect(/Plan name/)
    await t.type('gold' + enter)
    await t.expect(/Throttle rate \(/)
    await t.type('fast' + enter)
    await t.expect(/must be a number/)
    await t.type(clearLine + '25' + enter)
    await t.expect(/Throttle burst \(/)
    await t.type('50' + enter)
    await t.expect(/Quota \(/)
    await t.type('0' + enter)
    await t.expect(/Quota limit must be a whole number above 0; got "0"/)
    await t.type(clearLine + '1000' + enter)
    await t.expect(/Quota period/)
    await t.type(enter)
    await t.expect(/per-method throttles/)
    await t.type('n' + enter)
    await t.expect(/API keys for this plan/)
    await t.type(enter)
    await t.expect(/How many new keys/)
    await t.type('2' + enter)
    await t.expect(/Key name pattern/)
    await t.type('partner-{n}' + enter)
    await t.expect(/Which methods require an API key/)
    await t.type(enter)
    await t.expect(/Continue with no method requiring a key\?/)
    await t.type('y' + enter)
    await t.expect(/Where does the API key come from/)
    await t.type(enter)
    await t.expect(/The same setup without the wizard:/)
    await t.expect(/Apply these 5 changes now\?/)
    await t.type('y' + enter)
    await t.expect(/Done: 5 changes applied/)
    assert.equal(await t.exit(), 0, t.screen())

    const sdk = sdkFor(moto.current.url)
    const [plan] = (await sdk.send(new GetUsagePlansCommand({}))).items!
    assert.equal(plan.name, 'gold')
    assert.deepEqual(plan.throttle, {rateLimit: 25, burstLimit: 50})
    assert.equal(plan.quota?.limit, 1000)
    assert.deepEqual(plan.apiStages?.map((s) => `${s.apiId}:${s.stage}`).toSorted(), [`${apiId}:beta`, `${apiId}:prod`])
    const keys = (await sdk.send(new GetApiKeysCommand({includeValues: true}))).items!
    const members = (await sdk.send(new GetUsagePlanKeysCommand({usagePlanId: plan.id}))).items!
    assert.deepEqual(members.map((k) => k.name).toSorted(), ['partner-1', 'partner-2'])
    // Each value shown once on the terminal and written to the 0600 file.
    for (const key of keys) assert.equal(t.screen().split(key.value!).length - 1, 1, `value of ${key.name}`)
    assert.equal((await stat(keysOut)).mode & 0o777, 0o600)
    const csv = await readFile(keysOut, 'utf8')
    for (const key of keys) assert.match(csv, new RegExp(`${key.name},${key.value},${key.id}`))
  })

  it('Ctrl-C at a question exits 130 and changes nothing', async () => {
    await createDeployedApi(moto.current.url, {name: 'pets', methods: {'/': ['GET']}, stages: ['prod']})
    const t = onTerminal(['wizard', '--endpoint-url', moto.current.url], {...MOTO_ENV, CI: ''})
    await t.expect(/Which REST API/)
    await t.type('pets' + KEYS.enter)
    await t.expect(/Which stages/)
    await t.type('\u0003')
    await t.expect(/Cancelled; nothing was changed/)
    assert.equal(await t.exit(), 130)
    assert.deepEqual((await sdkFor(moto.current.url).send(new GetUsagePlansCommand({}))).items ?? [], [])
  })
})
