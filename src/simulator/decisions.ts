import {closeSync, openSync, writeSync} from 'node:fs'

import {badInput} from '../model/errors.js'
import type {CompiledModel} from './model.js'
import type {LogRecord} from './records.js'

import {Limit, type LimitCode, LIMIT_NAMES, NO_KEY, OUTCOME_NAMES, OUTCOME_STATUS, outcomeOf, UNKNOWN_KEY} from './rules.js'

const FLUSH_AT = 1 << 16

/**
 * `--decisions FILE`: one JSON line per request with the line it came from, its time,
 * key id, decision, the status the caller would get, why, and which limit fired.
 * Key values are never written, only ids.
 */
export class DecisionLog {
  private readonly fd: number
  private pending = ''

  constructor(
    readonly path: string,
    private readonly model: CompiledModel,
    /** Log file names, written beside the line number when there are several. */
    private readonly files: readonly string[],
  ) {
    try {
      this.fd = openSync(path, 'w')
    } catch (error) {
      throw badInput(`--decisions ${path}: cannot write it (${(error as Error).message})`)
    }
  }

  write(rec: LogRecord, route: number, key: number, limit: LimitCode, member: number): void {
    const outcome = outcomeOf(limit)
    const entry = {
      line: rec.line,
      ...(this.files.length > 1 ? {file: this.files[rec.source]} : {}),
      time: new Date(rec.t).toISOString(),
      keyId: key >= 0 ? this.model.keys[key].id : key === UNKNOWN_KEY ? (rec.apiKeyId ?? null) : null,
      decision: OUTCOME_NAMES[outcome],
      status: OUTCOME_STATUS[outcome],
      reason: limit === Limit.NONE ? null : this.reason(route, key, limit, member),
      limit: limit === Limit.NONE ? null : LIMIT_NAMES[limit],
    }
    this.pending += JSON.stringify(entry) + '\n'
    if (this.pending.length >= FLUSH_AT) this.flush()
  }

  close(): void {
    this.flush()
    closeSync(this.fd)
  }

  private flush(): void {
    if (this.pending.length > 0) writeSync(this.fd, this.pending)
    this.pending = ''
  }

  private reason(route: number, key: number, limit: LimitCode, member: number): string {
    const r = this.model.routes[route]
    const stage = this.model.stages[r.stage]
    const plan = member >= 0 ? this.model.plans[this.model.members[member].plan] : undefined
    const rate = (t?: {rateLimit: number; burstLimit: number}) => (t ? ` (${t.rateLimit} rps, burst ${t.burstLimit})` : '')
    switch (limit) {
      case Limit.PLAN_METHOD_THROTTLE: {
        const slot = this.model.planMethodSlots[this.model.planMethodSlot(this.model.members[member].plan, route)]
        return `usage plan ${plan?.name} throttle for ${r.httpMethod} ${r.path}${rate(slot)}`
      }

      case Limit.PLAN_THROTTLE: {
        return `usage plan ${plan?.name} throttle per key${rate(plan?.throttle)}`
      }

      case Limit.STAGE_THROTTLE: {
        return `stage ${stage.apiId}:${stage.stageName} throttle for ${r.httpMethod} ${r.path}${rate(r.stageThrottle)}`
      }

      case Limit.ACCOUNT_THROTTLE: {
        return `account throttle${rate(this.model.accountThrottle)}`
      }

      case Limit.QUOTA: {
        return `usage plan ${plan?.name} quota of ${plan?.quota?.limit} per ${plan?.quota?.period} used up`
      }

      case Limit.MISSING_KEY: {
        return `${r.httpMethod} ${r.path} requires an API key and the request had none`
      }

      case Limit.UNKNOWN_KEY: {
        return 'the API key is not in the snapshot'
      }

      case Limit.DISABLED_KEY: {
        return `API key ${this.model.keys[key].name} is disabled`
      }

      default: {
        return `API key ${key === NO_KEY ? '' : this.model.keys[key]?.name} is in no usage plan covering ${stage.apiId}:${stage.stageName}`
      }
    }
  }
}
