import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {createServer} from 'node:net'
import {fileURLToPath} from 'node:url'

/**
 * A moto server (https://github.com/getmoto/moto) with gwctl's extensions to its API Gateway
 * (test/moto/server.py; what they add is in test/moto/README.md), on a free loopback port.
 * One server serves the whole test run: started on first use, reset before each test by
 * useMoto(), stopped when mocha ends (test/helpers/root-hooks.ts) or, failing that, when the
 * process exits. Where moto is not installed suites are skipped with a notice, except under CI.
 */
export interface Moto {
  url: string
  reset(): Promise<void>
  stop(): Promise<void>
}

export const MOTO_ENV = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
}

/** The launcher: `python3 test/moto/server.py -H 127.0.0.1 -p PORT`, arguments as moto.server's. */
const MOTO_SERVER = fileURLToPath(new URL('../moto/server.py', import.meta.url))

let available: boolean | undefined
export function motoAvailable(): boolean {
  available ??= spawnSync('python3', ['-c', 'import moto.server'], {stdio: 'ignore'}).status === 0
  return available
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as {port: number}
      server.close(() => resolve(port))
    })
  })
}

async function waitUntilUp(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto exited with ${child.exitCode}: ${stderr()}`)
    try {
      const response = await fetch(`${url}/moto-api/`)
      if (response.ok) return
    } catch {
      // not listening yet
    }

    await new Promise((r) => setTimeout(r, 150))
  }

  throw new Error(`moto did not answer at ${url} within 30 s: ${stderr()}`)
}

/** Starts a server of its own: for a test that needs one apart from the shared one. */
export async function startMoto(): Promise<Moto> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  // -B: no __pycache__ in the source tree.
  const child = spawn('python3', ['-B', MOTO_SERVER, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // The server also ends by itself if this process is killed before it can stop it.
    env: {...process.env, GWCTL_MOTO_PARENT_PID: String(process.pid)},
  })
  let err = ''
  child.stderr.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString()).slice(-4000)
  })
  // Neither the child nor its pipe keeps mocha alive; a process that ends without stop() still ends moto.
  const killOnExit = () => child.kill('SIGTERM')
  process.once('exit', killOnExit)
  child.unref()
  ;(child.stderr as unknown as {unref(): void}).unref()
  try {
    await waitUntilUp(url, child, () => err)
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  }

  return {
    url,
    async reset() {
      const response = await fetch(`${url}/moto-api/reset`, {method: 'POST'})
      if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`)
    },
    async stop() {
      process.removeListener('exit', killOnExit)
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await exited
    },
  }
}

let shared: Promise<Moto> | undefined

/** The run's server, started on first call. */
export async function sharedMoto(): Promise<Moto> {
  shared ??= startMoto().catch((error) => {
    shared = undefined
    throw error
  })
  return shared
}

/** Stops the run's server if it was started; the next sharedMoto() starts a new one. */
export async function stopSharedMoto(): Promise<void> {
  const running = shared
  shared = undefined
  if (running) await (await running).stop()
}

/**
 * Use inside a mocha `describe` callback: the shared server, reset before each test.
 * Skips the suite (visibly) where moto is missing, unless CI=true.
 */
export function useMoto(): {current: Moto} {
  const holder = {} as {current: Moto}
  before(async function () {
    this.timeout(60_000)
    if (!motoAvailable()) {
      if (process.env.CI === 'true') throw new Error('moto is not installed, and CI=true requires the integration tests: pip install "moto[server]"')
      console.warn('  [skipped] moto is not installed: integration tests need it. Enable them with: pip install "moto[server]"')
      this.skip()
    }

    holder.current = await sharedMoto()
  })
  beforeEach(async () => {
    await holder.current?.reset()
  })
  return holder
}
