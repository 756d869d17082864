import type {Deployment, RestApi} from '@aws-sdk/client-api-gateway'

import type {ApiGateway} from '../aws/api-gateway.js'

import {awsCall, type WriteOutcome} from '../model/aws-calls.js'
import {commandArgv} from '../model/command-line.js'
import {labelOf} from '../model/resolve.js'
import {type ApiKeySource, keySourceOf, parseKeySource} from '../model/key-source.js'
import {Authorizers} from './authorizers.js'
import type {ChangeStep} from '../model/change-steps.js'
import {Deployments} from './deployments.js'
import {apiKeySourceOp} from '../model/patches.js'
import {RestApis} from './rest-apis.js'
import {runSteps} from './steps.js'

export interface SetKeySourceInput {
  /** API id or name. */
  api: string
  /** HEADER or AUTHORIZER, any case. */
  source: string
  /** Stage to deploy to afterwards, so that callers see the new source. */
  deploy?: string
  deployDescription?: string
  dryRun?: boolean
}

export interface SetKeySourceResult extends WriteOutcome {
  /** The API afterwards (with --dry-run: as it would be), apiKeySource filled in. */
  restApi: RestApi & {apiKeySource: ApiKeySource}
  previousApiKeySource: ApiKeySource
  /** Problems the change leaves behind, e.g. AUTHORIZER without a Lambda authorizer. */
  warnings: string[]
  /** The deployment made with --deploy (AWS's Deployment). */
  deployment?: Deployment
  /** Stages still serving the previous source: they need a deployment. */
  stagesToRedeploy: string[]
}

/** Where an API takes callers' keys from (RestApi.apiKeySource): setting it, and what is wrong with a choice. */
export class KeySources {
  private readonly deployments: Deployments

  constructor(
    private readonly apigw: ApiGateway,
    private readonly apis = new RestApis(apigw),
    private readonly authorizers = new Authorizers(apigw),
  ) {
    this.deployments = new Deployments(apigw, apis)
  }

  /**
   * Sets RestApi.apiKeySource with one UpdateRestApi call (none when it already
   * has that value), warning when AUTHORIZER has no Lambda authorizer to supply
   * keys, then deploys when asked.
   */
  async set(input: SetKeySourceInput): Promise<SetKeySourceResult> {
    const source = parseKeySource(input.source)
    const api = await this.apis.resolve(input.api)
    if (input.deploy !== undefined) await this.deployments.checkStage(api, input.deploy, false, '--deploy')
    const previous = keySourceOf(api)
    const warnings = await this.warnings(api, source)

    const changes = source !== previous
    const dryRun = input.dryRun ?? false
    const calls = [
      ...(changes ? [awsCall('UpdateRestApi', {restApiId: api.id, patchOperations: [apiKeySourceOp(source)]})] : []),
      ...(input.deploy === undefined ? [] : [awsCall('CreateDeployment', {restApiId: api.id, stageName: input.deploy, description: input.deployDescription})]),
    ]
    const result: SetKeySourceResult = {
      restApi: {...api, apiKeySource: source},
      previousApiKeySource: previous,
      warnings,
      stagesToRedeploy: [],
      changed: false,
      dryRun,
      calls,
    }
    if (dryRun) return result
    const command = (to: ApiKeySource) => commandArgv('api set-key-source', {api: api.id!, source: to})
    const steps: ChangeStep[] = []
    if (changes) {
      steps.push({
        title: `set the API key source of API ${labelOf(api)} to ${source} (was ${previous})`,
        finish: () => [command(source)],
        undo: () => [command(previous)],
        run: async () => {
          const updated = await this.apigw.updateRestApi(
            {restApiId: api.id!, patchOperations: [apiKeySourceOp(source)]},
            `setting the API key source of API ${labelOf(api)} to ${source}`,
          )
          result.restApi = {...api, ...updated, apiKeySource: source}
          this.apis.forget(api.id!)
        },
      })
    }

    if (input.deploy !== undefined) steps.push(this.deployments.deployStep(api, input.deploy, input.deployDescription, (d) => (result.deployment = d)))
    await runSteps(this.apigw, `Setting the API key source of API ${labelOf(api)}`, steps)
    if (changes && input.deploy === undefined) result.stagesToRedeploy = await this.deployments.stagesToRedeploy(api)
    return {...result, changed: changes || result.deployment !== undefined}
  }

  /** What is wrong with taking keys from `source` on this API: AUTHORIZER needs a Lambda authorizer to return them. */
  async warnings(api: RestApi, source: ApiKeySource): Promise<string[]> {
    if (source !== 'AUTHORIZER' || (await this.authorizers.hasLambdaAuthorizer(api.id!))) return []
    return [
      `API ${labelOf(api)} has no Lambda authorizer (TOKEN or REQUEST): with key source AUTHORIZER no key reaches the usage plans, so callers of methods that require a key get 403 Forbidden`,
    ]
  }
}
