import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys} from '../../gateway/api-keys.js'
import {IMPORT_BATCH_SIZE, type KeyImportResult} from '../../gateway/key-import.js'
import {readTextInput} from '../../io/files.js'
import {commandLine} from '../../model/command-line.js'
import {describeLines} from '../../model/key-csv.js'
import {renderTable} from '../../ui/table.js'

export default class KeysImport extends BaseCommand<typeof KeysImport> {
  static override summary = "Import API keys from a CSV file in AWS's import format"
  static override description = `The file has the columns Name and Key, and optionally Description, Enabled (true or false, any case; empty means true) and UsagePlanIds (several plans in one quoted cell: "p1,gold"; by id or name, as every gwctl flag takes plans). Header names are case-insensitive, columns may come in any order, and other columns are ignored.
AWS's format has no column for a key's customer id. gwctl reads one more column, CustomerId (keys export writes it; AWS's own importer ignores it), and --customer-id gives one to every row without; gwctl sets them after the import, one UpdateApiKey per key.
The whole file is checked before anything is sent, and every problem is listed with its line: a missing Name or Key column, a key value that is not 20 to 128 letters and digits, the same value twice, a bad Enabled value, an unknown or ambiguous usage plan, or a key that would be in two plans covering one API stage. If there is any, nothing is sent.
Rows whose key value already exists in the account are skipped and listed, so running the same import again after a failure resumes it without duplicates. The rest is sent with ImportApiKeys in batches of ${IMPORT_BATCH_SIZE} rows. AWS says which keys it created but not which row each came from, and may leave a row out with only a warning: gwctl reads the keys back by value, lists each imported row with its key id, and exits non-zero (7 when others were imported) naming the rows AWS did not create.`

  static override examples = [
    '<%= config.bin %> keys import customers.csv --plan gold --customer-id acme',
    '<%= config.bin %> keys import customers.csv --dry-run',
    '$ cat keys.csv | <%= config.bin %> keys import - --fail-on-warnings --json',
  ]

  static override args = {file: Args.string({description: 'CSV file, or - to read standard input', required: true})}
  static override flags = {
    plan: Flags.string({description: 'usage plan (id or name) every imported key joins (repeatable)', multiple: true}),
    'customer-id': Flags.string({description: 'customer id for every imported key whose row has no CustomerId'}),
    'fail-on-warnings': Flags.boolean({description: 'ask AWS to roll back a batch when it reports a warning', default: false}),
    'dry-run': Flags.boolean({description: 'check the file against the account and say what would be imported; send nothing', default: false}),
  }

  async run(): Promise<KeyImportResult> {
    const {text: csv, source} = await readTextInput(this.args.file)

    const result = await new ApiKeys(await this.apiGateway()).import(csv, {
      source,
      plans: this.flags.plan ?? [],
      customerId: this.flags['customer-id'],
      failOnWarnings: this.flags['fail-on-warnings'],
      dryRun: this.flags['dry-run'],
    })

    if (result.skipped.length > 0) {
      this.log(`Skipped ${result.skipped.length} row(s) whose key value already exists:`)
      this.log(
        renderTable(
          ['Line', 'Name', 'Existing key'],
          result.skipped.map((s) => [s.line, s.name, s.id]),
          this.style,
        ),
      )
      for (const s of result.skipped.filter((row) => row.missingUsagePlanIds.length > 0)) {
        this.note(
          `Line ${s.line}: existing key ${s.id} is not in ${s.missingUsagePlanIds.join(', ')}; add it with ${s.missingUsagePlanIds.map((plan) => commandLine('keys attach', {key: s.id, plan})).join(' and ')}`,
        )
      }
    }

    if (result.dryRun) {
      if (result.toSend.length > 0)
        this.log(
          renderTable(
            ['Line', 'Name'],
            result.toSend.map((r) => [r.line, r.name]),
            this.style,
          ),
        )
      this.log(this.style.yellow(`Dry run: ${result.toSend.length} key(s) would be imported in ${result.batches} batch(es); nothing was sent`))
    } else if (result.toSend.length === 0) {
      this.log('Nothing to import.')
    } else {
      this.log(this.style.green(`Imported ${describeLines(result.imported.map((r) => r.line))} of ${source}: ${result.imported.length} key(s) created`))
      this.log(
        renderTable(
          ['Line', 'Name', 'Key id', 'Customer id'],
          result.imported.map((r) => [r.line, r.name, r.id, r.customerId]),
          this.style,
        ),
      )
    }

    for (const warning of result.warnings) this.warning(warning)
    return result
  }
}
