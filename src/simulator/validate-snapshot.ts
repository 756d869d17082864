import {badInput} from '../model/errors.js'
import {HTTP_METHODS, PERIODS} from '../model/usage-plan.js'
import {type Snapshot, SNAPSHOT_VERSION} from '../model/snapshot.js'

/** A stage throttle switched off: "off" as gwctl export writes it, or -1 as AWS stores it (Terraform's default, and the console's). */
const isOff = (v: unknown) => v === 'off' || v === -1

/**
 * Checks a parsed snapshot and names the JSON path of every problem, e.g.
 * `usagePlans[2].quota.period: must be DAY, WEEK or MONTH`. An empty list means the
 * value has the shape of `Snapshot` (src/model/snapshot.ts) and its references hold.
 */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

export function validateSnapshot(json: unknown): string[] {
  const problems: string[] = []
  const fail = (path: string, message: string) => problems.push(`${path}: ${message}`)
  const str = (v: unknown, path: string) => (typeof v === 'string' && v !== '' ? true : (fail(path, 'must be a non-empty string'), false))
  const bool = (v: unknown, path: string) => typeof v === 'boolean' || fail(path, 'must be true or false')
  const whole = (v: unknown, path: string, min: number) =>
    (Number.isSafeInteger(v) && (v as number) >= min) || fail(path, `must be a whole number, ${min} or more`)
  const list = (v: unknown, path: string): unknown[] => (Array.isArray(v) ? v : (fail(path, 'must be an array'), []))
  const throttle = (v: unknown, path: string) => {
    if (!isObject(v)) return fail(path, 'must be an object {rateLimit, burstLimit}')
    if (typeof v.rateLimit !== 'number' || !(v.rateLimit >= 0)) fail(`${path}.rateLimit`, 'must be a number, 0 or more')
    whole(v.burstLimit, `${path}.burstLimit`, 0)
  }

  if (!isObject(json)) return ['(root): must be a JSON object with apis, usagePlans and apiKeys']
  if (json.version !== SNAPSHOT_VERSION) {
    fail(
      'version',
      json.version === undefined
        ? `missing: a snapshot gwctl reads has "version": ${SNAPSHOT_VERSION}`
        : `must be ${SNAPSHOT_VERSION}, the snapshot format this gwctl reads; got ${JSON.stringify(json.version)}`,
    )
  }

  if (json.account !== undefined) {
    if (!isObject(json.account)) fail('account', 'must be an object')
    else if (json.account.throttle !== undefined) throttle(json.account.throttle, 'account.throttle')
  }

  const stagesByApi = new Map<string, Set<string>>()
  for (const [i, api] of list(json.apis, 'apis').entries()) {
    const at = `apis[${i}]`
    if (!isObject(api)) {
      fail(at, 'must be an object')
      continue
    }

    str(api.id, `${at}.id`)
    if (api.apiKeySource !== undefined && api.apiKeySource !== 'HEADER' && api.apiKeySource !== 'AUTHORIZER')
      fail(`${at}.apiKeySource`, 'must be HEADER or AUTHORIZER')
    for (const [j, method] of list(api.methods, `${at}.methods`).entries()) {
      const mAt = `${at}.methods[${j}]`
      if (!isObject(method)) {
        fail(mAt, 'must be an object')
        continue
      }

      if (typeof method.path !== 'string' || !method.path.startsWith('/')) fail(`${mAt}.path`, 'must be a resource path starting with "/"')
      if (typeof method.httpMethod !== 'string' || !(HTTP_METHODS as readonly string[]).includes(method.httpMethod.toUpperCase()))
        fail(`${mAt}.httpMethod`, `must be one of ${HTTP_METHODS.join(', ')}`)
      bool(method.apiKeyRequired, `${mAt}.apiKeyRequired`)
    }

    const stageNames = new Set<string>()
    if (typeof api.id === 'string') stagesByApi.set(api.id, stageNames)
    for (const [j, stage] of list(api.stages, `${at}.stages`).entries()) {
      const sAt = `${at}.stages[${j}]`
      if (!isObject(stage)) {
        fail(sAt, 'must be an object')
        continue
      }

      if (str(stage.stageName, `${sAt}.stageName`)) stageNames.add(stage.stageName as string)
      if (stage.methodSettings === undefined) continue
      if (!isObject(stage.methodSettings)) {
        fail(`${sAt}.methodSettings`, 'must be an object keyed "*/*" or "~1path/METHOD"')
        continue
      }

      for (const [key, setting] of Object.entries(stage.methodSettings)) {
        const kAt = `${sAt}.methodSettings["${key}"]`
        if (!isObject(setting)) {
          fail(kAt, 'must be an object')
          continue
        }

        if (
          setting.throttlingRateLimit !== undefined &&
          !isOff(setting.throttlingRateLimit) &&
          !(typeof setting.throttlingRateLimit === 'number' && setting.throttlingRateLimit >= 0)
        )
          fail(`${kAt}.throttlingRateLimit`, 'must be a number, 0 or more, or "off" (or -1)')
        if (setting.throttlingBurstLimit !== undefined && !isOff(setting.throttlingBurstLimit))
          whole(setting.throttlingBurstLimit, `${kAt}.throttlingBurstLimit`, 0)
      }
    }
  }

  const planStages = new Map<string, string[]>()
  for (const [i, plan] of list(json.usagePlans, 'usagePlans').entries()) {
    const at = `usagePlans[${i}]`
    if (!isObject(plan)) {
      fail(at, 'must be an object')
      continue
    }

    str(plan.id, `${at}.id`)
    if (plan.throttle !== undefined) throttle(plan.throttle, `${at}.throttle`)
    if (plan.quota !== undefined) {
      const q = plan.quota
      if (isObject(q)) {
        whole(q.limit, `${at}.quota.limit`, 1)
        if (q.offset !== undefined && whole(q.offset, `${at}.quota.offset`, 0) === true && typeof q.limit === 'number' && (q.offset as number) >= q.limit)
          fail(`${at}.quota.offset`, 'must be less than quota.limit')
        if (!(PERIODS as readonly unknown[]).includes(q.period)) fail(`${at}.quota.period`, 'must be DAY, WEEK or MONTH')
      } else fail(`${at}.quota`, 'must be an object {limit, offset, period}')
    }

    const covered: string[] = []
    if (typeof plan.id === 'string') planStages.set(plan.id, covered)
    for (const [j, apiStage] of list(plan.apiStages, `${at}.apiStages`).entries()) {
      const sAt = `${at}.apiStages[${j}]`
      if (!isObject(apiStage)) {
        fail(sAt, 'must be an object {apiId, stage, throttle}')
        continue
      }

      if (!str(apiStage.apiId, `${sAt}.apiId`) || !str(apiStage.stage, `${sAt}.stage`)) continue
      const stages = stagesByApi.get(apiStage.apiId as string)
      if (!stages) fail(`${sAt}.apiId`, `no API with id "${String(apiStage.apiId)}" in apis`)
      else if (!stages.has(apiStage.stage as string)) fail(`${sAt}.stage`, `API ${String(apiStage.apiId)} has no stage "${String(apiStage.stage)}"`)
      covered.push(`${String(apiStage.apiId)}:${String(apiStage.stage)}`)
      if (apiStage.throttle === undefined) continue
      if (!isObject(apiStage.throttle)) {
        fail(`${sAt}.throttle`, 'must be an object keyed "/path/METHOD"')
        continue
      }

      for (const [key, value] of Object.entries(apiStage.throttle)) {
        if (!/^\/.*\/[A-Z]+$/.test(key)) fail(`${sAt}.throttle["${key}"]`, 'key must be /path/METHOD, e.g. /pets/GET or //GET for the root')
        throttle(value, `${sAt}.throttle["${key}"]`)
      }
    }
  }

  const keyIds = new Set<string>()
  for (const [i, key] of list(json.apiKeys, 'apiKeys').entries()) {
    const at = `apiKeys[${i}]`
    if (!isObject(key)) {
      fail(at, 'must be an object')
      continue
    }

    if (str(key.id, `${at}.id`)) {
      if (keyIds.has(key.id as string)) fail(`${at}.id`, `duplicate key id "${String(key.id)}"`)
      keyIds.add(key.id as string)
    }

    bool(key.enabled, `${at}.enabled`)
    if (key.value !== undefined && typeof key.value !== 'string') fail(`${at}.value`, 'must be a string')
    if (key.valueSha256 !== undefined && !(typeof key.valueSha256 === 'string' && /^[0-9a-fA-F]{64}$/.test(key.valueSha256)))
      fail(`${at}.valueSha256`, 'must be 64 hexadecimal digits (SHA-256 of the key value)')
    if (key.valueHmacSha256 !== undefined) {
      if (!(typeof key.valueHmacSha256 === 'string' && /^[0-9a-fA-F]{64}$/.test(key.valueHmacSha256)))
        fail(`${at}.valueHmacSha256`, 'must be 64 hexadecimal digits (HMAC-SHA-256 of the key value)')
      if (!(typeof json.keyValueSalt === 'string' && /^([0-9a-fA-F]{2}){16,}$/.test(json.keyValueSalt)))
        fail('keyValueSalt', `must be the hexadecimal salt of the valueHmacSha256 digests (${at} has one)`)
    }
    const seen = new Map<string, string>()
    for (const [j, planId] of list(key.usagePlanIds, `${at}.usagePlanIds`).entries()) {
      const stages = typeof planId === 'string' ? planStages.get(planId) : undefined
      if (!stages) {
        fail(`${at}.usagePlanIds[${j}]`, `no usage plan with id "${String(planId)}" in usagePlans`)
        continue
      }

      for (const stage of stages) {
        const other = seen.get(stage)
        if (other) fail(`${at}.usagePlanIds[${j}]`, `plans ${other} and ${String(planId)} both cover ${stage}; AWS allows a key in one plan per stage`)
        seen.set(stage, planId as string)
      }
    }
  }

  return problems
}

/** The command that lists ids and names in a snapshot, for "not found" suggestions offline. */
export const listingOf = (field: 'apiKeys' | 'apis' | 'usagePlans') => `jq -r '.${field}[] | .id + " " + .name' SNAPSHOT`

/** Parses and checks a snapshot file's text; a bad one is refused with every problem (up to 20) named. */
export function parseSnapshot(text: string, file: string): Snapshot {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw badInput(`${file} is not JSON: ${(error as Error).message}`)
  }

  const problems = validateSnapshot(json)
  if (problems.length > 0) {
    const shown = problems.slice(0, 20).map((p) => `  ${p}`)
    if (problems.length > 20) shown.push(`  ... and ${problems.length - 20} more`)
    throw badInput(`${file} is not a valid snapshot:\n${shown.join('\n')}`, {
      suggestions: ['Write it with `gwctl export`, or compare it with examples/snapshot.json'],
      details: {problems},
    })
  }

  const snapshot = json as Snapshot
  for (const api of snapshot.apis) api.apiKeySource ??= 'HEADER'
  return snapshot
}
