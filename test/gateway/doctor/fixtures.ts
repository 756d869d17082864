import type {DoctorApi, DoctorData, DoctorStage} from '../../../src/gateway/doctor/data.js'
import type {MethodInfo} from '../../../src/gateway/methods.js'
import type {FindingId} from '../../../src/model/findings.js'

import {RECOMMENDED_FORMATS} from '../../../src/simulator/formats.js'

/**
 * A healthy account, as doctor's reader would gather it: API pets (a1) with GET and POST
 * /pets requiring a key, an open GET / and OPTIONS /pets, deployed as defined to stage
 * prod, which logs in the recommended format; plan gold (p1) covers prod and holds the
 * enabled key acme (k1). Tests break one link of it at a time.
 */
export function healthyAccount(): DoctorData {
  const methods: MethodInfo[] = [
    {path: '/', resourceId: 'r0', httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: false},
    {path: '/pets', resourceId: 'r1', httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: true},
    {path: '/pets', resourceId: 'r1', httpMethod: 'OPTIONS', authorizationType: 'NONE', apiKeyRequired: false},
    {path: '/pets', resourceId: 'r1', httpMethod: 'POST', authorizationType: 'NONE', apiKeyRequired: true},
  ]
  const prod: DoctorStage = {
    stageName: 'prod',
    deploymentId: 'd1',
    served: methods.map(({path, httpMethod, authorizationType, apiKeyRequired}) => ({path, httpMethod, authorizationType, apiKeyRequired})),
    methodSettings: {'*/*': {throttlingRateLimit: 10_000, throttlingBurstLimit: 5000}},
    accessLog: {destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:API-Gateway-Access-Logs_a1/prod', format: RECOMMENDED_FORMATS.json},
  }
  const pets: DoctorApi = {id: 'a1', name: 'pets', apiKeySource: 'HEADER', methods, authorizers: [], stageNames: ['prod'], stages: [prod]}
  return {
    region: 'us-east-1',
    scope: {},
    account: {throttle: {rateLimit: 10_000, burstLimit: 5000}, cloudwatchRoleArn: 'arn:aws:iam::123456789012:role/apigw-logs'},
    apis: [pets],
    plans: [
      {
        id: 'p1',
        name: 'gold',
        throttle: {rateLimit: 100, burstLimit: 200},
        quota: {limit: 100_000, period: 'MONTH'},
        apiStages: [{apiId: 'a1', stage: 'prod'}],
        keyIds: ['k1'],
      },
    ],
    keys: [{id: 'k1', name: 'acme', enabled: true}],
  }
}

/** The API, stage and plan of the healthy account, to change in place. */
export function partsOf(data: DoctorData) {
  const api = data.apis[0]
  return {api, stage: api.stages[0], plan: data.plans[0], key: data.keys[0]}
}

export const method = (api: DoctorApi, httpMethod: string, path: string) => api.methods.find((m) => m.httpMethod === httpMethod && m.path === path)!
export const served = (stage: DoctorStage, httpMethod: string, path: string) => stage.served!.find((m) => m.httpMethod === httpMethod && m.path === path)!

/**
 * One account per finding kind, each broken in the one way that kind is about (the
 * checks' tests go through the details). Every finding id has an entry: tests that
 * must see every kind (the fix commands all parse, docs/doctor.md lists them all)
 * walk this table.
 */
export const BROKEN: Record<FindingId, () => DoctorData> = {
  KEY_REQUIRED_NOT_DEPLOYED: () => broken((d) => (served(partsOf(d).stage, 'POST', '/pets').apiKeyRequired = false)),
  KEY_NOT_REQUIRED_NOT_DEPLOYED: () => broken((d) => (method(partsOf(d).api, 'GET', '/pets').apiKeyRequired = false)),
  KEY_REQUIRED_NO_PLAN: () =>
    broken((d) => {
      partsOf(d).plan.apiStages = []
      d.plans.push({id: 'p2', name: 'silver', apiStages: [], keyIds: ['k1']})
    }),
  KEY_REQUIRED_NO_ENABLED_KEY: () => broken((d) => (partsOf(d).key.enabled = false)),
  PLAN_METERS_NOTHING: () =>
    broken((d) => {
      for (const m of [...partsOf(d).api.methods, ...partsOf(d).stage.served!]) m.apiKeyRequired = false
    }),
  PLAN_STAGE_MISSING: () => broken((d) => partsOf(d).plan.apiStages.push({apiId: 'a1', stage: 'old'})),
  KEY_DISABLED_IN_PLAN: () =>
    broken((d) => {
      d.keys.push({id: 'k2', name: 'old', enabled: false})
      partsOf(d).plan.keyIds.push('k2')
    }),
  KEY_IN_NO_PLAN: () => broken((d) => d.keys.push({id: 'k2', name: 'stray', enabled: true})),
  PLAN_HAS_NO_KEYS: () => broken((d) => d.plans.push({id: 'p2', name: 'empty', apiStages: [], keyIds: []})),
  KEY_IN_TWO_PLANS_FOR_STAGE: () => broken((d) => d.plans.push({id: 'p2', name: 'silver', apiStages: [{apiId: 'a1', stage: 'prod'}], keyIds: ['k1']})),
  KEY_SOURCE_AUTHORIZER_WITHOUT_LAMBDA: () =>
    broken((d) => {
      partsOf(d).api.apiKeySource = 'AUTHORIZER'
      partsOf(d).api.authorizers = [{id: 'au1', name: 'tokens', type: 'TOKEN'}]
    }),
  KEY_SOURCE_HEADER_WITH_AUTHORIZER: () =>
    broken((d) => {
      const {api, stage} = partsOf(d)
      api.authorizers = [{id: 'au1', name: 'tokens', type: 'TOKEN'}]
      Object.assign(method(api, 'GET', '/pets'), {authorizationType: 'CUSTOM', authorizerId: 'au1'})
      served(stage, 'GET', '/pets').authorizationType = 'CUSTOM'
    }),
  PLAN_THROTTLE_ABOVE_ACCOUNT: () => broken((d) => (d.account.throttle = {rateLimit: 50, burstLimit: 100})),
  PLAN_THROTTLE_ABOVE_STAGE: () => broken((d) => (partsOf(d).stage.methodSettings = {'*/*': {throttlingRateLimit: 50, throttlingBurstLimit: 100}})),
  METHOD_THROTTLE_ABOVE_PLAN: () => broken((d) => (partsOf(d).plan.apiStages[0].throttle = {'/pets/POST': {rateLimit: 500, burstLimit: 100}})),
  METHOD_THROTTLE_PROTECTS_NOTHING: () => broken((d) => (partsOf(d).plan.apiStages[0].throttle = {'//GET': {rateLimit: 5, burstLimit: 10}})),
  QUOTA_BELOW_BURST: () => broken((d) => (partsOf(d).plan.quota = {limit: 50, period: 'DAY'})),
  API_KEYS_NEAR_LIMIT: () =>
    broken((d) => {
      for (let i = 2; i <= 8000; i++) d.keys.push({id: `k${i}`, name: `key-${i}`, enabled: false})
    }),
  USAGE_PLANS_NEAR_LIMIT: () =>
    broken((d) => {
      for (let i = 2; i <= 240; i++) d.plans.push({id: `p${i}`, name: `plan-${i}`, apiStages: [], keyIds: [`k${i}`]})
      for (let i = 2; i <= 240; i++) d.keys.push({id: `k${i}`, name: `key-${i}`, enabled: true})
    }),
  KEY_PLANS_NEAR_LIMIT: () =>
    broken((d) => {
      for (let i = 2; i <= 8; i++) d.plans.push({id: `p${i}`, name: `plan-${i}`, apiStages: [], keyIds: ['k1']})
    }),
  OPTIONS_REQUIRES_KEY: () =>
    broken((d) => {
      method(partsOf(d).api, 'OPTIONS', '/pets').apiKeyRequired = true
      served(partsOf(d).stage, 'OPTIONS', '/pets').apiKeyRequired = true
    }),
  OPTIONS_KEY_NOT_DEPLOYED: () => broken((d) => (method(partsOf(d).api, 'OPTIONS', '/pets').apiKeyRequired = true)),
  ACCESS_LOGGING_OFF: () => broken((d) => delete partsOf(d).stage.accessLog),
  ACCESS_LOG_FORMAT_INCOMPLETE: () => broken((d) => (partsOf(d).stage.accessLog!.format = '{"requestId":"$context.requestId"}')),
  ACCESS_LOG_FORMAT_LIMITED: () =>
    broken((d) => (partsOf(d).stage.accessLog!.format = RECOMMENDED_FORMATS.json.replace(',"requestTimeEpoch":"$context.requestTimeEpoch"', ''))),
  CLOUDWATCH_ROLE_MISSING: () => broken((d) => delete d.account.cloudwatchRoleArn),
}

function broken(change: (data: DoctorData) => unknown): DoctorData {
  const data = healthyAccount()
  change(data)
  return data
}
