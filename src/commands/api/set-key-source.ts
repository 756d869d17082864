import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {KeySources, type SetKeySourceResult} from '../../gateway/key-sources.js'
import {labelOf} from '../../model/resolve.js'
import {renderDryRun} from '../../ui/calls.js'
import {redeployNote} from '../../ui/redeploy.js'

export default class ApiSetKeySource extends BaseCommand<typeof ApiSetKeySource> {
  static override summary = 'Choose where API Gateway reads API keys from: the X-API-Key header or a Lambda authorizer'
  static override description = `HEADER: callers send their key in the X-API-Key header. AUTHORIZER: a Lambda authorizer (TOKEN or REQUEST) returns it as usageIdentifierKey; gwctl warns when the API has none.
Sends one UpdateRestApi call (none when the API already has that source). The new source reaches callers after the next deployment: pass --deploy STAGE, or run \`gwctl deploy\`.`

  static override examples = [
    '<%= config.bin %> api set-key-source --api pets-api --source AUTHORIZER --deploy prod',
    '<%= config.bin %> api set-key-source --api a1b2c3d4e5 --source header --dry-run',
  ]

  static override flags = {
    api: Flags.string({description: 'REST API id or name', required: true}),
    source: Flags.string({description: 'HEADER or AUTHORIZER (any case)', required: true}),
    deploy: Flags.string({description: 'deploy the API to this existing stage afterwards, so that callers see the change'}),
    'dry-run': Flags.boolean({description: 'print the calls that would be sent; send nothing', default: false}),
  }

  async run(): Promise<SetKeySourceResult> {
    const f = this.flags
    const result = await new KeySources(await this.apiGateway()).set({api: f.api, source: f.source, deploy: f.deploy, dryRun: f['dry-run']})
    for (const warning of result.warnings) this.warning(warning)
    const {restApi} = result
    const api = `API ${labelOf(restApi)}`
    const changes = result.previousApiKeySource !== restApi.apiKeySource
    if (!changes) this.log(`API key source of ${api} is already ${restApi.apiKeySource}; nothing sent`)
    if (result.dryRun) {
      this.log(renderDryRun(result.calls, this.style))
      return result
    }

    if (changes) this.log(this.style.green(`API key source of ${api}: ${result.previousApiKeySource} -> ${restApi.apiKeySource}`))
    if (result.deployment) {
      this.log(this.style.green(`Deployed to stage ${f.deploy}: deployment ${result.deployment.id}`))
    } else if (changes) {
      this.note(redeployNote('the new key source', restApi.id!, result.stagesToRedeploy))
    }

    return result
  }
}
