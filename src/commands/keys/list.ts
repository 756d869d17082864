import type {ApiKey} from '@aws-sdk/client-api-gateway'

import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys} from '../../gateway/api-keys.js'
import {commandLine, placeholder} from '../../model/command-line.js'
import {shownKey} from '../../ui/api-key.js'
import {formatDate} from '../../ui/dates.js'
import {renderTable} from '../../ui/table.js'

export default class KeysList extends BaseCommand<typeof KeysList> {
  static override summary = 'List API keys, all of them or those of one usage plan'
  static override description = 'Values are masked (first four and last two characters) unless --show-values is given, in the table and in --json alike.'
  static override examples = [
    '<%= config.bin %> keys list',
    '<%= config.bin %> keys list --plan gold',
    '<%= config.bin %> keys list --plan gold --show-values --json | jq -r ".[].value"',
  ]

  static override flags = {
    plan: Flags.string({description: 'only the keys in this usage plan (id or name)'}),
    'show-values': Flags.boolean({description: 'print key values in full instead of masked'}),
  }

  async run(): Promise<ApiKey[]> {
    const keys = new ApiKeys(await this.apiGateway())
    const listed = this.flags.plan ? (await keys.listInPlan(this.flags.plan, {includeValues: true})).keys : await keys.list({includeValues: true})
    const shown = listed.map((k) => shownKey(k, this.flags['show-values']))
    if (shown.length === 0) {
      this.log(
        this.flags.plan
          ? `Usage plan ${this.flags.plan} has no API keys.`
          : `No API keys. Create one with \`${commandLine('keys create', {name: placeholder('NAME')})}\`.`,
      )
      return shown
    }

    this.log(
      renderTable(
        ['ID', 'Name', 'Enabled', 'Value', 'Created', 'Description'],
        shown.map((k) => [k.id, k.name, k.enabled ? 'yes' : 'no', k.value, formatDate(k.createdDate), k.description]),
        this.style,
      ),
    )
    return shown
  }
}
