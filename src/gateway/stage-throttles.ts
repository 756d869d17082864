import type {PatchOperation, Stage} from '@aws-sdk/client-api-gateway'

import type {ApiGateway} from '../aws/api-gateway.js'

import {awsCall, type WriteOutcome} from '../model/aws-calls.js'
import {STAGE_THROTTLE_OFF, stageMethodSettingKey, stageThrottleOps} from '../model/patches.js'
import {labelOf, type Ref, refOf} from '../model/resolve.js'
import {type MethodRef, type Throttle, stageId} from '../model/usage-plan.js'
import {RestApis} from './rest-apis.js'

export interface StageThrottleInput {
  /** API id or name. */
  api: string
  stage: string
  /** One method; every method of the stage ("*\/*") when absent. */
  method?: MethodRef
  /** The limits to set, or undefined to switch the throttle off. */
  throttle?: Throttle
  dryRun: boolean
}

export interface StageThrottleResult extends WriteOutcome {
  /** The stage afterwards (with --dry-run, as it is). */
  stage: Stage
  restApi: Ref
  /** The method setting changed: "*\/*" or e.g. "~1pets/GET". */
  methodSetting: string
  operations: PatchOperation[]
}

/**
 * A stage's own throttle (its method settings), which limits every caller of the
 * stage together, keys or not, before any usage plan is applied. One UpdateStage call.
 */
export class StageThrottles {
  constructor(
    private readonly apigw: ApiGateway,
    private readonly apis = new RestApis(apigw),
  ) {}

  async set(input: StageThrottleInput): Promise<StageThrottleResult> {
    const api = await this.apis.resolve(input.api)
    const stage = await this.apis.requireStage(api, input.stage)
    if (input.method) await this.apis.requireMethod(api, input.method.path, input.method.httpMethod)
    const key = stageMethodSettingKey(input.method)
    const wanted = input.throttle ?? {rateLimit: STAGE_THROTTLE_OFF, burstLimit: STAGE_THROTTLE_OFF}
    const now = stage.methodSettings?.[key]
    const same = now !== undefined && Number(now.throttlingRateLimit) === wanted.rateLimit && Number(now.throttlingBurstLimit) === wanted.burstLimit
    const operations = same ? [] : stageThrottleOps(key, wanted)
    const result: StageThrottleResult = {stage, restApi: refOf(api), methodSetting: key, operations, changed: false, dryRun: input.dryRun, calls: []}
    if (operations.length === 0) return result
    result.calls = [awsCall('UpdateStage', {restApiId: api.id, stageName: input.stage, patchOperations: operations})]
    if (input.dryRun) return result

    const updated = await this.apigw.updateStage(
      {restApiId: api.id!, stageName: input.stage, patchOperations: operations},
      `setting the throttle of ${key} on stage ${stageId(api.id!, input.stage)} of API ${labelOf(api)}`,
    )
    this.apis.forget(api.id!)
    return {...result, stage: updated, changed: true}
  }
}
