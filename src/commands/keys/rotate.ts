import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys, type RotatedKey} from '../../gateway/api-keys.js'
import {UsageReports} from '../../gateway/usage.js'
import {commandLine, placeholder} from '../../model/command-line.js'
import {labelOf, refOf} from '../../model/resolve.js'
import {renderKey, shownKey} from '../../ui/api-key.js'

export default class KeysRotate extends BaseCommand<typeof KeysRotate> {
  static override summary = 'Replace an API key with a new value, in the same usage plans'
  static override description = `Creates a new key (same name, description and customer id, a new generated value shown this once), adds it to every usage plan the old key is in, then disables or deletes the old key if asked. Without --disable-old or --delete-old the old key keeps working, so callers can switch over; disable it later with keys disable.
While both keys exist they share a name: refer to them by id.
With --carry-usage the new key starts this quota period with what the old key has left in each plan (UpdateUsage), rather than a full allowance.
If a step fails, gwctl lists what it already did, the commands that finish the rotation and the command that undoes it.`

  static override examples = [
    '<%= config.bin %> keys rotate acme-prod',
    '<%= config.bin %> keys rotate acme-prod --disable-old',
    '<%= config.bin %> keys rotate acme-prod --disable-old --carry-usage',
    '<%= config.bin %> keys rotate 3kx9zq1abc --delete-old --json',
  ]

  static override args = {key: Args.string({description: 'API key id or name', required: true})}
  static override flags = {
    'disable-old': Flags.boolean({description: 'disable the old key once the new one is in its plans', exclusive: ['delete-old']}),
    'delete-old': Flags.boolean({description: 'delete the old key once the new one is in its plans', exclusive: ['disable-old']}),
    'carry-usage': Flags.boolean({description: "start the new key with the old key's remaining quota in each plan, instead of a full allowance"}),
  }

  async run(): Promise<RotatedKey> {
    const action = this.flags['delete-old'] ? 'delete' : this.flags['disable-old'] ? 'disable' : 'keep'
    const apigw = await this.apiGateway()
    const keys = new ApiKeys(apigw)
    const usage = new UsageReports(apigw, keys.plans, keys)
    const result = await keys.rotate(this.args.key, action, {
      carryUsage: this.flags['carry-usage'] ? (oldKey, plans) => usage.remainingToCarry(refOf(oldKey), plans) : undefined,
    })
    const old = labelOf(result.oldKey)
    this.log(this.style.green(`Created API key ${result.newKey.id} to replace ${old}`))
    this.log(renderKey(result.newKey, result.usagePlans, this.style))
    const fate = {
      keep: `still enabled; disable it once callers have switched: ${commandLine('keys disable', {key: result.oldKey.id})}`,
      disable: 'disabled',
      delete: 'deleted',
    }[action]
    this.log(`Old key ${old}: ${fate}`)
    for (const {usagePlan, remaining} of result.carriedUsage)
      this.log(`In usage plan ${labelOf(usagePlan)} the new key starts with the old key's ${remaining.toLocaleString('en-US')} remaining requests this period`)
    if (result.carriedUsage.length > 0 && action === 'keep')
      this.note(`While the old key stays enabled it keeps its own remaining quota too: disable it once callers have switched`)
    if (result.usagePlans.length === 0)
      this.note(
        `The old key was in no usage plan, so neither is the new one: attach it with ${commandLine('keys attach', {key: result.newKey.id, plan: placeholder('PLAN')})}`,
      )
    this.note(this.style.yellow('Store the new value now: gwctl shows it masked from here on.'))
    return {...result, oldKey: shownKey(result.oldKey, false)}
  }
}
