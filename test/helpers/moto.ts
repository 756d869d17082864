import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {createServer} from 'node:net'

/**
 * A moto server (https://github.com/getmoto/moto) on a free loopback port, started
 * and stopped by the tests that need it. Where moto is not installed the suite is
 * skipped with a notice, except under CI, where that is a failure.
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

export function motoAvailable(): boolean {
  return spawnSync('python3', ['-c', 'import moto.server'], {stdio: 'ignore'}).status === 0
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

export async function startMoto(): Promise<Moto> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {stdio: ['ignore', 'ignore', 'pipe']})
  let err = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString()).slice(-4000)
  })
  await waitUntilUp(url, child, () => err)
  return {
    url,
    async reset() {
      await fetch(`${url}/moto-api/reset`, {method: 'POST'})
    },
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await exited
    },
  }
}

/**
 * Use inside a mocha `describe` callback: starts moto before the suite and stops it after.
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

    holder.current = await startMoto()
  })
  beforeEach(async () => {
    await holder.current?.reset()
  })
  after(async () => {
    await holder.current?.stop()
  })
  return holder
}
