import type {
  APIGatewayClient,
  ApiKey,
  Authorizer,
  CreateApiKeyCommandInput,
  CreateApiKeyCommandOutput,
  CreateDeploymentCommandInput,
  CreateDeploymentCommandOutput,
  CreateUsagePlanCommandInput,
  CreateUsagePlanCommandOutput,
  CreateUsagePlanKeyCommandInput,
  CreateUsagePlanKeyCommandOutput,
  DeleteApiKeyCommandInput,
  DeleteApiKeyCommandOutput,
  DeleteUsagePlanCommandInput,
  DeleteUsagePlanCommandOutput,
  DeleteUsagePlanKeyCommandInput,
  DeleteUsagePlanKeyCommandOutput,
  Deployment,
  GetAccountCommandInput,
  GetAccountCommandOutput,
  GetApiKeyCommandInput,
  GetApiKeyCommandOutput,
  GetApiKeysCommandInput,
  GetAuthorizersCommandInput,
  GetDeploymentCommandInput,
  GetDeploymentCommandOutput,
  GetDeploymentsCommandInput,
  GetResourcesCommandInput,
  GetRestApisCommandInput,
  GetStagesCommandInput,
  GetUsageCommandInput,
  GetUsagePlanCommandInput,
  GetUsagePlanCommandOutput,
  GetUsagePlanKeysCommandInput,
  GetUsagePlansCommandInput,
  ImportApiKeysCommandInput,
  ImportApiKeysCommandOutput,
  Resource,
  RestApi,
  Stage,
  UpdateApiKeyCommandInput,
  UpdateApiKeyCommandOutput,
  UpdateMethodCommandInput,
  UpdateMethodCommandOutput,
  UpdateRestApiCommandInput,
  UpdateRestApiCommandOutput,
  UpdateUsageCommandInput,
  UpdateUsageCommandOutput,
  UpdateUsagePlanCommandInput,
  UpdateUsagePlanCommandOutput,
  Usage,
  UsagePlan,
  UsagePlanKey,
} from '@aws-sdk/client-api-gateway'

import {clientConfig, type ConnectionOptions} from './connection.js'
import {RetryingCaller, type RetryOptions} from './retry.js'
import {sdk} from './sdk.js'

/** A list call's input: `position` and `limit` are the pagination, which the call folds in. */
type ListInput<T> = Omit<T, 'limit' | 'position'>

/**
 * The API Gateway operations gwctl makes, and only those. List operations return
 * every item (pages followed to the end); the others return AWS's answer as it is.
 * Each takes `action`, what gwctl is doing in words ("listing usage plans"), for
 * retry notices and error messages. Every call goes through one RetryingCaller.
 *
 * Services (src/gateway) receive this interface and never see the SDK client, so
 * their tests mock the SDK client underneath (test/helpers/mock-aws.ts) and assert
 * the exact command inputs sent.
 */
export interface ApiGateway {
  /** The Region the calls go to, or undefined when none is configured. */
  region(): Promise<string | undefined>

  getUsagePlans(input: ListInput<GetUsagePlansCommandInput>, action: string): Promise<UsagePlan[]>
  getUsagePlan(input: GetUsagePlanCommandInput, action: string): Promise<GetUsagePlanCommandOutput>
  createUsagePlan(input: CreateUsagePlanCommandInput, action: string): Promise<CreateUsagePlanCommandOutput>
  updateUsagePlan(input: UpdateUsagePlanCommandInput, action: string): Promise<UpdateUsagePlanCommandOutput>
  deleteUsagePlan(input: DeleteUsagePlanCommandInput, action: string): Promise<DeleteUsagePlanCommandOutput>
  getUsagePlanKeys(input: ListInput<GetUsagePlanKeysCommandInput>, action: string): Promise<UsagePlanKey[]>
  createUsagePlanKey(input: CreateUsagePlanKeyCommandInput, action: string): Promise<CreateUsagePlanKeyCommandOutput>
  deleteUsagePlanKey(input: DeleteUsagePlanKeyCommandInput, action: string): Promise<DeleteUsagePlanKeyCommandOutput>
  /** Every page of GetUsage for one date range: `items` holds each key of every page (AWS pages by key). */
  getUsage(input: ListInput<GetUsageCommandInput>, action: string): Promise<Usage>
  updateUsage(input: UpdateUsageCommandInput, action: string): Promise<UpdateUsageCommandOutput>

  getApiKeys(input: ListInput<GetApiKeysCommandInput>, action: string): Promise<ApiKey[]>
  getApiKey(input: GetApiKeyCommandInput, action: string): Promise<GetApiKeyCommandOutput>
  createApiKey(input: CreateApiKeyCommandInput, action: string): Promise<CreateApiKeyCommandOutput>
  updateApiKey(input: UpdateApiKeyCommandInput, action: string): Promise<UpdateApiKeyCommandOutput>
  deleteApiKey(input: DeleteApiKeyCommandInput, action: string): Promise<DeleteApiKeyCommandOutput>
  importApiKeys(input: ImportApiKeysCommandInput, action: string): Promise<ImportApiKeysCommandOutput>

  getRestApis(input: ListInput<GetRestApisCommandInput>, action: string): Promise<RestApi[]>
  updateRestApi(input: UpdateRestApiCommandInput, action: string): Promise<UpdateRestApiCommandOutput>
  /** GetStages is not paged: AWS returns every stage in `item`. */
  getStages(input: GetStagesCommandInput, action: string): Promise<Stage[]>
  getResources(input: ListInput<GetResourcesCommandInput>, action: string): Promise<Resource[]>
  updateMethod(input: UpdateMethodCommandInput, action: string): Promise<UpdateMethodCommandOutput>
  getAuthorizers(input: ListInput<GetAuthorizersCommandInput>, action: string): Promise<Authorizer[]>
  getDeployments(input: ListInput<GetDeploymentsCommandInput>, action: string): Promise<Deployment[]>
  /** With `embed: ['apisummary']`, also what the deployment serves: per path and method, apiKeyRequired and authorizationType. */
  getDeployment(input: GetDeploymentCommandInput, action: string): Promise<GetDeploymentCommandOutput>
  createDeployment(input: CreateDeploymentCommandInput, action: string): Promise<CreateDeploymentCommandOutput>

  getAccount(input: GetAccountCommandInput, action: string): Promise<GetAccountCommandOutput>
}

/** The most items API Gateway returns per page. */
const PAGE_SIZE = 500

// Structural view of an SDK command, with its output type recovered from the handler it resolves to.
interface SdkCommand {
  readonly input: object
  resolveMiddleware(...args: never[]): unknown
}
type OutputOf<C> = C extends {resolveMiddleware(...args: never[]): (...args: never[]) => Promise<{output: infer O}>} ? O : never

/**
 * The API Gateway operations over `client`, each call made through a RetryingCaller
 * with `retry`. This table is the one place that knows how each operation is called:
 * a rule for one operation (how it may be repeated, how fast it may be called) goes
 * on its line here.
 */
export function apiGatewayOver(client: APIGatewayClient, retry: RetryOptions = {}): ApiGateway {
  const caller = new RetryingCaller('API Gateway', retry)
  const send = <C extends SdkCommand>(command: C, action: string) => caller.call(() => client.send(command as never) as Promise<OutputOf<C>>, action)
  /** Every page of a list call, each page one call; API Gateway pages with `position`. */
  async function pages<O extends {position?: string}>(page: (position: string | undefined) => SdkCommand, action: string): Promise<O[]> {
    const answers: O[] = []
    let position: string | undefined
    do {
      const out = (await send(page(position), action)) as O
      answers.push(out)
      position = out.position
    } while (position)
    return answers
  }

  const all = async <T>(page: (position: string | undefined) => SdkCommand, action: string): Promise<T[]> =>
    (await pages<{items?: T[]; position?: string}>(page, action)).flatMap((out) => out.items ?? [])

  /** GetUsage pages its map by key, so each key is on one page: the pages' maps are merged. */
  const allUsage = async (page: (position: string | undefined) => SdkCommand, action: string): Promise<Usage> => {
    const answers = await pages<Usage>(page, action)
    const items: NonNullable<Usage['items']> = {}
    for (const out of answers) Object.assign(items, out.items)
    return {usagePlanId: answers[0].usagePlanId, startDate: answers[0].startDate, endDate: answers[0].endDate, items}
  }

  return {
    region: () => client.config.region().catch(() => undefined),

    getUsagePlans: (input, action) => all((position) => new sdk.GetUsagePlansCommand({...input, position, limit: PAGE_SIZE}), action),
    getUsagePlan: (input, action) => send(new sdk.GetUsagePlanCommand(input), action),
    createUsagePlan: (input, action) => send(new sdk.CreateUsagePlanCommand(input), action),
    updateUsagePlan: (input, action) => send(new sdk.UpdateUsagePlanCommand(input), action),
    deleteUsagePlan: (input, action) => send(new sdk.DeleteUsagePlanCommand(input), action),
    getUsagePlanKeys: (input, action) => all((position) => new sdk.GetUsagePlanKeysCommand({...input, position, limit: PAGE_SIZE}), action),
    createUsagePlanKey: (input, action) => send(new sdk.CreateUsagePlanKeyCommand(input), action),
    deleteUsagePlanKey: (input, action) => send(new sdk.DeleteUsagePlanKeyCommand(input), action),
    // A read; pages are keys, each with its days of the one range asked.
    getUsage: (input, action) => allUsage((position) => new sdk.GetUsageCommand({...input, position, limit: PAGE_SIZE}), action),
    // Sets the remaining quota to a value (replace /remaining): safe to repeat.
    updateUsage: (input, action) => send(new sdk.UpdateUsageCommand(input), action),

    getApiKeys: (input, action) => all((position) => new sdk.GetApiKeysCommand({...input, position, limit: PAGE_SIZE}), action),
    getApiKey: (input, action) => send(new sdk.GetApiKeyCommand(input), action),
    createApiKey: (input, action) => send(new sdk.CreateApiKeyCommand(input), action),
    updateApiKey: (input, action) => send(new sdk.UpdateApiKeyCommand(input), action),
    deleteApiKey: (input, action) => send(new sdk.DeleteApiKeyCommand(input), action),
    importApiKeys: (input, action) => send(new sdk.ImportApiKeysCommand(input), action),

    getRestApis: (input, action) => all((position) => new sdk.GetRestApisCommand({...input, position, limit: PAGE_SIZE}), action),
    updateRestApi: (input, action) => send(new sdk.UpdateRestApiCommand(input), action),
    getStages: async (input, action) => (await send(new sdk.GetStagesCommand(input), action)).item ?? [],
    getResources: (input, action) => all((position) => new sdk.GetResourcesCommand({...input, position, limit: PAGE_SIZE}), action),
    updateMethod: (input, action) => send(new sdk.UpdateMethodCommand(input), action),
    getAuthorizers: (input, action) => all((position) => new sdk.GetAuthorizersCommand({...input, position, limit: PAGE_SIZE}), action),
    getDeployments: (input, action) => all((position) => new sdk.GetDeploymentsCommand({...input, position, limit: PAGE_SIZE}), action),
    getDeployment: (input, action) => send(new sdk.GetDeploymentCommand(input), action), // a read
    createDeployment: (input, action) => send(new sdk.CreateDeploymentCommand(input), action),

    getAccount: (input, action) => send(new sdk.GetAccountCommand(input), action),
  }
}

/** The API Gateway SDK client, configured from the connection flags as every gwctl client is (see connection.ts). */
export function createApiGatewayClient(connection: ConnectionOptions): APIGatewayClient {
  return new sdk.APIGatewayClient(clientConfig(connection))
}

/** API Gateway for the services: a client for `connection`, every call retried by `retry`'s rule. */
export function connectApiGateway(connection: ConnectionOptions, retry: RetryOptions = {}): ApiGateway {
  return apiGatewayOver(createApiGatewayClient(connection), retry)
}
