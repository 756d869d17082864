import {createRequire} from 'node:module'

import {type Sdk, loadBundle} from './sdk-bundle.js'

declare global {
  /** Set by bin/run.js: the built CLI takes the SDK from the bundle the build makes. */
  var gwctlBundledSdk: boolean | undefined
}

/**
 * The API Gateway SDK. Only src/aws takes SDK classes from here (a test keeps it so);
 * type-only imports elsewhere may name the package directly.
 *
 * The CLI (bin/run.js) loads the bundle that `npm run build` makes of the parts gwctl
 * uses (./sdk-parts.ts), with V8's code cache: 0.03 to 0.05 s less on every command
 * that talks to AWS than loading the package. Everything else, in-process tests among them
 * (they mock the package's client class), gets the package itself, loaded with
 * require(): an ESM `import` of its large CommonJS file makes Node scan the whole file
 * for export names first (about 70 ms).
 */
export const sdk: Sdk = globalThis.gwctlBundledSdk ? loadBundle().sdk : (createRequire(import.meta.url)('@aws-sdk/client-api-gateway') as Sdk)
