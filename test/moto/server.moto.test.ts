import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {ROOT} from '../helpers/cli.js'
import {setMotoClock} from '../helpers/moto-api.js'
import {type Moto, useMoto} from '../helpers/moto.js'

// The extended server's life in a test run (test/helpers/moto.ts, root-hooks.ts, test/moto/server.py).
describe('extended moto server: one per run, reset between tests', function () {
  this.timeout(60_000)
  const first = useMoto()
  const seen: Moto[] = []

  describe('one suite', () => {
    it('gets the shared server', () => {
      seen.push(first.current)
    })
  })

  describe('another suite', () => {
    const second = useMoto()
    it('gets the same server, not one of its own', () => {
      assert.equal(second.current.url, seen[0].url)
    })
  })

  it('a reset also clears what the extensions hold (the fixed clock)', async () => {
    const clock = async () => (await (await fetch(`${first.current.url}/_gwctl/clock`)).json()) as {now: string; fixed: boolean}
    await setMotoClock(first.current.url, '2026-01-31T23:59:59Z')
    assert.deepEqual(await clock(), {now: '2026-01-31T23:59:59Z', fixed: true})
    await first.current.reset()
    assert.equal((await clock()).fixed, false)
  })

  it('answers unknown test routes with an AWS-shaped 404', async () => {
    const response = await fetch(`${first.current.url}/_gwctl/nothing`)
    assert.equal(response.status, 404)
    assert.equal(response.headers.get('x-amzn-errortype'), 'NotFoundException')
    assert.deepEqual(await response.json(), {message: 'No test route GET /_gwctl/nothing'})
  })

  describe('without moto installed', () => {
    let bin: string
    before(() => {
      bin = mkdtempSync(join(tmpdir(), 'gwctl-no-moto-'))
      writeFileSync(join(bin, 'python3'), '#!/bin/sh\nexit 1\n')
      chmodSync(join(bin, 'python3'), 0o755)
    })
    after(() => rmSync(bin, {recursive: true, force: true}))

    const mochaWithoutMoto = (ci: string) =>
      spawnSync(
        process.execPath,
        [
          join(ROOT, 'node_modules/mocha/bin/mocha.js'),
          '--no-config',
          '--import=tsx',
          '--require',
          'test/helpers/root-hooks.ts',
          'test/moto/fixtures/needs-moto.ts',
        ],
        {cwd: ROOT, env: {...process.env, PATH: `${bin}:${process.env.PATH}`, CI: ci}, encoding: 'utf8', timeout: 50_000},
      )

    it('skips suites that need it, saying so', () => {
      const run = mochaWithoutMoto('')
      assert.equal(run.status, 0, run.stderr)
      assert.match(run.stderr + run.stdout, /\[skipped\] moto is not installed: integration tests need it/)
      assert.match(run.stdout, /0 passing/)
      assert.match(run.stdout, /1 pending/)
    })

    it('fails them under CI=true', () => {
      const run = mochaWithoutMoto('true')
      assert.notEqual(run.status, 0)
      assert.match(run.stdout, /moto is not installed, and CI=true requires the integration tests/)
    })
  })
})
