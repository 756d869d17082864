import {
  APIGatewayClient,
  CreateAuthorizerCommand,
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

/** A Lambda TOKEN authorizer on the API (the Lambda need not exist: moto does not call it); returns its id. */
export async function createLambdaAuthorizer(url: string, restApiId: string, name = 'tokens'): Promise<string> {
  const authorizer = await sdkFor(url).send(
    new CreateAuthorizerCommand({
      restApiId,
      name,
      type: 'TOKEN',
      authorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations',
      identitySource: 'method.request.header.Authorization',
    }),
  )
  return authorizer.id!
}

// ---------------------------------------------------------------------------------------------
// Test-only state of the extended moto (test/moto/README.md): usage counters and the clock.
// These are not AWS calls; gwctl never makes them.

/** Daily request counts AWS would have metered for one key of one plan. */
export interface UsageSeed {
  usagePlanId: string
  keyId: string
  /** YYYY-MM-DD (UTC) -> requests used that day; replaces what those days held. */
  days: Record<string, number>
  /** The plan's Region, when not us-east-1. */
  region?: string
}

/** What the emulator holds for a plan: counts per key and day, and UpdateUsage grants. */
export interface UsageState {
  usagePlanId: string
  /** The plan's first quota period holds this day: the quota offset applies to it only. */
  createdDate: string
  used: Record<string, Record<string, number>>
  grants: Record<string, Array<{periodStart: string; madeOn: string; requestsAdded: number}>>
}

async function testRoute<T>(url: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${url}/_gwctl/${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: {'content-type': 'application/json'},
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} /_gwctl/${path}: HTTP ${response.status} ${text}`)
  return JSON.parse(text) as T
}

const regionParam = (region?: string) => (region ? `region=${encodeURIComponent(region)}` : '')

/** Sets the requests a plan's key used on the given days; GetUsage then reports them. */
export async function seedUsage(url: string, seed: UsageSeed): Promise<UsageState> {
  const {region, ...body} = seed
  return testRoute(url, 'POST', `usage?${regionParam(region)}`, body)
}

/** The counters and grants (UpdateUsage) the emulator holds for a plan. */
export async function usageState(url: string, usagePlanId: string, region?: string): Promise<UsageState> {
  return testRoute(url, 'GET', `usage?usagePlanId=${encodeURIComponent(usagePlanId)}&${regionParam(region)}`)
}

/**
 * Fixes the emulator's "now" (UTC), which decides the current quota period for UpdateUsage and
 * a new plan's first period; null returns to the real clock. A reset also returns to it.
 * Only the emulator's clock: the CLI keeps its own.
 */
export async function setMotoClock(url: string, now: Date | string | null): Promise<void> {
  await testRoute(url, 'PUT', 'clock', {now: now instanceof Date ? now.toISOString() : now})
}

/** How an AWS call failed, as the SDK reports it: exception name, HTTP status, message. */
export async function awsErrorOf(call: Promise<unknown>): Promise<{name: string; status?: number; message: string}> {
  try {
    await call
  } catch (error) {
    const e = error as {name: string; message: string; $metadata?: {httpStatusCode?: number}}
    return {name: e.name, status: e.$metadata?.httpStatusCode, message: e.message}
  }

  throw new Error('expected the AWS call to fail, but it succeeded')
}

/**
 * One API Gateway call as raw HTTP, to check wire shapes the SDK hides (field names, error
 * bodies). moto does not verify signatures; the Authorization header only names the service.
 */
export async function rawApiGateway(url: string, method: string, path: string, body?: unknown): Promise<{status: number; headers: Headers; json: unknown}> {
  const response = await fetch(`${url}${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: {
      authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/apigateway/aws4_request, SignedHeaders=host, Signature=0',
      'content-type': 'application/json',
    },
  })
  const text = await response.text()
  return {status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined}
}
