import {
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteStageCommand,
  GetStagesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateAccountCommand,
  UpdateApiKeyCommand,
  UpdateMethodCommand,
  UpdateRestApiCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import {RECOMMENDED_FORMATS} from '../../src/simulator/formats.js'
import {runCli} from '../helpers/cli.js'
import {startFaultProxy} from '../helpers/fault-proxy.js'
import {createDeployedApi, createLambdaAuthorizer, sdkFor} from '../helpers/moto-api.js'
import {MOTO_ENV, useMoto} from '../helpers/moto.js'
import {shellWords} from '../helpers/shell-words.js'

interface Finding {
  id: string
  severity: string
  message: string
  affects: Record<string, unknown>
  fixes: Array<{description: string; command: string; safe?: unknown}>
}

/**
 * Each test builds a healthy account in the extended moto, breaks one link of the
 * chain, and checks that doctor (the built CLI) names it with a command that fixes
 * it; then runs that command, as printed, through the built CLI and checks again.
 */
describe('doctor against moto (built CLI as a subprocess)', function () {
  this.timeout(120_000)
  const moto = useMoto()
  const sdk = () => sdkFor(moto.current.url)
  const gwctl = (...args: string[]) => runCli([...args, '--endpoint-url', moto.current.url], {env: MOTO_ENV})

  async function doctor(...args: string[]): Promise<{code: number | null; findings: Finding[]; stderr: string}> {
    const run = await gwctl('doctor', '--json', ...args)
    assert.ok(run.code === 0 || run.code === 10, `doctor exited ${run.code}: ${run.stderr}${run.stdout}`)
    return {code: run.code, findings: JSON.parse(run.stdout).findings, stderr: run.stderr}
  }

  /** Runs a printed gwctl command line as a person would paste it. */
  async function runPrinted(line: string) {
    const words = shellWords(line)
    assert.equal(words[0], 'gwctl', line)
    const run = await gwctl(...words.slice(1))
    assert.equal(run.code, 0, `${line}\n${run.stderr}`)
  }

  const setKeyRequired = (restApiId: string, resourceId: string, httpMethod: string, required: boolean) =>
    sdk().send(
      new UpdateMethodCommand({restApiId, resourceId, httpMethod, patchOperations: [{op: 'replace', path: '/apiKeyRequired', value: String(required)}]}),
    )

  const LOG_GROUP = 'arn:aws:logs:us-east-1:123456789012:log-group:API-Gateway-Access-Logs'

  /**
   * pets: GET and POST /pets require a key, OPTIONS /pets does not, deployed to prod,
   * logging in the recommended format; plan gold (100 rps, burst 200, 100000/MONTH)
   * covers prod and holds the enabled key acme. `change` runs before the deployment.
   */
  async function healthyPets(options: {beforeDeploy?: (api: {id: string; resourceIds: Record<string, string>}) => Promise<void>} = {}) {
    const api = await createDeployedApi(moto.current.url, {name: 'pets', methods: {'/pets': ['GET', 'POST', 'OPTIONS']}, stages: []})
    for (const m of ['GET', 'POST']) {
      await setKeyRequired(api.id, api.resourceIds['/pets'], m, true)
    }

    await options.beforeDeploy?.(api)
    await sdk().send(new CreateDeploymentCommand({restApiId: api.id, stageName: 'prod'}))
    await sdk().send(
      new UpdateAccountCommand({patchOperations: [{op: 'replace', path: '/cloudwatchRoleArn', value: 'arn:aws:iam::123456789012:role/apigw-logs'}]}),
    )
    // What `gwctl logs format` prints.
    const format = RECOMMENDED_FORMATS.json
    await sdk().send(
      new UpdateStageCommand({
        restApiId: api.id,
        stageName: 'prod',
        patchOperations: [
          {op: 'replace', path: '/accessLogSettings/destinationArn', value: LOG_GROUP},
          {op: 'replace', path: '/accessLogSettings/format', value: format},
        ],
      }),
    )
    const plan = await sdk().send(
      new CreateUsagePlanCommand({
        name: 'gold',
        throttle: {rateLimit: 100, burstLimit: 200},
        quota: {limit: 100_000, period: 'MONTH'},
        apiStages: [{apiId: api.id, stage: 'prod'}],
      }),
    )
    const key = await sdk().send(new CreateApiKeyCommand({name: 'acme', enabled: true, value: 'acme0123456789abcdefghij'}))
    await sdk().send(new CreateUsagePlanKeyCommand({usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY'}))
    return {apiId: api.id, resourceIds: api.resourceIds, planId: plan.id!, keyId: key.id!}
  }

  /** Doctor finds `id` (an error: exit 10) and names `affects`; running its first fix leaves no error (exit 0). */
  async function brokenThenFixed(id: string, expect: {message: RegExp; fix: RegExp; fixIndex?: number; severity?: string}) {
    const before = await doctor()
    const found = before.findings.find((f) => f.id === id)
    assert.ok(found, `${id} not among ${before.findings.map((f) => f.id).join(', ')}`)
    assert.match(found.message, expect.message)
    assert.equal(found.severity, expect.severity ?? 'error')
    assert.equal(before.code, found.severity === 'error' ? 10 : 0)
    const fix = found.fixes[expect.fixIndex ?? 0]
    assert.match(fix.command, expect.fix)
    await runPrinted(fix.command)
    const after = await doctor()
    assert.deepEqual(
      after.findings.filter((f) => f.id === id),
      [],
      `${id} is still found after ${fix.command}`,
    )
    assert.equal(after.code, 0, after.findings.map((f) => `${f.id}: ${f.message}`).join('\n'))
    return {found, after}
  }

  it('finds nothing wrong with a healthy account, exits 0 and sends only GET requests', async () => {
    await healthyPets()
    const proxy = await startFaultProxy(moto.current.url)
    try {
      const run = await runCli(['doctor', '--endpoint-url', proxy.url], {env: MOTO_ENV})
      assert.equal(run.code, 0, run.stderr)
      assert.match(
        run.stdout,
        /Checked 1 REST API, 1 stage, 3 methods, 1 usage plan and 1 API key in us-east-1\.\n\nNo findings: 0 errors, 0 warnings, 0 notes/,
      )
      assert.deepEqual([...new Set(proxy.requests.map((r) => r.method))], ['GET'])
      assert.ok(
        proxy.requests.some((r) => /^\/restapis\/\w+\/deployments\/\w+$/.test(r.path) && /embed=apisummary/.test(r.query)),
        'reads each deployment with its API summary',
      )
    } finally {
      await proxy.stop()
    }
  })

  it('1. KEY_REQUIRED_NOT_DEPLOYED: a key requirement never deployed; gwctl deploy fixes it', async () => {
    const {apiId, resourceIds} = await healthyPets({
      beforeDeploy: async (api) => {
        await setKeyRequired(api.id, api.resourceIds['/pets'], 'POST', false)
      },
    })
    await setKeyRequired(apiId, resourceIds['/pets'], 'POST', true)
    const {found} = await brokenThenFixed('KEY_REQUIRED_NOT_DEPLOYED', {
      message: new RegExp(String.raw`^POST /pets requires an API key in the API, but stage prod of API pets \(${apiId}\) serves it without one\.$`),
      fix: new RegExp(`^gwctl deploy --api ${apiId} --stage prod$`),
    })
    assert.deepEqual(found.affects, {api: {id: apiId, name: 'pets'}, stage: 'prod', methods: [{path: '/pets', httpMethod: 'POST'}]})
  })

  it('2. KEY_REQUIRED_NO_PLAN: no plan covers the stage; stages attach fixes it', async () => {
    const {apiId, planId} = await healthyPets()
    const detached = await gwctl('stages', 'detach', '--plan', planId, '--api', apiId, '--stage', 'prod')
    assert.equal(detached.code, 0, detached.stderr)
    await brokenThenFixed('KEY_REQUIRED_NO_PLAN', {
      message: /serves GET \/pets, POST \/pets requiring an API key, but no usage plan covers the stage/,
      fix: new RegExp(`^gwctl stages attach --plan ${planId} --api ${apiId} --stage prod$`),
    })
  })

  it('3. PLAN_METERS_NOTHING: the plan covers a stage where nothing requires a key; methods require-key --deploy fixes it', async () => {
    await healthyPets({
      beforeDeploy: async (api) => {
        for (const m of ['GET', 'POST']) {
          await setKeyRequired(api.id, api.resourceIds['/pets'], m, false)
        }
      },
    })
    await brokenThenFixed('PLAN_METERS_NOTHING', {
      message: /^Usage plan gold \(\w+\) covers stage prod of API pets \(\w+\), where no method requires an API key\.$/,
      fix: /^gwctl methods require-key --api \w+ --method GET --method POST --deploy prod$/,
    })
  })

  it('3. PLAN_STAGE_MISSING (warning): a plan naming a deleted stage; stages detach fixes it', async () => {
    const {apiId, planId} = await healthyPets()
    await sdk().send(new CreateDeploymentCommand({restApiId: apiId, stageName: 'old'}))
    assert.equal((await gwctl('stages', 'attach', '--plan', planId, '--api', apiId, '--stage', 'old')).code, 0)
    await sdk().send(new DeleteStageCommand({restApiId: apiId, stageName: 'old'}))
    await brokenThenFixed('PLAN_STAGE_MISSING', {
      message: new RegExp(String.raw`^Usage plan gold \(${planId}\) covers stage old of API pets \(${apiId}\), which has no such stage \(stages: prod\)\.$`),
      fix: new RegExp(`^gwctl stages detach --plan ${planId} --api ${apiId} --stage old$`),
      severity: 'warning',
    })
  })

  it('4. KEY_IN_TWO_PLANS_FOR_STAGE: a key in two plans on one stage (AWS forbids it, older accounts hold it); keys detach fixes it', async () => {
    const {apiId, keyId} = await healthyPets()
    const silver = await sdk().send(new CreateUsagePlanCommand({name: 'silver', apiStages: [{apiId, stage: 'prod'}]}))
    await sdk().send(new CreateUsagePlanKeyCommand({usagePlanId: silver.id!, keyId, keyType: 'API_KEY'}))
    const {after} = await brokenThenFixed('KEY_IN_TWO_PLANS_FOR_STAGE', {
      message: new RegExp(String.raw`^API key acme \(${keyId}\) is in usage plans gold \(\w+\) and silver \(${silver.id}\)`),
      fix: new RegExp(`^gwctl keys detach ${keyId} --plan ${silver.id}$`),
      fixIndex: 1,
    })
    // silver is left empty: a warning, with its own fix.
    assert.deepEqual(
      after.findings.map((f) => f.id),
      ['PLAN_HAS_NO_KEYS'],
    )
  })

  it("2. KEY_REQUIRED_NO_ENABLED_KEY: the plan's only key is disabled; keys enable fixes it", async () => {
    const {keyId} = await healthyPets()
    await sdk().send(new UpdateApiKeyCommand({apiKey: keyId, patchOperations: [{op: 'replace', path: '/enabled', value: 'false'}]}))
    await brokenThenFixed('KEY_REQUIRED_NO_ENABLED_KEY', {
      message: /serves GET \/pets, POST \/pets requiring an API key, but the usage plan covering it \(gold \(\w+\)\) holds no enabled key\.$/,
      fix: new RegExp(`^gwctl keys enable ${keyId}$`),
    })
  })

  it('4. KEY_DISABLED_IN_PLAN (warning), while another key lets callers in: keys enable fixes it', async () => {
    const {keyId, planId} = await healthyPets()
    const spare = await sdk().send(new CreateApiKeyCommand({name: 'spare', enabled: true, value: 'spare0123456789abcdefghij'}))
    await sdk().send(new CreateUsagePlanKeyCommand({usagePlanId: planId, keyId: spare.id!, keyType: 'API_KEY'}))
    await sdk().send(new UpdateApiKeyCommand({apiKey: keyId, patchOperations: [{op: 'replace', path: '/enabled', value: 'false'}]}))
    await brokenThenFixed('KEY_DISABLED_IN_PLAN', {
      message: /^API key acme \(\w+\) is disabled but is in usage plan gold/,
      fix: new RegExp(`^gwctl keys enable ${keyId}$`),
      severity: 'warning',
    })
  })

  it('5. KEY_SOURCE_AUTHORIZER_WITHOUT_LAMBDA: keys from an authorizer no method has; api set-key-source fixes it', async () => {
    const {apiId} = await healthyPets()
    await sdk().send(new UpdateRestApiCommand({restApiId: apiId, patchOperations: [{op: 'replace', path: '/apiKeySource', value: 'AUTHORIZER'}]}))
    await brokenThenFixed('KEY_SOURCE_AUTHORIZER_WITHOUT_LAMBDA', {
      message:
        /takes keys from a Lambda authorizer \(key source AUTHORIZER\), but on stage prod GET \/pets, POST \/pets require a key and have no Lambda authorizer\. The API has no Lambda authorizer\.$/,
      fix: new RegExp(`^gwctl api set-key-source --api ${apiId} --source HEADER --deploy prod$`),
    })
  })

  it('5. KEY_SOURCE_HEADER_WITH_AUTHORIZER (info) when a keyed method has a Lambda authorizer', async () => {
    const {apiId} = await healthyPets({
      beforeDeploy: async (api) => {
        const authorizerId = await createLambdaAuthorizer(moto.current.url, api.id)
        await sdk().send(
          new PutMethodCommand({
            restApiId: api.id,
            resourceId: api.resourceIds['/pets'],
            httpMethod: 'DELETE',
            authorizationType: 'CUSTOM',
            authorizerId,
            apiKeyRequired: true,
          }),
        )
        await sdk().send(new PutIntegrationCommand({restApiId: api.id, resourceId: api.resourceIds['/pets'], httpMethod: 'DELETE', type: 'MOCK'}))
      },
    })
    const {code, findings} = await doctor()
    assert.equal(code, 0)
    assert.deepEqual(
      findings.map((f) => [f.id, f.severity]),
      [['KEY_SOURCE_HEADER_WITH_AUTHORIZER', 'info']],
    )
    assert.equal(findings[0].fixes[0].command, `gwctl api set-key-source --api ${apiId} --source AUTHORIZER --deploy prod`)
  })

  it('6. QUOTA_BELOW_BURST and PLAN_THROTTLE_ABOVE_STAGE (warnings): plans update fixes them', async () => {
    const {apiId, planId} = await healthyPets()
    assert.equal((await gwctl('plans', 'update', planId, '--quota', '50/day')).code, 0)
    await brokenThenFixed('QUOTA_BELOW_BURST', {
      message: /allows a burst of 200 requests but a quota of only 50 per day/,
      fix: new RegExp(`^gwctl plans update ${planId} --burst 50$`),
      severity: 'warning',
    })

    await sdk().send(
      new UpdateStageCommand({restApiId: apiId, stageName: 'prod', patchOperations: [{op: 'replace', path: '/*/*/throttling/rateLimit', value: '20'}]}),
    )
    await brokenThenFixed('PLAN_THROTTLE_ABOVE_STAGE', {
      message: /allows each key more than stage prod of API pets \(\w+\) allows all callers of GET \/pets \(rate 100 > 20\); POST \/pets \(rate 100 > 20\)/,
      fix: new RegExp(`^gwctl plans update ${planId} --rate 20 --burst 50$`),
      severity: 'warning',
    })
  })

  it('6. METHOD_THROTTLE_ABOVE_PLAN (warning): raising the plan throttle fixes it', async () => {
    const {apiId, planId} = await healthyPets()
    assert.equal((await gwctl('stages', 'detach', '--plan', planId, '--api', apiId, '--stage', 'prod')).code, 0)
    assert.equal((await gwctl('stages', 'attach', '--plan', planId, '--api', apiId, '--stage', 'prod', '--method-throttle', '/pets/POST=500/100')).code, 0)
    await brokenThenFixed('METHOD_THROTTLE_ABOVE_PLAN', {
      message: /throttles POST \/pets \(rate 500 > 100\) on stage prod of API pets \(\w+\) above its own per-key throttle of 100, burst 200/,
      fix: new RegExp(`^gwctl plans update ${planId} --rate 500 --burst 200$`),
      severity: 'warning',
    })
  })

  it('8. OPTIONS_REQUIRES_KEY: the preflight needs a key; the two printed commands fix it', async () => {
    const {apiId} = await healthyPets({
      beforeDeploy: async (api) => {
        await setKeyRequired(api.id, api.resourceIds['/pets'], 'OPTIONS', true)
      },
    })
    const before = await doctor()
    assert.equal(before.code, 10)
    const found = before.findings.find((f) => f.id === 'OPTIONS_REQUIRES_KEY')!
    assert.deepEqual(
      found.fixes.map((f) => f.command),
      [`gwctl methods require-key --api ${apiId} --path /pets --method OPTIONS --off`, `gwctl deploy --api ${apiId} --stage prod`],
    )
    for (const fix of found.fixes) await runPrinted(fix.command)
    assert.deepEqual(await doctor(), {code: 0, findings: [], stderr: ''})
  })

  it('9. ACCESS_LOGGING_OFF, ACCESS_LOG_FORMAT_INCOMPLETE and CLOUDWATCH_ROLE_MISSING (warnings)', async () => {
    const {apiId} = await healthyPets()
    await sdk().send(
      new UpdateStageCommand({
        restApiId: apiId,
        stageName: 'prod',
        patchOperations: [{op: 'replace', path: '/accessLogSettings/format', value: '{"requestId":"$context.requestId","status":"$context.status"}'}],
      }),
    )
    let found = (await doctor()).findings
    assert.deepEqual(
      found.map((f) => f.id),
      ['ACCESS_LOG_FORMAT_INCOMPLETE'],
    )
    assert.match(
      found[0].message,
      /cannot replay: it lacks \$context\.requestTimeEpoch, \$context\.httpMethod, \$context\.resourcePath, \$context\.identity\.apiKeyId\.$/,
    )
    // The printed fix keeps the destination and replaces the format; without a terminal it needs --yes to replace one.
    assert.deepEqual(
      found[0].fixes.map((f) => f.command),
      [`gwctl logs enable ${apiId}:prod --log-group API-Gateway-Access-Logs`],
    )
    await runPrinted(`${found[0].fixes[0].command} --yes`)
    assert.deepEqual((await doctor()).findings, [])

    await sdk().send(
      new UpdateStageCommand({
        restApiId: apiId,
        stageName: 'prod',
        patchOperations: [
          {op: 'remove', path: '/accessLogSettings/destinationArn'},
          {op: 'remove', path: '/accessLogSettings/format'},
        ],
      }),
    )
    await sdk().send(new UpdateAccountCommand({patchOperations: [{op: 'replace', path: '/cloudwatchRoleArn', value: ''}]}))
    const run = await doctor()
    assert.equal(run.code, 0)
    found = run.findings
    assert.deepEqual(
      found.map((f) => f.id),
      ['CLOUDWATCH_ROLE_MISSING', 'ACCESS_LOGGING_OFF'],
    )
    // One gwctl command sets the role and turns logging on, which clears both findings.
    const fix = found[1].fixes[0].command
    assert.equal(fix, `gwctl logs enable ${apiId}:prod --cloudwatch-role-arn ROLE_ARN`)
    await runPrinted(fix.replace('ROLE_ARN', 'arn:aws:iam::123456789012:role/apigw-logs'))
    assert.deepEqual((await doctor()).findings, [])
  })

  it('--fix deploys a lagging stage and stops requiring a key on OPTIONS, then finds nothing (exit 0)', async () => {
    const {apiId, resourceIds} = await healthyPets({
      beforeDeploy: async (api) => {
        await setKeyRequired(api.id, api.resourceIds['/pets'], 'OPTIONS', true)
        await setKeyRequired(api.id, api.resourceIds['/pets'], 'POST', false)
      },
    })
    await setKeyRequired(apiId, resourceIds['/pets'], 'POST', true)
    const deploymentBefore = (await sdk().send(new GetStagesCommand({restApiId: apiId}))).item![0].deploymentId

    const refused = await gwctl('doctor', '--fix')
    assert.equal(refused.code, 2, 'no terminal, no --yes: nothing is changed')
    assert.equal((await sdk().send(new GetStagesCommand({restApiId: apiId}))).item![0].deploymentId, deploymentBefore)

    const fixed = await gwctl('doctor', '--fix', '--yes')
    assert.equal(fixed.code, 0, fixed.stderr + fixed.stdout)
    assert.match(
      fixed.stderr,
      /gwctl doctor --fix will make 2 changes, in this order:\n {2}1\. Stop requiring an API key on OPTIONS \/pets of API pets \(\w+\) first, so that the deployment does not publish that\n.*\n {2}2\. Deploy API pets \(\w+\) to stage prod, which publishes POST \/pets requiring a key and OPTIONS \/pets without a key/,
    )
    assert.match(fixed.stdout, /No findings: 0 errors, 0 warnings, 0 notes/)
    assert.notEqual((await sdk().send(new GetStagesCommand({restApiId: apiId}))).item![0].deploymentId, deploymentBefore)
  })

  it('--plan, --api and --stage narrow the run; unknown names exit 3', async () => {
    const {planId} = await healthyPets()
    await sdk().send(new CreateUsagePlanCommand({name: 'empty'}))
    assert.deepEqual(
      (await doctor()).findings.map((f) => f.id),
      ['PLAN_HAS_NO_KEYS'],
    )
    assert.deepEqual((await doctor('--plan', planId)).findings, [])
    assert.deepEqual((await doctor('--api', 'pets', '--stage', 'prod')).findings, [])
    const unknown = await gwctl('doctor', '--api', 'petz')
    assert.equal(unknown.code, 3)
    assert.match(unknown.stderr, /No REST API with id or name "petz"/)
    const noStage = await gwctl('doctor', '--stage', 'beta')
    assert.equal(noStage.code, 3)
    assert.match(noStage.stderr, /No stage named "beta" in this Region/)
  })
})
