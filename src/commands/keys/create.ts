import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys, type CreatedKey} from '../../gateway/api-keys.js'
import {labelOf} from '../../model/resolve.js'
import {renderKey, shownKey} from '../../ui/api-key.js'
import {renderDryRun} from '../../ui/calls.js'

export default class KeysCreate extends BaseCommand<typeof KeysCreate> {
  static override summary = 'Create an API key, optionally in one or more usage plans'
  static override description = `Without --value, gwctl generates a 40-character value of letters and digits with the operating system's secure random generator and shows it this once; afterwards gwctl only shows it masked (keys show --show-values prints it again).
A given --value must be 20 to 128 letters and digits. Every plan is checked before the key is created: it must exist, and no two plans given may cover the same API stage, since AWS allows a key in only one plan per stage.
With --if-not-exists, a key of that name is returned unchanged (its value masked); where it differs from the flags given, gwctl warns and says how.`

  static override examples = [
    '<%= config.bin %> keys create --name acme-prod --plan gold --customer-id acme',
    '<%= config.bin %> keys create --name acme-test --description "Acme staging" --plan free --disabled',
    '<%= config.bin %> keys create --name partner --value Zx8Kq2Lm4Np6Rt8Vw0Yb3Cd5 --json',
    '<%= config.bin %> keys create --name acme-prod --plan gold --if-not-exists --json',
  ]

  static override flags = {
    name: Flags.string({description: 'key name', required: true}),
    value: Flags.string({description: 'key value to use instead of a generated one (20 to 128 letters and digits)'}),
    description: Flags.string({description: 'key description'}),
    'customer-id': Flags.string({description: 'AWS Marketplace customer id, or your own customer reference'}),
    plan: Flags.string({description: 'usage plan (id or name) to attach the key to (repeatable)', multiple: true}),
    disabled: Flags.boolean({description: 'create the key disabled, so callers cannot use it yet', default: false}),
    'if-not-exists': Flags.boolean({description: 'if a key with this name exists, return it unchanged instead of creating another', default: false}),
    'dry-run': Flags.boolean({description: 'check everything and print the calls that would be sent; send nothing', default: false}),
  }

  async run(): Promise<CreatedKey> {
    const f = this.flags
    const result = await new ApiKeys(await this.apiGateway()).create({
      name: f.name,
      value: f.value,
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

    // A generated value is shown in full this once; any other value stays masked.
    const apiKey = shownKey(result.apiKey, result.changed && result.generatedValue)
    if (result.changed) this.log(this.style.green(`Created API key ${labelOf(apiKey)}`))
    else this.log(`API key ${labelOf(apiKey)} already exists; left unchanged`)
    if (result.differences.length > 0)
      this.warning(`API key ${labelOf(apiKey)} differs from the flags given, and was left unchanged: ${result.differences.join('; ')}`)
    this.log(renderKey(apiKey, result.usagePlans, this.style))
    if (result.changed && result.generatedValue) this.note(this.style.yellow('Store the value now: gwctl shows it masked from here on.'))
    return {...result, apiKey}
  }
}
