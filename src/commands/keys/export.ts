import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys} from '../../gateway/api-keys.js'
import {writeFileWhole} from '../../io/files.js'
import {toExportCsv} from '../../model/key-csv.js'

export interface KeyExportResult {
  file: string
  /** Keys written. */
  count: number
  includesValues: boolean
  plansByName: boolean
}

export default class KeysExport extends BaseCommand<typeof KeysExport> {
  static override summary = "Write API keys and their plan membership to a CSV file in AWS's import format"
  static override description = `The file has AWS's import columns (Name, Key, Description, Enabled, UsagePlanIds) and one more, CustomerId, which AWS's import format lacks: AWS's own importer ignores it, and gwctl keys import sets each key's customer id from it. keys import reads the file back, in this account or another one, so this is how keys move between Regions or accounts.
Key values are written only with --include-values; the file is then created readable by its owner only (mode 0600). Without them the Key column is empty and the file is a listing that keys import refuses.
UsagePlanIds holds plan ids; --plans-by-name writes plan names instead, which keys import resolves in the account it loads into (ids differ between accounts and Regions).`

  static override examples = [
    '<%= config.bin %> keys export --out keys.csv',
    '<%= config.bin %> keys export --plan gold --include-values --plans-by-name --out gold-keys.csv',
    '<%= config.bin %> keys import gold-keys.csv --region eu-west-1',
  ]

  static override flags = {
    out: Flags.string({char: 'o', description: 'file to write (replaced whole)', required: true}),
    plan: Flags.string({description: 'only the keys in this usage plan (id or name)'}),
    'include-values': Flags.boolean({description: 'write the key values (the file is then mode 0600)', default: false}),
    'plans-by-name': Flags.boolean({description: 'write plan names instead of ids in UsagePlanIds, for another account or Region', default: false}),
  }

  async run(): Promise<KeyExportResult> {
    const f = this.flags
    const {keys, warnings} = await new ApiKeys(await this.apiGateway()).exportKeys({
      plan: f.plan,
      includeValues: f['include-values'],
      plansByName: f['plans-by-name'],
    })
    for (const warning of warnings) this.warning(warning)
    await writeFileWhole(f.out, toExportCsv(keys), {mode: f['include-values'] ? 0o600 : undefined, flag: '--out'})
    this.log(`Wrote ${keys.length} API key(s) to ${f.out} (${f['include-values'] ? 'with their values; file mode 0600' : 'without values'})`)
    if (!f['include-values']) this.note('Without values keys import cannot load the file; export with --include-values to move keys.')
    return {file: f.out, count: keys.length, includesValues: f['include-values'], plansByName: f['plans-by-name']}
  }
}
