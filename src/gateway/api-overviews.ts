import type {Authorizer, RestApi, Stage} from '@aws-sdk/client-api-gateway'

import type {ApiGateway} from '../aws/api-gateway.js'

import {type ApiKeySource, keySourceOf} from '../model/key-source.js'
import {Authorizers} from './authorizers.js'
import {Methods} from './methods.js'
import {RestApis} from './rest-apis.js'

/** An API with what matters for usage plans, as `api list` shows it. */
export interface ApiSummary extends RestApi {
  /** AWS's default (HEADER) filled in when the API does not say. */
  apiKeySource: ApiKeySource
  stageNames: string[]
  methodCount: number
  methodsRequiringKey: number
}

export interface ApiDetails {
  /** AWS's RestApi, its key source filled in with AWS's default (HEADER) when it does not say. */
  restApi: RestApi & {apiKeySource: ApiKeySource}
  stages: Stage[]
  authorizers: Authorizer[]
  methodCount: number
  methodsRequiringKey: number
}

/** What `api list` and `api show` print: each REST API with its key source, stages, authorizers and keyed methods. */
export class ApiOverviews {
  private readonly methods: Methods

  constructor(
    apigw: ApiGateway,
    private readonly apis = new RestApis(apigw),
    private readonly authorizers = new Authorizers(apigw),
  ) {
    this.methods = new Methods(apigw, apis, authorizers)
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
    return {
      restApi: {...api, apiKeySource: summary.apiKeySource},
      stages,
      authorizers,
      methodCount: summary.methodCount,
      methodsRequiringKey: summary.methodsRequiringKey,
    }
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
