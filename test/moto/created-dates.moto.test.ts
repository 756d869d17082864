import {CreateApiKeyCommand, GetApiKeyCommand} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import {sdkFor, setMotoClock} from '../helpers/moto-api.js'
import {useMoto} from '../helpers/moto.js'

// test/moto/extensions/created_dates.py: keys are stamped with the emulator's clock.
describe('extended moto: API keys are created at the emulator clock', function () {
  this.timeout(30_000)
  const moto = useMoto()

  it('stamps createdDate with the fixed clock, and with the real one after a reset', async () => {
    await setMotoClock(moto.current.url, '2026-11-08T06:30:00Z')
    const past = await sdkFor(moto.current.url).send(new CreateApiKeyCommand({name: 'old', enabled: true}))
    assert.equal(past.createdDate?.toISOString(), '2026-11-08T06:30:00.000Z')
    assert.equal((await sdkFor(moto.current.url).send(new GetApiKeyCommand({apiKey: past.id!}))).createdDate?.toISOString(), '2026-11-08T06:30:00.000Z')

    await moto.current.reset()
    const now = await sdkFor(moto.current.url).send(new CreateApiKeyCommand({name: 'new', enabled: true}))
    assert.ok(Math.abs(now.createdDate!.getTime() - Date.now()) < 60_000)
  })
})
