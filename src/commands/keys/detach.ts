import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys, type MembershipChange} from '../../gateway/api-keys.js'
import {labelOf} from '../../model/resolve.js'
import {shownKey} from '../../ui/api-key.js'
import {renderDryRun} from '../../ui/calls.js'

export default class KeysDetach extends BaseCommand<typeof KeysDetach> {
  static override summary = 'Remove an API key from a usage plan'
  static override description = `The key itself is kept; callers using it lose access to the plan's stages. A key that is not in the plan is left as it is (exit 0).`
  static override examples = ['<%= config.bin %> keys detach acme-prod --plan gold', '<%= config.bin %> keys detach 3kx9zq1abc --plan 9q2xbz --json']
  static override args = {key: Args.string({description: 'API key id or name', required: true})}
  static override flags = {
    plan: Flags.string({description: 'usage plan id or name', required: true}),
    'dry-run': Flags.boolean({description: 'print the call that would be sent; send nothing', default: false}),
  }

  async run(): Promise<MembershipChange> {
    const result = await new ApiKeys(await this.apiGateway()).detach(this.args.key, this.flags.plan, {dryRun: this.flags['dry-run']})
    const key = labelOf(result.apiKey)
    if (result.calls.length === 0) this.log(`API key ${key} is not in usage plan ${labelOf(result.usagePlan)}; nothing changed`)
    else if (result.dryRun) this.log(renderDryRun(result.calls, this.style))
    else this.log(this.style.green(`Removed API key ${key} from usage plan ${labelOf(result.usagePlan)}`))
    return {...result, apiKey: shownKey(result.apiKey, false)}
  }
}
