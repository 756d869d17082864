import {type ChildProcessWithoutNullStreams, spawn, spawnSync} from 'node:child_process'

import {BIN, ROOT} from './cli.js'

/** util-linux `script`, which runs a command on a pseudo-terminal and relays its own stdin to it. */
export const hasScript = () => spawnSync('script', ['--version'], {stdio: 'ignore'}).status === 0

// eslint-disable-next-line no-control-regex -- the escape sequences a terminal program writes
const ANSI = /\u001B\[[\d;?]*[A-Za-z]/g

/**
 * The built CLI on a pseudo-terminal, driven like a person: wait for a question
 * on screen, then type. `screen` is everything shown so far, colour codes removed.
 */
export interface TerminalSession {
  /** Waits until `pattern` shows up after what the previous expect matched. */
  expect(pattern: RegExp, timeoutMs?: number): Promise<void>
  type(keys: string): Promise<void>
  exit(): Promise<number | null>
  screen(): string
}

export const KEYS = {enter: '\r', down: '\u001B[B', space: ' ', clearLine: '\u0015'}

export function onTerminal(args: string[], env: NodeJS.ProcessEnv): TerminalSession {
  // `exec`: script runs the command through $SHELL -c, and a shell that stays in
  // between (dash does) takes the Ctrl-C too and ends with 130 whatever gwctl exits with.
  const command = 'exec ' + [process.execPath, BIN, ...args].map((a) => `'${a.replaceAll("'", String.raw`'\''`)}'`).join(' ')
  const child: ChildProcessWithoutNullStreams = spawn('script', ['-qec', command, '/dev/null'], {cwd: ROOT, env: {...process.env, ...env}})
  let raw = ''
  let seen = 0
  child.stdout.on('data', (chunk: Buffer) => (raw += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
  const screen = () => raw.replaceAll(ANSI, '')
  return {
    screen,
    async expect(pattern, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs
      while (Date.now() < deadline) {
        const match = pattern.exec(screen().slice(seen))
        if (match) {
          seen += match.index + match[0].length
          return
        }

        if (child.exitCode !== null) break
        await new Promise((r) => setTimeout(r, 40))
      }

      throw new Error(`expected ${pattern} on the terminal; after the last match it shows:\n${screen().slice(seen)}`)
    },
    async type(keys) {
      // Give the prompt a moment to take the keyboard, as a person would.
      await new Promise((r) => setTimeout(r, 60))
      child.stdin.write(keys)
    },
    async exit() {
      child.stdin.end()
      return exited
    },
  }
}
