import assert from 'node:assert/strict'
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {readTextInput, writeFileWhole, writeNewFile} from '../../src/io/files.js'
import {rejection} from '../helpers/rejection.js'

describe('io/files', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-io-'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('reads a file and names it as its source', async () => {
    writeFileSync(join(dir, 'keys.csv'), 'Name,Key\n')
    assert.deepEqual(await readTextInput(join(dir, 'keys.csv')), {text: 'Name,Key\n', source: join(dir, 'keys.csv')})
  })

  it('refuses a missing file as bad input (exit 2), naming it', async () => {
    const error = await rejection(readTextInput(join(dir, 'nope.csv')))
    assert.equal(error.exitCode, 2)
    assert.equal(error.message, `Cannot read ${join(dir, 'nope.csv')}: no such file`)
  })

  it('replaces a file whole, with the mode asked for, leaving no temporary file behind', async () => {
    const file = join(dir, 'snapshot.json')
    writeFileSync(file, 'old')
    await writeFileWhole(file, 'new', {mode: 0o600})
    assert.equal(readFileSync(file, 'utf8'), 'new')
    assert.equal(statSync(file).mode & 0o777, 0o600)
    assert.deepEqual(readdirSync(dir), ['snapshot.json'])
  })

  it('names the flag and the path when it cannot write, and leaves nothing half-written', async () => {
    const error = await rejection(writeFileWhole(join(dir, 'missing-dir', 'out.json'), '{}', {flag: '--out'}))
    assert.equal(error.exitCode, 2)
    assert.match(error.message, /^--out: cannot write ".*out\.json": ENOENT/)
    assert.deepEqual(readdirSync(dir), [])
  })

  it('creates a new file of secrets but never replaces one', async () => {
    const file = join(dir, 'keys.csv')
    await writeNewFile(file, 'Name,Key\n', 0o600)
    assert.equal(statSync(file).mode & 0o777, 0o600)
    await assert.rejects(writeNewFile(file, 'other', 0o600), /EEXIST/)
    assert.equal(readFileSync(file, 'utf8'), 'Name,Key\n')
  })
})
