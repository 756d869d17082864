import {Chalk, type ChalkInstance} from 'chalk'

/**
 * Colour only for a person at a terminal: stdout is a TTY and NO_COLOR is unset
 * (https://no-color.org). FORCE_COLOR still wins, for people who pipe into `less -R`.
 */
export function colorEnabled(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.TERM === 'dumb') return false
  return Boolean(stream.isTTY)
}

export function makeStyle(enabled = colorEnabled()): ChalkInstance {
  return new Chalk({level: enabled ? 1 : 0})
}
