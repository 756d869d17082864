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
// Commands take the AWS SDK from the bundle `npm run build` makes (src/aws/sdk.ts).
globalThis.gwctlBundledSdk = true
// Node 22.1 and later can cache compiled dependencies between runs; Node 20 cannot, and skips this.
const {enableCompileCache} = await import('node:module')
enableCompileCache?.()
const {execute} = await import('@oclif/core')
await execute({dir: import.meta.url})

// The command is done. If only stdio and closing sockets are left, exit now rather than
// wait for Node to free a heap the size of oclif and the AWS SDK (~15 ms). Anything else
// still pending (a file being written, a timer) is left to finish the normal way.
const idle = new Set(['CloseReq', 'PipeWrap', 'SimpleShutdownWrap', 'TCPSocketWrap', 'TTYWrap'])
if (process.getActiveResourcesInfo().every((resource) => idle.has(resource))) {
  process.stdout.write('', () => process.stderr.write('', () => process.exit()))
}
