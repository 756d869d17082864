// Preloaded with `node --require` by test/bin.test.ts: on exit, writes the npm packages that were
// require()d (CommonJS only) to the file named by GWCTL_LOADED_PACKAGES, one per line.
const {writeFileSync} = require('node:fs')

process.on('exit', () => {
  const packages = new Set()
  for (const file of Object.keys(require.cache)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)
    if (match) packages.add(match[1])
  }

  writeFileSync(process.env.GWCTL_LOADED_PACKAGES, [...packages].sort().join('\n'))
})
