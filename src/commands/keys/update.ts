import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys, type KeyChange} from '../../gateway/api-keys.js'
import {badInput} from '../../model/errors.js'
import {labelOf} from '../../model/resolve.js'
import {renderKey, shownKey} from '../../ui/api-key.js'
import {renderPatchResult} from '../../ui/calls.js'

export default class KeysUpdate extends BaseCommand<typeof KeysUpdate> {
  static override summary = 'Change an API key: name, description, customer id, enabled state'
  static override description = `Only the fields that differ from the key as it is are sent, in one UpdateApiKey call; nothing when it already is as asked. The value cannot be changed: use keys rotate.
Key names need not be unique in AWS; gwctl warns when the new name is another key's too, since that key and this one can then be named only by id.`

  static override examples = [
    '<%= config.bin %> keys update acme-prod --name acme-production --customer-id acme',
    '<%= config.bin %> keys update 3kx9zq1abc --description "Acme, contract 2026" --disabled --dry-run',
  ]

  static override args = {key: Args.string({description: 'API key id or name', required: true})}
  static override flags = {
    name: Flags.string({description: 'new key name'}),
    description: Flags.string({description: 'new description'}),
    'customer-id': Flags.string({description: 'new customer id (AWS Marketplace customer, or your own reference)'}),
    enabled: Flags.boolean({description: 'enable the key', default: false, exclusive: ['disabled']}),
    disabled: Flags.boolean({description: 'disable the key: callers using it get 403 Forbidden', default: false}),
    'dry-run': Flags.boolean({description: 'print the call that would be sent; send nothing', default: false}),
  }

  async run(): Promise<KeyChange> {
    const f = this.flags
    const change = {name: f.name, description: f.description, customerId: f['customer-id'], enabled: f.enabled ? true : f.disabled ? false : undefined}
    if (Object.values(change).every((v) => v === undefined))
      throw badInput('Nothing to change: give at least one of --name, --description, --customer-id, --enabled, --disabled')
    const keys = new ApiKeys(await this.apiGateway())
    const result = await keys.update(this.args.key, change, {dryRun: f['dry-run']})
    const key = shownKey(result.apiKey!, false)
    if (f.name !== undefined && result.operations.some((o) => o.path === '/name')) {
      const namesakes = (await keys.list()).filter((k) => k.name === f.name && k.id !== key.id)
      if (namesakes.length > 0) this.warning(`Another API key is also named "${f.name}" (${namesakes.map((k) => k.id).join(', ')}); refer to these keys by id`)
    }

    this.log(
      renderPatchResult(result, `API key ${labelOf(key)}`, this.style, () => [
        this.style.green(`Updated API key ${labelOf(key)}`),
        renderKey(key, undefined, this.style),
      ]),
    )

    return {...result, apiKey: key}
  }
}
