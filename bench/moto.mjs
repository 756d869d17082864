// A moto server for the benchmarks, on a free loopback port: plain moto (`python3 -m moto.server`),
// or with `server` the launcher of the extended moto the tests use (test/moto/server.py).
import {spawn} from 'node:child_process'
import {createServer} from 'node:net'

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address()
      server.close(() => resolve(port))
    })
  })

/** Starts moto and waits until it answers: {url, stop}. */
export async function startMoto(server) {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const launcher = server ? ['-B', server] : ['-m', 'moto.server']
  const child = spawn('python3', [...launcher, '-H', '127.0.0.1', '-p', String(port)], {stdio: 'ignore'})
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
