import assert from 'node:assert/strict'

import {parseKeySource} from '../../src/model/key-source.js'
import {parseHttpMethod, parsePathGlob} from '../../src/model/method-selection.js'

describe('method selection', () => {
  const paths = ['/', '/pets', '/pets/{id}', '/pets/{id}/photos', '/petshop', '/users/{id}']
  const matching = (glob: string) => paths.filter((p) => parsePathGlob(glob).matches(p))

  it('takes an exact path literally, template braces included', () => {
    assert.deepEqual(matching('/pets/{id}'), ['/pets/{id}'])
    assert.deepEqual(matching('/'), ['/'])
  })

  it('"*" matches within one segment only', () => {
    assert.deepEqual(matching('/pets/*'), ['/pets/{id}'])
    assert.deepEqual(matching('/pets*'), ['/pets', '/petshop'])
    assert.deepEqual(matching('/*/{id}'), ['/pets/{id}', '/users/{id}'])
  })

  it('"**" matches any number of segments, none included', () => {
    assert.deepEqual(matching('/pets/**'), ['/pets', '/pets/{id}', '/pets/{id}/photos'])
    assert.deepEqual(matching('/**'), paths)
    assert.deepEqual(matching('/**/photos'), ['/pets/{id}/photos'])
  })

  it('refuses globs that are not paths, naming the flag', () => {
    assert.throws(() => parsePathGlob('pets'), /--path must be a resource path starting with "\/".*got "pets"/)
    assert.throws(() => parsePathGlob('/pets/a**'), /--path: "\*\*" must be a whole path segment/)
  })

  it('takes HTTP methods in any case and refuses others', () => {
    assert.equal(parseHttpMethod('get'), 'GET')
    assert.equal(parseHttpMethod('any'), 'ANY')
    assert.throws(() => parseHttpMethod('FETCH'), /--method: "FETCH" is not an HTTP method; use one of ANY, DELETE, GET/)
  })

  it('takes a key source in any case and refuses others', () => {
    assert.equal(parseKeySource('authorizer'), 'AUTHORIZER')
    assert.throws(
      () => parseKeySource('QUERY'),
      (e: Error & {exitCode?: number}) => e.exitCode === 2 && /--source must be HEADER .* or AUTHORIZER .*got "QUERY"/.test(e.message),
    )
  })
})
