// `npm run build` (after `tsc --noEmit` has checked the types; run with tsx): bundles gwctl and the packages it uses
// into dist/ with esbuild, as ES modules split into chunks, so that each command loads only the code it runs:
//
//   dist/cli.js                 what bin/run.js starts: oclif's `execute`
//   dist/commands/<topic>/*.js  one file per command, where oclif looks for it (package.json "oclif.commands"
//                               and the relativePath oclif.manifest.json gives each command); no AWS SDK, no prompts
//   dist/command-not-found.js   the hook that suggests a command for a mistyped one
//   dist/parse-worker.js        the simulator's worker thread
//   dist/*-HASH.js              chunks: code that several entries share, and each `import()` target with what only it
//                               needs. The AWS SDK is reached only through the `import()` of src/aws/<service>.ts in
//                               BaseCommand, so it sits in chunks that a command loads when it first calls AWS;
//                               @inquirer/prompts likewise, when a command first asks something.
//   dist/meta.json              esbuild's metafile: which source files and packages went into which output file
//                               (the tests read it; https://esbuild.github.io/analyze/ draws it)
//
// Four small esbuild plugins below keep work that gwctl never needs out of oclif's start-up (a glob library,
// minimatch's parser, ejs for text without a tag, resolving the core plugins' main files), and a fifth keeps oclif's
// sort of the command list from starting the Unicode collator; each says what it changes and why behaviour stays the
// same.
import {build, type BuildOptions, type Plugin} from 'esbuild'
import {readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/**
 * A plugin that gives one of oclif's modules (`importer`) a stand-in for one of its imports (`specifier`): a few lines
 * of CommonJS or ESM source, made by `contents` from the importing module's directory. Each plugin below says what its
 * stand-in changes and why behaviour stays the same; the stand-in's own imports resolve as usual.
 */
function standIn(name: string, specifier: RegExp, importer: RegExp, contents: (importerDir: string) => string): Plugin {
  return {
    name,
    setup(build) {
      build.onResolve({filter: specifier}, (args) =>
        importer.test(args.importer) ? {path: args.path, namespace: name, pluginData: dirname(args.importer)} : undefined,
      )
      build.onLoad({filter: /.*/, namespace: name}, ({pluginData}) => ({contents: contents(pluginData as string), resolveDir: ROOT}))
    },
  }
}

/**
 * oclif requires tinyglobby (with fdir and picomatch, 90 KB) when it loads, but calls it only to find command files by
 * glob pattern, which a CLI with an explicit command list never does. oclif's `require('tinyglobby')` is given a module
 * whose `glob` imports the package on first call instead, so esbuild puts the package in a chunk of its own that gwctl
 * never loads.
 */
const lazyGlob = standIn(
  'lazy-glob',
  /^tinyglobby$/,
  /[/\\]@oclif[/\\]core[/\\]/,
  () => "export const glob = async (...args) => (await import('tinyglobby')).glob(...args)",
)

/**
 * oclif finds its core plugins (package.json "oclif.plugins") among the dependencies with minimatch, which allows
 * patterns such as `@oclif/plugin-*`. gwctl names its plugins in full, and compiling minimatch's parser to compare
 * twelve names costs 5 to 8 ms of every start: a name without a pattern character is compared as it is, and minimatch
 * loaded only for a pattern.
 */
const literalPluginNames = standIn(
  'literal-plugin-names',
  /^minimatch$/,
  /[/\\]@oclif[/\\]core[/\\]lib[/\\]config[/\\]plugin-loader\.js$/,
  () => String.raw`exports.minimatch = (name, pattern) => (/^[\w@./-]+$/.test(pattern) ? name === pattern : require('minimatch').minimatch(name, pattern))`,
)

/**
 * oclif's help runs every summary and description through ejs, which compiles each string into a function: about 45
 * compilations for `gwctl --help`. A string without `%` holds no ejs tag and comes out as it went in, so help gives
 * it back as it is; ejs renders the rest (e.g. `<%= config.bin %>` in examples).
 */
const plainHelpText = standIn(
  'plain-help-text',
  /^ejs$/,
  /[/\\]@oclif[/\\]core[/\\]lib[/\\]help[/\\]util\.js$/,
  () => "exports.render = (text, data) => (typeof text === 'string' && !text.includes('%') ? text : require('ejs').render(text, data))",
)

/**
 * oclif finds each core plugin's directory with `require.resolve(name, {paths: [root]})`, which reads the package's
 * `exports` to find its main file and then walks up from it: 5 to 10 ms of every start for gwctl's two plugins. An
 * npm install puts them in `<root>/node_modules/<name>`, the first place that resolution looks, so oclif's `findRoot`
 * is given a stand-in that takes that directory when its package.json is there (resolved through symlinks, as
 * require.resolve does) and asks oclif's own search otherwise (a hoisted or missing plugin, or the root plugin).
 */
const directPluginRoot = standIn(
  'direct-plugin-root',
  /^\.\.\/util\/find-root$/,
  /[/\\]@oclif[/\\]core[/\\]lib[/\\]config[/\\]plugin\.js$/,
  (dir) => `const {realpathSync} = require('node:fs')
const {dirname, join} = require('node:path')
const oclif = require(${JSON.stringify(join(dir, '../util/find-root.js'))})
exports.findRoot = async (name, root) => {
  if (name) {
    try {
      return dirname(realpathSync(join(root, 'node_modules', name, 'package.json')))
    } catch {}
  }
  return oclif.findRoot(name, root)
}`,
)

/**
 * oclif sorts each plugin's commands by id with `localeCompare`, and the first such call starts the Unicode collator:
 * about 15 ms of every start. For ids made of lower-case letters, `-` and `:`, as gwctl's and its plugins' are
 * (test/bin.test.ts checks), comparing code units gives the same order, so that is how this sort compares them. The
 * build fails if oclif's line changes, rather than sort some other way unnoticed.
 */
const codeUnitCommandOrder: Plugin = {
  name: 'code-unit-command-order',
  setup(build) {
    build.onLoad({filter: /[/\\]@oclif[/\\]core[/\\]lib[/\\]config[/\\]plugin\.js$/}, ({path}) => {
      const source = readFileSync(path, 'utf8')
      const sort = '.sort((a, b) => a.id.localeCompare(b.id))'
      if (!source.includes(sort)) throw new Error(`${path} no longer has \`${sort}\`: see code-unit-command-order in scripts/build.ts`)
      return {contents: source.replace(sort, '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))'), loader: 'js'}
    })
  },
}

/** How gwctl is bundled, wherever to; test/simulator/worker.test.ts bundles the simulator the same way. */
export const BUNDLE_OPTIONS = {
  absWorkingDir: ROOT,
  // Entries where `entryPoints` puts them, chunks flat in the output directory: src/simulator/worker-reader.ts finds
  // the worker as `new URL('parse-worker.js', import.meta.url)`, next to the chunk that holds it.
  entryNames: '[dir]/[name]',
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.9',
  // Parsing the bundle is the largest part of start-up on Node 20, which has no compile cache: without whitespace,
  // comments and long-hand syntax, `plans list` parses 1.2 MB rather than 1.7 MB. Names are not shortened, so stack
  // traces and `.name` stay as written (esbuild's keepNames would cost more at start-up than the shorter names save).
  minifyWhitespace: true,
  minifySyntax: true,
  // Prefer packages' ES module builds (the AWS SDK has both), so that what gwctl does not use is left out.
  mainFields: ['module', 'main'],
  external: [
    // Optional packages that the SDK and oclif look for only when asked to: signing with the CRT, and
    // oclif's reading of tsconfig.json when it runs TypeScript sources in development.
    '@aws-sdk/signature-v4-crt',
    'typescript',
    // oclif's check of the Node version, which bin/run.js turns off (it checks the version itself); were it turned on,
    // semver (70 KB) is require()d from node_modules then, rather than parsed on every start. (Inside the bundle that
    // check ignores its own failure either way: it reads oclif's package.json through `__dirname`, which ESM lacks.)
    'semver',
  ],
  // CommonJS packages inside an ES module bundle still call require() for Node's built-ins and for optional and
  // external packages (semver, above); give them one.
  banner: {js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);"},
  plugins: [lazyGlob, literalPluginNames, plainHelpText, directPluginRoot, codeUnitCommandOrder],
  logLevel: 'warning',
} satisfies BuildOptions

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  rmSync(`${ROOT}dist`, {recursive: true, force: true})
  const {metafile} = await build({
    ...BUNDLE_OPTIONS,
    entryPoints: [
      {in: 'src/cli.ts', out: 'cli'},
      {in: 'src/hooks/command-not-found.ts', out: 'command-not-found'},
      {in: 'src/simulator/parse-worker.ts', out: 'parse-worker'},
      // Every file under src/commands is a command, its path the command's id (oclif's own rule): plans/list.ts is
      // `plans list`, usage/index.ts the topic's own command `usage`.
      ...readdirSync(`${ROOT}src/commands`, {recursive: true, encoding: 'utf8'})
        .filter((file) => file.endsWith('.ts'))
        .map((file) => ({in: `src/commands/${file}`, out: `commands/${file.slice(0, -'.ts'.length)}`})),
    ],
    outdir: 'dist',
    metafile: true,
  })
  writeFileSync(`${ROOT}dist/meta.json`, JSON.stringify(metafile))
}
