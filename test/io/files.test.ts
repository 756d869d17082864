import assert from 'node:assert/strict'
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {readSecret, readTextInput, ReservedFile, writeFileWhole} from '../../src/io/files.js'
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

  describe('a file of secrets reserved before anything is changed', () => {
    it('is created empty, readable by its owner only, then filled', async () => {
      const file = join(dir, 'keys.csv')
      const reserved = await ReservedFile.create(file, 0o600, '--keys-out')
      assert.equal(readFileSync(file, 'utf8'), '')
      assert.equal(statSync(file).mode & 0o777, 0o600)
      await reserved.fill('Name,Key\n')
      assert.equal(readFileSync(file, 'utf8'), 'Name,Key\n')
      assert.equal(statSync(file).mode & 0o777, 0o600)
    })

    it('never replaces a file, and says why it cannot create one, naming the flag', async () => {
      const file = join(dir, 'keys.csv')
      writeFileSync(file, 'precious')
      const exists = await rejection(ReservedFile.create(file, 0o600, '--keys-out'))
      assert.equal(exists.exitCode, 2)
      assert.match(exists.message, /^--keys-out .*keys\.csv: cannot create it: it already exists, and gwctl does not replace a file of key values/)
      assert.equal(readFileSync(file, 'utf8'), 'precious')
      const missing = await rejection(ReservedFile.create(join(dir, 'nope', 'keys.csv'), 0o600, '--keys-out'))
      assert.match(missing.message, /cannot create it: its directory does not exist$/)
    })

    it('is removed when nothing was written to it', async () => {
      const reserved = await ReservedFile.create(join(dir, 'keys.csv'), 0o600, '--keys-out')
      await reserved.discard()
      assert.deepEqual(readdirSync(dir), [])
    })
  })

  describe('readSecret', () => {
    it('reads one line, dropping its line end', async () => {
      const file = join(dir, 'partner.key')
      writeFileSync(file, 'Zx8Kq2Lm4Np6Rt8Vw0Yb3Cd5\n')
      assert.equal(await readSecret(file, '--value-file'), 'Zx8Kq2Lm4Np6Rt8Vw0Yb3Cd5')
    })

    it('refuses an empty file, more than one line, or a missing file, never repeating the content', async () => {
      const file = join(dir, 'partner.key')
      writeFileSync(file, 'SecretLineOne0123456789\nSecretLineTwo0123456789\n')
      const two = await rejection(readSecret(file, '--value-file'))
      assert.equal(two.message, '--value-file must hold the key value on one line; it has 2 lines')
      writeFileSync(file, '')
      assert.equal((await rejection(readSecret(file, '--value-file'))).message, '--value-file must hold the key value on one line; it has nothing')
      assert.match((await rejection(readSecret(join(dir, 'none'), '--value-file'))).message, /^--value-file: Cannot read .*none: no such file$/)
    })
  })
})
