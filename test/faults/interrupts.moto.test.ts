import assert from 'node:assert/strict'

import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {eventually, resourceOf, useFaultProxy} from '../helpers/faults.js'
import {createDeployedApi} from '../helpers/moto-api.js'
import {MOTO_ENV, useMoto} from '../helpers/moto.js'
import {hasScript, KEYS, onTerminal} from '../helpers/terminal.js'

// Issue 13, item 2: Ctrl-C (SIGINT) or SIGTERM while a multi-step change runs stops after the
// call in flight and reports like any failure; a socket that never answers ends with a clear error.
describe('faults: interrupts and stalls (built CLI, proxy in front of moto)', function () {
  this.timeout(120_000)
  const moto = useMoto()
  const bench = useFaultProxy(moto)
  const ADD_TO_PLAN = {method: 'POST', path: /^\/usageplans\/[^/]+\/keys$/}
  const CREATE_KEY = {method: 'POST', path: /^\/apikeys$/, query: /^$/}

  /** Waits until gwctl says it is waiting to retry, then sends `signal`. */
  async function interruptWhileWaiting(run: ReturnType<typeof bench.start>, signal: NodeJS.Signals) {
    await eventually(() => /retrying in/.test(run.stderr()), 'the retry notice')
    run.child.kill(signal)
    const started = Date.now()
    const result = await run.done
    assert.ok(Date.now() - started < 10_000, 'it stopped at once instead of waiting out the retry')
    return result
  }

  it('keys rotate interrupted while waiting on a retry: exit 7, the new key with its value, finish and undo', async () => {
    const gold = resourceOf(await bench.json(['plans', 'create', '--name', 'gold']), 'usagePlan')
    const old = resourceOf(await bench.json(['keys', 'create', '--name', 'alice', '--plan', 'gold']), 'apiKey')
    bench.proxy.when(ADD_TO_PLAN).throttle({retryAfter: 30})
    const result = await interruptWhileWaiting(bench.start(['keys', 'rotate', 'alice']), 'SIGINT')

    assert.equal(result.code, 7, result.stderr)
    const keys = await bench.keys()
    const fresh = keys.find((k) => k.id !== old.id)!
    assert.ok(fresh, 'the new key was created before the interrupt')
    assert.match(result.stderr, /Error: Rotating API key alice \(\w+\) was interrupted \(SIGINT\) after 1 of 2 steps\n/)
    assert.match(result.stderr, new RegExp(String.raw`created API key alice \(${fresh.id}\)`))
    assert.ok(result.stderr.includes(fresh.value!), "the new key's value is shown: gwctl generated it and shows it once")
    assert.match(result.stderr, /Not done:\n {2}- add API key alice .* to usage plan gold/)
    assert.ok(result.stderr.includes(`gwctl keys attach ${fresh.id} --plan ${gold.id}`), 'the finish command names the new key')
    assert.ok(result.stderr.includes(`gwctl keys delete ${fresh.id} --yes`), 'the undo command deletes the new key')
    assert.deepEqual(await bench.planKeyIds(gold.id), [old.id])
  })

  it('keys create --plan, SIGTERM: the same report, under --json as a document', async () => {
    await bench.json(['plans', 'create', '--name', 'gold'])
    await bench.json(['plans', 'create', '--name', 'silver'])
    bench.proxy.when({...ADD_TO_PLAN, nth: 2}).throttle({retryAfter: 30})
    const result = await interruptWhileWaiting(bench.start(['keys', 'create', '--name', 'bob', '--plan', 'gold', '--plan', 'silver', '--json']), 'SIGTERM')

    assert.equal(result.code, 7, result.stderr)
    const {error} = JSON.parse(result.stdout)
    const [key] = await bench.keys()
    assert.equal(error.code, 'PARTIAL_FAILURE')
    assert.equal(error.exitCode, 7)
    assert.deepEqual(error.details.created, [{kind: 'API key', id: key.id, name: 'bob', value: key.value}])
    assert.equal(error.details.done.length, 2)
    assert.equal(error.details.notDone.length, 1)
    assert.match(error.details.finish[0], new RegExp(`^gwctl keys attach ${key.id} --plan `))
  })

  it('interrupted before anything changed: exit 130, nothing created', async () => {
    await bench.json(['keys', 'create', '--name', 'alice'])
    bench.proxy.when(CREATE_KEY).throttle({retryAfter: 30})
    const result = await interruptWhileWaiting(bench.start(['keys', 'rotate', 'alice']), 'SIGINT')
    assert.equal(result.code, 130, result.stderr)
    assert.match(result.stderr, /nothing was changed/i)
    assert.equal((await bench.keys()).length, 1)
  })

  it('a read interrupted at once exits 130', async () => {
    bench.proxy.when({method: 'GET'}).stall()
    const run = bench.start(['plans', 'list'])
    await bench.proxy.waitForRequest({method: 'GET'})
    run.child.kill('SIGINT')
    const result = await run.done
    assert.equal(result.code, 130, result.stderr)
  })

  it('a stalled endpoint: each try ends after --timeout, reads are tried 3 times, then a clear error (exit 6)', async () => {
    bench.proxy.when({method: 'GET', path: /^\/usageplans$/}).stall()
    const started = Date.now()
    const result = await bench.gwctl(['plans', 'list', '--timeout', '1'])
    assert.equal(result.code, 6, result.stderr)
    assert.match(result.stderr, /API Gateway did not answer within 1 s while listing usage plans \(3 tries\)/)
    assert.match(result.stderr, /--timeout/)
    assert.equal(bench.proxy.requestsMatching({method: 'GET', path: /^\/usageplans$/}).length, 3)
    assert.ok(Date.now() - started < 20_000)
  })

  it('the wizard interrupted with Ctrl-C at step 3, on a terminal: exit 7, the report, the key made so far shown and in --keys-out', async function () {
    if (!hasScript()) this.skip()
    await createDeployedApi(moto.current.url, {name: 'pets', methods: {'/pets': ['GET']}, stages: ['prod']})
    const dir = await mkdtemp(join(tmpdir(), 'gwctl-wizard-'))
    try {
      const keysOut = join(dir, 'keys.csv')
      bench.proxy.when({...CREATE_KEY, nth: 2}).throttle({retryAfter: 30})
      const t = onTerminal(['wizard', '--endpoint-url', bench.proxy.url, '--keys-out', keysOut], {...MOTO_ENV, CI: ''})
      const {enter, space} = KEYS
      for (const [question, answer] of [
        [/Which REST API/, enter],
        [/Which stages/, space + enter],
        [/extend an existing one/, enter],
        [/Plan name/, 'gold' + enter],
        [/Throttle rate \(/, enter],
        [/Throttle burst \(/, enter],
        [/Quota \(/, enter],
        [/Quota period/, enter],
        [/per-method throttles/, 'n' + enter],
        [/API keys for this plan/, enter],
        [/How many new keys/, '2' + enter],
        [/Key name pattern/, 'partner-{n}' + enter],
        [/Which methods require an API key/, enter],
        [/Continue with no method requiring a key\?/, 'y' + enter],
        [/Where does the API key come from/, enter],
        [/Apply these 4 changes now\?/, 'y' + enter],
        [/retrying in/, '\u0003'],
      ] as Array<[RegExp, string]>) {
        await t.expect(question, 30_000)
        await t.type(answer)
      }

      assert.equal(await t.exit(), 7, t.screen())
      const screen = t.screen()
      const [key] = await bench.keys()
      const [plan] = await bench.plans()
      assert.match(screen, /The setup was interrupted \(SIGINT\) after 2 of 4 steps/)
      assert.match(screen, /Not done:\s+- Create API key partner-2 in usage plan gold\s+- Deploy pets to stage prod/)
      assert.ok(screen.includes(key.value!), 'the value of the key made so far is shown')
      assert.ok(screen.includes(`gwctl keys delete ${key.id} --yes`) && screen.includes(`gwctl plans delete ${plan.id} --force --yes`), 'and how to undo')
      assert.match(await readFile(keysOut, 'utf8'), new RegExp(`^Name,Key,Id\npartner-1,${key.value},${key.id}\n$`))
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })
})
