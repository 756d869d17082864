#!/usr/bin/env node

// oclif checks the Node version against its own engines range using semver, which
// costs ~25 ms on every run; gwctl checks its own, stricter minimum (package.json
// "engines") with two comparisons instead, and turns oclif's check off.
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 20 || (major === 20 && minor < 9)) {
  process.stderr.write(`gwctl needs Node.js 20.9 or later; this is ${process.version}\n`)
  process.exit(1)
}

process.env.OCLIF_DISABLE_ENGINE_WARNING ??= 'true'
const {execute} = await import('@oclif/core')
await execute({dir: import.meta.url})
