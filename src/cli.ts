/**
 * The built CLI's entry, which bin/run.js starts: oclif's `execute`, taken from the bundle (scripts/build.ts) so that
 * oclif and the commands it runs (dist/commands) share one copy of oclif.
 */
export {execute} from '@oclif/core'
