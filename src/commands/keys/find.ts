import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ApiKeys, type KeyDetails} from '../../gateway/api-keys.js'
import {readTextInput} from '../../io/files.js'
import {badInput} from '../../model/errors.js'
import {renderKey, shownKey} from '../../ui/api-key.js'

export default class KeysFind extends BaseCommand<typeof KeysFind> {
  static override summary = 'Find the API key that has a given value, e.g. one quoted in a customer ticket'
  static override description = `Reads every key with its value (GetApiKeys with includeValues) and compares each with the value given in constant time. Prints the key with its value masked and the usage plans it is in; the value itself is never printed. No key with that value exits 3.
Give - to read the value from standard input, which keeps it out of shell history and process lists.`

  static override examples = ['$ printf \'%s\' "$VALUE" | <%= config.bin %> keys find -', '<%= config.bin %> keys find Zx8Kq2Lm4Np6Rt8Vw0Yb3Cd5 --json']
  static override args = {value: Args.string({description: 'the key value, or - to read it from standard input', required: true})}

  async run(): Promise<KeyDetails> {
    const value = this.args.value === '-' ? (await readTextInput('-')).text.trim() : this.args.value
    if (value === '') throw badInput('VALUE is empty: give the key value, or pipe it into `gwctl keys find -`')
    const {apiKey, usagePlans} = await new ApiKeys(await this.apiGateway()).find(value)
    const shown = shownKey(apiKey, false)
    this.log(renderKey(shown, usagePlans, this.style))
    return {apiKey: shown, usagePlans}
  }
}
