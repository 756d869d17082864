import type {RestApi, Stage, UsagePlan} from '@aws-sdk/client-api-gateway'

import type {ApiGateway} from '../../aws/api-gateway.js'
import type {DoctorApi, DoctorData, DoctorScope, DoctorStage, ServedMethod} from './data.js'

import {GwctlError, notFound} from '../../model/errors.js'
import {parseStageName} from '../../model/flag-values.js'
import {keySourceOf} from '../../model/key-source.js'
import {labelOf, refOf, resolveByIdOrName} from '../../model/resolve.js'
import {ApiKeys} from '../api-keys.js'
import {Authorizers} from '../authorizers.js'
import {concurrencyLimit} from '../concurrency.js'
import {methodSettingsOf, planOf, throttleOf} from '../export.js'
import {Methods} from '../methods.js'
import {RestApis} from '../rest-apis.js'
import {UsagePlans} from '../usage-plans.js'

/**
 * How many API Gateway calls doctor has in flight at once. AWS allows an account 10
 * management calls per second (burst 40) and GetResources 5 per 2 seconds; a few
 * at a time keeps a large account's read fast without starving other tools, and
 * the shared retry rule backs off when AWS throttles anyway.
 */
export const DOCTOR_CONCURRENCY = 4

export interface DoctorReadOptions {
  /** API ids or names; all when absent or empty. */
  apis?: string[]
  stage?: string
  /** A usage plan id or name: only the stages it covers. */
  plan?: string
  /** Told what is being read, for progress on stderr. */
  onProgress?: (message: string) => void
}

/** A deployment's apiSummary (path -> method -> snapshot) as a list. */
function servedMethods(summary: Record<string, Record<string, {apiKeyRequired?: boolean; authorizationType?: string}>> | undefined): ServedMethod[] {
  return Object.entries(summary ?? {}).flatMap(([path, methods]) =>
    Object.entries(methods).map(([httpMethod, m]) => ({
      path,
      httpMethod,
      authorizationType: m.authorizationType ?? 'NONE',
      apiKeyRequired: m.apiKeyRequired ?? false,
    })),
  )
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/**
 * Reads, once, everything doctor's checks look at. Every read is a Get call; nothing
 * is changed. Account-wide facts (every plan with its keys, every key, the account
 * settings) are always read, since the key and cap checks need them; per-API reads
 * (resources, stages, authorizers, each stage's deployment) only for the APIs and
 * stages in scope. At most DOCTOR_CONCURRENCY calls run at once; list calls page
 * through ApiGateway.
 */
export async function readDoctorData(apigw: ApiGateway, options: DoctorReadOptions = {}): Promise<DoctorData> {
  const limit = concurrencyLimit(DOCTOR_CONCURRENCY)
  const apis = new RestApis(apigw)
  const authorizers = new Authorizers(apigw)
  const methods = new Methods(apigw, apis, authorizers)
  const plans = new UsagePlans(apigw, apis)
  const keys = new ApiKeys(apigw, plans)
  if (options.stage !== undefined) parseStageName(options.stage, '--stage')

  options.onProgress?.('Reading the account settings, REST APIs, usage plans and API keys')
  const [account, allApis, allPlans, allKeys, region] = await Promise.all([
    limit(() => apigw.getAccount({}, 'reading the account settings')),
    limit(() => apis.list()),
    limit(() => plans.list()),
    limit(() => keys.list()),
    apigw.region(),
  ])

  const scope = resolveScope(allApis, allPlans, options)
  const chosenApis = scope.apis
    ? allApis.filter((a) => scope.apis!.some((r) => r.id === a.id))
    : scope.plan
      ? allApis.filter((a) => allPlans.find((p) => p.id === scope.plan!.id)?.apiStages?.some((s) => s.apiId === a.id))
      : allApis
  const stageWanted = (apiId: string, stage: Stage) =>
    (options.stage === undefined || stage.stageName === options.stage) &&
    (!scope.plan || Boolean(allPlans.find((p) => p.id === scope.plan!.id)?.apiStages?.some((s) => s.apiId === apiId && s.stage === stage.stageName)))

  options.onProgress?.(`Reading the keys of ${plural(allPlans.length, 'usage plan')} and ${plural(chosenApis.length, 'REST API')}`)
  const [keyIdsOf, doctorApis] = await Promise.all([
    Promise.all(allPlans.map((plan) => limit(() => plans.keys(plan.id!)))),
    Promise.all(
      chosenApis.map(async (api): Promise<DoctorApi> => {
        const [stages, apiMethods] = await Promise.all([limit(() => apis.stages(api.id!)), limit(() => methods.ofApi(api))])
        const needAuthorizers = keySourceOf(api) === 'AUTHORIZER' || apiMethods.some((m) => m.authorizerId)
        const apiAuthorizers = needAuthorizers ? await limit(() => authorizers.list(api.id!)) : []
        const chosenStages = stages.filter((s) => stageWanted(api.id!, s))
        return {
          id: api.id!,
          name: api.name ?? api.id!,
          apiKeySource: keySourceOf(api),
          methods: apiMethods,
          authorizers: apiAuthorizers.map((a) => ({id: a.id!, name: a.name, type: a.type})),
          stageNames: stages.map((s) => s.stageName!),
          stages: await Promise.all(chosenStages.map((stage) => readStage(apigw, limit, api, stage))),
        }
      }),
    ),
  ])

  if (options.stage !== undefined && !doctorApis.some((a) => a.stages.length > 0)) {
    const where = scope.plan ? `covered by usage plan ${labelOf(scope.plan)}` : scope.apis ? `of ${scope.apis.map(labelOf).join(', ')}` : 'in this Region'
    throw notFound(`No stage named "${options.stage}" ${where}`, {suggestions: ['See the stages of an API: gwctl stages list --api API']})
  }

  return {
    ...(region ? {region} : {}),
    scope,
    account: {
      ...(throttleOf(account.throttleSettings) ? {throttle: throttleOf(account.throttleSettings)} : {}),
      ...(account.cloudwatchRoleArn ? {cloudwatchRoleArn: account.cloudwatchRoleArn} : {}),
    },
    apis: doctorApis,
    plans: allPlans.map((plan, i) => ({...planOf(plan), keyIds: keyIdsOf[i].map((k) => k.id!)})),
    keys: allKeys.map((k) => ({id: k.id!, name: k.name ?? k.id!, enabled: k.enabled ?? false})),
  }
}

/** --api and --plan resolved by id or name (an unknown one is exit 3, an ambiguous name exit 2). */
function resolveScope(allApis: RestApi[], allPlans: UsagePlan[], options: DoctorReadOptions): DoctorScope {
  const scope: DoctorScope = {}
  if (options.apis?.length) {
    const resolved = options.apis.map((ref) => refOf(resolveByIdOrName(allApis, ref, 'REST API', 'gwctl api list')))
    scope.apis = [...new Map(resolved.map((r) => [r.id, r])).values()]
  }

  if (options.plan !== undefined) scope.plan = refOf(resolveByIdOrName(allPlans, options.plan, 'usage plan', 'gwctl plans list'))
  if (options.stage !== undefined) scope.stage = options.stage
  return scope
}

async function readStage(apigw: ApiGateway, limit: ReturnType<typeof concurrencyLimit>, api: RestApi, stage: Stage): Promise<DoctorStage> {
  let served: ServedMethod[] | undefined
  if (stage.deploymentId) {
    const deployment = await limit(() =>
      apigw.getDeployment(
        {restApiId: api.id!, deploymentId: stage.deploymentId!, embed: ['apisummary']},
        `reading deployment ${stage.deploymentId} of stage ${stage.stageName} of API ${labelOf(api)}`,
      ),
    )
    // Without it every check of what the stage serves would be guesswork: stop instead.
    if (!deployment.apiSummary) {
      throw new GwctlError(
        'UNEXPECTED',
        `API Gateway returned deployment ${stage.deploymentId} of stage ${stage.stageName} of API ${labelOf(api)} without its API summary (embed=apisummary), so doctor cannot tell what the stage serves`,
        {
          suggestions: ['AWS returns it; an emulator behind --endpoint-url may not'],
        },
      )
    }

    served = servedMethods(deployment.apiSummary)
  }

  const accessLog = stage.accessLogSettings
  return {
    stageName: stage.stageName!,
    ...(stage.deploymentId ? {deploymentId: stage.deploymentId} : {}),
    ...(served ? {served} : {}),
    methodSettings: methodSettingsOf(stage) ?? {},
    ...(accessLog && (accessLog.destinationArn || accessLog.format) ? {accessLog: {destinationArn: accessLog.destinationArn, format: accessLog.format}} : {}),
  }
}
