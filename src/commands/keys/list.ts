import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys, type ListedKey} from '../../gateway/api-keys.js'
import {commandLine, placeholder} from '../../model/command-line.js'
import {labelOf} from '../../model/resolve.js'
import {shownKey} from '../../ui/api-key.js'
import {formatDate} from '../../ui/dates.js'
import {tableLines} from '../../ui/table.js'

export default class KeysList extends BaseCommand<typeof KeysList> {
  static override summary = 'List API keys with the usage plans each is in, all of them or those matching filters'
  static override description = `Values are masked (first four and last two characters) unless --show-values is given, in the table and in --json alike.
Filters combine: --plan, --name-prefix, --customer-id, --enabled or --disabled, --no-plan.`

  static override examples = [
    '<%= config.bin %> keys list',
    '<%= config.bin %> keys list --plan gold --enabled',
    '<%= config.bin %> keys list --no-plan --name-prefix trial-',
    '<%= config.bin %> keys list --customer-id acme --show-values --json | jq -r ".items[].value"',
  ]

  static override flags = {
    plan: Flags.string({description: 'only the keys in this usage plan (id or name)', exclusive: ['no-plan']}),
    'name-prefix': Flags.string({description: 'only the keys whose name starts with this'}),
    'customer-id': Flags.string({description: 'only the keys with this customer id'}),
    enabled: Flags.boolean({description: 'only enabled keys', default: false, exclusive: ['disabled']}),
    disabled: Flags.boolean({description: 'only disabled keys', default: false}),
    'no-plan': Flags.boolean({description: 'only the keys in no usage plan', default: false}),
    'show-values': Flags.boolean({description: 'print key values in full instead of masked', default: false}),
  }

  async run(): Promise<{items: ListedKey[]}> {
    const f = this.flags
    const listed = await new ApiKeys(await this.apiGateway()).listWithPlans(
      {
        plan: f.plan,
        namePrefix: f['name-prefix'],
        customerId: f['customer-id'],
        enabled: f.enabled ? true : f.disabled ? false : undefined,
        noPlan: f['no-plan'],
      },
      {includeValues: true},
    )
    const items = listed.map((k) => shownKey(k, f['show-values']) as ListedKey)
    if (this.jsonEnabled()) return {items}
    if (items.length === 0) {
      const filtered = [f.plan, f['name-prefix'], f['customer-id']].some((v) => v !== undefined) || f.enabled || f.disabled || f['no-plan']
      this.log(filtered ? 'No API keys match.' : `No API keys. Create one with \`${commandLine('keys create', {name: placeholder('NAME')})}\`.`)
      return {items}
    }

    const rows = items.map((k) => [
      k.id,
      k.name,
      k.enabled ? 'yes' : 'no',
      k.value,
      formatDate(k.createdDate),
      k.usagePlans.map(labelOf).join(', '),
      k.customerId,
      k.description,
    ])
    // One write per thousand lines: laid out in one pass, printed as it goes.
    let chunk: string[] = []
    for (const line of tableLines(['ID', 'Name', 'Enabled', 'Value', 'Created', 'Usage plans', 'Customer', 'Description'], rows, this.style)) {
      chunk.push(line)
      if (chunk.length === 1000) {
        this.log(chunk.join('\n'))
        chunk = []
      }
    }

    if (chunk.length > 0) this.log(chunk.join('\n'))
    return {items}
  }
}
