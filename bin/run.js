#!/usr/bin/env node

// gwctl checks its minimum Node version (package.json "engines") itself, before it loads anything
// an older Node might fail to parse, and turns off oclif's own check, which would load semver for it.
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 20 || (major === 20 && minor < 9)) {
  process.stderr.write(`gwctl needs Node.js 20.9 or later; this is ${process.version}\n`)
  process.exit(1)
}

process.env.OCLIF_DISABLE_ENGINE_WARNING ??= 'true'
// Node 22.1 and later can keep the bundle's compiled code between runs; Node 20 cannot, and skips this.
const {enableCompileCache} = await import('node:module')
enableCompileCache?.()
// The bundle `npm run build` makes (scripts/build.ts): oclif, and the commands it loads from dist/index.js.
const {execute} = await import('../dist/cli.js')
await execute({dir: import.meta.url})

// The command is done. If only stdio and closing sockets are left, exit now rather than
// wait for Node to free a heap the size of oclif and the AWS SDK (~15 ms). Anything else
// still pending (a file being written, a timer) is left to finish the normal way.
const idle = new Set(['CloseReq', 'PipeWrap', 'SimpleShutdownWrap', 'TCPSocketWrap', 'TTYWrap'])
if (process.getActiveResourcesInfo().every((resource) => idle.has(resource))) {
  process.stdout.write('', () => process.stderr.write('', () => process.exit()))
}
