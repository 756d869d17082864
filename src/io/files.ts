import {readFile, rename, rm, writeFile} from 'node:fs/promises'
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

/**
 * A secret of one line (a key value) from a file, or from standard input for "-": the
 * line ending is dropped, and anything more than one line is refused rather than guessed
 * at. `flag` names where it came from; the secret itself is never repeated in a message.
 */
export async function readSecret(file: string, flag: string): Promise<string> {
  const {text: content} = await readTextInput(file).catch((error: unknown) => {
    throw badInput(`${flag}: ${(error as Error).message}`)
  })
  const lines = content.replace(/\r?\n$/, '').split(/\r?\n/)
  if (lines.length !== 1 || lines[0] === '')
    throw badInput(`${flag} must hold the key value on one line; it has ${lines[0] === '' && lines.length === 1 ? 'nothing' : `${lines.length} lines`}`)
  return lines[0]
}

/**
 * A file of secrets that gwctl will write later, created empty now with `mode` (e.g.
 * 0o600), so that a path that cannot be written (no such directory, no permission, a
 * file already there: gwctl does not replace a file of key values) is refused before
 * anything is changed. `flag` names the flag the path came from.
 */
export class ReservedFile {
  private constructor(
    readonly path: string,
    readonly flag: string,
  ) {}

  static async create(path: string, mode: number, flag: string): Promise<ReservedFile> {
    try {
      await writeFile(path, '', {mode, flag: 'wx'})
    } catch (error) {
      const e = error as NodeJS.ErrnoException
      const why =
        e.code === 'EEXIST'
          ? 'it already exists, and gwctl does not replace a file of key values; name a new file'
          : e.code === 'ENOENT'
            ? 'its directory does not exist'
            : e.message
      throw badInput(`${flag} ${path}: cannot create it: ${why}`)
    }

    return new ReservedFile(path, flag)
  }

  /** Fills the file; throws the reason when it cannot (the directory went away, the disk is full). */
  async fill(content: string): Promise<void> {
    await writeFile(this.path, content, {flag: 'r+'})
  }

  /** Removes the file when nothing was written to it after all. */
  async discard(): Promise<void> {
    await rm(this.path, {force: true})
  }
}
