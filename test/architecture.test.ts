import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import ts from 'typescript'

import {commandIdOf} from '../scripts/from-sources.js'

/**
 * The layer rules of ARCHITECTURE.md, kept by a test rather than by memory. Every
 * file under src/ belongs to a room; a room may import only the rooms listed for it,
 * and only some rooms may load the AWS SDK, oclif or the terminal libraries. Static
 * imports and re-exports, dynamic import() and require() all count.
 */

const SRC = fileURLToPath(new URL('../src/', import.meta.url))

type Room = 'aws' | 'base' | 'commands' | 'entry' | 'flags' | 'gateway' | 'io' | 'model' | 'simulator' | 'ui' | 'wizard'

/** Which room a file under src/ is in, from its path; undefined for a file in no room. */
function roomOf(file: string): Room | undefined {
  const path = relative(SRC, file).replaceAll('\\', '/')
  // oclif hooks run around commands, as BaseCommand does
  if (path === 'base-command.ts' || path.startsWith('hooks/')) return 'base'
  if (path === 'flags.ts') return 'flags'
  // oclif's `execute` for bin/run.js, an entry of the bundle (scripts/build.ts) as each command is.
  if (path === 'cli.ts') return 'entry'
  const top = path.split('/')[0]
  return (['aws', 'commands', 'gateway', 'io', 'model', 'simulator', 'ui', 'wizard'] as const).find((room) => room === top)
}

/**
 * The rooms each room may import (besides itself). Imports flow one way: commands ->
 * wizard -> gateway | simulator | ui -> model, and gateway -> aws. Nothing imports a
 * command: oclif loads each from its own file.
 */
const MAY_IMPORT: Record<Room, Room[]> = {
  model: [],
  simulator: ['model'],
  aws: ['model'],
  io: ['model'],
  gateway: ['aws', 'model'],
  ui: ['model', 'simulator'],
  flags: ['model'],
  wizard: ['aws', 'gateway', 'io', 'model', 'ui'],
  base: ['aws', 'flags', 'model', 'ui'],
  commands: ['base', 'flags', 'gateway', 'io', 'model', 'simulator', 'ui', 'wizard'],
  entry: [],
}

/** Packages only some rooms may load; `types` rooms may name them in type-only imports. */
const PACKAGE_RULES: Array<{pattern: RegExp; what: string; load: Room[]; types: Room[]}> = [
  {pattern: /^@(aws-sdk|smithy)\//, what: 'the AWS SDK', load: ['aws'], types: ['gateway', 'ui', 'wizard', 'commands']},
  {pattern: /^@oclif\//, what: 'oclif', load: ['commands', 'base', 'flags', 'entry'], types: []},
  {pattern: /^(@inquirer\/|chalk$|cli-table3$)/, what: 'a terminal library', load: ['ui', 'wizard'], types: ['base', 'commands']},
]

export interface Import {
  specifier: string
  /** Erased at run time: `import type`, all-type specifiers, or `import('x').T` in a type. */
  typeOnly: boolean
  line: number
}

/** Every module a TypeScript source names: imports, re-exports, import() and require() calls. */
export function importsOf(source: string, fileName = 'file.ts'): Import[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true)
  const found: Import[] = []
  const add = (node: ts.Node, specifier: ts.Expression | undefined, typeOnly: boolean) => {
    if (specifier && ts.isStringLiteralLike(specifier)) {
      found.push({specifier: specifier.text, typeOnly, line: file.getLineAndCharacterOfPosition(node.getStart()).line + 1})
    }
  }

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause
      const bindings = clause?.namedBindings
      const allTypes = Boolean(
        clause && !clause.name && bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly),
      )
      add(node, node.moduleSpecifier, Boolean(clause?.isTypeOnly) || allTypes)
    } else if (ts.isExportDeclaration(node)) {
      const bindings = node.exportClause
      const allTypes = Boolean(bindings && ts.isNamedExports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly))
      add(node, node.moduleSpecifier, node.isTypeOnly || allTypes)
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal, true)
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword
      const isRequire =
        (ts.isIdentifier(callee) && callee.text === 'require') ||
        (ts.isCallExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'createRequire')
      if (isImport || isRequire) add(node, node.arguments[0], false)
    }

    ts.forEachChild(node, visit)
  }

  visit(file)
  return found
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return path.endsWith('.ts') ? [path] : []
  })
}

/** What is wrong with `file` importing `imp`, or undefined when the rules allow it. */
function problemWith(file: string, imp: Import): string | undefined {
  const from = roomOf(file)!
  if (imp.specifier.startsWith('.')) {
    const target = resolve(dirname(file), imp.specifier).replace(/\.js$/, '.ts')
    const to = roomOf(target)
    if (to === undefined) return `imports ${imp.specifier}, which is in no room`
    if (to === 'commands' && target !== file) return `imports the command ${relative(SRC, target)}: oclif alone loads a command, from its own file`
    if (to !== from && !MAY_IMPORT[from].includes(to)) return `imports ${imp.specifier}: ${from} may not import ${to}`
    return undefined
  }

  const rule = PACKAGE_RULES.find((r) => r.pattern.test(imp.specifier))
  if (!rule || rule.load.includes(from)) return undefined
  if (imp.typeOnly && rule.types.includes(from)) return undefined
  return `imports ${imp.specifier}: ${from} may not ${imp.typeOnly ? 'name' : 'load'} ${rule.what}`
}

/** What the rules say about a file at `path` under src/ importing `specifier`. */
const problem = (path: string, specifier: string, typeOnly = false) => problemWith(join(SRC, path), {specifier, typeOnly, line: 1})

describe('architecture: the layer rules', () => {
  it('finds every kind of import', () => {
    const source = [
      "import {a} from './a.js'",
      "import type {B} from './b.js'",
      "import {type C, type D} from './c.js'",
      "import e, {type E} from './e.js'",
      "export {f} from './f.js'",
      "export type {G} from './g.js'",
      "const h = await import('./h.js')",
      "let i: typeof import('./i.js')",
      "const j = require('j')",
      "const k = createRequire(import.meta.url)('k')",
    ].join('\n')
    assert.deepEqual(
      importsOf(source).map((i) => [i.specifier, i.typeOnly, i.line]),
      [
        ['./a.js', false, 1],
        ['./b.js', true, 2],
        ['./c.js', true, 3],
        ['./e.js', false, 4],
        ['./f.js', false, 5],
        ['./g.js', true, 6],
        ['./h.js', false, 7],
        ['./i.js', true, 8],
        ['j', false, 9],
        ['k', false, 10],
      ],
    )
  })

  it('refuses the imports the rules forbid', () => {
    assert.equal(problem('model/x.ts', '@aws-sdk/client-api-gateway', true), 'imports @aws-sdk/client-api-gateway: model may not name the AWS SDK')
    assert.equal(problem('simulator/x.ts', '@oclif/core'), 'imports @oclif/core: simulator may not load oclif')
    assert.equal(problem('simulator/x.ts', '../ui/table.js'), 'imports ../ui/table.js: simulator may not import ui')
    assert.equal(problem('gateway/x.ts', '../ui/format.js'), 'imports ../ui/format.js: gateway may not import ui')
    assert.equal(problem('gateway/x.ts', '@aws-sdk/client-api-gateway'), 'imports @aws-sdk/client-api-gateway: gateway may not load the AWS SDK')
    assert.equal(problem('aws/x.ts', '../gateway/usage-plans.js'), 'imports ../gateway/usage-plans.js: aws may not import gateway')
    assert.equal(
      problem('wizard/x.ts', '../commands/plans/list.js'),
      'imports the command commands/plans/list.ts: oclif alone loads a command, from its own file',
    )
    assert.equal(problem('commands/plans/x.ts', './list.js'), 'imports the command commands/plans/list.ts: oclif alone loads a command, from its own file')
    assert.equal(problem('cli.ts', './commands/plans/list.js'), 'imports the command commands/plans/list.ts: oclif alone loads a command, from its own file')
    assert.equal(problem('gateway/x.ts', '@aws-sdk/client-api-gateway', true), undefined)
    assert.equal(problem('commands/x.ts', '../gateway/usage-plans.js'), undefined)
  })

  it('every file under src/ is in a room', () => {
    const homeless = sourceFiles(SRC).filter((file) => roomOf(file) === undefined)
    assert.deepEqual(
      homeless.map((f) => relative(SRC, f)),
      [],
      'add each to a room in test/architecture.test.ts and ARCHITECTURE.md',
    )
  })

  it('no file under src/ breaks them', () => {
    const broken = sourceFiles(SRC).flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'), file).flatMap((imp) => {
        const problem = problemWith(file, imp)
        return problem ? [`src/${relative(SRC, file)}:${imp.line} ${problem}`] : []
      }),
    )
    assert.deepEqual(broken, [])
  })

  it('runs from the sources the commands that the bundle has, under the same ids', () => {
    // oclif names the bundle's commands (oclif.manifest.json) by their paths in dist/commands; running from the
    // sources, scripts/source-commands.ts names them by their paths in src/commands.
    const manifest = JSON.parse(readFileSync(join(SRC, '../oclif.manifest.json'), 'utf8')) as {commands: Record<string, unknown>}
    const fromSources = sourceFiles(join(SRC, 'commands')).map((path) => commandIdOf(relative(join(SRC, 'commands'), path)))
    assert.deepEqual(fromSources.toSorted(), Object.keys(manifest.commands).toSorted(), 'run `npm run manifest`')
    assert.equal(commandIdOf('usage/index.ts'), 'usage')
  })
})
