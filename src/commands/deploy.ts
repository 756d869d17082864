import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {type DeployResult, Deployments} from '../gateway/deployments.js'
import {labelOf} from '../model/resolve.js'
import {renderDryRun} from '../ui/calls.js'

export default class Deploy extends BaseCommand<typeof Deploy> {
  static override summary = 'Deploy a REST API to a stage, so that method and key-source changes reach callers'
  static override description = `Creates a deployment (CreateDeployment) and points the stage at it. An unknown stage is an error (exit 3) unless --create-stage.
AWS allows one CreateDeployment call per 5 seconds per account; gwctl waits and retries when throttled.`

  static override examples = [
    "<%= config.bin %> deploy --api pets-api --stage prod --description 'require API keys'",
    '<%= config.bin %> deploy --api a1b2c3d4e5 --stage beta --create-stage --json',
    '<%= config.bin %> deploy --api pets-api --stage prod --dry-run',
  ]

  static override flags = {
    api: Flags.string({description: 'REST API id or name', required: true}),
    stage: Flags.string({description: 'stage to deploy to', required: true}),
    description: Flags.string({description: 'description of the deployment'}),
    'create-stage': Flags.boolean({description: 'create the stage when it does not exist', default: false}),
    'dry-run': Flags.boolean({description: 'check the stage and print the call that would be sent; send nothing', default: false}),
  }

  async run(): Promise<DeployResult> {
    const f = this.flags
    const result = await new Deployments(await this.apiGateway()).deploy({
      api: f.api,
      stage: f.stage,
      description: f.description,
      createStage: f['create-stage'],
      dryRun: f['dry-run'],
    })
    if (result.dryRun) {
      this.log(renderDryRun(result.calls, this.style))
      return result
    }

    const created = result.createdStage ? ' (new stage)' : ''
    this.log(this.style.green(`Deployed API ${labelOf(result.restApi)} to stage ${result.stageName}${created}: deployment ${result.deployment.id}`))
    return result
  }
}
