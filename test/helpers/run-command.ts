import {runCommand as runOclifCommand} from '@oclif/test'

import {fromSources} from '../../scripts/from-sources.js'

/**
 * @oclif/test's runCommand over the TypeScript sources of the checkout at `root`, rather than over the bundle in
 * dist/: the tests run the code as written (no build needed), and aws-sdk-client-mock reaches the SDK client class
 * that the sources use. The bundle users get is tested by running bin/run.js (runCli in ./cli.ts).
 */
export function runCommand<T>(args: string | string[], {root}: {root: string}) {
  return runOclifCommand<T>(args, fromSources(root))
}
