import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys, type RotatedKey} from '../../gateway/api-keys.js'
import {UsageReports} from '../../gateway/usage.js'
import {commandLine, placeholder} from '../../model/command-line.js'
import {labelOf, refOf} from '../../model/resolve.js'
import {renderKey, shownKey} from '../../ui/api-key.js'
import {renderDryRun} from '../../ui/calls.js'

export default class KeysRotate extends BaseCommand<typeof KeysRotate> {
  static override summary = 'Replace an API key with a new value, in the same usage plans'
  static override description = `Creates a new key with a new generated value, shown this once, and everything else of the old key: name, description, customer id, enabled state and tags. Adds it to every usage plan the old key is in, then disables or deletes the old key if asked. Without --disable-old or --delete-old the old key keeps working, so callers can switch over; disable it later with keys disable.
While both keys exist they share a name (refer to them by id; gwctl lists each with its state and creation date where a name is ambiguous), unless --rename-old gives the old one a suffix.
With --carry-usage the new key starts this quota period with what the old key has left in each plan (UpdateUsage), rather than a full allowance.
If a step fails, gwctl lists what it already did, the commands that finish the rotation and the command that undoes it.`

  static override examples = [
    '<%= config.bin %> keys rotate acme-prod',
    '<%= config.bin %> keys rotate acme-prod --disable-old --rename-old -retired',
    '<%= config.bin %> keys rotate acme-prod --disable-old --carry-usage',
    '<%= config.bin %> keys rotate 3kx9zq1abc --delete-old --json',
    '<%= config.bin %> keys rotate acme-prod --disable-old --dry-run',
  ]

  static override args = {key: Args.string({description: 'API key id or name', required: true})}
  static override flags = {
    'disable-old': Flags.boolean({description: 'disable the old key once the new one is in its plans', exclusive: ['delete-old'], default: false}),
    // Both exclusions sit on --delete-old: oclif's usage line shows one group per flag.
    'delete-old': Flags.boolean({description: 'delete the old key once the new one is in its plans', exclusive: ['disable-old', 'rename-old'], default: false}),
    'rename-old': Flags.string({
      description: 'rename the old key to its name plus this suffix, e.g. -retired (default: it keeps its name; not with --delete-old)',
    }),
    'carry-usage': Flags.boolean({
      description: "start the new key with the old key's remaining quota in each plan, instead of a full allowance",
      default: false,
    }),
    'dry-run': Flags.boolean({description: 'print the calls that would be sent; send nothing', default: false}),
  }

  async run(): Promise<RotatedKey> {
    const f = this.flags
    const action = f['delete-old'] ? 'delete' : f['disable-old'] ? 'disable' : 'keep'
    const apigw = await this.apiGateway()
    const keys = new ApiKeys(apigw)
    const usage = new UsageReports(apigw, keys.plans, keys)
    const result = await keys.rotate(this.args.key, action, {
      renameOld: f['rename-old'],
      dryRun: f['dry-run'],
      carryUsage: f['carry-usage'] ? (oldKey, plans) => usage.remainingToCarry(refOf(oldKey), plans) : undefined,
    })
    const previousApiKey = shownKey(result.previousApiKey, false)
    if (result.dryRun) {
      this.log(renderDryRun(result.calls, this.style))
      return {...result, previousApiKey}
    }

    const old = labelOf(previousApiKey)
    // AWS always says whether a key is enabled; a key that does not say counts as enabled, as when it was created.
    const oldEnabled = previousApiKey.enabled !== false
    this.log(this.style.green(`Created API key ${result.apiKey.id} to replace ${old}`))
    this.log(renderKey(result.apiKey, result.usagePlans, this.style))
    const state = oldEnabled ? 'still enabled; disable it once callers have switched' : 'disabled; delete it once you no longer need it'
    const retire = oldEnabled ? commandLine('keys disable', {key: previousApiKey.id!}) : commandLine('keys delete', {key: previousApiKey.id!})
    const fate = {keep: `${state}: ${retire}`, disable: 'disabled', delete: 'deleted'}[action]
    this.log(`Old key ${old}: ${fate}`)
    for (const {usagePlan, remaining} of result.carriedUsage)
      this.log(`In usage plan ${labelOf(usagePlan)} the new key starts with the old key's ${remaining.toLocaleString('en-US')} remaining requests this period`)
    if (result.carriedUsage.length > 0 && action === 'keep' && oldEnabled)
      this.note(`While the old key stays enabled it keeps its own remaining quota too: disable it once callers have switched`)
    if (!result.apiKey.enabled)
      this.warning(
        `The new key ${labelOf(result.apiKey)} is disabled, as the old key was: enable it with ${commandLine('keys enable', {key: result.apiKey.id!})}`,
      )
    if (result.usagePlans.length === 0) {
      this.note(
        `The old key was in no usage plan, so neither is the new one: attach it with ${commandLine('keys attach', {key: result.apiKey.id!, plan: placeholder('PLAN')})}`,
      )
    }
    this.note(this.style.yellow('Store the new value now: gwctl shows it masked from here on.'))
    return {...result, previousApiKey}
  }
}
