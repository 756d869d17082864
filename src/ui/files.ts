import {rename, rm, writeFile} from 'node:fs/promises'

import {badInput} from '../model/errors.js'

/**
 * Writes the whole file or leaves the old one alone: the text goes to a temporary
 * file beside `path`, which is then renamed over it. With `mode` (e.g. 0o600 for
 * files holding secrets) the file is created with it, never readable by others in between.
 */
export async function writeFileWhole(path: string, text: string, options: {mode?: number; flag?: string} = {}): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`
  try {
    await writeFile(temporary, text, {mode: options.mode, flag: 'wx'})
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, {force: true})
    throw badInput(`${options.flag ?? 'Output file'}: cannot write "${path}": ${(error as Error).message}`)
  }
}
