import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys, type KeyTagResult} from '../../gateway/api-keys.js'
import {labelOf} from '../../model/resolve.js'
import {renderDryRun} from '../../ui/calls.js'
import {formatTags} from '../../ui/format.js'

export default class KeysUntag extends BaseCommand<typeof KeysUntag> {
  static override summary = 'Remove tags from an API key'
  static override description = `Sends one UntagResource call with the tag keys the API key has (none when it has none of them). Other tags are kept.`
  static override examples = [
    '<%= config.bin %> keys untag acme-prod --tag-key tier',
    '<%= config.bin %> keys untag 3kx9zq1abc --tag-key customer --tag-key tier --json',
  ]
  static override args = {key: Args.string({description: 'API key id or name', required: true})}
  static override flags = {
    'tag-key': Flags.string({description: 'key of a tag to remove (repeatable)', multiple: true, required: true}),
    'dry-run': Flags.boolean({description: 'print the call that would be sent; send nothing', default: false}),
  }

  async run(): Promise<KeyTagResult> {
    const result = await new ApiKeys(await this.apiGateway()).changeTags(this.args.key, {remove: this.flags['tag-key'], dryRun: this.flags['dry-run']})
    const key = labelOf(result.apiKey)
    if (result.dryRun) this.log(renderDryRun(result.calls, this.style))
    else if (result.changed) this.log(this.style.green(`Removed tags from API key ${key}; its tags: ${formatTags(result.tags) || 'none'}`))
    else this.log(`API key ${key} has none of these tags; nothing changed`)
    return result
  }
}
