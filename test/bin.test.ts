import {Plugin} from '@oclif/core'
import assert from 'node:assert/strict'
import {readFileSync, realpathSync} from 'node:fs'
import {dirname, join} from 'node:path'

import {bundleMeta, packageOf, packagesLoadedBy, ROOT, runCli} from './helpers/cli.js'

/** Packages that only commands which need them may load: the AWS SDK when calling AWS, prompts when asking. */
const ON_FIRST_USE = /^(@aws-sdk\/|@smithy\/|@inquirer\/)/

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
    // the core plugins of package.json "oclif.plugins", found by name (scripts/build.ts compares names without minimatch)
    assert.match(stdout, /^ {2}autocomplete {2}/m)
    assert.match(stdout, /^ {2}help {10}/m)
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

  it('keeps command code, the AWS SDK, prompts and cli-table3 out of help, which starts faster for it', () => {
    for (const args of [['--help'], ['plans', '--help'], ['plans', 'create', '--help'], ['simulate', '--help'], ['logs', 'enable', '--help']]) {
      const {packages, sources} = packagesLoadedBy(args)
      assert.ok(packages.includes('@oclif/core'), 'the hook saw oclif load')
      assert.deepEqual(
        packages.filter((name) => ON_FIRST_USE.test(name) || name === 'cli-table3'),
        [],
        `gwctl ${args.join(' ')}`,
      )
      assert.deepEqual(sources, ['src/cli.ts'], `gwctl ${args.join(' ')} loaded command code`)
    }
  })
})

describe('the bundle (scripts/build.ts)', () => {
  const meta = bundleMeta()

  it('loads the AWS SDK and prompts only through import(), so that only the commands that use them load them', () => {
    // Everything the entries load before any import(): static imports, followed to the end.
    const loaded = new Set<string>()
    const visit = (output: string) => {
      if (loaded.has(output)) return
      loaded.add(output)
      for (const imported of meta.outputs[output].imports) if (imported.kind === 'import-statement' && imported.path in meta.outputs) visit(imported.path)
    }

    const entries = Object.keys(meta.outputs).filter((output) => /^dist\/(cli|command-not-found|commands\/.+)\.js$/.test(output))
    assert.ok(entries.includes('dist/cli.js') && entries.includes('dist/commands/plans/list.js'), entries.join(' '))
    for (const entry of entries) visit(entry)
    const packages = [...loaded].flatMap((output) => Object.keys(meta.outputs[output].inputs).map(packageOf))
    assert.deepEqual([...new Set(packages.filter((name) => name !== undefined && ON_FIRST_USE.test(name)))], [])
    // And they are in the bundle: the SDK reached through src/aws, prompts through src/ui and src/wizard.
    const all = Object.values(meta.outputs).flatMap((output) => Object.keys(output.inputs))
    assert.ok(all.some((input) => packageOf(input) === '@aws-sdk/client-api-gateway'))
    assert.ok(all.some((input) => packageOf(input) === '@inquirer/prompts'))
  })

  it("puts the simulator's worker script next to the code that starts it", () => {
    // src/simulator/worker-reader.ts starts `new URL('parse-worker.js', import.meta.url)`.
    const starter = Object.entries(meta.outputs).find(([, output]) => 'src/simulator/worker-reader.ts' in output.inputs)?.[0]
    assert.ok(starter, 'no output holds src/simulator/worker-reader.ts')
    assert.equal(meta.outputs[join(dirname(starter), 'parse-worker.js')]?.entryPoint, 'src/simulator/parse-worker.ts')
  })

  // scripts/build.ts has oclif sort each plugin's command ids by code unit rather than with localeCompare.
  it('orders the command ids of gwctl and its plugins by code unit as localeCompare does', () => {
    const {plugins} = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).oclif as {plugins: string[]}
    for (const root of [ROOT, ...plugins.map((name) => join(ROOT, 'node_modules', name))]) {
      const ids = Object.keys((JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as {commands: object}).commands)
      assert.ok(ids.length > 0, root)
      assert.deepEqual(
        ids.toSorted(),
        ids.toSorted((a, b) => a.localeCompare(b)),
        root,
      )
    }
  })

  // scripts/build.ts has oclif take a core plugin's directory from node_modules/<name> without resolving its main file.
  it('finds the core plugins in the directories that oclif finds by resolving their main files', async () => {
    const {plugins} = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).oclif as {plugins: string[]}
    for (const name of plugins) {
      const plugin = new Plugin({name, root: ROOT, type: 'core'})
      await plugin.load()
      assert.equal(dirname(realpathSync(join(ROOT, 'node_modules', name, 'package.json'))), plugin.root)
    }
  })
})
