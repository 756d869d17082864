import type {ApiKey} from '@aws-sdk/client-api-gateway'

import {Flags} from '@oclif/core'

import type {Ref} from '../../model/resolve.js'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys} from '../../gateway/api-keys.js'
import {labelOf} from '../../model/resolve.js'
import {renderKey, shownKey} from '../../ui/api-key.js'

export default class KeysCreate extends BaseCommand<typeof KeysCreate> {
  static override summary = 'Create an API key, optionally in one or more usage plans'
  static override description = `Without --value, gwctl generates a 40-character value of letters and digits with the operating system's secure random generator and shows it this once; afterwards gwctl only shows it masked (keys show --show-values prints it again).
A given --value must be 20 to 128 letters and digits. Every plan is checked before the key is created: it must exist, and no two plans given may cover the same API stage, since AWS allows a key in only one plan per stage.`

  static override examples = [
    '<%= config.bin %> keys create --name acme-prod --plan gold',
    '<%= config.bin %> keys create --name acme-test --description "Acme staging" --plan free --disabled',
    '<%= config.bin %> keys create --name partner --value Zx8Kq2Lm4Np6Rt8Vw0Yb3Cd5 --json',
  ]

  static override flags = {
    name: Flags.string({description: 'key name', required: true}),
    value: Flags.string({description: 'key value to use instead of a generated one (20 to 128 letters and digits)'}),
    description: Flags.string({description: 'key description'}),
    plan: Flags.string({description: 'usage plan (id or name) to attach the key to (repeatable)', multiple: true, default: []}),
    disabled: Flags.boolean({description: 'create the key disabled, so callers cannot use it yet'}),
  }

  async run(): Promise<ApiKey & {usagePlans: Ref[]}> {
    const f = this.flags
    const keys = new ApiKeys(await this.apiGateway())
    const {key, usagePlans, generatedValue} = await keys.create({name: f.name, value: f.value, description: f.description, enabled: !f.disabled, plans: f.plan})
    this.log(this.style.green(`Created API key ${labelOf(key)}`))
    this.log(renderKey(shownKey(key, generatedValue), usagePlans, this.style))
    if (generatedValue) this.note(this.style.yellow('Store the value now: gwctl shows it masked from here on.'))
    return {...key, usagePlans}
  }
}
