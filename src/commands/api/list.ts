import {BaseCommand} from '../../base-command.js'
import {ApiOverviews, type ApiSummary} from '../../gateway/api-overviews.js'
import {renderTable} from '../../ui/table.js'

export default class ApiList extends BaseCommand<typeof ApiList> {
  static override summary = 'List REST APIs with their API key source, stages, and how many methods require a key'
  static override examples = ['<%= config.bin %> api list', '<%= config.bin %> api list --json']

  async run(): Promise<{items: ApiSummary[]}> {
    const apis = await new ApiOverviews(await this.apiGateway()).list()
    this.log(
      renderTable(
        ['ID', 'Name', 'Key source', 'Stages', 'Methods requiring a key'],
        apis.map((a) => [a.id, a.name, a.apiKeySource, a.stageNames.join(', '), `${a.methodsRequiringKey} of ${a.methodCount}`]),
        this.style,
      ),
    )
    return {items: apis}
  }
}
