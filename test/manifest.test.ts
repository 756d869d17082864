import {Plugin} from '@oclif/core'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

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
})
