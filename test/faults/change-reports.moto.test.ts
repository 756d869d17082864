import assert from 'node:assert/strict'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {apiGatewayOver} from '../../src/aws/api-gateway.js'
import {GwctlError} from '../../src/model/errors.js'
import {renderFailure} from '../../src/ui/failure.js'
import {makeStyle} from '../../src/ui/style.js'
import {awsWizardPorts} from '../../src/wizard/aws.js'
import {runWizard} from '../../src/wizard/wizard.js'
import {runCli} from '../helpers/cli.js'
import {resourceOf, useFaultProxy} from '../helpers/faults.js'
import {createDeployedApi, sdkFor} from '../helpers/moto-api.js'
import {MOTO_ENV, useMoto} from '../helpers/moto.js'
import {ENTER, NEW_PLAN, NEW_PLAN_TWO_KEYS, type Script, scriptedPrompter} from '../helpers/wizard-fakes.js'

/** The commands of a report, as argv, without the leading gwctl (all gwctl prints are simple words). */
const argvOf = (line: string) =>
  line
    .trim()
    .replace(/^gwctl /, '')
    .split(' ')

const failure = async (run: Promise<unknown>) => {
  const error = await run.then(
    () => assert.fail('expected the wizard to fail'),
    (error_: unknown) => error_,
  )
  assert.ok(error instanceof GwctlError, String(error))
  return error
}

// Issue 13, item 3: one mechanism reports every multi-step change from what actually happened:
// done, not done, how to finish (without redoing what was done) and how to undo (leaving nothing).
describe('faults: reports of multi-step changes that fail part way', function () {
  this.timeout(180_000)
  const moto = useMoto()
  const bench = useFaultProxy(moto)
  const PETS = {name: 'pets', methods: {'/': ['GET'], '/pets': ['GET', 'POST']}, stages: ['prod', 'beta']}
  const ADD_TO_PLAN = {method: 'POST', path: /^\/usageplans\/[^/]+\/keys$/}
  const gwctlOnMoto = (argv: string[]) => runCli([...argv, '--endpoint-url', moto.current.url], {env: MOTO_ENV})

  it('plans delete --force removes per-method throttles with the stages, and its undo puts them back', async () => {
    const {id: apiId} = await createDeployedApi(moto.current.url, PETS)
    const plan = resourceOf(
      await bench.json(['plans', 'create', '--name', 'gold', '--stage', 'pets:prod', '--method-throttle', 'pets:prod:/pets/GET=1.5/3']),
      'usagePlan',
    )
    bench.proxy.when({method: 'DELETE', path: /^\/usageplans\//}).failBefore({status: 400, errorType: 'BadRequestException', message: 'refused for the test'})
    const result = await bench.gwctl(['plans', 'delete', 'gold', '--force', '--yes'])
    assert.equal(result.code, 7, result.stderr)

    const [patch] = bench.proxy.requestsMatching({method: 'PATCH'})
    assert.deepEqual(JSON.parse(patch.body!).patchOperations, [
      {op: 'remove', path: `/apiStages/${apiId}:prod/throttle`},
      {op: 'remove', path: '/apiStages', value: `${apiId}:prod`},
    ])
    const undo = `gwctl stages attach --plan ${plan.id} --api ${apiId} --stage prod --method-throttle /pets/GET=1.5/3`
    assert.ok(result.stderr.includes(undo), `the undo re-attaches with the throttles:\n${result.stderr}`)
    assert.deepEqual((await bench.plans())[0].apiStages ?? [], [])

    const undone = await gwctlOnMoto(argvOf(undo))
    assert.equal(undone.code, 0, undone.stderr)
    assert.deepEqual((await bench.plans())[0].apiStages, [{apiId, stage: 'prod', throttle: {'/pets/GET': {rateLimit: 1.5, burstLimit: 3}}}])
  })

  const wizardOverProxy = (script: Script, options: {keysOut?: string} = {}) => {
    const out: string[] = []
    const prompter = scriptedPrompter(script)
    const run = runWizard(
      {prompter, ...awsWizardPorts(apiGatewayOver(sdkFor(bench.proxy.url))), log: (t) => out.push(t), note: (t) => out.push(t), style: makeStyle(false)},
      options,
    )
    return {run, out, prompter}
  }

  it('wizard: a failure on the second new key lists both keys, finishes without a second key, and its undo leaves nothing', async () => {
    await createDeployedApi(moto.current.url, PETS)
    bench.proxy.when({...ADD_TO_PLAN, nth: 2}).failBefore({status: 400, errorType: 'BadRequestException', message: 'refused for the test'})
    const {run} = wizardOverProxy(NEW_PLAN_TWO_KEYS)
    const error = await failure(run)
    const [plan] = await bench.plans()
    const keys = await bench.keys()
    const byName = Object.fromEntries(keys.map((k) => [k.name!, k]))
    assert.deepEqual(Object.keys(byName).toSorted(), ['gold-1', 'gold-2'])

    assert.equal(error.exitCode, 7)
    assert.doesNotMatch([error.message, ...error.suggestions].join('\n'), /--json/)
    const details = error.details as {created: Array<{kind: string; id: string; value?: string}>; finish: string[]; undo: string[]}
    assert.deepEqual(
      details.created.map((c) => [c.kind, c.id]),
      [
        ['usage plan', plan.id],
        ['API key', byName['gold-1'].id],
        ['API key', byName['gold-2'].id],
      ],
    )
    assert.equal(details.finish[0], `gwctl keys attach ${byName['gold-2'].id} --plan ${plan.id}`)
    assert.ok(!details.finish.some((c) => c.includes('keys create')), 'finishing must not create a second gold-2')
    // Both values reach their owner in the report, although the run failed.
    const printed = renderFailure(error, makeStyle(false))
    for (const key of keys) assert.ok(printed.includes(key.value!), `the value of ${key.name} is shown`)

    for (const command of details.undo) {
      const undone = await gwctlOnMoto(argvOf(command))
      assert.equal(undone.code, 0, `${command}\n${undone.stderr}`)
    }

    assert.deepEqual(await bench.keys(), [], 'no key left behind')
    assert.deepEqual(await bench.plans(), [], 'no plan left behind')
  })

  it('wizard: a failed import batch undoes the keys of the batches that succeeded', async () => {
    await createDeployedApi(moto.current.url, PETS)
    const dir = await mkdtemp(join(tmpdir(), 'gwctl-faults-'))
    try {
      const file = join(dir, 'partners.csv')
      await writeFile(
        file,
        ['Name,Key', ...Array.from({length: 150}, (_, i) => `partner-${i + 1},Partner${String(i + 1).padStart(4, '0')}abcdefghijklmnop`)].join('\n') + '\n',
      )
      bench.proxy
        .when({method: 'POST', path: /^\/apikeys$/, query: /mode=import/, nth: 2})
        .failBefore({status: 400, errorType: 'BadRequestException', message: 'refused for the test'})
      const {run} = wizardOverProxy([
        ...NEW_PLAN,
        [/per-method throttles/, false],
        [/API keys for this plan/, 'Import keys from a CSV file'],
        [/CSV file/, file],
        [/Which methods require an API key/, ENTER],
        [/Continue with no method requiring a key/, true],
        [/Where does the API key come from/, ENTER],
        [/Apply these 4 changes/, true],
      ])
      const error = await failure(run)
      assert.equal(error.exitCode, 7)
      assert.doesNotMatch([error.message, ...error.suggestions, ...error.done].join('\n'), /--json/)
      const keys = await bench.keys()
      assert.equal(keys.length, 100, 'the first batch was imported')
      const {undo, finish} = error.details as {undo: string[]; finish: string[]}
      const deletes = undo.filter((c) => c.startsWith('gwctl keys delete '))
      assert.deepEqual(deletes.map((c) => argvOf(c)[2]).toSorted(), keys.map((k) => k.id!).toSorted(), 'one delete per imported key')
      assert.ok(undo.at(-1)!.startsWith('gwctl plans delete '), 'then the plan')
      assert.ok(finish[0].startsWith(`gwctl keys import ${file} --plan `), 'finishing imports the file again, which skips keys already there')
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })
})
