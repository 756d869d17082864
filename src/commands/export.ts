import {Flags} from '@oclif/core'

import type {Snapshot} from '../model/snapshot.js'

import {BaseCommand} from '../base-command.js'
import {exportSnapshot} from '../gateway/export.js'
import {writeFileWhole} from '../io/files.js'

export interface ExportFileResult {
  file: string
  /** What the snapshot holds. */
  counts: {apis: number; usagePlans: number; apiKeys: number}
  includesValues: boolean
}

export default class Export extends BaseCommand<typeof Export> {
  static override summary = 'Write a snapshot of the account for `gwctl simulate`: APIs, stages, usage plans, API keys'
  static override description = `The snapshot holds what enforcement depends on: each API's key source and which methods require a key, stage method throttles, usage plans with their stages and per-method throttles, API keys with their plans and enabled flag, and the account throttle.
Key values are replaced by their HMAC-SHA-256 (valueHmacSha256) keyed with a random salt made for this snapshot and kept in it (keyValueSalt): enough to recognise a key in a log, and no use for looking a value up in a precomputed table. With --include-values the values themselves are written, and the file is created readable by its owner only (mode 0600).
With --api, only those APIs, the usage plans covering them (with only their stages) and those plans' keys are written.
Without --out the snapshot goes to stdout; with --json too, as {"snapshot": ..., "warnings": [...]}.`

  static override examples = [
    '<%= config.bin %> export --out snapshot.json',
    '<%= config.bin %> export --api pets-api --api shop-api --out pets.json',
    '<%= config.bin %> export --include-values --out secrets/snapshot.json',
  ]

  static override flags = {
    api: Flags.string({description: 'REST API id or name to export (repeatable; default: every API)', multiple: true}),
    out: Flags.string({char: 'o', description: 'file to write (replaced whole); default: stdout'}),
    'include-values': Flags.boolean({description: 'write API key values instead of their salted digests', default: false}),
  }

  async run(): Promise<ExportFileResult | {snapshot: Snapshot}> {
    const f = this.flags
    const {snapshot, warnings} = await exportSnapshot(await this.apiGateway(), {apis: f.api, includeValues: f['include-values']})
    for (const warning of warnings) this.warning(warning)
    if (f.out === undefined) {
      this.log(JSON.stringify(snapshot, null, 2))
      return {snapshot}
    }

    await writeFileWhole(f.out, JSON.stringify(snapshot, null, 2) + '\n', {mode: f['include-values'] ? 0o600 : undefined, flag: '--out'})
    const counts = {apis: snapshot.apis.length, usagePlans: snapshot.usagePlans.length, apiKeys: snapshot.apiKeys.length}
    const values = f['include-values'] ? 'key values included; file mode 0600' : 'key values as salted digests only'
    this.log(`Wrote ${counts.apis} API(s), ${counts.usagePlans} usage plan(s) and ${counts.apiKeys} API key(s) to ${f.out} (${values})`)
    return {file: f.out, counts, includesValues: f['include-values']}
  }
}
