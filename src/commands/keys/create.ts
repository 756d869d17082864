import type {ApiKey} from '@aws-sdk/client-api-gateway'

import {Flags} from '@oclif/core'

import type {Ref} from '../../model/resolve.js'

import {BaseCommand} from '../../base-command.js'
import * as flags from '../../flags.js'
import {ApiKeys} from '../../gateway/api-keys.js'
import {readSecret} from '../../io/files.js'
import {renderKey, shownKey} from '../../ui/api-key.js'
import {labelOf} from '../../model/resolve.js'

export default class KeysCreate extends BaseCommand<typeof KeysCreate> {
  static override summary = 'Create an API key, optionally in one or more usage plans'
  static override description = `Without a value, gwctl generates a 40-character value of letters and digits with the operating system's secure random generator and shows it this once, in the table and in --json alike; afterwards gwctl only shows it masked (keys show --show-values prints it again).
A value of your own (20 to 128 letters and digits) is best read from a file (--value-file) or standard input (--value-stdin): on the command line (--value) it lands in the shell's history and in the process list. It is shown masked unless --show-values.
Every plan is checked before the key is created: it must exist, and no two plans given may cover the same API stage, since AWS allows a key in only one plan per stage. If a step fails or is interrupted, gwctl reports the key created so far and how to finish or undo.`

  static override examples = [
    '<%= config.bin %> keys create --name acme-prod --plan gold',
    '<%= config.bin %> keys create --name acme-test --description "Acme staging" --plan free --disabled',
    '<%= config.bin %> keys create --name partner --value-file partner.key --json',
    'vault read -field=key secret/partner | <%= config.bin %> keys create --name partner --value-stdin',
  ]

  static override flags = {
    name: flags.name({description: 'key name', required: true}),
    value: Flags.string({
      description: 'key value to use instead of a generated one (20 to 128 letters and digits); prefer --value-file',
      exclusive: ['value-file', 'value-stdin'],
    }),
    'value-file': Flags.string({description: 'read the key value from this file (one line)', exclusive: ['value', 'value-stdin']}),
    'value-stdin': Flags.boolean({description: 'read the key value from standard input (one line)', exclusive: ['value', 'value-file']}),
    description: Flags.string({description: 'key description'}),
    plan: Flags.string({description: 'usage plan (id or name) to attach the key to (repeatable)', multiple: true, default: []}),
    disabled: Flags.boolean({description: 'create the key disabled, so callers cannot use it yet'}),
    'show-values': Flags.boolean({description: 'print a value you gave in full instead of masked'}),
  }

  async run(): Promise<ApiKey & {usagePlans: Ref[]}> {
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
    const keys = new ApiKeys(await this.apiGateway())
    const created = await keys.create({
      name: f.name,
      value,
      valueFrom: given?.flag ?? '--value',
      description: f.description,
      enabled: !f.disabled,
      plans: f.plan,
    })
    const {usagePlans, generatedValue} = created
    // One rule for the table and --json: a value in full only when gwctl generated it (this once) or with --show-values.
    const key = shownKey(created.key, generatedValue || f['show-values'])
    this.log(this.style.green(`Created API key ${labelOf(key)}`))
    this.log(renderKey(key, usagePlans, this.style))
    if (generatedValue) this.note(this.style.yellow('Store the value now: gwctl shows it masked from here on.'))
    return {...key, usagePlans}
  }
}
