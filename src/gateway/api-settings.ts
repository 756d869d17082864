import type {Authorizer, RestApi, Stage} from '@aws-sdk/client-api-gateway'

import type {ApiGateway} from '../aws/api-gateway.js'

import {type ApiKeySource, keySourceOf, parseKeySource} from '../model/key-source.js'
import {Authorizers} from './authorizers.js'
import {type DeployResult, Deployments} from './deployments.js'
import {Methods} from './methods.js'
import {apiKeySourceOp} from '../model/patches.js'
import {RestApis} from './rest-apis.js'

/** An API with what matters for usage plans, as `api list` shows it. */
export interface ApiSummary extends RestApi {
  /** AWS's default (HEADER) filled in when the API does not say. */
  apiKeySource: ApiKeySource
  stageNames: string[]
  methodCount: number
  methodsRequiringKey: number
}

export interface ApiDetails extends ApiSummary {
  stages: Stage[]
  authorizers: Authorizer[]
}

export interface SetKeySourceInput {
  /** API id or name. */
  api: string
  /** HEADER or AUTHORIZER, any case. */
  source: string
  /** Stage to deploy to afterwards, so that callers see the new source. */
  deploy?: string
  deployDescription?: string
}

export interface SetKeySourceResult {
  restApiId: string
  restApiName?: string
  previousApiKeySource: ApiKeySource
  apiKeySource: ApiKeySource
  changed: boolean
  /** Problems the change leaves behind, e.g. AUTHORIZER without a Lambda authorizer. */
  warnings: string[]
  deployment?: DeployResult
  /** Stages still serving the previous source: they need a deployment. */
  stagesToRedeploy: string[]
}

/** API-level settings: overviews for `api list` and `api show`, and the API key source. */
export class ApiSettings {
  private readonly methods: Methods
  private readonly deployments: Deployments

  constructor(
    private readonly apigw: ApiGateway,
    private readonly apis = new RestApis(apigw),
    private readonly authorizers = new Authorizers(apigw),
  ) {
    this.methods = new Methods(apigw, apis, authorizers)
    this.deployments = new Deployments(apigw, apis)
  }

  /** Every API with its key source, stages and how many methods require a key. */
  async list(): Promise<ApiSummary[]> {
    const summaries: ApiSummary[] = []
    // One API at a time: GetResources allows 5 calls per 2 s per account.
    for (const api of await this.apis.list()) summaries.push(await this.summarize(api))
    return summaries
  }

  async show(apiRef: string): Promise<ApiDetails> {
    const api = await this.apis.resolve(apiRef)
    const [summary, stages, authorizers] = await Promise.all([this.summarize(api), this.apis.stages(api.id!), this.authorizers.list(api.id!)])
    return {...summary, stages, authorizers}
  }

  /**
   * Sets RestApi.apiKeySource with one UpdateRestApi call (none when it already
   * has that value), warning when AUTHORIZER has no Lambda authorizer to supply
   * keys, then deploys when asked.
   */
  async setKeySource(input: SetKeySourceInput): Promise<SetKeySourceResult> {
    const source = parseKeySource(input.source)
    const api = await this.apis.resolve(input.api)
    if (input.deploy !== undefined) await this.deployments.checkStage(api, input.deploy, false, '--deploy')
    const previous = keySourceOf(api)
    const warnings = await this.keySourceWarnings(api, source)

    const changed = source !== previous
    if (changed) {
      await this.apigw.updateRestApi(
        {restApiId: api.id!, patchOperations: [apiKeySourceOp(source)]},
        `setting the API key source of API ${api.name} (${api.id}) to ${source}`,
      )
      this.apis.forget(api.id!)
    }

    const result: SetKeySourceResult = {
      restApiId: api.id!,
      restApiName: api.name,
      previousApiKeySource: previous,
      apiKeySource: source,
      changed,
      warnings,
      stagesToRedeploy: [],
    }
    if (input.deploy === undefined) {
      if (changed) result.stagesToRedeploy = (await this.apis.stages(api.id!)).map((s) => s.stageName!)
      return result
    }

    const undo = changed ? [`gwctl api set-key-source --api ${api.id} --source ${previous}`] : []
    const done = changed ? [`apiKeySource ${previous} -> ${source}`] : []
    result.deployment = await this.deployments.deployAfterChanges(api, input.deploy, {done, undo}, input.deployDescription)
    return result
  }

  /** What is wrong with taking keys from `source` on this API: AUTHORIZER needs a Lambda authorizer to return them. */
  async keySourceWarnings(api: RestApi, source: ApiKeySource): Promise<string[]> {
    if (source !== 'AUTHORIZER' || (await this.authorizers.hasLambdaAuthorizer(api.id!))) return []
    return [
      `API ${api.name} (${api.id}) has no Lambda authorizer (TOKEN or REQUEST): with key source AUTHORIZER no key reaches the usage plans, so callers of methods that require a key get 403 Forbidden`,
    ]
  }

  private async summarize(api: RestApi): Promise<ApiSummary> {
    const [stages, methods] = await Promise.all([this.apis.stages(api.id!), this.methods.ofApi(api)])
    return {
      ...api,
      apiKeySource: keySourceOf(api),
      stageNames: stages.map((s) => s.stageName!),
      methodCount: methods.length,
      methodsRequiringKey: methods.filter((m) => m.apiKeyRequired).length,
    }
  }
}
