// What the benchmarks share: a free loopback port, and a moto server on one.
import {spawn} from 'node:child_process'
import {createServer} from 'node:net'
import {fileURLToPath} from 'node:url'

/** The environment a benchmark runs gwctl and the AWS CLI in against moto: test credentials, one Region, no colour. */
export const motoEnv = () => ({
  ...process.env,
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1', // the AWS CLI reads only this one
  NO_COLOR: '1',
})

export const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address()
      server.close(() => resolve(port))
    })
  })

/**
 * Starts moto on a free port and waits until it answers. `extended`: the test harness's
 * server (test/moto/server.py), which adds what moto lacks (GetDeployment embed=apisummary, ...).
 */
export async function startMoto({extended = false} = {}) {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const server = extended ? ['-B', fileURLToPath(new URL('../test/moto/server.py', import.meta.url))] : ['-m', 'moto.server']
  // The extended server also ends by itself if this process is killed before it can stop it.
  const child = spawn('python3', [...server, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
    env: {...process.env, GWCTL_MOTO_PARENT_PID: String(process.pid)},
  })
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto exited with ${child.exitCode}; is it installed? pip install "moto[server]"`)
    try {
      if ((await fetch(`${url}/moto-api/`)).ok) return {url, stop: () => child.kill('SIGTERM')}
    } catch {
      // not listening yet
    }

    await new Promise((r) => setTimeout(r, 150))
  }

  child.kill('SIGTERM')
  throw new Error(`moto did not answer at ${url} within 30 s`)
}
