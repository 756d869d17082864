import {readdirSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

/**
 * Some tests run the built CLI, not the sources: the subprocess tests run bin/run.js
 * (among them some in test/commands, beside the in-process ones, which run the sources),
 * and the manifest test loads the commands from the bundle. Run against a dist/ older than
 * src/, they would test yesterday's code and pass or fail for the wrong reason, so a
 * run that includes any of them first checks that dist/ is current (`npm run build`;
 * the npm test scripts build first). Runs of unit tests alone need no build.
 */
const NEEDS_BUILD = [/^test\/commands\//, /^test\/integration\//, /^test\/moto\//, /^test\/bin\.test\.ts$/, /^test\/manifest\.test\.ts$/]

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

function newestFile(dir: string): {file: string; mtimeMs: number} {
  let newest = {file: dir, mtimeMs: 0}
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name)
    const candidate = entry.isDirectory() ? newestFile(path) : {file: path, mtimeMs: statSync(path).mtimeMs}
    if (candidate.mtimeMs > newest.mtimeMs) newest = candidate
  }

  return newest
}

/** Why dist/ cannot stand for src/, or undefined when it can. */
export function staleBuild(): string | undefined {
  let built: number
  try {
    built = statSync(join(ROOT, 'dist/cli.js')).mtimeMs
  } catch {
    return 'dist/ is missing'
  }

  const newest = newestFile(join(ROOT, 'src'))
  return newest.mtimeMs > built ? `${relative(ROOT, newest.file)} changed after the last build` : undefined
}

interface SuiteLike {
  file?: string
  suites: SuiteLike[]
}

const filesOf = (suite: SuiteLike): string[] => [...(suite.file ? [suite.file] : []), ...suite.suites.flatMap(filesOf)]

export const mochaHooks = {
  beforeAll(this: Mocha.Context) {
    const root = this.test?.parent as SuiteLike | undefined
    const needing = filesOf(root ?? {suites: []})
      .map((file) => relative(ROOT, file))
      .filter((file) => NEEDS_BUILD.some((pattern) => pattern.test(file)))
    if (needing.length === 0) return
    const stale = staleBuild()
    if (stale) throw new Error(`${stale}: run \`npm run build\` first (${needing[0]} tests the built CLI), or use the npm test scripts, which build`)
  },
}
