import assert from 'node:assert/strict'

import {gwctlCommandLine, shellQuote} from '../../src/model/shell.js'

describe('shell quoting of printed commands', () => {
  it('leaves plain words alone and single-quotes the rest, apostrophes included', () => {
    assert.equal(shellQuote('a1b2:prod'), 'a1b2:prod')
    assert.equal(shellQuote('/pets/POST=0.5/1'), '/pets/POST=0.5/1')
    assert.equal(shellQuote('/pets/{id}'), "'/pets/{id}'")
    assert.equal(shellQuote("Bob's key"), String.raw`'Bob'\''s key'`)
    assert.equal(shellQuote(''), "''")
  })

  it('prefixes gwctl', () => {
    assert.equal(gwctlCommandLine(['keys', 'create', '--name', 'a b']), "gwctl keys create --name 'a b'")
  })
})
