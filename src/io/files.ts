import {access, readFile, rename, rm, writeFile} from 'node:fs/promises'
import {text} from 'node:stream/consumers'

import {badInput} from '../model/errors.js'

/**
 * The files and standard input gwctl reads and writes for its commands, in one place,
 * so that a file that cannot be read or written is reported the same way everywhere:
 * naming the file, as bad input (exit 2).
 */

/** The text of a file, or of standard input for "-"; `source` names it in messages ("stdin" or the path). */
export async function readTextInput(file: string): Promise<{text: string; source: string}> {
  const source = file === '-' ? 'stdin' : file
  const content = await (file === '-' ? text(process.stdin) : readFile(file, 'utf8')).catch((error: NodeJS.ErrnoException) => {
    throw badInput(`Cannot read ${source}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`)
  })
  return {text: content, source}
}

/**
 * Writes the whole file or leaves the old one alone: the text goes to a temporary
 * file beside `path`, which is then renamed over it. With `mode` (e.g. 0o600 for
 * files holding secrets) the file is created with it, never readable by others in between.
 * `flag` names the flag the path came from, for the error message.
 */
export async function writeFileWhole(path: string, content: string, options: {mode?: number; flag?: string} = {}): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`
  try {
    await writeFile(temporary, content, {mode: options.mode, flag: 'wx'})
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, {force: true})
    throw badInput(`${options.flag ?? 'Output file'}: cannot write "${path}": ${(error as Error).message}`)
  }
}

export const fileExists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  )

/** Creates `path` with `content`, failing rather than replacing a file that exists: for files of secrets, created with `mode`. */
export async function writeNewFile(path: string, content: string, mode: number): Promise<void> {
  await writeFile(path, content, {mode, flag: 'wx'})
}
