#!/usr/bin/env -S node --import tsx --no-warnings
// Runs the TypeScript sources directly, without a build, for development.
import {execute} from '@oclif/core'

import {fromSources} from '../scripts/from-sources.ts'

await execute({development: true, loadOptions: fromSources()})
