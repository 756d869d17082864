import {closeSync, openSync, renameSync, rmSync, writeSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'

import {badInput} from '../model/errors.js'
import type {CompiledSnapshot} from './compiled-snapshot.js'
import type {LogRecord} from './records.js'

import {Limit, type LimitCode, LIMIT_NAMES, NO_KEY, OUTCOME_NAMES, OUTCOME_STATUS, outcomeOf, UNKNOWN_KEY} from './rules.js'

const FLUSH_AT = 1 << 16

/** One snapshot's decision for a request, as the decisions file writes it. */
export interface Decision {
  model: CompiledSnapshot
  route: number
  key: number
  limit: LimitCode
  member: number
}

/**
 * `--decisions FILE`: one JSON line per request, in replay order: where it came from
 * (line, file when there are several, requestId when logged), its time, key id, the
 * decision, the status the caller would get, why and which limit fired, what AWS
 * logged (status and response type), and under a proposal the proposed decision. Key
 * values are never written, only ids. The file is written beside its final name and
 * renamed when the replay succeeds, so a failed replay leaves nothing half-written.
 */
export class DecisionLog {
  private fd: number
  private pending = ''
  private readonly partial: string

  constructor(
    readonly path: string,
    /** File names by the records' file number, written beside the line number when there are several. */
    private readonly files: readonly string[],
  ) {
    this.partial = join(dirname(path), `.${basename(path)}.${process.pid}.partial`)
    try {
      this.fd = openSync(this.partial, 'w')
    } catch (error) {
      throw badInput(`--decisions ${path}: cannot write it (${(error as Error).message})`)
    }
  }

  write(rec: LogRecord, current: Decision, proposed: Decision | undefined): void {
    const entry = {
      line: rec.line,
      ...(this.files.length > 1 ? {file: this.files[rec.file]} : {}),
      ...(rec.requestId === undefined ? {} : {requestId: rec.requestId}),
      time: new Date(rec.t).toISOString(),
      keyId: current.key >= 0 ? current.model.keys[current.key].id : current.key === UNKNOWN_KEY ? (rec.caller.apiKeyId ?? null) : null,
      ...describe(rec, current),
      ...(rec.status > 0 ? {loggedStatus: rec.status} : {}),
      ...(rec.responseType === undefined ? {} : {loggedResponseType: rec.responseType}),
      ...(proposed ? {proposed: describe(rec, proposed)} : {}),
    }
    this.pending += JSON.stringify(entry) + '\n'
    if (this.pending.length >= FLUSH_AT) this.flush()
  }

  /** The replay succeeded: the file takes its name. */
  commit(): void {
    this.flush()
    closeSync(this.fd)
    renameSync(this.partial, this.path)
  }

  /** The replay failed or starts again: nothing is left behind. */
  discard(): void {
    try {
      closeSync(this.fd)
    } catch {
      // Already closed.
    }

    rmSync(this.partial, {force: true})
  }

  private flush(): void {
    if (this.pending.length > 0) writeSync(this.fd, this.pending)
    this.pending = ''
  }
}

function describe(rec: LogRecord, {model, route, key, limit, member}: Decision) {
  const outcome = outcomeOf(limit)
  return {
    decision: OUTCOME_NAMES[outcome],
    status: OUTCOME_STATUS[outcome],
    reason: limit === Limit.NONE ? null : reason(model, route, key, limit, member),
    limit: limit === Limit.NONE ? null : LIMIT_NAMES[limit],
  }
}

const rate = (t?: {rateLimit: number; burstLimit: number}) => (t ? ` (${t.rateLimit} rps, burst ${t.burstLimit})` : '')

function reason(model: CompiledSnapshot, route: number, key: number, limit: LimitCode, member: number): string {
  const r = model.routes[route]
  const stage = model.stages[r.stage]
  const plan = member >= 0 ? model.plans[model.members[member].plan] : undefined
  switch (limit) {
    case Limit.PLAN_METHOD_THROTTLE: {
      const slot = model.planMethodSlots[model.planMethodSlot(model.members[member].plan, route)]
      return `usage plan ${plan?.name} throttle for ${r.httpMethod} ${r.path}${rate(slot)}`
    }

    case Limit.PLAN_THROTTLE: {
      return `usage plan ${plan?.name} throttle per key${rate(plan?.throttle)}`
    }

    case Limit.STAGE_THROTTLE: {
      return `stage ${stage.apiId}:${stage.stageName} throttle for ${r.httpMethod} ${r.path}${rate(r.stageThrottle)}`
    }

    case Limit.ACCOUNT_THROTTLE: {
      return `account throttle${rate(model.accountThrottle)}`
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
      return `API key ${model.keys[key].name} is disabled`
    }

    default: {
      return `API key ${key === NO_KEY ? '' : model.keys[key]?.name} is in no usage plan covering ${stage.apiId}:${stage.stageName}`
    }
  }
}
