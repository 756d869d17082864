import assert from 'node:assert/strict'
import {type ChildProcess, spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** The environment a user has: without what test/helpers/env.ts set for in-process SDK clients only. */
function withoutTestSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const rest = {...env}
  delete rest.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED
  return rest
}

/** The built CLI running, for a test that acts while it runs (e.g. sends it SIGINT). */
export interface RunningCli {
  child: ChildProcess
  /** What it printed on stderr so far. */
  stderr(): string
  /** Resolves when it has exited. */
  done: Promise<CliResult>
}

/** Starts the built CLI (bin/run.js, which loads dist/) as a user would, with no terminal. */
export function startCli(args: string[], options: {env?: NodeJS.ProcessEnv; input?: string} = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: {...withoutTestSettings(process.env), NO_COLOR: '1', ...options.env},
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  child.stdin.end(options.input ?? '')
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({code, stdout, stderr})))
  return {child, stderr: () => stderr, done}
}

/** Runs the built CLI as a user would, with no terminal. */
export async function runCli(args: string[], options: {env?: NodeJS.ProcessEnv; input?: string} = {}): Promise<CliResult> {
  return startCli(args, options).done
}

/** The npm packages whose code `gwctl args...` loaded, and what it printed (it must succeed). */
export interface LoadedPackages {
  /** Every package, whether it came inside the bundle (dist/) or from node_modules, sorted. */
  packages: string[]
  /** Those required from node_modules at run time rather than bundled (cli-table3, oclif's plugins), sorted. */
  fromNodeModules: string[]
  /** gwctl's own source files whose code was loaded (from the bundle), e.g. src/aws/api-gateway.ts, sorted. */
  sources: string[]
  stdout: string
}

/** esbuild's metafile for the bundle (dist/meta.json, written by scripts/build.ts): what went into each output file. */
export interface BundleMeta {
  outputs: Record<string, {inputs: Record<string, unknown>; imports: Array<{path: string; kind: string}>; entryPoint?: string}>
}

export const bundleMeta = () => JSON.parse(readFileSync(join(ROOT, 'dist/meta.json'), 'utf8')) as BundleMeta

/** The npm package a file belongs to, from its path under node_modules. */
export const packageOf = (file: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1]

/**
 * Runs `gwctl args...` as a user would and lists the packages it loaded: the bundle's files it loaded, mapped to the
 * packages inside them through esbuild's metafile (dist/meta.json), and the files it required from node_modules.
 */
export function packagesLoadedBy(args: string[], env: NodeJS.ProcessEnv = {}): LoadedPackages {
  const dir = mkdtempSync(join(tmpdir(), 'gwctl-loads-'))
  try {
    const file = join(dir, 'modules')
    const result = spawnSync(process.execPath, ['--import', join(ROOT, 'test/helpers/loaded-modules.mjs'), BIN, ...args], {
      cwd: ROOT,
      env: {...withoutTestSettings(process.env), ...env, GWCTL_LOADED_MODULES: file},
    })
    assert.equal(result.status, 0, result.stderr.toString())
    const meta = bundleMeta()
    const files = readFileSync(file, 'utf8').split('\n').filter(Boolean)
    const inputs = files.filter((f) => f.startsWith(join(ROOT, 'dist/'))).flatMap((f) => Object.keys(meta.outputs[relative(ROOT, f)]?.inputs ?? {}))
    const fromNodeModules = files.filter((f) => !f.startsWith(join(ROOT, 'dist/'))).map(packageOf)
    const sorted = (names: Array<string | undefined>) => [...new Set(names.filter((name) => name !== undefined))].toSorted()
    return {
      packages: sorted([...inputs.map(packageOf), ...fromNodeModules]),
      fromNodeModules: sorted(fromNodeModules),
      sources: sorted(inputs.filter((input) => input.startsWith('src/'))),
      stdout: result.stdout.toString(),
    }
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
