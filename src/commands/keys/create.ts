import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import * as flags from '../../flags.js'
import {ApiKeys, type CreatedKey} from '../../gateway/api-keys.js'
import {readSecret} from '../../io/files.js'
import {labelOf} from '../../model/resolve.js'
import {renderKey, shownKey} from '../../ui/api-key.js'
import {renderDryRun} from '../../ui/calls.js'

export default class KeysCreate extends BaseCommand<typeof KeysCreate> {
  static override summary = 'Create an API key, optionally in one or more usage plans'
  static override description = `Without a value, gwctl generates a 40-character value of letters and digits with the operating system's secure random generator and shows it this once, in the table and in --json alike; afterwards gwctl only shows it masked (keys show --show-values prints it again).
A value of your own (20 to 128 letters and digits) is best read from a file (--value-file) or standard input (--value-stdin): on the command line (--value) it lands in the shell's history and in the process list. It is shown masked unless --show-values.
Every plan is checked before the key is created: it must exist, and no two plans given may cover the same API stage, since AWS allows a key in only one plan per stage. If a step fails or is interrupted, gwctl reports the key created so far and how to finish or undo.
With --if-not-exists, a key of that name is returned unchanged (its value masked); where it differs from the flags given, gwctl warns and says how.`

  static override examples = [
    '<%= config.bin %> keys create --name acme-prod --plan gold --customer-id acme',
    '<%= config.bin %> keys create --name acme-test --description "Acme staging" --plan free --disabled',
    '<%= config.bin %> keys create --name partner --value-file partner.key --json',
    '<%= config.bin %> keys create --name partner --value-stdin < partner.key',
    '<%= config.bin %> keys create --name acme-prod --plan gold --if-not-exists --json',
  ]

  static override flags = {
    name: flags.name({description: 'key name', required: true}),
    value: Flags.string({
      description: 'key value to use instead of a generated one (20 to 128 letters and digits); prefer --value-file',
      exclusive: ['value-file', 'value-stdin'],
    }),
    'value-file': Flags.string({description: 'read the key value from this file (one line)', exclusive: ['value', 'value-stdin']}),
    'value-stdin': Flags.boolean({description: 'read the key value from standard input (one line)', exclusive: ['value', 'value-file'], default: false}),
    description: Flags.string({description: 'key description'}),
    'customer-id': Flags.string({description: 'AWS Marketplace customer id, or your own customer reference'}),
    plan: Flags.string({description: 'usage plan (id or name) to attach the key to (repeatable)', multiple: true}),
    disabled: Flags.boolean({description: 'create the key disabled, so callers cannot use it yet', default: false}),
    'show-values': Flags.boolean({description: 'print a value you gave in full instead of masked', default: false}),
    'if-not-exists': Flags.boolean({description: 'if a key with this name exists, return it unchanged instead of creating another', default: false}),
    'dry-run': Flags.boolean({description: 'check everything and print the calls that would be sent; send nothing', default: false}),
  }

  async run(): Promise<CreatedKey> {
    const f = this.flags
    const given =
      f['value-file'] === undefined ? (f['value-stdin'] ? {flag: '--value-stdin', source: '-'} : undefined) : {flag: '--value-file', source: f['value-file']}
    const value = given ? await readSecret(given.source, given.flag) : f.value
    if (f.value !== undefined)
      this.note(
        this.style.yellow(
          'Note: a value given with --value is in your shell history and visible to other users in the process list; --value-file or --value-stdin keep it out of both.',
        ),
      )
    const result = await new ApiKeys(await this.apiGateway()).create({
      name: f.name,
      value,
      valueFrom: given?.flag ?? '--value',
      description: f.description,
      customerId: f['customer-id'],
      enabled: !f.disabled,
      plans: f.plan ?? [],
      ifNotExists: f['if-not-exists'],
      dryRun: f['dry-run'],
    })
    if (result.dryRun && !result.apiKey.id) {
      this.log(renderDryRun(result.calls, this.style))
      return result
    }

    // One rule for the table and --json: a value in full only when gwctl generated it (this once) or with --show-values.
    const apiKey = shownKey(result.apiKey, (result.changed && result.generatedValue) || f['show-values'])
    if (result.changed) this.log(this.style.green(`Created API key ${labelOf(apiKey)}`))
    else this.log(`API key ${labelOf(apiKey)} already exists; left unchanged`)
    if (result.differences.length > 0)
      this.warning(`API key ${labelOf(apiKey)} differs from the flags given, and was left unchanged: ${result.differences.join('; ')}`)
    this.log(renderKey(apiKey, result.usagePlans, this.style))
    if (result.changed && result.generatedValue) this.note(this.style.yellow('Store the value now: gwctl shows it masked from here on.'))
    return {...result, apiKey}
  }
}
