import {spawnSync} from 'node:child_process'
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {BIN, ROOT, runCli} from './helpers/cli.js'

/** The CommonJS packages `gwctl args...` loads, as a user would run it. */
function packagesLoadedBy(args: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'gwctl-loads-'))
  try {
    const file = join(dir, 'packages')
    const result = spawnSync(process.execPath, ['--require', join(ROOT, 'test/helpers/loaded-packages.cjs'), BIN, ...args], {
      cwd: ROOT,
      env: {...process.env, GWCTL_LOADED_PACKAGES: file},
    })
    assert.equal(result.status, 0, result.stderr.toString())
    return readFileSync(file, 'utf8').split('\n')
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

describe('bin/run.js', () => {
  it('checks the same minimum Node version as package.json "engines"', () => {
    const engines = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node as string
    const [, major, minor] = /^>=(\d+)\.(\d+)\.0$/.exec(engines) ?? []
    const bin = readFileSync(join(ROOT, 'bin/run.js'), 'utf8')
    assert.ok(bin.includes(`major < ${major} || (major === ${major} && minor < ${minor})`), `bin/run.js does not check ${engines}`)
    assert.ok(bin.includes(`gwctl needs Node.js ${major}.${minor} or later`))
  })

  it('prints help without warnings on stderr', async () => {
    const {code, stdout, stderr} = await runCli(['--help'])
    assert.equal(code, 0)
    assert.match(stdout, /plans\s+/)
    assert.equal(stderr, '')
  })

  it('keeps the AWS SDK and cli-table3 out of help, which starts faster for it', () => {
    for (const args of [['--help'], ['plans', '--help'], ['plans', 'create', '--help']]) {
      const loaded = packagesLoadedBy(args)
      assert.ok(loaded.includes('@oclif/core'), 'the hook saw oclif load')
      assert.ok(!loaded.includes('@aws-sdk/client-api-gateway'), `gwctl ${args.join(' ')} loaded the AWS SDK`)
      assert.ok(!loaded.includes('cli-table3'), `gwctl ${args.join(' ')} loaded cli-table3`)
    }
  })
})
