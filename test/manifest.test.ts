import {Plugin} from '@oclif/core'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {expectedOutputs} from '../scripts/from-manifest.js'
import {ROOT} from './helpers/cli.js'

describe('oclif.manifest.json', () => {
  it('matches the commands and flags in src (regenerate with `npm run manifest`)', async () => {
    const plugin = new Plugin({root: ROOT, type: 'core', ignoreManifest: true, errorOnManifestCreate: true})
    await plugin.load()
    const committed = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8'))
    const strip = (commands: Record<string, Record<string, unknown>>) =>
      Object.fromEntries(Object.entries(commands).map(([id, c]) => [id, {...c, isESM: undefined, relativePath: undefined}]))
    assert.deepEqual(JSON.parse(JSON.stringify(strip(committed.commands))), JSON.parse(JSON.stringify(strip(plugin.manifest.commands as never))))
  })

  // The command-line builder's list of commands and flags, and the command reference.
  for (const [path, text] of Object.entries(expectedOutputs())) {
    it(`${path} is generated from it (regenerate with \`npm run manifest\`)`, () => {
      assert.equal(readFileSync(join(ROOT, path), 'utf8'), text)
    })
  }
})
