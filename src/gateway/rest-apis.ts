import type {Authorizer, Resource, RestApi, Stage} from '@aws-sdk/client-api-gateway'

import {GetAuthorizersCommand, GetResourcesCommand, GetRestApisCommand, GetStagesCommand, UpdateRestApiCommand} from '@aws-sdk/client-api-gateway'

import type {Gateway} from './gateway.js'

import {notFound} from '../model/errors.js'
import {resolveByIdOrName} from '../model/resolve.js'
import {apiKeySourceOp} from './patches.js'

/** REST APIs, their stages and resources: the things usage plans point at. */
export class RestApis {
  private apisCache?: Promise<RestApi[]>
  private readonly stagesCache = new Map<string, Promise<Stage[]>>()
  private readonly resourcesCache = new Map<string, Promise<Resource[]>>()
  private readonly authorizersCache = new Map<string, Promise<Authorizer[]>>()

  constructor(private readonly gw: Gateway) {}

  list(): Promise<RestApi[]> {
    this.apisCache ??= this.gw.all<RestApi>((position) => new GetRestApisCommand({position, limit: 500}), 'listing REST APIs')
    return this.apisCache
  }

  async resolve(ref: string): Promise<RestApi> {
    return resolveByIdOrName(await this.list(), ref, 'REST API', 'gwctl api list')
  }

  stages(apiId: string): Promise<Stage[]> {
    let stages = this.stagesCache.get(apiId)
    if (!stages) {
      stages = this.gw.send(new GetStagesCommand({restApiId: apiId}), `listing stages of API ${apiId}`)
        .then((out) => out.item ?? [])
      this.stagesCache.set(apiId, stages)
    }

    return stages
  }

  async requireStage(api: RestApi, stageName: string): Promise<Stage> {
    const stage = (await this.stages(api.id!)).find((s) => s.stageName === stageName)
    if (!stage) {
      const known = (await this.stages(api.id!)).map((s) => s.stageName).join(', ') || 'none'
      throw notFound(`API ${api.name} (${api.id}) has no stage "${stageName}" (stages: ${known})`, {
        suggestions: [`Deploy it first: gwctl deploy --api ${api.id} --stage ${stageName} --create-stage`],
      })
    }

    return stage
  }

  /** Every resource with its methods embedded. */
  resources(apiId: string): Promise<Resource[]> {
    let resources = this.resourcesCache.get(apiId)
    if (!resources) {
      resources = this.gw.all<Resource>(
        (position) => new GetResourcesCommand({restApiId: apiId, position, limit: 500, embed: ['methods']}),
        `listing resources of API ${apiId}`,
      )
      this.resourcesCache.set(apiId, resources)
    }

    return resources
  }

  async requireMethod(api: RestApi, path: string, httpMethod: string): Promise<Resource> {
    const resources = await this.resources(api.id!)
    const resource = resources.find((r) => r.path === path)
    if (!resource) throw notFound(`API ${api.name} (${api.id}) has no resource "${path}"`, {suggestions: [`Run \`gwctl methods list --api ${api.id}\``]})
    if (!resource.resourceMethods?.[httpMethod]) {
      const known = Object.keys(resource.resourceMethods ?? {}).join(', ') || 'none'
      throw notFound(`Resource "${path}" of API ${api.name} (${api.id}) has no ${httpMethod} method (methods: ${known})`)
    }

    return resource
  }

  authorizers(apiId: string): Promise<Authorizer[]> {
    let authorizers = this.authorizersCache.get(apiId)
    if (!authorizers) {
      authorizers = this.gw.all<Authorizer>(
        (position) => new GetAuthorizersCommand({restApiId: apiId, position, limit: 500}),
        `listing authorizers of API ${apiId}`,
      )
      this.authorizersCache.set(apiId, authorizers)
    }

    return authorizers
  }

  /** Whether a Lambda authorizer (TOKEN or REQUEST) could supply the key when the key source is AUTHORIZER. */
  async hasLambdaAuthorizer(apiId: string): Promise<boolean> {
    return (await this.authorizers(apiId)).some((a) => a.type === 'TOKEN' || a.type === 'REQUEST')
  }

  /** One UpdateRestApi call; callers see the new source only after the next deployment. */
  async updateKeySource(api: RestApi, source: 'AUTHORIZER' | 'HEADER'): Promise<RestApi> {
    const updated = await this.gw.send(
      new UpdateRestApiCommand({restApiId: api.id!, patchOperations: [apiKeySourceOp(source)]}),
      `setting the API key source of API ${api.name} (${api.id}) to ${source}`,
    )
    this.apisCache = undefined
    return updated
  }

  /** Drops what is cached about one API after gwctl changed its stages or methods. */
  forget(apiId: string): void {
    this.stagesCache.delete(apiId)
    this.resourcesCache.delete(apiId)
  }
}
