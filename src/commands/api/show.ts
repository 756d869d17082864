import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {type ApiDetails, ApiOverviews} from '../../gateway/api-overviews.js'
import {renderFields, renderTable} from '../../ui/table.js'

export default class ApiShow extends BaseCommand<typeof ApiShow> {
  static override summary = 'Show one REST API: API key source, stages with their deployment, authorizers, methods requiring a key'
  static override examples = ['<%= config.bin %> api show pets-api', '<%= config.bin %> api show a1b2c3d4e5 --json']
  static override args = {api: Args.string({description: 'REST API id or name', required: true})}

  async run(): Promise<ApiDetails> {
    const details = await new ApiOverviews(await this.apiGateway()).show(this.args.api)
    const api = details.restApi
    this.log(
      renderFields(
        [
          ['ID', api.id],
          ['Name', api.name],
          ['Description', api.description],
          ['Key source', api.apiKeySource],
          ['Endpoint', api.endpointConfiguration?.types?.join(', ')],
          ['Methods requiring a key', `${details.methodsRequiringKey} of ${details.methodCount}`],
        ],
        this.style,
      ),
    )
    this.log('')
    this.log(this.style.bold(`Stages (${details.stages.length})`))
    if (details.stages.length > 0) {
      this.log(
        renderTable(
          ['Stage', 'Deployment', 'Last updated'],
          details.stages.map((s) => [s.stageName, s.deploymentId, s.lastUpdatedDate?.toISOString()]),
          this.style,
        ),
      )
    }

    this.log('')
    this.log(this.style.bold(`Authorizers (${details.authorizers.length})`))
    if (details.authorizers.length > 0) {
      this.log(
        renderTable(
          ['ID', 'Name', 'Type'],
          details.authorizers.map((a) => [a.id, a.name, a.type]),
          this.style,
        ),
      )
    }

    return details
  }
}
