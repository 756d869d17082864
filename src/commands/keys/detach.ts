import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys, type MembershipChange} from '../../gateway/api-keys.js'
import {labelOf} from '../../model/resolve.js'
import {shownKey} from '../../ui/api-key.js'

export default class KeysDetach extends BaseCommand<typeof KeysDetach> {
  static override summary = 'Remove an API key from a usage plan'
  static override description = `The key itself is kept; callers using it lose access to the plan's stages. A key that is not in the plan is left as it is.`
  static override examples = ['<%= config.bin %> keys detach acme-prod --plan gold', '<%= config.bin %> keys detach 3kx9zq1abc --plan 9q2xbz --json']
  static override args = {key: Args.string({description: 'API key id or name', required: true})}
  static override flags = {
    plan: Flags.string({description: 'usage plan id or name', required: true}),
  }

  async run(): Promise<MembershipChange> {
    const result = await new ApiKeys(await this.apiGateway()).detach(this.args.key, this.flags.plan)
    const key = labelOf(result.key)
    this.log(
      result.changed
        ? this.style.green(`Removed API key ${key} from usage plan ${labelOf(result.plan)}`)
        : `API key ${key} is not in usage plan ${labelOf(result.plan)}; nothing changed`,
    )
    return {...result, key: shownKey(result.key, false)}
  }
}
