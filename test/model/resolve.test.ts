import assert from 'node:assert/strict'

import {GwctlError} from '../../src/model/errors.js'
import {closestNames, resolveByIdOrName} from '../../src/model/resolve.js'

describe('model/resolve', () => {
  const plans = [
    {id: 'p1', name: 'gold'},
    {id: 'p2', name: 'silver'},
    {id: 'p3', name: 'silver'},
    {id: 'p4', name: 'p1'},
    {id: 'p5', name: 'Bronze'},
  ]
  const resolve = (ref: string) => resolveByIdOrName(plans, ref, 'usage plan', 'gwctl plans list')
  const failure = (ref: string): GwctlError => {
    try {
      resolve(ref)
    } catch (error) {
      assert.ok(error instanceof GwctlError)
      return error
    }

    assert.fail(`"${ref}" resolved`)
  }

  it('finds an item by id', () => {
    assert.equal(resolve('p2').id, 'p2')
  })

  it('finds an item by exact name', () => {
    assert.equal(resolve('gold').id, 'p1')
  })

  it('prefers an id over a name that looks like it', () => {
    assert.equal(resolve('p1').name, 'gold')
  })

  it('refuses an ambiguous name with exit 2, listing every match', () => {
    const error = failure('silver')
    assert.equal(error.code, 'AMBIGUOUS')
    assert.equal(error.exitCode, 2)
    assert.equal(error.message, '2 usage plans are named "silver": p2 (silver), p3 (silver)')
    assert.deepEqual(error.suggestions, ['Name the usage plan by id instead, for example p2'])
    assert.deepEqual(error.details, {
      candidates: [
        {id: 'p2', name: 'silver', description: 'p2 (silver)'},
        {id: 'p3', name: 'silver', description: 'p3 (silver)'},
      ],
    })
  })

  it('reports an unknown name with exit 3 and the list command', () => {
    const error = failure('platinum')
    assert.equal(error.code, 'NOT_FOUND')
    assert.equal(error.exitCode, 3)
    assert.equal(error.message, 'No usage plan with id or name "platinum"')
    assert.deepEqual(error.suggestions, ['Run `gwctl plans list` to see them'])
  })

  it('suggests the name that differs only in case, without resolving to it', () => {
    const error = failure('bronze')
    assert.equal(error.code, 'NOT_FOUND')
    assert.deepEqual(error.suggestions, ['Did you mean "Bronze" (p5)?', 'Run `gwctl plans list` to see them'])
  })
})

describe('closestNames', () => {
  it('finds what a typo meant, and nothing when nothing is close', () => {
    assert.deepEqual(closestNames('--regoin', ['--region', '--profile', '--endpoint-url']), ['--region'])
    assert.deepEqual(closestNames('plan:list', ['plans:list', 'plans:show', 'keys:list']), ['plans:list'])
    assert.deepEqual(closestNames('--xyz', ['--region', '--profile']), [])
  })
})
