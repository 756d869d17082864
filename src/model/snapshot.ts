/**
 * A snapshot of the gateway configuration that usage-plan enforcement depends on.
 * `gwctl export` writes it from a live account; `gwctl simulate` enforces it. Field
 * names are AWS's wherever AWS has them, so an exported snapshot reads like the
 * AWS CLI's output and a what-if plan is just an edited file.
 */

import {createHash, createHmac, randomBytes} from 'node:crypto'

import type {ApiKeySource} from './key-source.js'
import type {Quota, Throttle} from './usage-plan.js'

/** The snapshot format's version: `simulate` refuses any other. */
export const SNAPSHOT_VERSION = 1

export interface SnapshotMethod {
  /** Resource template path, e.g. "/pets/{id}"; "/" for the root. */
  path: string
  httpMethod: string
  apiKeyRequired: boolean
}

/**
 * A stage's methodSettings entry. "off" in a throttling field means throttling is switched
 * off: AWS stores that as -1, and `gwctl export` writes it as "off" so that no one reads it
 * as a limit; -1 is read the same.
 */
export interface SnapshotMethodSetting {
  throttlingRateLimit?: number | 'off'
  throttlingBurstLimit?: number | 'off'
}

/** A stage throttle value as the snapshot writes it: AWS's -1 (any negative value) as "off". */
export const stageLimitOf = (value: number): number | 'off' => (value < 0 ? 'off' : value)

/** A stage throttle value as a limit, or undefined when it is absent or switched off ("off", or AWS's -1: Terraform's default, and the console's). */
export const stageLimitValue = (value: number | 'off' | undefined): number | undefined =>
  value === undefined || value === 'off' || value < 0 ? undefined : value

export interface SnapshotStage {
  stageName: string
  /** AWS's map: "*\/*" for every method, or "~1pets~1{id}/GET" (resource path with "/" escaped as "~1"). */
  methodSettings?: Record<string, SnapshotMethodSetting>
}

export interface SnapshotApi {
  id: string
  name: string
  apiKeySource: ApiKeySource
  methods: SnapshotMethod[]
  stages: SnapshotStage[]
}

export interface SnapshotApiStage {
  apiId: string
  stage: string
  /** Per-method throttles keyed "/path/METHOD", e.g. "/pets/GET" or "//GET" for the root. */
  throttle?: Record<string, Throttle>
}

export interface SnapshotPlan {
  id: string
  name: string
  throttle?: Throttle
  quota?: Quota
  apiStages: SnapshotApiStage[]
}

export interface SnapshotKey {
  id: string
  name: string
  enabled: boolean
  usagePlanIds: string[]
  /** The key value, only when exported with --include-values. */
  value?: string
  /**
   * Hex HMAC-SHA-256 of the key value, keyed with the snapshot's `keyValueSalt`: enough to
   * recognise a key in a log without storing it, and, unlike a plain hash, no use for
   * looking values up in a table made in advance or for comparing snapshots.
   */
  valueHmacSha256?: string
  /** Hex SHA-256 of the key value, as snapshots written before the salt had it; still read, never written. */
  valueSha256?: string
}

export interface Snapshot {
  version: number
  /** ISO time the snapshot was taken, and where from; informational. */
  generatedAt?: string
  /** Random bytes (hex), new for each export, that key `valueHmacSha256` digests are keyed with. */
  keyValueSalt?: string
  region?: string
  /** Account-level throttle; AWS's default is 10000 rps with burst 5000 when absent. */
  account?: {throttle?: Throttle}
  apis: SnapshotApi[]
  usagePlans: SnapshotPlan[]
  apiKeys: SnapshotKey[]
}

export const DEFAULT_ACCOUNT_THROTTLE: Throttle = {rateLimit: 10_000, burstLimit: 5000}

/** A salt for one export's key digests: 32 random bytes, hex. */
export const newKeyValueSalt = () => randomBytes(32).toString('hex')

/** The digest of a key value that a snapshot stores: HMAC-SHA-256 keyed with the salt, hex. */
export const keyValueHmac = (salt: string, value: string) => createHmac('sha256', Buffer.from(salt, 'hex')).update(value, 'utf8').digest('hex')

/**
 * How the simulator recognises a key by a value from a log, however the snapshot holds
 * values: in clear (--include-values), as HMAC-SHA-256 with its salt, or as a plain
 * SHA-256 (snapshots written before the salt: still read; see docs/secrets.md).
 * `stored(key)` gives the forms a key can be found by, `of(value)` those of a value.
 */
export function keyValueForms(snapshot: Pick<Snapshot, 'keyValueSalt' | 'apiKeys'>): {stored(key: SnapshotKey): string[]; of(value: string): string[]} {
  const salt = snapshot.keyValueSalt
  const anyPlainHash = snapshot.apiKeys.some((k) => k.valueSha256 !== undefined)
  return {
    stored: (key) => [
      ...(key.value === undefined ? [] : [`value:${key.value}`]),
      ...(key.valueHmacSha256 === undefined ? [] : [`hmac:${key.valueHmacSha256.toLowerCase()}`]),
      ...(key.valueSha256 === undefined ? [] : [`sha256:${key.valueSha256.toLowerCase()}`]),
    ],
    of: (value) => [
      `value:${value}`,
      ...(salt === undefined ? [] : [`hmac:${keyValueHmac(salt, value)}`]),
      ...(anyPlainHash ? [`sha256:${createHash('sha256').update(value, 'utf8').digest('hex')}`] : []),
    ],
  }
}
