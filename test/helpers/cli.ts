import assert from 'node:assert/strict'
import {type ChildProcess, spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
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

/** How packagesLoadedBy lists the AWS SDK bundle that the build makes for the CLI. */
export const SDK_BUNDLE = 'vendor/api-gateway-sdk.cjs'

/**
 * The packages (CommonJS, or imported from ESM: both land in require.cache) and the SDK bundle
 * that `gwctl args...` loads, as a user would run it, with what it printed; it must succeed.
 */
export function packagesLoadedBy(args: string[], env: NodeJS.ProcessEnv = {}): {packages: string[]; stdout: string} {
  const dir = mkdtempSync(join(tmpdir(), 'gwctl-loads-'))
  try {
    const file = join(dir, 'packages')
    const result = spawnSync(process.execPath, ['--require', join(ROOT, 'test/helpers/loaded-packages.cjs'), BIN, ...args], {
      cwd: ROOT,
      env: {...withoutTestSettings(process.env), ...env, GWCTL_LOADED_PACKAGES: file},
    })
    assert.equal(result.status, 0, result.stderr.toString())
    return {packages: readFileSync(file, 'utf8').split('\n'), stdout: result.stdout.toString()}
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
