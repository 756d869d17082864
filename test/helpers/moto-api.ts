import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway'

export function sdkFor(url: string): APIGatewayClient {
  return new APIGatewayClient({region: 'us-east-1', endpoint: url, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}})
}

export interface ApiSpec {
  name: string
  /** Resource path -> HTTP methods, e.g. {'/': ['GET'], '/pets': ['GET', 'POST'], '/pets/{id}': ['GET']}. */
  methods: Record<string, string[]>
  stages: string[]
}

export interface DeployedApi {
  id: string
  resourceIds: Record<string, string>
}

/** Builds a REST API with MOCK integrations in moto and deploys it to each stage. */
export async function createDeployedApi(url: string, spec: ApiSpec): Promise<DeployedApi> {
  const client = sdkFor(url)
  const api = await client.send(new CreateRestApiCommand({name: spec.name}))
  const root = (await client.send(new GetResourcesCommand({restApiId: api.id!}))).items!.find((r) => r.path === '/')!
  const resourceIds: Record<string, string> = {'/': root.id!}
  const paths = Object.keys(spec.methods).toSorted((a, b) => a.split('/').length - b.split('/').length)
  for (const path of paths) {
    if (resourceIds[path]) continue
    // create each missing segment from the root down
    const segments = path.split('/').filter(Boolean)
    let parent = '/'
    for (const segment of segments) {
      const child = parent === '/' ? `/${segment}` : `${parent}/${segment}`
      if (!resourceIds[child]) {
        const created = await client.send(new CreateResourceCommand({restApiId: api.id!, parentId: resourceIds[parent], pathPart: segment}))
        resourceIds[child] = created.id!
      }

      parent = child
    }
  }

  for (const [path, methods] of Object.entries(spec.methods)) {
    for (const httpMethod of methods) {
      await client.send(new PutMethodCommand({restApiId: api.id!, resourceId: resourceIds[path], httpMethod, authorizationType: 'NONE'}))
      await client.send(new PutIntegrationCommand({restApiId: api.id!, resourceId: resourceIds[path], httpMethod, type: 'MOCK'}))
    }
  }

  for (const stageName of spec.stages) await client.send(new CreateDeploymentCommand({restApiId: api.id!, stageName}))
  return {id: api.id!, resourceIds}
}
