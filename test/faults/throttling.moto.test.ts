import assert from 'node:assert/strict'

import {apiGatewayOver} from '../../src/aws/api-gateway.js'
import {makeStyle} from '../../src/ui/style.js'
import {awsWizardPorts} from '../../src/wizard/aws.js'
import {runWizard} from '../../src/wizard/wizard.js'
import {resourceOf, useFaultProxy} from '../helpers/faults.js'
import {createDeployedApi, sdkFor} from '../helpers/moto-api.js'
import {useMoto} from '../helpers/moto.js'
import {ENTER, scriptedPrompter} from '../helpers/wizard-fakes.js'

// Issue 13, item 4: AWS allows one UpdateUsagePlan per 20 s and one CreateDeployment per 5 s per
// account (moto has no such limits: the proxy plays AWS's 429s). gwctl's waits must cover them.
describe("faults: throttling within AWS's documented limits", function () {
  this.timeout(120_000)
  const moto = useMoto()
  const bench = useFaultProxy(moto)
  const PATCH_PLAN = {method: 'PATCH', path: /^\/usageplans\/[^/]+$/}

  it('a second plan change within 20 s waits out the window and succeeds; the notice reaches stderr under --json', async () => {
    await bench.json(['plans', 'create', '--name', 'gold', '--rate', '5', '--burst', '10'])
    const first = await bench.gwctl(['plans', 'update', 'gold', '--rate', '6', '--burst', '12'])
    assert.equal(first.code, 0, first.stderr)
    // AWS answers 429 (no Retry-After) to every UpdateUsagePlan for 20 s after the last one.
    const window = bench.proxy.when(PATCH_PLAN).throttle()
    const opened = Date.now()
    const closing = setTimeout(() => window.remove(), 20_000)
    try {
      const second = await bench.gwctl(['plans', 'update', 'gold', '--rate', '7', '--burst', '14', '--json'])
      assert.equal(second.code, 0, second.stderr)
      assert.match(second.stderr, /AWS is throttling updating usage plan gold .*; retrying in \d+\.\d s/)
      assert.ok(Date.now() - opened >= 20_000)
      assert.deepEqual((await bench.plans())[0].throttle, {rateLimit: 7, burstLimit: 14})
      const patches = bench.proxy.requestsMatching(PATCH_PLAN)
      assert.ok(patches.length <= 4, `gwctl waited instead of hammering: ${patches.length} PATCH calls`)
    } finally {
      clearTimeout(closing)
    }
  })

  it('Retry-After: 0 does not burn every retry at once: waits still back off', async () => {
    await bench.json(['plans', 'create', '--name', 'gold'])
    const before = bench.proxy.requests.length
    bench.proxy.when({method: 'GET', path: /^\/usageplans$/, nth: 1, times: 3}).throttle({retryAfter: 0})
    const result = await bench.gwctl(['plans', 'list', '--json'])
    assert.equal(result.code, 0, result.stderr)
    const times = bench.proxy.requests.slice(before).map((r) => r.receivedAt)
    assert.equal(times.length, 4)
    const gaps = times.slice(1).map((t, i) => t - times[i])
    assert.ok(
      gaps.every((gap) => gap >= 200),
      `gaps between tries: ${gaps.join(', ')} ms`,
    )
  })

  it('wizard, extending a plan: the limit change and the new stage go in one UpdateUsagePlan call; deployments are paced 5 s apart', async () => {
    const {id: apiId} = await createDeployedApi(moto.current.url, {name: 'pets', methods: {'/pets': ['GET']}, stages: ['prod', 'beta']})
    const silver = resourceOf(
      await bench.json(['plans', 'create', '--name', 'silver', '--rate', '5', '--burst', '10', '--quota', '1000/DAY', '--stage', 'pets:prod']),
      'usagePlan',
    )
    const prompter = scriptedPrompter([
      [/Which REST API/, 'pets'],
      [/Which stages/, ['prod', 'beta']],
      [/new usage plan or extend/, 'Extend silver'],
      [/Throttle rate \(/, '8'],
      [/Throttle burst \(/, '16'],
      [/Quota \(/, '1000'],
      [/Quota period/, 'DAY'],
      [/per-method throttles/, false],
      [/API keys for this plan/, 'None for now'],
      [/Which methods require an API key/, ENTER],
      [/Continue with no method requiring a key/, true],
      [/Where does the API key come from/, ENTER],
      [/Apply these 3 changes/, true],
    ])
    await runWizard({prompter, ...awsWizardPorts(apiGatewayOver(sdkFor(bench.proxy.url))), log() {}, note() {}, style: makeStyle(false)})
    const patches = bench.proxy.requestsMatching(PATCH_PLAN)
    assert.equal(patches.length, 1, 'one UpdateUsagePlan call')
    assert.deepEqual(JSON.parse(patches[0].body!).patchOperations, [
      {op: 'replace', path: '/throttle/rateLimit', value: '8'},
      {op: 'replace', path: '/throttle/burstLimit', value: '16'},
      {op: 'add', path: '/apiStages', value: `${apiId}:beta`},
    ])
    const plan = (await bench.plans()).find((p) => p.id === silver.id)!
    assert.deepEqual([plan.throttle, plan.apiStages?.map((s) => s.stage).toSorted()], [{rateLimit: 8, burstLimit: 16}, ['beta', 'prod']])
    const deploys = bench.proxy.requestsMatching({method: 'POST', path: /\/deployments$/}).map((r) => r.receivedAt)
    assert.equal(deploys.length, 2)
    assert.ok(deploys[1] - deploys[0] >= 4900, `CreateDeployment calls ${deploys[1] - deploys[0]} ms apart; AWS allows one per 5 s`)
  })
})
