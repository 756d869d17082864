import assert from 'node:assert/strict'
import {createHash, createHmac} from 'node:crypto'

import {keyValueForms, keyValueHmac, newKeyValueSalt, type SnapshotKey} from '../../src/model/snapshot.js'
import {validateSnapshot} from '../../src/simulator/validate-snapshot.js'

const key = (extra: Partial<SnapshotKey>): SnapshotKey => ({id: 'k1', name: 'alice', enabled: true, usagePlanIds: [], ...extra})
/** The key id a logged value finds, as the simulator looks it up. */
const find = (keys: SnapshotKey[], salt: string | undefined, logged: string) => {
  const forms = keyValueForms({keyValueSalt: salt, apiKeys: keys})
  const byForm = new Map(keys.flatMap((k) => forms.stored(k).map((form) => [form, k.id] as const)))
  return forms
    .of(logged)
    .map((form) => byForm.get(form))
    .find((id) => id !== undefined)
}

// Issue 13: snapshots keep a key's value as HMAC-SHA-256 with a random salt of their own; the
// simulator recognises a logged value by it, and by the plain SHA-256 older snapshots hold.
describe('model/snapshot: key values as snapshots keep them', () => {
  const value = 'Alice0123456789abcdefghij'

  it('a salt is 32 random bytes, new each time; the digest is HMAC-SHA-256 keyed with it', () => {
    const salt = newKeyValueSalt()
    assert.match(salt, /^[0-9a-f]{64}$/)
    assert.notEqual(newKeyValueSalt(), salt)
    assert.equal(keyValueHmac(salt, value), createHmac('sha256', Buffer.from(salt, 'hex')).update(value).digest('hex'))
    assert.notEqual(keyValueHmac(salt, value), createHash('sha256').update(value).digest('hex'))
  })

  it('finds a key by its salted digest, by its value in clear, and by the plain SHA-256 of older snapshots', () => {
    const salt = newKeyValueSalt()
    assert.equal(find([key({valueHmacSha256: keyValueHmac(salt, value)})], salt, value), 'k1')
    assert.equal(find([key({valueHmacSha256: keyValueHmac(salt, value)})], salt, 'Other0123456789abcdefghi'), undefined)
    assert.equal(find([key({value})], undefined, value), 'k1')
    assert.equal(find([key({valueSha256: createHash('sha256').update(value).digest('hex').toUpperCase()})], undefined, value), 'k1')
  })

  it("a digest is no use without its own snapshot's salt", () => {
    const digest = keyValueHmac(newKeyValueSalt(), value)
    assert.equal(find([key({valueHmacSha256: digest})], newKeyValueSalt(), value), undefined)
  })

  it('validation wants the salt beside salted digests, and 64 hex digits for each', () => {
    const base = {version: 1, apis: [], usagePlans: []}
    const salted = {...base, keyValueSalt: newKeyValueSalt(), apiKeys: [key({valueHmacSha256: 'ab'.repeat(32)})]}
    assert.deepEqual(validateSnapshot(salted), [])
    assert.deepEqual(validateSnapshot({...salted, keyValueSalt: undefined}), [
      'keyValueSalt: must be the hexadecimal salt of the valueHmacSha256 digests (apiKeys[0] has one)',
    ])
    assert.deepEqual(validateSnapshot({...salted, apiKeys: [key({valueHmacSha256: 'xyz'})]}), [
      'apiKeys[0].valueHmacSha256: must be 64 hexadecimal digits (HMAC-SHA-256 of the key value)',
    ])
  })
})
