import type {ApiKey, MethodSetting, RestApi, Stage, ThrottleSettings, UsagePlan} from '@aws-sdk/client-api-gateway'

import type {ApiGateway} from '../aws/api-gateway.js'
import type {MethodInfo} from './methods.js'

import {GwctlError} from '../model/errors.js'
import {keySourceOf} from '../model/key-source.js'
import {
  keyValueHmac,
  newKeyValueSalt,
  type Snapshot,
  SNAPSHOT_VERSION,
  type SnapshotApi,
  type SnapshotKey,
  type SnapshotMethodSetting,
  type SnapshotPlan,
  stageLimitOf,
} from '../model/snapshot.js'
import type {Throttle} from '../model/usage-plan.js'
import {Methods} from './methods.js'
import {RestApis} from './rest-apis.js'
import {UsagePlans} from './usage-plans.js'

export interface ExportOptions {
  /** API ids or names; every API when empty. Plans and keys are then those touching these APIs. */
  apis?: string[]
  /** Put key values in the snapshot instead of their salted digest. */
  includeValues?: boolean
  /** Only these stages of the APIs (by API id), e.g. those a log touches: other stages, and plans covering none of these, are left out. */
  stages?: ReadonlyMap<string, ReadonlySet<string>>
}

export interface ExportResult {
  snapshot: Snapshot
  /** What could not be read and was left out, for stderr. */
  warnings: string[]
}

// Numbers are coerced because AWS's JSON carries them as numbers but some emulators return strings.
const num = (v: unknown) => (v === undefined || v === null ? undefined : Number(v))

export function throttleOf(t: ThrottleSettings | undefined): Throttle | undefined {
  const rateLimit = num(t?.rateLimit)
  const burstLimit = num(t?.burstLimit)
  return rateLimit === undefined || burstLimit === undefined ? undefined : {rateLimit, burstLimit}
}

/** Only the throttling part of AWS's methodSettings map; other settings do not affect enforcement. */
export function methodSettingsOf(stage: Stage): Record<string, SnapshotMethodSetting> | undefined {
  const out: Record<string, SnapshotMethodSetting> = {}
  for (const [key, setting] of Object.entries<MethodSetting>(stage.methodSettings ?? {})) {
    const throttle: SnapshotMethodSetting = {}
    if (setting.throttlingRateLimit !== undefined) throttle.throttlingRateLimit = stageLimitOf(num(setting.throttlingRateLimit)!)
    if (setting.throttlingBurstLimit !== undefined) throttle.throttlingBurstLimit = stageLimitOf(num(setting.throttlingBurstLimit)!)
    if (Object.keys(throttle).length > 0) out[key] = throttle
  }

  return Object.keys(out).length > 0 ? out : undefined
}

/** A usage plan in the snapshot's terms; with `covered`, only the stages it accepts. */
export function planOf(plan: UsagePlan, covered: (apiId: string, stage: string) => boolean = () => true): SnapshotPlan {
  const throttle = throttleOf(plan.throttle)
  const quota = plan.quota
  return {
    id: plan.id!,
    name: plan.name ?? plan.id!,
    ...(throttle ? {throttle} : {}),
    ...(quota?.limit !== undefined && quota.period
      ? {quota: {limit: num(quota.limit)!, period: quota.period, ...(quota.offset ? {offset: num(quota.offset)} : {})}}
      : {}),
    apiStages: (plan.apiStages ?? [])
      .filter((s) => covered(s.apiId!, s.stage!))
      .map((s) => {
        const methodThrottles = Object.entries(s.throttle ?? {}).flatMap(([key, t]) => {
          const limits = throttleOf(t)
          return limits ? [[key, limits] as const] : []
        })
        return {apiId: s.apiId!, stage: s.stage!, ...(methodThrottles.length > 0 ? {throttle: Object.fromEntries(methodThrottles)} : {})}
      }),
  }
}

/** GetAccount's throttle; when it cannot be read, a warning, and simulate falls back to AWS's default. */
async function readAccountThrottle(apigw: ApiGateway, warnings: string[]): Promise<Throttle | undefined> {
  try {
    return throttleOf((await apigw.getAccount({}, 'reading the account throttle')).throttleSettings)
  } catch (error) {
    if (!(error instanceof GwctlError) || error.code === 'AWS_THROTTLED') throw error
    warnings.push(`Could not read the account throttle (${error.message}); simulate will assume AWS's default of 10000 requests per second, burst 5000`)
    return undefined
  }
}

function apiOf(api: RestApi, methods: MethodInfo[], stages: Stage[]): SnapshotApi {
  return {
    id: api.id!,
    name: api.name ?? api.id!,
    apiKeySource: keySourceOf(api),
    methods: methods.map((m) => ({path: m.path, httpMethod: m.httpMethod, apiKeyRequired: m.apiKeyRequired})),
    stages: stages.map((s) => {
      const methodSettings = methodSettingsOf(s)
      return {stageName: s.stageName!, ...(methodSettings ? {methodSettings} : {})}
    }),
  }
}

/** A key as the snapshot holds it: its value in clear when asked, else its HMAC-SHA-256 with the snapshot's salt. */
function keyOf(key: ApiKey, usagePlanIds: string[], salt: string | undefined): SnapshotKey {
  const value = key.value === undefined ? {} : salt === undefined ? {value: key.value} : {valueHmacSha256: keyValueHmac(salt, key.value)}
  return {id: key.id!, name: key.name ?? key.id!, enabled: key.enabled ?? false, usagePlanIds, ...value}
}

/**
 * Reads the configuration usage-plan enforcement depends on into the snapshot
 * `simulate` replays: APIs (key source, methods, stage throttles), usage plans,
 * API keys with their plans, and the account throttle. Key values are replaced
 * by their HMAC-SHA-256 with a salt made for this snapshot (kept in it), unless asked for.
 */
export async function exportSnapshot(apigw: ApiGateway, options: ExportOptions = {}): Promise<ExportResult> {
  const apis = new RestApis(apigw)
  const methods = new Methods(apigw, apis)
  const plans = new UsagePlans(apigw, apis)
  const warnings: string[] = []
  const restricted = Boolean(options.apis?.length)

  const named = restricted ? await Promise.all(options.apis!.map((ref) => apis.resolve(ref))) : await apis.list()
  const chosenApis = [...new Map(named.map((a) => [a.id!, a])).values()]
  const apiIds = new Set(chosenApis.map((a) => a.id!))
  const snapshotApis: SnapshotApi[] = []
  for (const api of chosenApis) {
    const [apiMethods, stages] = await Promise.all([methods.ofApi(api), apis.stages(api.id!)])
    snapshotApis.push(apiOf(api, apiMethods, stages))
  }

  const allPlans = await plans.list()
  const covered = (apiId: string, stage: string) => apiIds.has(apiId) && (options.stages?.get(apiId)?.has(stage) ?? true)
  if (options.stages) for (const api of snapshotApis) api.stages = api.stages.filter((s) => covered(api.id, s.stageName))
  const chosenPlans = restricted ? allPlans.filter((p) => (p.apiStages ?? []).some((s) => covered(s.apiId!, s.stage!))) : allPlans
  const plansOfKey = new Map<string, string[]>()
  for (const plan of chosenPlans) {
    for (const key of await plans.keys(plan.id!)) plansOfKey.set(key.id!, [...(plansOfKey.get(key.id!) ?? []), plan.id!])
  }

  const allKeys = await apigw.getApiKeys({includeValues: true}, 'listing API keys')
  const chosenKeys = restricted ? allKeys.filter((k) => plansOfKey.has(k.id!)) : allKeys
  if (chosenKeys.some((k) => k.value === undefined)) warnings.push('AWS returned some API keys without their values; logs can match those keys by id only')

  const region = await apigw.region()
  const accountThrottle = await readAccountThrottle(apigw, warnings)
  const salt = options.includeValues || !chosenKeys.some((k) => k.value !== undefined) ? undefined : newKeyValueSalt()
  const snapshot: Snapshot = {
    version: SNAPSHOT_VERSION,
    generatedAt: new Date().toISOString(),
    ...(salt ? {keyValueSalt: salt} : {}),
    ...(region ? {region} : {}),
    ...(accountThrottle ? {account: {throttle: accountThrottle}} : {}),
    apis: snapshotApis,
    usagePlans: chosenPlans.map((p) => planOf(p, covered)),
    apiKeys: chosenKeys.map((k) => keyOf(k, plansOfKey.get(k.id!) ?? [], salt)),
  }
  return {snapshot, warnings}
}
