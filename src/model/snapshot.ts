/**
 * A snapshot of the gateway configuration that usage-plan enforcement depends on.
 * `gwctl export` writes it from a live account; `gwctl simulate` enforces it. Field
 * names are AWS's wherever AWS has them, so an exported snapshot reads like the
 * AWS CLI's output and a what-if plan is just an edited file.
 */

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
export const stageLimitValue = (value: number | 'off' | undefined): number | undefined => (value === undefined || value === 'off' || value < 0 ? undefined : value)

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
  /** Hex SHA-256 of the key value: enough to recognise a key in a log without storing it. */
  valueSha256?: string
}

export interface Snapshot {
  version: number
  /** ISO time the snapshot was taken, and where from; informational. */
  generatedAt?: string
  region?: string
  /** Account-level throttle; AWS's default is 10000 rps with burst 5000 when absent. */
  account?: {throttle?: Throttle}
  apis: SnapshotApi[]
  usagePlans: SnapshotPlan[]
  apiKeys: SnapshotKey[]
}

export const DEFAULT_ACCOUNT_THROTTLE: Throttle = {rateLimit: 10_000, burstLimit: 5000}
