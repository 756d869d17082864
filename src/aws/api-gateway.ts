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
  TagResourceCommandInput,
  TagResourceCommandOutput,
  UntagResourceCommandInput,
  UntagResourceCommandOutput,
  UpdateAccountCommandInput,
  UpdateAccountCommandOutput,
  UpdateApiKeyCommandInput,
  UpdateApiKeyCommandOutput,
  UpdateMethodCommandInput,
  UpdateMethodCommandOutput,
  UpdateRestApiCommandInput,
  UpdateRestApiCommandOutput,
  UpdateStageCommandInput,
  UpdateStageCommandOutput,
  UpdateUsageCommandInput,
  UpdateUsageCommandOutput,
  UpdateUsagePlanCommandInput,
  UpdateUsagePlanCommandOutput,
  Usage,
  UsagePlan,
  UsagePlanKey,
} from '@aws-sdk/client-api-gateway'

import {parseKeyCsv} from '../model/key-csv.js'
import {planPatchInEffect} from '../model/patches.js'
import {clientConfig, type ConnectionOptions} from './connection.js'
import {API_GATEWAY_LIMITS} from './pacing.js'
import {type CallOptions, type Repeat, RetryingCaller, type RetryOptions} from './retry.js'
import {Session} from './session.js'
import * as sdk from '@aws-sdk/client-api-gateway'

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
  /** This run of gwctl: interrupts, and notices for the person at the terminal (stderr). */
  readonly session: Session

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
  updateStage(input: UpdateStageCommandInput, action: string): Promise<UpdateStageCommandOutput>
  getResources(input: ListInput<GetResourcesCommandInput>, action: string): Promise<Resource[]>
  updateMethod(input: UpdateMethodCommandInput, action: string): Promise<UpdateMethodCommandOutput>
  getAuthorizers(input: ListInput<GetAuthorizersCommandInput>, action: string): Promise<Authorizer[]>
  getDeployments(input: ListInput<GetDeploymentsCommandInput>, action: string): Promise<Deployment[]>
  /** With `embed: ['apisummary']`, also what the deployment serves: per path and method, apiKeyRequired and authorizationType. */
  getDeployment(input: GetDeploymentCommandInput, action: string): Promise<GetDeploymentCommandOutput>
  createDeployment(input: CreateDeploymentCommandInput, action: string): Promise<CreateDeploymentCommandOutput>

  getAccount(input: GetAccountCommandInput, action: string): Promise<GetAccountCommandOutput>

  tagResource(input: TagResourceCommandInput, action: string): Promise<TagResourceCommandOutput>
  untagResource(input: UntagResourceCommandInput, action: string): Promise<UntagResourceCommandOutput>
  /** AWS allows one UpdateAccount call per 20 seconds per account (pacing.ts). */
  updateAccount(input: UpdateAccountCommandInput, action: string): Promise<UpdateAccountCommandOutput>
}

/** The most items API Gateway returns per page. */
const PAGE_SIZE = 500

// Structural view of an SDK command, with its output type recovered from the handler it resolves to.
interface SdkCommand {
  readonly input: object
  resolveMiddleware(...args: never[]): unknown
}
type OutputOf<C> = C extends {resolveMiddleware(...args: never[]): (...args: never[]) => Promise<{output: infer O}>} ? O : never

type Op = {op?: string}

/** What is sent again after a lost answer (retry.ts): reads and value-setting writes as they are. */
const AS_IS = {kind: 'as-is'} as const
/** A create looked for before it is repeated: `find` returns what it would have made, as AWS lists it. */
const lookFirst = <T>(find: () => Promise<object | undefined>): Repeat<T> => ({
  kind: 'look-first',
  find: async () => {
    const found = await find()
    return found === undefined ? undefined : ({...found, $metadata: {}} as T)
  },
})
/** A PATCH that only replaces values can be sent again as it is; one that adds or removes cannot. */
const patchRepeat = <T>(ops: readonly Op[] | undefined, inEffect?: () => Promise<object | undefined>): Repeat<T> =>
  (ops ?? []).every((o) => o.op === 'replace') ? AS_IS : inEffect ? lookFirst(inEffect) : {kind: 'never'}
/** A call that reads: repeated as it is. */
const read = <T>(operation: string, action: string): CallOptions<T> => ({operation, action, changes: false, repeat: AS_IS})
/** A call that changes something: refused after an interrupt, repeated by `repeat`. */
const write = <T>(operation: string, action: string, repeat: Repeat<T>): CallOptions<T> => ({operation, action, changes: true, repeat})

/**
 * The API Gateway operations over `client`, each call made through one RetryingCaller
 * with `retry`. This table is the one place that knows how each operation is called:
 * its paging, whether it changes something, and how it may be repeated when its answer
 * was lost (the rule is in retry.ts):
 *
 *   reads (Get*)                          as-is
 *   Update* with only `replace` ops       as-is: sets values (UpdateUsage sets the
 *                                         remaining quota; UpdateStage and UpdateAccount
 *                                         as logs enable sends them)
 *   UpdateUsagePlan adding or removing    look first: the plan is read, and the patch
 *                                         is sent again only if it does not show
 *   Delete*                               as-is; a 404 to the repeat means done
 *   TagResource, UntagResource            as-is: set or remove tag values
 *   CreateUsagePlan                       look first: a plan of that name
 *   CreateApiKey                          look first: a key of that name and value
 *   CreateUsagePlanKey                    look first: the key among the plan's keys
 *   ImportApiKeys                         look first: the batch's key values
 *   CreateDeployment                      as-is: a second deployment of the same
 *                                         definition leaves the stage serving the same
 *
 * Pace limits per operation are in pacing.ts.
 */
export function apiGatewayOver(client: APIGatewayClient, retry: RetryOptions = {}): ApiGateway {
  const caller = new RetryingCaller('API Gateway', API_GATEWAY_LIMITS, retry)
  const send = <C extends SdkCommand>(command: C, call: CallOptions<OutputOf<C>>) =>
    caller.call((abortSignal) => client.send(command as never, {abortSignal}) as Promise<OutputOf<C>>, call)
  /** A create, looked for before it is repeated by `find`. */
  const create = <C extends SdkCommand>(command: C, operation: string, action: string, find: () => Promise<object | undefined>) =>
    send(command, write(operation, action, lookFirst(find)))
  /** Every page of a list call, each page one call; API Gateway pages with `position`. */
  async function pages<O extends {position?: string}>(operation: string, page: (position: string | undefined) => SdkCommand, action: string): Promise<O[]> {
    const answers: O[] = []
    let position: string | undefined
    do {
      const out = (await send(page(position), read(operation, action))) as O
      answers.push(out)
      position = out.position
    } while (position)
    return answers
  }

  const all = async <T>(operation: string, page: (position: string | undefined) => SdkCommand, action: string): Promise<T[]> =>
    (await pages<{items?: T[]; position?: string}>(operation, page, action)).flatMap((out) => out.items ?? [])

  /** GetUsage pages its map by key, so each key is on one page: the pages' maps are merged. */
  const allUsage = async (operation: string, page: (position: string | undefined) => SdkCommand, action: string): Promise<Usage> => {
    const answers = await pages<Usage>(operation, page, action)
    const items: NonNullable<Usage['items']> = {}
    for (const out of answers) Object.assign(items, out.items)
    return {usagePlanId: answers[0].usagePlanId, startDate: answers[0].startDate, endDate: answers[0].endDate, items}
  }

  const self: ApiGateway = {
    region: () => client.config.region().catch(() => undefined),
    session: caller.session,

    getUsagePlans: (input, action) => all('GetUsagePlans', (position) => new sdk.GetUsagePlansCommand({...input, position, limit: PAGE_SIZE}), action),
    getUsagePlan: (input, action) => send(new sdk.GetUsagePlanCommand(input), read('GetUsagePlan', action)),
    createUsagePlan: (input, action) => create(new sdk.CreateUsagePlanCommand(input), 'CreateUsagePlan', action, () => planNamed(self, input)),
    updateUsagePlan: (input, action) =>
      send(
        new sdk.UpdateUsagePlanCommand(input),
        write(
          'UpdateUsagePlan',
          action,
          patchRepeat(input.patchOperations, () => planWithPatch(self, input)),
        ),
      ),
    deleteUsagePlan: (input, action) => send(new sdk.DeleteUsagePlanCommand(input), write('DeleteUsagePlan', action, {kind: 'delete'})),
    getUsagePlanKeys: (input, action) => all('GetUsagePlanKeys', (position) => new sdk.GetUsagePlanKeysCommand({...input, position, limit: PAGE_SIZE}), action),
    createUsagePlanKey: (input, action) => create(new sdk.CreateUsagePlanKeyCommand(input), 'CreateUsagePlanKey', action, () => planKeyOf(self, input)),
    deleteUsagePlanKey: (input, action) => send(new sdk.DeleteUsagePlanKeyCommand(input), write('DeleteUsagePlanKey', action, {kind: 'delete'})),
    // A read; pages are keys, each with its days of the one range asked.
    getUsage: (input, action) => allUsage('GetUsage', (position) => new sdk.GetUsageCommand({...input, position, limit: PAGE_SIZE}), action),
    // Sets the remaining quota to a value (replace /remaining): safe to repeat.
    updateUsage: (input, action) => send(new sdk.UpdateUsageCommand(input), write('UpdateUsage', action, AS_IS)),

    getApiKeys: (input, action) => all('GetApiKeys', (position) => new sdk.GetApiKeysCommand({...input, position, limit: PAGE_SIZE}), action),
    getApiKey: (input, action) => send(new sdk.GetApiKeyCommand(input), read('GetApiKey', action)),
    // A key created without a value could not be told from another of its name: never repeated.
    createApiKey: (input, action) =>
      send(
        new sdk.CreateApiKeyCommand(input),
        write('CreateApiKey', action, input.value === undefined ? {kind: 'never'} : lookFirst(() => keyWithValue(self, input))),
      ),
    updateApiKey: (input, action) => send(new sdk.UpdateApiKeyCommand(input), write('UpdateApiKey', action, patchRepeat(input.patchOperations))),
    deleteApiKey: (input, action) => send(new sdk.DeleteApiKeyCommand(input), write('DeleteApiKey', action, {kind: 'delete'})),
    importApiKeys: (input, action) => create(new sdk.ImportApiKeysCommand(input), 'ImportApiKeys', action, () => findImported(self, input)),

    getRestApis: (input, action) => all('GetRestApis', (position) => new sdk.GetRestApisCommand({...input, position, limit: PAGE_SIZE}), action),
    updateRestApi: (input, action) => send(new sdk.UpdateRestApiCommand(input), write('UpdateRestApi', action, patchRepeat(input.patchOperations))),
    getStages: async (input, action) => (await send(new sdk.GetStagesCommand(input), read('GetStages', action))).item ?? [],
    updateStage: (input, action) => send(new sdk.UpdateStageCommand(input), write('UpdateStage', action, patchRepeat(input.patchOperations))),
    getResources: (input, action) => all('GetResources', (position) => new sdk.GetResourcesCommand({...input, position, limit: PAGE_SIZE}), action),
    updateMethod: (input, action) => send(new sdk.UpdateMethodCommand(input), write('UpdateMethod', action, patchRepeat(input.patchOperations))),
    getAuthorizers: (input, action) => all('GetAuthorizers', (position) => new sdk.GetAuthorizersCommand({...input, position, limit: PAGE_SIZE}), action),
    getDeployments: (input, action) => all('GetDeployments', (position) => new sdk.GetDeploymentsCommand({...input, position, limit: PAGE_SIZE}), action),
    getDeployment: (input, action) => send(new sdk.GetDeploymentCommand(input), read('GetDeployment', action)),
    createDeployment: (input, action) => send(new sdk.CreateDeploymentCommand(input), write('CreateDeployment', action, AS_IS)),

    getAccount: (input, action) => send(new sdk.GetAccountCommand(input), read('GetAccount', action)),

    // Tags set values and untagging removes them: both safe to repeat.
    tagResource: (input, action) => send(new sdk.TagResourceCommand(input), write('TagResource', action, AS_IS)),
    untagResource: (input, action) => send(new sdk.UntagResourceCommand(input), write('UntagResource', action, AS_IS)),
    // Sets the role (replace /cloudwatchRoleArn): safe to repeat.
    updateAccount: (input, action) => send(new sdk.UpdateAccountCommand(input), write('UpdateAccount', action, patchRepeat(input.patchOperations))),
  }
  return self
}

// What a call whose answer was lost would have made, looked for before it is repeated (see the table above).

/** The plan of the name a CreateUsagePlan was to create. */
async function planNamed(apigw: ApiGateway, input: CreateUsagePlanCommandInput): Promise<UsagePlan | undefined> {
  return (await apigw.getUsagePlans({}, `looking for usage plan "${input.name}"`)).findLast((p) => p.name === input.name)
}

/** The plan, when every operation of an UpdateUsagePlan shows in it. */
async function planWithPatch(apigw: ApiGateway, input: UpdateUsagePlanCommandInput): Promise<UsagePlan | undefined> {
  const plan = await apigw.getUsagePlan({usagePlanId: input.usagePlanId}, `reading usage plan ${input.usagePlanId}`)
  return planPatchInEffect(plan, (input.patchOperations ?? []) as Parameters<typeof planPatchInEffect>[1]) ? plan : undefined
}

/** The key among the plan's keys that a CreateUsagePlanKey was to add. */
async function planKeyOf(apigw: ApiGateway, input: CreateUsagePlanKeyCommandInput): Promise<UsagePlanKey | undefined> {
  return (await apigw.getUsagePlanKeys({usagePlanId: input.usagePlanId}, `listing the keys of usage plan ${input.usagePlanId}`)).find(
    (k) => k.id === input.keyId,
  )
}

/** The key of the name and value a CreateApiKey was to create. */
async function keyWithValue(apigw: ApiGateway, input: CreateApiKeyCommandInput): Promise<ApiKey | undefined> {
  return (await apigw.getApiKeys({nameQuery: input.name, includeValues: true}, `looking for API key "${input.name}"`)).find((k) => k.value === input.value)
}

/**
 * After an ImportApiKeys whose answer was lost: the batch's keys, found by value. None
 * found: it did not happen. Some: it did, and a row not found was skipped by AWS with a
 * warning that was lost with the answer; gwctl says so in its place.
 */
async function findImported(apigw: ApiGateway, input: ImportApiKeysCommandInput): Promise<Omit<ImportApiKeysCommandOutput, '$metadata'> | undefined> {
  const {rows} = parseKeyCsv(new TextDecoder().decode(input.body as Uint8Array))
  const byValue = new Map(
    (await apigw.getApiKeys({includeValues: true}, 'looking for the keys of an import whose answer was lost')).map((k) => [k.value, k.id!]),
  )
  const ids = rows.flatMap((row) => (byValue.has(row.value) ? [byValue.get(row.value)!] : []))
  if (ids.length === 0) return undefined
  const warnings = rows
    .filter((row) => !byValue.has(row.value))
    .map((row) => `API key ${row.name} is not in the account: AWS skipped it, and its reason was lost with the answer`)
  return {ids, warnings}
}

/** The API Gateway SDK client, configured from the connection flags as every gwctl client is (see connection.ts). */
export function createApiGatewayClient(connection: ConnectionOptions): APIGatewayClient {
  return new sdk.APIGatewayClient(clientConfig(connection))
}

/** API Gateway for the services: a client for `connection`, every call retried by `retry`'s rule. */
export function connectApiGateway(connection: ConnectionOptions, retry: RetryOptions = {}): ApiGateway {
  return apiGatewayOver(createApiGatewayClient(connection), {profile: connection.profile ?? process.env.AWS_PROFILE, ...retry})
}
