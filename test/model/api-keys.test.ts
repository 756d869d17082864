import assert from 'node:assert/strict'

import {generateKeyValue, keyValueProblem} from '../../src/model/api-keys.js'

describe('API key values', () => {
  it('generates 40 letters and digits, different every time', () => {
    const values = Array.from({length: 50}, () => generateKeyValue())
    for (const v of values) assert.match(v, /^[A-Za-z0-9]{40}$/)
    assert.equal(new Set(values).size, 50)
  })

  it('accepts 20 to 128 letters and digits and explains anything else', () => {
    assert.equal(keyValueProblem('a'.repeat(20)), undefined)
    assert.equal(keyValueProblem('Z9'.repeat(64)), undefined)
    assert.match(keyValueProblem('a'.repeat(19))!, /it has 19 characters/)
    assert.match(keyValueProblem('a'.repeat(129))!, /it has 129 characters/)
    assert.match(keyValueProblem('a'.repeat(20) + ' ')!, /contains " "/)
  })
})
