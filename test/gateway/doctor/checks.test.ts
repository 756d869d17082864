import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'

import type {DoctorData} from '../../../src/gateway/doctor/data.js'
import type {Finding} from '../../../src/model/findings.js'

import {diagnose, reportOf, safeFixes} from '../../../src/gateway/doctor/doctor.js'
import {FINDING_IDS, FINDING_KINDS} from '../../../src/model/findings.js'
import {BROKEN, healthyAccount, method, partsOf, served} from './fixtures.js'

const ids = (data: DoctorData) => diagnose(data).map((f) => f.id)
const only = (data: DoctorData): Finding => {
  const findings = diagnose(data)
  assert.equal(findings.length, 1, `expected one finding, got ${findings.map((f) => f.id).join(', ') || 'none'}`)
  return findings[0]
}

const commands = (f: Finding) => f.fixes.map((x) => x.command)

/** Disabled keys until the account holds `n`. */
function manyKeys(data: DoctorData, n: number) {
  for (let i = data.keys.length; i < n; i++) data.keys.push({id: `k${i + 1}`, name: `key-${i + 1}`, enabled: false})
}

describe('doctor checks (pure, on hand-made account data)', () => {
  it('finds nothing wrong with a healthy account', () => {
    const report = reportOf(healthyAccount())
    assert.deepEqual(report.findings, [])
    assert.deepEqual(report.summary, {errors: 0, warnings: 0, infos: 0})
    assert.deepEqual(report.checked, {apis: 1, stages: 1, methods: 4, usagePlans: 1, apiKeys: 1})
    assert.deepEqual(report.warnings, [])
  })

  it('docs/doctor.md lists every finding id with its severity', () => {
    const doc = readFileSync(new URL('../../../docs/doctor.md', import.meta.url), 'utf8')
    for (const id of FINDING_IDS) assert.match(doc, new RegExp(`^\\| \`${id}\` \\| ${FINDING_KINDS[id].severity} \\|`, 'm'), id)
  })

  it('every finding kind has a severity, a check, a one-sentence why and an AWS reference', () => {
    for (const id of FINDING_IDS) {
      const kind = FINDING_KINDS[id]
      assert.match(id, /^[A-Z][A-Z_]+$/)
      assert.match(kind.why, /^[A-Z].*\.$/, id)
      assert.equal(kind.why.split(/\. /).length, 1, `${id}: one sentence`)
      assert.match(kind.reference, /^https:\/\/docs\.aws\.amazon\.com\//, id)
    }
  })

  describe('1. deployment', () => {
    it('KEY_REQUIRED_NOT_DEPLOYED: the API requires a key the stage does not, and deploying is safe', () => {
      const data = healthyAccount()
      const {stage} = partsOf(data)
      served(stage, 'POST', '/pets').apiKeyRequired = false
      const f = only(data)
      assert.deepEqual([f.id, f.severity, f.check], ['KEY_REQUIRED_NOT_DEPLOYED', 'error', 'deployment'])
      assert.equal(f.message, 'POST /pets requires an API key in the API, but stage prod of API pets (a1) serves it without one.')
      assert.deepEqual(f.affects, {api: {id: 'a1', name: 'pets'}, stage: 'prod', methods: [{path: '/pets', httpMethod: 'POST'}]})
      assert.deepEqual(commands(f), ['gwctl deploy --api a1 --stage prod'])
      assert.deepEqual(f.fixes[0].safe, {
        kind: 'deploy',
        api: {id: 'a1', name: 'pets'},
        stage: 'prod',
        publishes: ['POST /pets requiring a key'],
        replaces: 'd1',
      })
    })

    it('KEY_REQUIRED_NOT_DEPLOYED counts a method the deployment does not have at all', () => {
      const data = healthyAccount()
      const {stage} = partsOf(data)
      stage.served = stage.served!.filter((m) => m.httpMethod !== 'POST')
      assert.match(only(data).message, /\(POST \/pets is not deployed at all\)/)
    })

    it('KEY_NOT_REQUIRED_NOT_DEPLOYED: the stage still requires a key the API no longer does', () => {
      const data = healthyAccount()
      method(partsOf(data).api, 'GET', '/pets').apiKeyRequired = false
      const f = only(data)
      assert.deepEqual([f.id, f.severity], ['KEY_NOT_REQUIRED_NOT_DEPLOYED', 'error'])
      assert.equal(f.message, 'GET /pets no longer requires an API key in the API, but stage prod of API pets (a1) still requires one.')
      assert.deepEqual(commands(f), ['gwctl deploy --api a1 --stage prod'])
      assert.ok(f.fixes[0].safe)
    })

    it('does not offer to deploy safely when no plan would let callers in', () => {
      const data = healthyAccount()
      const {stage} = partsOf(data)
      served(stage, 'POST', '/pets').apiKeyRequired = false
      served(stage, 'GET', '/pets').apiKeyRequired = false
      partsOf(data).plan.apiStages = []
      const f = only(data)
      assert.equal(f.id, 'KEY_REQUIRED_NOT_DEPLOYED')
      assert.match(f.message, /Deploying now would refuse every caller of GET \/pets, POST \/pets \(403\): no usage plan covers stage prod\. Fix that first\./)
      assert.deepEqual(commands(f), ['gwctl stages attach --plan PLAN --api a1 --stage prod', 'gwctl deploy --api a1 --stage prod'])
      assert.equal(
        f.fixes.some((x) => x.safe),
        false,
      )
      assert.deepEqual(safeFixes([f]), [])
    })

    it('does not offer to deploy safely when the covering plans hold no enabled key, or AUTHORIZER has no Lambda', () => {
      const data = healthyAccount()
      const {api, stage, key} = partsOf(data)
      served(stage, 'POST', '/pets').apiKeyRequired = false
      key.enabled = false
      const noKey = diagnose(data).find((f) => f.id === 'KEY_REQUIRED_NOT_DEPLOYED')!
      assert.match(noKey.message, /hold no enabled key/)
      assert.deepEqual(commands(noKey).slice(0, 2), ['gwctl keys create --name NAME --plan p1', 'gwctl keys attach KEY --plan p1'])

      key.enabled = true
      api.apiKeySource = 'AUTHORIZER'
      const noLambda = diagnose(data).find((f) => f.id === 'KEY_REQUIRED_NOT_DEPLOYED')!
      assert.match(noLambda.message, /with key source AUTHORIZER, POST \/pets would get no key without a Lambda authorizer/)
      assert.equal(
        noLambda.fixes.some((x) => x.safe),
        false,
      )
    })

    it('skips a stage without a deployment, and says so in the report', () => {
      const data = healthyAccount()
      delete partsOf(data).stage.served
      assert.deepEqual(reportOf(data).warnings, ['Stage prod of API pets (a1) has no deployment, so what it serves was not checked'])
    })
  })

  describe('2 and 3. coverage', () => {
    it('KEY_REQUIRED_NO_PLAN: a stage serving keyed methods that no plan covers', () => {
      const data = healthyAccount()
      partsOf(data).plan.apiStages = []
      // The plan still exists, now covering nothing: its own findings are not this test's.
      const f = diagnose(data).find((x) => x.id === 'KEY_REQUIRED_NO_PLAN')!
      assert.deepEqual([f.severity, f.check], ['error', 'coverage'])
      assert.equal(f.message, 'Stage prod of API pets (a1) serves GET /pets, POST /pets requiring an API key, but no usage plan covers the stage.')
      assert.deepEqual(commands(f), [
        'gwctl stages attach --plan p1 --api a1 --stage prod',
        'gwctl plans create --name NAME --stage a1:prod',
        'gwctl methods require-key --api a1 --path /pets --method GET --method POST --off',
        'gwctl deploy --api a1 --stage prod',
      ])
    })

    it('KEY_REQUIRED_NO_ENABLED_KEY: plans cover the stage, but none holds an enabled key', () => {
      const data = healthyAccount()
      partsOf(data).key.enabled = false
      assert.deepEqual(ids(data), ['KEY_REQUIRED_NO_ENABLED_KEY', 'KEY_DISABLED_IN_PLAN'])
      const f = diagnose(data)[0]
      assert.equal(f.severity, 'error')
      assert.equal(
        f.message,
        'Stage prod of API pets (a1) serves GET /pets, POST /pets requiring an API key, but the usage plan covering it (gold (p1)) holds no enabled key.',
      )
      assert.deepEqual(commands(f), ['gwctl keys enable k1', 'gwctl keys create --name NAME --plan p1', 'gwctl keys attach KEY --plan p1'])
      data.keys.push({id: 'k2', name: 'other', enabled: true})
      partsOf(data).plan.keyIds.push('k2')
      assert.deepEqual(ids(data), ['KEY_DISABLED_IN_PLAN'])
    })

    it('PLAN_METERS_NOTHING: a plan covering a stage where no method requires a key', () => {
      const data = healthyAccount()
      const {api, stage} = partsOf(data)
      for (const m of [...api.methods, ...stage.served!]) m.apiKeyRequired = false
      const f = only(data)
      assert.deepEqual([f.id, f.severity], ['PLAN_METERS_NOTHING', 'error'])
      assert.equal(f.message, 'Usage plan gold (p1) covers stage prod of API pets (a1), where no method requires an API key.')
      assert.deepEqual(f.affects.plan, {id: 'p1', name: 'gold'})
      assert.deepEqual(commands(f), [
        'gwctl methods require-key --api a1 --method GET --method POST --deploy prod',
        'gwctl stages detach --plan p1 --api a1 --stage prod',
      ])
    })

    it('PLAN_METERS_NOTHING offers the deployment when the API already requires keys', () => {
      const data = healthyAccount()
      for (const m of partsOf(data).stage.served!) m.apiKeyRequired = false
      const meters = diagnose(data).find((f) => f.id === 'PLAN_METERS_NOTHING')!
      assert.match(meters.message, /\(GET \/pets, POST \/pets will once the stage is deployed\)/)
      assert.equal(commands(meters)[0], 'gwctl deploy --api a1 --stage prod')
      assert.deepEqual(ids(data).toSorted(), ['KEY_REQUIRED_NOT_DEPLOYED', 'PLAN_METERS_NOTHING'])
    })

    it('PLAN_STAGE_MISSING: a plan naming a stage the API does not have', () => {
      const data = healthyAccount()
      partsOf(data).plan.apiStages.push({apiId: 'a1', stage: 'old'})
      const f = only(data)
      assert.deepEqual([f.id, f.severity], ['PLAN_STAGE_MISSING', 'warning'])
      assert.equal(f.message, 'Usage plan gold (p1) covers stage old of API pets (a1), which has no such stage (stages: prod).')
      assert.deepEqual(commands(f), ['gwctl stages detach --plan p1 --api a1 --stage old'])
    })
  })

  describe('4. keys', () => {
    it('KEY_DISABLED_IN_PLAN', () => {
      const data = healthyAccount()
      // Another key still lets callers in: a warning only.
      data.keys.push({id: 'k9', name: 'spare', enabled: true})
      partsOf(data).plan.keyIds.push('k9')
      data.keys.push({id: 'k2', name: 'old', enabled: false})
      partsOf(data).plan.keyIds.push('k2')
      const f = only(data)
      assert.deepEqual([f.id, f.severity], ['KEY_DISABLED_IN_PLAN', 'warning'])
      assert.equal(f.message, 'API key old (k2) is disabled but is in usage plan gold (p1).')
      assert.deepEqual(commands(f), ['gwctl keys enable k2', 'gwctl keys detach k2 --plan p1'])
    })

    it('KEY_IN_NO_PLAN, only when the whole account is checked', () => {
      const data = healthyAccount()
      data.keys.push({id: 'k3', name: 'stray', enabled: true}, {id: 'k4', name: 'off', enabled: false})
      const f = only(data)
      assert.deepEqual([f.id, f.severity, f.affects.key], ['KEY_IN_NO_PLAN', 'warning', {id: 'k3', name: 'stray'}])
      assert.deepEqual(commands(f), ['gwctl keys attach k3 --plan p1', 'gwctl keys disable k3', 'gwctl keys delete k3 --yes'])
      data.scope = {apis: [{id: 'a1', name: 'pets'}]}
      assert.deepEqual(ids(data), [])
    })

    it('PLAN_HAS_NO_KEYS', () => {
      const data = healthyAccount()
      data.plans.push({id: 'p2', name: 'empty', apiStages: [], keyIds: []})
      const f = only(data)
      assert.deepEqual([f.id, f.severity], ['PLAN_HAS_NO_KEYS', 'warning'])
      assert.equal(f.message, 'Usage plan empty (p2) has no API keys.')
      assert.deepEqual(commands(f), ['gwctl keys create --name NAME --plan p2', 'gwctl keys attach KEY --plan p2', 'gwctl plans delete p2 --force --yes'])
    })

    it('KEY_IN_TWO_PLANS_FOR_STAGE', () => {
      const data = healthyAccount()
      data.plans.push({id: 'p2', name: 'silver', apiStages: [{apiId: 'a1', stage: 'prod'}], keyIds: ['k1']})
      const f = only(data)
      assert.deepEqual([f.id, f.severity], ['KEY_IN_TWO_PLANS_FOR_STAGE', 'error'])
      assert.equal(f.message, 'API key acme (k1) is in usage plans gold (p1) and silver (p2), which all cover stage prod of API pets (a1); keep it in one.')
      assert.deepEqual(f.affects.plans, [
        {id: 'p1', name: 'gold'},
        {id: 'p2', name: 'silver'},
      ])
      assert.deepEqual(commands(f), ['gwctl keys detach k1 --plan p1', 'gwctl keys detach k1 --plan p2'])
    })
  })

  describe('5. key source', () => {
    it('KEY_SOURCE_AUTHORIZER_WITHOUT_LAMBDA, with the AWS CLI line that adds the authorizer when one exists', () => {
      const data = healthyAccount()
      const {api} = partsOf(data)
      api.apiKeySource = 'AUTHORIZER'
      let f = only(data)
      assert.deepEqual([f.id, f.severity], ['KEY_SOURCE_AUTHORIZER_WITHOUT_LAMBDA', 'error'])
      assert.equal(
        f.message,
        'API pets (a1) takes keys from a Lambda authorizer (key source AUTHORIZER), but on stage prod GET /pets, POST /pets require a key and have no Lambda authorizer. The API has no Lambda authorizer.',
      )
      assert.deepEqual(commands(f), ['gwctl api set-key-source --api a1 --source HEADER --deploy prod'])

      api.authorizers = [{id: 'au1', name: 'tokens', type: 'TOKEN'}]
      f = only(data)
      assert.equal(
        commands(f)[1],
        'aws apigateway update-method --rest-api-id a1 --resource-id r1 --http-method GET --patch-operations op=replace,path=/authorizationType,value=CUSTOM op=replace,path=/authorizerId,value=au1',
      )
    })

    it('passes AUTHORIZER where every keyed method has a Lambda authorizer', () => {
      const data = healthyAccount()
      const {api, stage} = partsOf(data)
      api.apiKeySource = 'AUTHORIZER'
      api.authorizers = [{id: 'au1', name: 'tokens', type: 'REQUEST'}]
      for (const m of [...api.methods, ...stage.served!].filter((x) => x.apiKeyRequired)) m.authorizationType = 'CUSTOM'
      for (const m of api.methods.filter((x) => x.apiKeyRequired)) m.authorizerId = 'au1'
      assert.deepEqual(ids(data), [])
    })

    it('KEY_SOURCE_HEADER_WITH_AUTHORIZER: info only', () => {
      const data = healthyAccount()
      const {api} = partsOf(data)
      api.authorizers = [{id: 'au1', name: 'tokens', type: 'TOKEN'}]
      Object.assign(method(api, 'GET', '/pets'), {authorizationType: 'CUSTOM', authorizerId: 'au1'})
      Object.assign(served(partsOf(data).stage, 'GET', '/pets'), {authorizationType: 'CUSTOM'})
      const f = only(data)
      assert.deepEqual([f.id, f.severity], ['KEY_SOURCE_HEADER_WITH_AUTHORIZER', 'info'])
      assert.deepEqual(commands(f), ['gwctl api set-key-source --api a1 --source AUTHORIZER --deploy prod'])
      assert.deepEqual(reportOf(data).summary, {errors: 0, warnings: 0, infos: 1})
    })
  })

  describe('6. limits', () => {
    it('PLAN_THROTTLE_ABOVE_ACCOUNT', () => {
      const data = healthyAccount()
      partsOf(data).plan.throttle = {rateLimit: 12_000, burstLimit: 200}
      partsOf(data).stage.methodSettings = {}
      const f = only(data)
      assert.deepEqual([f.id, f.severity], ['PLAN_THROTTLE_ABOVE_ACCOUNT', 'warning'])
      assert.equal(
        f.message,
        "Usage plan gold (p1) throttles each key at 12000 requests per second, burst 200, above the account's 10000, burst 5000 in us-east-1 (rate 12000 > 10000).",
      )
      assert.deepEqual(commands(f), [
        'gwctl plans update p1 --rate 10000 --burst 200',
        'aws service-quotas request-service-quota-increase --service-code apigateway --quota-code L-8A5B8E43 --desired-value 12000',
      ])
    })

    it('PLAN_THROTTLE_ABOVE_STAGE: the stage-wide throttle, or a method setting, below the plan', () => {
      const data = healthyAccount()
      const {stage} = partsOf(data)
      stage.methodSettings = {
        '*/*': {throttlingRateLimit: 50, throttlingBurstLimit: 5000},
        '~1pets/POST': {throttlingRateLimit: 1000, throttlingBurstLimit: 100},
      }
      const f = only(data)
      assert.deepEqual([f.id, f.severity], ['PLAN_THROTTLE_ABOVE_STAGE', 'warning'])
      assert.equal(
        f.message,
        'Usage plan gold (p1) allows each key more than stage prod of API pets (a1) allows all callers of GET /pets (rate 100 > 50); POST /pets (burst 200 > 100).',
      )
      assert.deepEqual(commands(f), [
        'gwctl plans update p1 --rate 50 --burst 100',
        "aws apigateway update-stage --rest-api-id a1 --stage-name prod --patch-operations 'op=replace,path=/*/*/throttling/rateLimit,value=100' 'op=replace,path=/~1pets/POST/throttling/burstLimit,value=200'",
      ])
    })

    it('ignores stage throttles switched off (-1)', () => {
      const data = healthyAccount()
      partsOf(data).stage.methodSettings = {'*/*': {throttlingRateLimit: -1, throttlingBurstLimit: -1}}
      assert.deepEqual(ids(data), [])
    })

    it('METHOD_THROTTLE_ABOVE_PLAN', () => {
      const data = healthyAccount()
      partsOf(data).plan.apiStages[0].throttle = {'/pets/POST': {rateLimit: 500, burstLimit: 100}}
      const f = only(data)
      assert.deepEqual([f.id, f.severity], ['METHOD_THROTTLE_ABOVE_PLAN', 'warning'])
      assert.equal(
        f.message,
        'Usage plan gold (p1) throttles POST /pets (rate 500 > 100) on stage prod of API pets (a1) above its own per-key throttle of 100, burst 200.',
      )
      assert.deepEqual(commands(f), [
        'gwctl plans update p1 --rate 500 --burst 200',
        'gwctl stages detach --plan p1 --api a1 --stage prod',
        'gwctl stages attach --plan p1 --api a1 --stage prod --method-throttle /pets/POST=100/100',
      ])
    })

    it('METHOD_THROTTLE_PROTECTS_NOTHING: a method without a key, or not on the stage; ANY covers every verb', () => {
      const data = healthyAccount()
      partsOf(data).plan.apiStages[0].throttle = {
        '//GET': {rateLimit: 5, burstLimit: 10},
        '/pets/DELETE': {rateLimit: 5, burstLimit: 10},
        '/pets/GET': {rateLimit: 5, burstLimit: 10},
      }
      const f = only(data)
      assert.deepEqual([f.id, f.severity], ['METHOD_THROTTLE_PROTECTS_NOTHING', 'warning'])
      assert.equal(
        f.message,
        'Usage plan gold (p1) throttles GET /, which requires no key; DELETE /pets, which does not exist on the stage on stage prod of API pets (a1).',
      )
      assert.deepEqual(commands(f), [
        'gwctl stages detach --plan p1 --api a1 --stage prod',
        'gwctl stages attach --plan p1 --api a1 --stage prod --method-throttle /pets/GET=5/10',
      ])

      const stage = partsOf(data).stage
      stage.served!.push({path: '/pets', httpMethod: 'ANY', authorizationType: 'NONE', apiKeyRequired: true})
      assert.match(only(data).message, /throttles GET \/, which requires no key on stage prod/)
    })

    it('QUOTA_BELOW_BURST', () => {
      const data = healthyAccount()
      partsOf(data).plan.quota = {limit: 50, period: 'DAY'}
      const f = only(data)
      assert.deepEqual([f.id, f.severity], ['QUOTA_BELOW_BURST', 'warning'])
      assert.equal(f.message, 'Usage plan gold (p1) allows a burst of 200 requests but a quota of only 50 per day.')
      assert.deepEqual(commands(f), ['gwctl plans update p1 --burst 50', 'gwctl plans update p1 --quota 200/DAY'])
    })
  })

  describe('7. account caps (warn from 80%)', () => {
    it('API_KEYS_NEAR_LIMIT at 8,000 keys, not at 7,999', () => {
      const data = healthyAccount()
      manyKeys(data, 7999)
      assert.deepEqual(ids(data), [])
      manyKeys(data, 8000)
      const f = only(data)
      assert.deepEqual([f.id, f.severity], ['API_KEYS_NEAR_LIMIT', 'warning'])
      assert.match(
        f.message,
        /^The account holds 8000 API keys in us-east-1, 80% of AWS's limit of 10000, which cannot be raised; 7999 of them are disabled or in no usage plan/,
      )
      assert.deepEqual(commands(f), ['gwctl keys delete k2 --yes', 'gwctl keys delete k3 --yes', 'gwctl keys delete k4 --yes'])
    })

    it('USAGE_PLANS_NEAR_LIMIT at 240 plans', () => {
      const data = healthyAccount()
      for (let i = 1; i < 240; i++) data.plans.push({id: `q${i}`, name: `plan-${i}`, apiStages: [], keyIds: ['k1']})
      const f = diagnose(data).find((x) => x.id === 'USAGE_PLANS_NEAR_LIMIT')!
      assert.match(f.message, /^The account holds 240 usage plans in us-east-1, 80% of AWS's default quota of 300/)
      assert.equal(
        commands(f).at(-1),
        'aws service-quotas request-service-quota-increase --service-code apigateway --quota-code L-E8693075 --desired-value 600',
      )
      // The same key in 240 plans is also near its own cap.
      assert.ok(ids(data).includes('KEY_PLANS_NEAR_LIMIT'))
    })

    it('KEY_PLANS_NEAR_LIMIT at 8 plans for one key', () => {
      const data = healthyAccount()
      for (let i = 1; i < 7; i++) data.plans.push({id: `q${i}`, name: `plan-${i}`, apiStages: [], keyIds: ['k1']})
      assert.deepEqual(ids(data), [])
      data.plans.push({id: 'q7', name: 'plan-7', apiStages: [], keyIds: ['k1']})
      const f = only(data)
      assert.deepEqual([f.id, f.affects.key], ['KEY_PLANS_NEAR_LIMIT', {id: 'k1', name: 'acme'}])
      assert.equal(f.affects.plans!.length, 8)
    })
  })

  describe('8. CORS', () => {
    it('OPTIONS_REQUIRES_KEY: stop requiring, then deploy (both safe)', () => {
      const data = healthyAccount()
      const {api, stage} = partsOf(data)
      method(api, 'OPTIONS', '/pets').apiKeyRequired = true
      served(stage, 'OPTIONS', '/pets').apiKeyRequired = true
      const f = only(data)
      assert.deepEqual([f.id, f.severity], ['OPTIONS_REQUIRES_KEY', 'error'])
      assert.equal(f.message, "Stage prod of API pets (a1) requires an API key on OPTIONS /pets, so browsers' CORS preflights get 403.")
      assert.deepEqual(commands(f), ['gwctl methods require-key --api a1 --path /pets --method OPTIONS --off', 'gwctl deploy --api a1 --stage prod'])
      assert.deepEqual(
        safeFixes([f]).map((x) => x.safe!.kind),
        ['stop-requiring-key', 'deploy'],
      )
    })

    it('OPTIONS_REQUIRES_KEY when the API is already fixed: only the deployment is left', () => {
      const data = healthyAccount()
      served(partsOf(data).stage, 'OPTIONS', '/pets').apiKeyRequired = true
      const f = only(data)
      assert.deepEqual(commands(f), ['gwctl deploy --api a1 --stage prod'])
    })

    it('OPTIONS_KEY_NOT_DEPLOYED: the next deployment would break preflights; check 1 leaves OPTIONS alone', () => {
      const data = healthyAccount()
      method(partsOf(data).api, 'OPTIONS', '/pets').apiKeyRequired = true
      const f = only(data)
      assert.deepEqual([f.id, f.severity], ['OPTIONS_KEY_NOT_DEPLOYED', 'warning'])
      assert.deepEqual(commands(f), ['gwctl methods require-key --api a1 --path /pets --method OPTIONS --off'])
    })

    it('puts the OPTIONS fix before any deployment that would publish it', () => {
      const data = healthyAccount()
      const {api, stage} = partsOf(data)
      method(api, 'OPTIONS', '/pets').apiKeyRequired = true
      served(stage, 'POST', '/pets').apiKeyRequired = false
      const deploy = diagnose(data).find((f) => f.id === 'KEY_REQUIRED_NOT_DEPLOYED')!
      assert.deepEqual(commands(deploy), ['gwctl methods require-key --api a1 --path /pets --method OPTIONS --off', 'gwctl deploy --api a1 --stage prod'])
      assert.deepEqual(
        safeFixes(diagnose(data)).map((x) => x.command),
        ['gwctl methods require-key --api a1 --path /pets --method OPTIONS --off', 'gwctl deploy --api a1 --stage prod'],
      )
    })
  })

  describe('9. logging', () => {
    it('ACCESS_LOGGING_OFF', () => {
      const data = healthyAccount()
      delete partsOf(data).stage.accessLog
      const f = only(data)
      assert.deepEqual([f.id, f.severity], ['ACCESS_LOGGING_OFF', 'warning'])
      assert.equal(f.message, 'Stage prod of API pets (a1) keeps no access log.')
      assert.deepEqual(commands(f), ['gwctl logs enable a1:prod'])
      delete data.account.cloudwatchRoleArn
      assert.deepEqual(
        diagnose(data).map((x) => x.fixes.map((fix) => fix.command)),
        [
          ['aws apigateway update-account --patch-operations op=replace,path=/cloudwatchRoleArn,value=ROLE_ARN'],
          ['gwctl logs enable a1:prod --cloudwatch-role-arn ROLE_ARN'],
        ],
        'with the role missing, logs enable sets it too',
      )
    })

    it('ACCESS_LOG_FORMAT_INCOMPLETE names the variables replay lacks', () => {
      const data = healthyAccount()
      partsOf(data).stage.accessLog!.format =
        '{"requestId":"$context.requestId","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","status":"$context.status"}'
      const f = only(data)
      assert.deepEqual([f.id, f.severity], ['ACCESS_LOG_FORMAT_INCOMPLETE', 'warning'])
      assert.equal(f.message, 'Stage prod of API pets (a1) logs in a format simulate cannot replay: it lacks $context.identity.apiKeyId.')
      // The fix keeps the stage's destination and replaces only the format.
      assert.deepEqual(commands(f), ['gwctl logs enable a1:prod --log-group API-Gateway-Access-Logs_a1/prod'])
    })

    it('ACCESS_LOG_FORMAT_LIMITED: replayable, less exactly, with the --field flags simulate needs', () => {
      const data = healthyAccount()
      partsOf(data).stage.accessLog!.format =
        '{"requestId":"$context.requestId","time":"$context.requestTime","httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","status":"$context.status","apiKeyId":"$context.identity.apiKeyId","apiId":"$context.apiId","stage":"$context.stage"}'
      const f = only(data)
      assert.deepEqual([f.id, f.severity], ['ACCESS_LOG_FORMAT_LIMITED', 'info'])
      assert.match(
        f.message,
        /it lacks \$context\.requestTimeEpoch \(\$context\.requestTime has whole seconds only.*\)\. simulate reads it with --field requestTime=time\.$/,
      )
    })

    it('CLOUDWATCH_ROLE_MISSING when a stage logs, or would log, to CloudWatch Logs', () => {
      const data = healthyAccount()
      delete data.account.cloudwatchRoleArn
      const f = only(data)
      assert.deepEqual([f.id, f.severity], ['CLOUDWATCH_ROLE_MISSING', 'warning'])
      assert.equal(
        f.message,
        'The account in us-east-1 has no CloudWatch Logs role (cloudwatchRoleArn), which access logging to CloudWatch Logs needs for a1:prod.',
      )
      assert.deepEqual(commands(f), ['aws apigateway update-account --patch-operations op=replace,path=/cloudwatchRoleArn,value=ROLE_ARN'])

      partsOf(data).stage.accessLog!.destinationArn = 'arn:aws:firehose:us-east-1:123456789012:deliverystream/amazon-apigateway-pets'
      assert.deepEqual(ids(data), [], 'Firehose needs no role')
    })
  })

  describe('scope', () => {
    it('--plan: only that plan, the stages it covers and its keys', () => {
      const data = healthyAccount()
      data.plans.push({id: 'p2', name: 'empty', apiStages: [], keyIds: []})
      data.scope = {plan: {id: 'p1', name: 'gold'}}
      assert.deepEqual(ids(data), [])
      data.scope = {plan: {id: 'p2', name: 'empty'}}
      assert.deepEqual(ids(data), ['PLAN_HAS_NO_KEYS'])
    })

    it('sorts errors first, then warnings, then infos', () => {
      const data = healthyAccount()
      delete partsOf(data).stage.accessLog
      data.plans.push({id: 'p2', name: 'silver', apiStages: [{apiId: 'a1', stage: 'prod'}], keyIds: ['k1']})
      partsOf(data).api.authorizers = [{id: 'au1', type: 'TOKEN'}]
      Object.assign(method(partsOf(data).api, 'GET', '/pets'), {authorizationType: 'CUSTOM', authorizerId: 'au1'})
      assert.deepEqual(
        diagnose(data).map((f) => f.severity),
        ['error', 'warning', 'info'],
      )
    })
  })
})

describe('doctor checks: one broken account per finding kind', () => {
  for (const id of FINDING_IDS) {
    it(`${id} is found where its link is broken`, () => {
      assert.ok(ids(BROKEN[id]()).includes(id), ids(BROKEN[id]()).join(', '))
    })
  }
})
