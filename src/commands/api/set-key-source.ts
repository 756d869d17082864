import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {KeySources, type SetKeySourceResult} from '../../gateway/key-sources.js'
import {labelOf} from '../../model/resolve.js'
import {redeployNote} from '../../ui/redeploy.js'

export default class ApiSetKeySource extends BaseCommand<typeof ApiSetKeySource> {
  static override summary = 'Choose where API Gateway reads API keys from: the X-API-Key header or a Lambda authorizer'
  static override description = `HEADER: callers send their key in the X-API-Key header. AUTHORIZER: a Lambda authorizer (TOKEN or REQUEST) returns it as usageIdentifierKey; gwctl warns when the API has none.
Sends one UpdateRestApi call (none when the API already has that source). The new source reaches callers after the next deployment: pass --deploy STAGE, or run \`gwctl deploy\`.`

  static override examples = [
    '<%= config.bin %> api set-key-source --api pets-api --source AUTHORIZER --deploy prod',
    '<%= config.bin %> api set-key-source --api a1b2c3d4e5 --source header',
  ]

  static override flags = {
    api: Flags.string({description: 'REST API id or name', required: true}),
    source: Flags.string({description: 'HEADER or AUTHORIZER (any case)', required: true}),
    deploy: Flags.string({description: 'deploy the API to this existing stage afterwards, so that callers see the change'}),
  }

  async run(): Promise<SetKeySourceResult> {
    const result = await new KeySources(await this.apiGateway()).set({api: this.flags.api, source: this.flags.source, deploy: this.flags.deploy})
    for (const warning of result.warnings) this.logToStderr(this.style.yellow(`Warning: ${warning}`))
    const api = `API ${labelOf({id: result.restApiId, name: result.restApiName})}`
    this.log(
      result.changed
        ? this.style.green(`API key source of ${api}: ${result.previousApiKeySource} -> ${result.apiKeySource}`)
        : `API key source of ${api} is already ${result.apiKeySource}; nothing sent`,
    )
    if (result.deployment) {
      this.log(this.style.green(`Deployed to stage ${result.deployment.stageName}: deployment ${result.deployment.id}`))
    } else if (result.changed) {
      this.note(redeployNote('the new key source', result.restApiId, result.stagesToRedeploy))
    }

    return result
  }
}
