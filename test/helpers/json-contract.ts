import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'

import {ROOT} from './cli.js'

/**
 * The JSON Schemas of the --json contract (schemas/, docs/json.md), loaded once, and
 * the assertions command tests use on --json output: stdout holds exactly one JSON
 * document, and it is the command's result shape or the error shape.
 */

export const SCHEMAS = join(ROOT, 'schemas')
/** Shared by every command: the shapes results are made of, and the failure envelope. */
export const SHARED_SCHEMAS = ['definitions.json', 'error.json']

const require = createRequire(import.meta.url)
const Ajv2020 = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js').default
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default

const ajv = new Ajv2020({allErrors: true, strict: true})
addFormats(ajv)
for (const file of readdirSync(SCHEMAS).filter((f) => f.endsWith('.json'))) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')))

/** The schema file of a command's --json result: `plans:create` -> plans-create.json. */
export const schemaFileOf = (commandId: string) => `${commandId.replaceAll(':', '-')}.json`

function check(schemaId: string, body: unknown, what: string): void {
  const validate = ajv.getSchema(schemaId)
  assert.ok(validate, `no schema ${schemaId} in schemas/`)
  if (!validate(body)) {
    const problems = (validate.errors ?? []).map((e) => `  ${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`)
    assert.fail(`${what} does not match schemas/${schemaId}:\n${problems.join('\n')}\n${JSON.stringify(body, null, 2).slice(0, 3000)}`)
  }
}

function parseOne(stdout: string, what: string): unknown {
  try {
    return JSON.parse(stdout)
  } catch (error) {
    assert.fail(`${what}: stdout is not exactly one JSON document (${(error as Error).message}):\n${stdout.slice(0, 2000)}`)
  }
}

/** A successful --json result of `commandId` (e.g. "plans:create"), checked against its schema. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function jsonResult(commandId: string, stdout: string): any {
  const body = parseOne(stdout, `${commandId} --json`)
  check(schemaFileOf(commandId), body, `${commandId} --json`)
  return body
}

/** A failed command's --json output, checked against schemas/error.json; its `error`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function jsonError(stdout: string): any {
  const body = parseOne(stdout, 'an error under --json')
  check('error.json', body, 'an error under --json')
  return (body as {error: unknown}).error
}

const commandIds = new Set(Object.keys((JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: object}).commands))

/** The command an argv runs: the longest leading run of words that is a command id ("plans create ..." -> "plans:create"). */
export function commandIdOf(argv: readonly string[]): string {
  for (let n = Math.min(argv.length, 3); n > 0; n--) {
    const id = argv.slice(0, n).join(':')
    if (commandIds.has(id)) return id
  }

  throw new Error(`no gwctl command in ${argv.join(' ')}`)
}
