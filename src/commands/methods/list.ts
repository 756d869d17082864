import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {type MethodInfo, Methods} from '../../gateway/methods.js'
import {labelOf} from '../../model/resolve.js'
import {renderTable} from '../../ui/table.js'

export default class MethodsList extends BaseCommand<typeof MethodsList> {
  static override summary = 'List every resource method of an API with its authorization and whether it requires an API key'
  static override description = 'Usage plans meter and limit only the methods that require an API key; the others are open to callers without one.'
  static override examples = ['<%= config.bin %> methods list --api pets-api', '<%= config.bin %> methods list --api a1b2c3d4e5 --json']
  static override flags = {
    api: Flags.string({description: 'REST API id or name', required: true}),
  }

  async run(): Promise<{items: MethodInfo[]}> {
    const methods = await new Methods(await this.apiGateway()).list(this.flags.api)
    this.log(
      renderTable(
        ['Path', 'Method', 'Authorization', 'Authorizer', 'API key'],
        methods.map((m) => [
          m.path,
          m.httpMethod,
          m.authorizationType,
          m.authorizerId && labelOf({id: m.authorizerId, name: m.authorizerName}),
          m.apiKeyRequired ? this.style.green('required') : 'not required',
        ]),
        this.style,
      ),
    )
    this.log(`${methods.filter((m) => m.apiKeyRequired).length} of ${methods.length} methods require an API key`)
    return {items: methods}
  }
}
