import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {ROOT, SDK_BUNDLE, packagesLoadedBy, runCli} from './helpers/cli.js'

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
    for (const args of [['--help'], ['plans', '--help'], ['plans', 'create', '--help'], ['simulate', '--help'], ['logs', 'enable', '--help']]) {
      const loaded = packagesLoadedBy(args).packages
      assert.ok(loaded.includes('@oclif/core'), 'the hook saw oclif load')
      const sdk = loaded.filter((name) => name.startsWith('@aws-sdk/') || name === SDK_BUNDLE)
      assert.deepEqual(sdk, [], `gwctl ${args.join(' ')} loaded the AWS SDK`)
      assert.ok(!loaded.includes('cli-table3'), `gwctl ${args.join(' ')} loaded cli-table3`)
    }
  })
})
