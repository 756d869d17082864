import assert from 'node:assert/strict'

import {GwctlError} from '../../src/model/errors.js'

/** The GwctlError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<GwctlError> {
  try {
    await promise
  } catch (error) {
    assert.ok(error instanceof GwctlError, `expected a GwctlError, got ${String(error)}`)
    return error
  }

  assert.fail('expected a rejection, but the call succeeded')
}
