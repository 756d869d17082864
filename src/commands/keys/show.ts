import type {ApiKey} from '@aws-sdk/client-api-gateway'

import {Args, Flags} from '@oclif/core'

import type {Ref} from '../../model/resolve.js'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys} from '../../gateway/api-keys.js'
import {UsageReports} from '../../gateway/usage.js'
import {renderKey, shownKey} from '../../ui/api-key.js'
import {currentUsageJson, describeCurrentUsage} from '../../ui/usage.js'

export default class KeysShow extends BaseCommand<typeof KeysShow> {
  static override summary = 'Show one API key, the usage plans it is in, and its use of each this quota period'
  static override examples = ['<%= config.bin %> keys show acme-prod', '<%= config.bin %> keys show 3kx9zq1abc --show-values --json']
  static override args = {key: Args.string({description: 'API key id or name', required: true})}
  static override flags = {
    'show-values': Flags.boolean({description: 'print the key value in full instead of masked'}),
  }

  async run(): Promise<ApiKey & {currentUsage: Array<ReturnType<typeof currentUsageJson>>; usagePlans: Ref[]; warnings: string[]}> {
    const apigw = await this.apiGateway()
    const keys = new ApiKeys(apigw)
    const {key, usagePlans} = await keys.show(this.args.key, {includeValue: true})
    const {usage, warnings} = await new UsageReports(apigw, keys.plans, keys).ofKey({id: key.id!, name: key.name}, usagePlans)
    const shown = shownKey(key, this.flags['show-values'])
    this.log(
      renderKey(
        shown,
        usagePlans,
        this.style,
        usage.map((u) => [`Usage in ${u.usagePlan.name ?? u.usagePlan.id}`, describeCurrentUsage(u.period, u.key)]),
      ),
    )
    for (const warning of warnings) this.logToStderr(this.style.yellow(`Warning: ${warning}`))
    return {...shown, usagePlans, currentUsage: usage.map(currentUsageJson), warnings}
  }
}
