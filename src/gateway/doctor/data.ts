import type {ApiKeySource} from '../../model/key-source.js'
import type {Ref} from '../../model/resolve.js'
import type {SnapshotMethodSetting, SnapshotPlan} from '../../model/snapshot.js'
import type {Throttle} from '../../model/usage-plan.js'
import type {MethodInfo} from '../methods.js'

/**
 * Everything the doctor's checks look at, read once from the account by reader.ts.
 * The checks are pure functions of this, so each is tested on hand-made data.
 */
export interface DoctorData {
  region?: string
  /** What --api, --stage and --plan narrowed the run to; absent parts mean "all". */
  scope: DoctorScope
  account: DoctorAccount
  /** The APIs in scope, each with only its stages in scope. */
  apis: DoctorApi[]
  /** Every usage plan of the Region, with its keys: keys and caps are judged account-wide. */
  plans: DoctorPlan[]
  /** Every API key of the Region (values are never read). */
  keys: DoctorKey[]
}

export interface DoctorScope {
  apis?: Ref[]
  stage?: string
  plan?: Ref
}

export interface DoctorAccount {
  /** GetAccount's throttleSettings; absent when AWS did not report them. */
  throttle?: Throttle
  /** The role API Gateway writes CloudWatch logs with; absent when none is set. */
  cloudwatchRoleArn?: string
}

export interface DoctorApi extends Ref {
  name: string
  apiKeySource: ApiKeySource
  /** The API's current definition: what the next deployment would publish. */
  methods: MethodInfo[]
  authorizers: Array<{id: string; name?: string; type?: string}>
  /** Every stage of the API, in scope or not. */
  stageNames: string[]
  /** The stages in scope. */
  stages: DoctorStage[]
}

/** A method as a deployment serves it (GetDeployment embed=apisummary). */
export interface ServedMethod {
  path: string
  httpMethod: string
  authorizationType: string
  apiKeyRequired: boolean
}

export interface DoctorStage {
  stageName: string
  deploymentId?: string
  /** What callers of the stage get now, from its deployment's API summary; absent when the stage has no deployment. */
  served?: ServedMethod[]
  /** AWS's methodSettings throttles: "*\/*" for every method, "~1pets/GET" for one; -1 is throttling off. */
  methodSettings: Record<string, SnapshotMethodSetting>
  accessLog?: {destinationArn?: string; format?: string}
}

/** A usage plan with every stage it names (on any API) and the ids of its keys. */
export interface DoctorPlan extends SnapshotPlan {
  keyIds: string[]
}

export interface DoctorKey extends Ref {
  name: string
  enabled: boolean
}
