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

  it('suggests the closest command, written with spaces, for a mistyped one (exit 2)', async () => {
    const typo = await runCli(['plan', 'list'])
    assert.equal(typo.code, 2)
    assert.equal(typo.stdout, '')
    assert.equal(typo.stderr, 'Error: "plan list" is not a gwctl command\nTry: Did you mean gwctl plans list?\n     See every command: gwctl --help\n')
    const topic = await runCli(['kyes'])
    assert.match(topic.stderr, /Did you mean gwctl keys\?/)
    const json = await runCli(['keys', 'lst', '--json'])
    assert.equal(json.code, 2)
    assert.deepEqual(JSON.parse(json.stdout), {
      error: {
        code: 'BAD_INPUT',
        exitCode: 2,
        message: '"keys lst" is not a gwctl command',
        suggestions: ['Did you mean gwctl keys list?', 'See every command: gwctl --help'],
      },
    })
  })

  it('keeps the AWS SDK out of help, which starts faster for it', () => {
    for (const args of [['--help'], ['plans', '--help'], ['plans', 'create', '--help']]) {
      const loaded = packagesLoadedBy(args).packages
      assert.ok(loaded.includes('@oclif/core'), 'the hook saw oclif load')
      assert.ok(!loaded.includes('@aws-sdk/client-api-gateway') && !loaded.includes(SDK_BUNDLE), `gwctl ${args.join(' ')} loaded the AWS SDK`)
    }
  })
})
