import assert from 'node:assert/strict'

import type {Moto} from './moto.js'

import {runCli} from './cli.js'
import {commandIdOf, jsonResult} from './json-contract.js'
import {MOTO_ENV} from './moto.js'

/**
 * The built CLI pointed at the run's moto server, three ways: `gwctl` as it is, `ok` for a
 * command that must succeed, and `json` for its --json result, checked against its schema.
 */
export function gwctlOn(moto: {current: Moto}) {
  const gwctl = (args: string[], input?: string) => runCli([...args, '--endpoint-url', moto.current.url], {env: MOTO_ENV, input})
  const ok = async (...args: string[]) => {
    const result = await gwctl(args)
    assert.equal(result.code, 0, `gwctl ${args.join(' ')}\n${result.stderr}`)
    return result
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json = async (...args: string[]): Promise<any> => jsonResult(commandIdOf(args), (await ok(...args, '--json')).stdout)
  return {gwctl, ok, json}
}
