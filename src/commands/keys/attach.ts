import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys, type MembershipChange} from '../../gateway/api-keys.js'
import {labelOf} from '../../model/resolve.js'
import {shownKey} from '../../ui/api-key.js'
import {renderDryRun} from '../../ui/calls.js'

export default class KeysAttach extends BaseCommand<typeof KeysAttach> {
  static override summary = 'Add an API key to a usage plan'
  static override description = `Before calling AWS, gwctl checks that the key is in no other plan covering one of this plan's API stages (AWS allows one plan per key per stage) and names the plan and stage that collide. A key already in the plan is left as it is.`
  static override examples = ['<%= config.bin %> keys attach acme-prod --plan gold', '<%= config.bin %> keys attach 3kx9zq1abc --plan 9q2xbz --json']
  static override args = {key: Args.string({description: 'API key id or name', required: true})}
  static override flags = {
    plan: Flags.string({description: 'usage plan id or name', required: true}),
    'dry-run': Flags.boolean({description: 'check everything and print the call that would be sent; send nothing', default: false}),
  }

  async run(): Promise<MembershipChange> {
    const result = await new ApiKeys(await this.apiGateway()).attach(this.args.key, this.flags.plan, {dryRun: this.flags['dry-run']})
    const key = labelOf(result.apiKey)
    if (result.calls.length === 0) this.log(`API key ${key} is already in usage plan ${labelOf(result.usagePlan)}; nothing changed`)
    else if (result.dryRun) this.log(renderDryRun(result.calls, this.style))
    else this.log(this.style.green(`Added API key ${key} to usage plan ${labelOf(result.usagePlan)}`))
    return {...result, apiKey: shownKey(result.apiKey, false)}
  }
}
