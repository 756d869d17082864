// Preloaded with `node --require` by packagesLoadedBy (test/helpers/cli.ts): on exit, writes the npm packages that were
// require()d (CommonJS only) to the file named by GWCTL_LOADED_PACKAGES, one per line, and the
// files compiled as scripts through node:vm (the CLI's SDK bundle), by their path under dist/.
const {writeFileSync} = require('node:fs')
const vm = require('node:vm')

const scripts = []
vm.Script = class extends vm.Script {
  constructor(code, options) {
    super(code, options)
    const match = /\/dist\/(.+)$/.exec(options?.filename ?? '')
    if (match) scripts.push(match[1])
  }
}

process.on('exit', () => {
  const packages = new Set()
  for (const file of Object.keys(require.cache)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)
    if (match) packages.add(match[1])
  }

  writeFileSync(process.env.GWCTL_LOADED_PACKAGES, [...packages, ...scripts].toSorted().join('\n'))
})
