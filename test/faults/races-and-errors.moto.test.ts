import assert from 'node:assert/strict'

import {eventually, resourceOf, useFaultProxy} from '../helpers/faults.js'
import {useMoto} from '../helpers/moto.js'

// Issue 13, items 6 and 7: what AWS cannot prevent (it has no conditional writes) is found out and
// reported; AWS's failures are reported in words a person can act on, with documented exit codes.
describe('faults: races, and how AWS failures are reported (built CLI, proxy in front of moto)', function () {
  this.timeout(120_000)
  const moto = useMoto()
  const bench = useFaultProxy(moto)
  const CREATE_PLAN = {method: 'POST', path: /^\/usageplans$/}
  const PATCH_PLAN = {method: 'PATCH', path: /^\/usageplans\/[^/]+$/}

  it('two plans create --if-not-exists at once: both see the duplicate, exit 4, and name the same one to remove', async () => {
    const held = bench.proxy.when(CREATE_PLAN).hold()
    const runs = [bench.start(['plans', 'create', '--name', 'race', '--if-not-exists']), bench.start(['plans', 'create', '--name', 'race', '--if-not-exists'])]
    await eventually(() => bench.proxy.requestsMatching(CREATE_PLAN).length === 2, 'both creates')
    held.release()
    const results = await Promise.all(runs.map((r) => r.done))
    const ids = (await bench.plans()).map((p) => p.id!).toSorted()
    assert.equal(ids.length, 2)
    const removal = `gwctl plans delete ${ids[1]} --yes`
    for (const result of results) {
      assert.equal(result.code, 4, result.stderr)
      assert.match(result.stderr, new RegExp(String.raw`2 usage plans are named "race" \(${ids[0]}, ${ids[1]}\)`))
      assert.ok(result.stderr.includes(removal), result.stderr)
    }
  })

  it('plans update --rate racing --no-throttle never leaves half a throttle', async () => {
    const plan = resourceOf(await bench.json(['plans', 'create', '--name', 'gold', '--rate', '10', '--burst', '20']), 'usagePlan')
    const held = bench.proxy.when({...PATCH_PLAN, nth: 1}).hold()
    const rate = bench.start(['plans', 'update', 'gold', '--rate', '50'])
    await eventually(() => bench.proxy.requestsMatching(PATCH_PLAN).length === 1, 'the rate change to be sent')
    const removed = await bench.gwctl(['plans', 'update', 'gold', '--no-throttle'])
    assert.equal(removed.code, 0, removed.stderr)
    held.release()
    assert.equal((await rate.done).code, 0)
    const throttle = (await bench.plans()).find((p) => p.id === plan.id)!.throttle
    assert.deepEqual(throttle, {rateLimit: 50, burstLimit: 20}, 'the rate change carried the whole throttle')
  })

  it('a 5xx that survives retries: "API Gateway returned HTTP 500 (request id ...)", exit 11, not the SDK\'s deserialization text', async () => {
    bench.proxy.when({method: 'GET'}).failBefore({status: 500, rawBody: '<html><body>Internal error</body></html>'})
    for (const json of [false, true]) {
      const result = await bench.gwctl(['plans', 'list', ...(json ? ['--json'] : [])])
      assert.equal(result.code, 11, result.stderr)
      const text = json ? JSON.parse(result.stdout).error.message : result.stderr
      assert.match(text, /API Gateway returned HTTP 500 \(request id [\da-f-]{36}\) while listing usage plans/)
      assert.doesNotMatch(result.stdout + result.stderr, /Deserialization|hidden field|SyntaxError/)
      if (json) assert.equal(JSON.parse(result.stdout).error.exitCode, 11)
    }
  })

  for (const [errorType, message] of [
    ['UnrecognizedClientException', 'The security token included in the request is invalid.'],
    ['InvalidClientTokenId', 'The security token included in the request is invalid.'],
    ['IncompleteSignatureException', "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."],
    ['MissingAuthenticationTokenException', 'Missing Authentication Token'],
    ['ExpiredTokenException', 'The security token included in the request is expired'],
  ]) {
    it(`${errorType}: exit 6 with AWS's reason`, async () => {
      bench.proxy.when({method: 'GET'}).failBefore({status: 403, errorType, message})
      const result = await bench.gwctl(['plans', 'list'])
      assert.equal(result.code, 6, result.stderr)
      assert.ok(result.stderr.includes(message), result.stderr)
      assert.match(result.stderr, /credentials/)
      assert.equal(bench.proxy.requests.length, 1, 'not retried')
    })
  }
})
