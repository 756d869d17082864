import type {Resource, RestApi, Stage} from '@aws-sdk/client-api-gateway'

import type {ApiGateway} from '../aws/api-gateway.js'

import {cachedIn} from './cached.js'

import {notFound} from '../model/errors.js'
import {commandLine} from '../model/command-line.js'
import {labelOf, resolveByIdOrName} from '../model/resolve.js'

/** REST APIs, their stages and resources: the things usage plans point at. */
export class RestApis {
  private apisCache?: Promise<RestApi[]>
  private readonly stagesCache = new Map<string, Promise<Stage[]>>()
  private readonly resourcesCache = new Map<string, Promise<Resource[]>>()

  constructor(private readonly apigw: ApiGateway) {}

  list(): Promise<RestApi[]> {
    this.apisCache ??= this.apigw.getRestApis({}, 'listing REST APIs')
    return this.apisCache
  }

  async resolve(ref: string): Promise<RestApi> {
    return resolveByIdOrName(await this.list(), ref, 'REST API', commandLine('api list'))
  }

  stages(apiId: string): Promise<Stage[]> {
    return cachedIn(this.stagesCache, apiId, () => this.apigw.getStages({restApiId: apiId}, `listing stages of API ${apiId}`))
  }

  async requireStage(api: RestApi, stageName: string): Promise<Stage> {
    const stage = (await this.stages(api.id!)).find((s) => s.stageName === stageName)
    if (!stage) {
      const known = (await this.stages(api.id!)).map((s) => s.stageName).join(', ') || 'none'
      throw notFound(`API ${labelOf(api)} has no stage "${stageName}" (stages: ${known})`, {
        suggestions: [`Deploy it first: ${commandLine('deploy', {api: api.id, stage: stageName, 'create-stage': true})}`],
      })
    }

    return stage
  }

  /** Every resource with its methods embedded. */
  resources(apiId: string): Promise<Resource[]> {
    return cachedIn(this.resourcesCache, apiId, () => this.apigw.getResources({restApiId: apiId, embed: ['methods']}, `listing resources of API ${apiId}`))
  }

  async requireMethod(api: RestApi, path: string, httpMethod: string): Promise<Resource> {
    const resources = await this.resources(api.id!)
    const resource = resources.find((r) => r.path === path)
    if (!resource) throw notFound(`API ${labelOf(api)} has no resource "${path}"`, {suggestions: [`Run \`${commandLine('methods list', {api: api.id})}\``]})
    if (!resource.resourceMethods?.[httpMethod]) {
      const known = Object.keys(resource.resourceMethods ?? {}).join(', ') || 'none'
      throw notFound(`Resource "${path}" of API ${labelOf(api)} has no ${httpMethod} method (methods: ${known})`)
    }

    return resource
  }

  /** Drops what is cached about one API after gwctl changed it, its stages or its methods. */
  forget(apiId: string): void {
    this.apisCache = undefined
    this.stagesCache.delete(apiId)
    this.resourcesCache.delete(apiId)
  }
}
