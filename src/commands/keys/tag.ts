import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys, type KeyTagResult} from '../../gateway/api-keys.js'
import * as flags from '../../flags.js'
import {labelOf} from '../../model/resolve.js'
import {renderDryRun} from '../../ui/calls.js'
import {formatTags} from '../../ui/format.js'

export default class KeysTag extends BaseCommand<typeof KeysTag> {
  static override summary = 'Add or change tags on an API key'
  static override description = `Sends one TagResource call with the tags whose value differs (none when the key already has them all), on the key's ARN arn:PARTITION:apigateway:REGION::/apikeys/ID. Other tags are kept.`
  static override examples = [
    '<%= config.bin %> keys tag acme-prod --tag customer=acme --tag tier=gold',
    '<%= config.bin %> keys tag 3kx9zq1abc --tag cost-center=42 --dry-run',
  ]
  static override args = {key: Args.string({description: 'API key id or name', required: true})}
  static override flags = {
    tag: flags.tag({description: 'tag as KEY=VALUE (repeatable)', multiple: true, required: true}),
    'dry-run': Flags.boolean({description: 'print the call that would be sent; send nothing', default: false}),
  }

  async run(): Promise<KeyTagResult> {
    const set = Object.fromEntries(this.flags.tag.map(({key, value}) => [key, value]))
    const result = await new ApiKeys(await this.apiGateway()).changeTags(this.args.key, {set, dryRun: this.flags['dry-run']})
    const key = labelOf(result.apiKey)
    if (result.dryRun) this.log(renderDryRun(result.calls, this.style))
    else if (result.changed) this.log(this.style.green(`Tagged API key ${key}: ${formatTags(result.tags)}`))
    else this.log(`API key ${key} already has these tags; nothing changed`)
    return result
  }
}
