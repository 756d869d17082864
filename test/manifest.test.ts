import {Plugin} from '@oclif/core'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'

import {expectedOutputs} from '../scripts/from-manifest.js'
import {ROOT} from './helpers/cli.js'

/** Commands as JSON would write them (undefined fields left out), without what depends on where they were loaded from. */
function comparable(commands: Record<string, object>): unknown {
  const stripped = Object.fromEntries(Object.entries(commands).map(([id, c]) => [id, {...c, isESM: undefined, relativePath: undefined}]))
  // eslint-disable-next-line unicorn/prefer-structured-clone -- a JSON round trip is the point: it drops undefined fields
  return JSON.parse(JSON.stringify(stripped))
}

describe('oclif.manifest.json', () => {
  it('matches the commands and flags in src (regenerate with `npm run manifest`)', async () => {
    const plugin = new Plugin({root: ROOT, type: 'core', ignoreManifest: true, errorOnManifestCreate: true})
    await plugin.load()
    const committed = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8'))
    assert.deepEqual(comparable(committed.commands), comparable(plugin.manifest.commands))
  })

  // scripts/build.ts has oclif's help give back a string without `%` as it is, without ejs: ejs would too.
  it('has help strings that ejs gives back unchanged unless they hold a `%`', () => {
    const ejs = createRequire(import.meta.url)('ejs') as {render(text: string, data: object): string}
    const strings = (value: unknown): string[] =>
      typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap((v) => strings(v)) : []
    const {commands} = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8'))
    const plain = strings(commands).filter((text) => !text.includes('%'))
    assert.ok(plain.length > 500, `only ${plain.length} strings`)
    for (const text of plain) assert.equal(ejs.render(text, {config: {bin: 'gwctl'}}), text)
  })

  // The command-line builder's list of commands and flags, and the command reference.
  for (const [path, text] of Object.entries(expectedOutputs())) {
    it(`${path} is generated from it (regenerate with \`npm run manifest\`)`, () => {
      assert.equal(readFileSync(join(ROOT, path), 'utf8'), text)
    })
  }
})
