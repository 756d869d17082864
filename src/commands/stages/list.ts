import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {PlanStages, type StageCoverage} from '../../gateway/plan-stages.js'
import {commandLine, placeholder} from '../../model/command-line.js'
import {labelOf} from '../../model/resolve.js'
import {formatDate} from '../../ui/dates.js'
import {renderTable} from '../../ui/table.js'

export default class StagesList extends BaseCommand<typeof StagesList> {
  static override summary = 'List the stages of an API, their deployments, and the usage plans covering each'
  static override examples = ['<%= config.bin %> stages list --api pets-api', '<%= config.bin %> stages list --api a1b2c3d4e5 --json']
  static override flags = {
    api: Flags.string({description: 'REST API id or name', required: true}),
  }

  async run(): Promise<{items: StageCoverage[]}> {
    const stages = await new PlanStages(await this.apiGateway()).list(this.flags.api)
    if (stages.length === 0) {
      this.log(
        `API ${this.flags.api} has no stages. Deploy one with \`${commandLine('deploy', {api: this.flags.api, stage: placeholder('NAME'), 'create-stage': true})}\`.`,
      )
      return {items: stages}
    }

    this.log(
      renderTable(
        ['Stage', 'Deployment', 'Deployed', 'Usage plans'],
        stages.map((s) => [s.stageName, s.deploymentId, formatDate(s.deployment?.createdDate), s.usagePlans.map(labelOf).join(', ')]),
        this.style,
      ),
    )
    return {items: stages}
  }
}
