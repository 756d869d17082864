import type {UsagePlan} from '@aws-sdk/client-api-gateway'

import {BaseCommand} from '../../base-command.js'
import {UsagePlans} from '../../gateway/usage-plans.js'
import {commandLine, placeholder} from '../../model/command-line.js'
import {formatQuota, formatStage} from '../../ui/format.js'
import {renderTable} from '../../ui/table.js'

export default class PlansList extends BaseCommand<typeof PlansList> {
  static override summary = 'List the usage plans in the account and Region'
  static override examples = ['<%= config.bin %> plans list', '<%= config.bin %> plans list --region eu-west-1 --json | jq -r ".items[].name"']

  async run(): Promise<{items: UsagePlan[]}> {
    const plans = await new UsagePlans(await this.apiGateway()).list()
    if (plans.length === 0) {
      this.log(`No usage plans. Create one with \`${commandLine('plans create', {name: placeholder('NAME')})}\`.`)
      return {items: plans}
    }

    this.log(
      renderTable(
        ['ID', 'Name', 'Rate', 'Burst', 'Quota', 'Stages'],
        plans.map((p) => [
          p.id,
          p.name,
          p.throttle?.rateLimit,
          p.throttle?.burstLimit,
          p.quota ? formatQuota(p.quota) : undefined,
          (p.apiStages ?? []).map(formatStage).join(', '),
        ]),
        this.style,
      ),
    )
    return {items: plans}
  }
}
