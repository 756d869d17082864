import assert from 'node:assert/strict'
import {mkdtemp, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {GwctlError} from '../../src/model/errors.js'
import {makeStyle} from '../../src/ui/style.js'
import {runWizard, type WizardOptions, type WizardResult} from '../../src/wizard/wizard.js'
import {CTRL_C, ENTER, fakeReads, HAPPY, NEW_PLAN, petsWorld, recordingWrites, type Script, scriptedPrompter, type World} from '../helpers/wizard-fakes.js'

/** Runs the wizard over fakes and keeps what it printed. */
async function drive(script: Script, options: WizardOptions & {world?: World; writes?: ReturnType<typeof recordingWrites>} = {}) {
  const prompter = scriptedPrompter(script)
  const writes = options.writes ?? recordingWrites()
  const out: string[] = []
  const err: string[] = []
  const run = runWizard(
    {prompter, reads: fakeReads(options.world ?? petsWorld()), writes, log: (t) => out.push(t), note: (t) => err.push(t), style: makeStyle(false)},
    options,
  )
  const result = await run.catch((error: unknown) => error)
  return {result, prompter, writes, stdout: out.join('\n'), stderr: err.join('\n')}
}

const HAPPY_COMMANDS = [
  'gwctl plans create --name gold --rate 100 --burst 200 --quota 50000/MONTH --stage a1:prod --stage a1:beta --method-throttle a1:prod:/pets/POST=1/2 --method-throttle a1:beta:/pets/POST=1/2',
  'gwctl keys create --name gold-1 --plan gold',
  'gwctl keys create --name gold-2 --plan gold',
  'gwctl methods require-key --api a1 --path /pets --method GET',
  "gwctl methods require-key --api a1 --path '/pets/{id}' --method GET",
  "gwctl deploy --api a1 --stage prod --description 'gwctl wizard: usage plan gold'",
  "gwctl deploy --api a1 --stage beta --description 'gwctl wizard: usage plan gold'",
]

describe('wizard (prompts and services faked)', () => {
  it('sets up a new plan end to end: calls in order, the equivalent commands, key values once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gwctl-wizard-'))
    const keysOut = join(dir, 'keys.csv')
    const {result, prompter, writes, stdout, stderr} = await drive([...HAPPY, [/Apply these 7 changes/, true]], {keysOut})
    assert.equal(prompter.left(), 0)
    assert.deepEqual(
      writes.calls.map(([name]) => name),
      ['createPlan', 'createKey', 'createKey', 'requireKey', 'requireKey', 'deploy', 'deploy'],
    )
    const mt = {path: '/pets', httpMethod: 'POST', rateLimit: 1, burstLimit: 2}
    assert.deepEqual(writes.calls[0][1], {
      name: 'gold',
      throttle: {rateLimit: 100, burstLimit: 200},
      quota: {limit: 50_000, period: 'MONTH'},
      stages: [
        {api: 'a1', stage: 'prod'},
        {api: 'a1', stage: 'beta'},
      ],
      methodThrottles: [
        {api: 'a1', stage: 'prod', ...mt},
        {api: 'a1', stage: 'beta', ...mt},
      ],
      tags: {},
    })
    assert.deepEqual(writes.calls[1][1], {name: 'gold-1', plans: ['pNEW']})
    assert.deepEqual(writes.calls[3][1], {api: 'a1', path: '/pets', methods: ['GET'], off: false})
    assert.deepEqual(writes.calls[4][1], {api: 'a1', path: '/pets/{id}', methods: ['GET'], off: false})
    assert.deepEqual(writes.calls[6][1], {api: 'a1', stage: 'beta', description: 'gwctl wizard: usage plan gold'})

    // The summary lists the changes and a script doing the same.
    assert.match(stdout, /1\. Create usage plan gold \(100 rps, burst 200, quota 50000\/MONTH\) covering pets:prod, pets:beta/)
    const script = stdout.split('The same setup without the wizard:\n')[1].split('\n').slice(0, 7)
    assert.deepEqual(script, HAPPY_COMMANDS)
    // Progress on stderr, key values on stdout once, and in the 0600 file.
    assert.match(stderr, /\[1\/7\] Create usage plan gold/)
    assert.match(stderr, /\[7\/7\] Deploy pets to stage beta/)
    assert.equal(stdout.match(/Value1x+/g)?.length, 1)
    assert.match(stdout, /gold-2 {2}k2 {2}Value2x+/)
    assert.equal((await stat(keysOut)).mode & 0o777, 0o600)
    assert.equal(await readFile(keysOut, 'utf8'), `Name,Key,Id\ngold-1,${'Value1'.padEnd(30, 'x')},k1\ngold-2,${'Value2'.padEnd(30, 'x')},k2\n`)
    const {commands, ...rest} = result as WizardResult
    assert.deepEqual(commands[1], ['keys', 'create', '--name', 'gold-1', '--plan', 'gold'])
    assert.deepEqual(rest, {
      applied: true,
      planId: 'pNEW',
      keys: [
        {id: 'k1', name: 'gold-1'},
        {id: 'k2', name: 'gold-2'},
      ],
      deployments: [
        {stage: 'prod', id: 'd-prod'},
        {stage: 'beta', id: 'd-beta'},
      ],
    })
  })

  it('refuses each bad value on the spot with the reason, then takes the corrected one', async () => {
    const {prompter, writes} = await drive(
      [
        [/Which REST API/, 'pets'],
        [/Which stages/, []],
        [/Which stages/, ['prod']],
        [/new usage plan or extend/, 'Create a new plan'],
        [/Plan name/, 'silver'],
        [/Plan name/, ''],
        [/Plan name/, 'gold'],
        [/Throttle rate \(/, 'fast'],
        [/Throttle rate \(/, '-1'],
        [/Throttle rate \(/, '10'],
        [/Throttle burst \(/, '-5'],
        [/Throttle burst \(/, '2.5'],
        [/Throttle burst \(/, ENTER],
        [/Quota \(/, '0'],
        [/Quota \(/, 'lots'],
        [/Quota \(/, ENTER],
        [/Quota period/, 'DAY'],
        [/per-method throttles/, true],
        [/Which methods\?/, ['DELETE  /pets/{id}']],
        [/Throttle rate for DELETE \/pets\/\{id\}/, 'x'],
        [/Throttle rate for DELETE/, '0.5'],
        [/Throttle burst for DELETE/, '-1'],
        [/Throttle burst for DELETE/, '1'],
        [/API keys for this plan/, 'Generate new keys'],
        [/How many new keys/, '0'],
        [/How many new keys/, '3'],
        [/Key name pattern/, 'partner'],
        [/Key name pattern/, 'partner-{n}'],
        [/Which methods require an API key/, ENTER],
        [/Where does the API key come from/, ENTER],
      ],
      {dryRun: true},
    )
    assert.equal(prompter.left(), 0)
    assert.deepEqual(prompter.refusals, [
      'Pick at least one stage (space to select)',
      'A usage plan named "silver" already exists (p2); choose another name, or extend that plan',
      'A plan needs a name',
      'Throttle rate must be a number of requests per second, 0 or more; got "fast"',
      'Throttle rate must be a number of requests per second, 0 or more; got "-1"',
      'Throttle burst must be a whole number of requests, 0 or more; got "-5"',
      'Throttle burst must be a whole number of requests, 0 or more; got "2.5"',
      'Quota limit must be a whole number above 0; got "0"',
      'Quota limit must be a whole number above 0; got "lots"',
      'Throttle rate for DELETE /pets/{id} must be a number of requests per second, 0 or more; got "x"',
      'Throttle burst for DELETE /pets/{id} must be a whole number of requests, 0 or more; got "-1"',
      'Number of keys must be a whole number from 1 to 100; got "0"',
      'Key name pattern must contain {n} to number 3 keys; got "partner"',
    ])
    assert.equal(writes.calls.length, 0)
  })

  it('--dry-run prints the summary and the commands, asks nothing more and changes nothing', async () => {
    const {result, prompter, writes, stdout, stderr} = await drive(HAPPY, {dryRun: true})
    assert.equal(prompter.left(), 0)
    assert.ok(!prompter.asked.some((q) => /Apply/.test(q)))
    assert.equal(writes.calls.length, 0)
    for (const command of HAPPY_COMMANDS) assert.ok(stdout.includes(command), command)
    assert.match(stderr, /Dry run: nothing was changed/)
    assert.equal((result as WizardResult).applied, false)
  })

  for (const [at, label] of [
    [1, 'the first question'],
    [9, 'the per-method question'],
    [HAPPY.length, 'the last question'],
  ] as const) {
    it(`Ctrl-C at ${label} exits 130 with nothing changed`, async () => {
      const script = [...HAPPY.slice(0, at - 1), [HAPPY[at - 1][0], CTRL_C]] as Script
      const {result, writes} = await drive(script)
      assert.ok(result instanceof GwctlError)
      assert.equal(result.exitCode, 130)
      assert.equal(result.message, 'Cancelled; nothing was changed')
      assert.equal(writes.calls.length, 0)
    })
  }

  it('answering no at the confirmation changes nothing (exit 130)', async () => {
    const {result, writes} = await drive([...HAPPY, [/Apply these/, false]])
    assert.equal((result as GwctlError).exitCode, 130)
    assert.equal(writes.calls.length, 0)
  })

  it('refuses an existing --keys-out file before asking anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gwctl-wizard-'))
    const keysOut = join(dir, 'keys.csv')
    await writeFile(keysOut, 'precious\n')
    const {result, prompter} = await drive(HAPPY, {keysOut})
    assert.equal((result as GwctlError).exitCode, 2)
    assert.match((result as GwctlError).message, /--keys-out .*keys\.csv: cannot create it: it already exists/)
    assert.equal(prompter.asked.length, 0)
    assert.equal(await readFile(keysOut, 'utf8'), 'precious\n')
  })

  it('refuses a --keys-out it cannot create before asking anything, and leaves no file when no key was made', async () => {
    const missing = await drive(HAPPY, {keysOut: '/nonexistent-dir/keys.csv'})
    assert.equal((missing.result as GwctlError).exitCode, 2)
    assert.match((missing.result as GwctlError).message, /^--keys-out \/nonexistent-dir\/keys\.csv: cannot create it: its directory does not exist$/)
    assert.equal(missing.prompter.asked.length, 0)

    const dir = await mkdtemp(join(tmpdir(), 'gwctl-wizard-'))
    await drive(HAPPY, {keysOut: join(dir, 'keys.csv'), dryRun: true})
    assert.deepEqual(await readdir(dir), [], 'a dry run leaves no empty file behind')
  })

  it('when --keys-out cannot be written at the end, a successful setup stays successful and says where the values are', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gwctl-wizard-'))
    const writes = recordingWrites()
    const deploy = writes.deploy.bind(writes)
    writes.deploy = async (input) => {
      await rm(dir, {recursive: true, force: true}) // the directory goes away while the setup runs
      return deploy(input)
    }

    const {result, stdout, stderr} = await drive([...HAPPY, [/Apply/, true]], {writes, keysOut: join(dir, 'keys.csv')})
    assert.equal((result as WizardResult).applied, true)
    assert.match(stdout, /gold-1 {2}k1 {2}Value1x+/)
    assert.match(stderr, /Warning: could not write the new key values to --keys-out .*keys\.csv \(ENOENT.*\); they are printed here: store them now/)
  })

  it('stops at a failed step and reports what was done, what was not, and how to finish or undo', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gwctl-wizard-'))
    const keysOut = join(dir, 'keys.csv')
    const writes = recordingWrites({failAt: 3, error: new GwctlError('CONFLICT', 'AWS refused: API Key already exists')})
    const {result, stdout} = await drive([...HAPPY, [/Apply/, true]], {writes, keysOut})
    assert.ok(result instanceof GwctlError)
    assert.equal(result.code, 'PARTIAL_FAILURE')
    assert.equal(result.exitCode, 7)
    assert.deepEqual(
      writes.calls.map(([name]) => name),
      ['createPlan', 'createKey', 'createKey'],
    )
    assert.equal(result.message, 'The setup stopped after 2 of 7 steps: AWS refused: API Key already exists')
    assert.deepEqual(result.report, {
      done: ['created usage plan gold (pNEW)', 'created API key gold-1 (k1)'],
      notDone: [
        'Create API key gold-2 in usage plan gold',
        'Require an API key on GET /pets',
        'Require an API key on GET /pets/{id}',
        'Deploy pets to stage prod',
        'Deploy pets to stage beta',
      ],
      created: [
        {kind: 'usage plan', id: 'pNEW', name: 'gold'},
        {kind: 'API key', id: 'k1', name: 'gold-1', value: 'Value1'.padEnd(30, 'x')},
      ],
      finish: HAPPY_COMMANDS.slice(2),
      undo: ['gwctl keys delete k1 --yes', 'gwctl plans delete pNEW --force --yes'],
    })
    assert.doesNotMatch([result.message, ...result.suggestions].join('\n'), /--json/, 'the wizard has no --json')
    // The key made before the failure is not lost: the report carries its value (shown by the command), the file keeps it.
    assert.doesNotMatch(stdout, /New API keys/)
    assert.match(await readFile(keysOut, 'utf8'), /^Name,Key,Id\ngold-1,Value1x+,k1\n$/)
  })

  it('after a deployment, the undo commands end by redeploying', async () => {
    const writes = recordingWrites({failAt: 7})
    const {result} = await drive([...HAPPY, [/Apply/, true]], {writes})
    assert.deepEqual((result as GwctlError).report?.undo, [
      "gwctl methods require-key --api a1 --path '/pets/{id}' --method GET --off",
      'gwctl methods require-key --api a1 --path /pets --method GET --off',
      'gwctl keys delete k2 --yes',
      'gwctl keys delete k1 --yes',
      'gwctl plans delete pNEW --force --yes',
      "gwctl deploy --api a1 --stage prod --description 'gwctl wizard: usage plan gold'",
    ])
  })

  it('an interrupt (Ctrl-C, SIGTERM) stops it after the step in flight, with the same report (exit 7)', async () => {
    const interrupt = new AbortController()
    const writes = recordingWrites()
    const createKey = writes.createKey.bind(writes)
    writes.createKey = async (input) => {
      interrupt.abort('SIGINT') // pressed while the first key is being made
      return createKey(input)
    }

    const {result} = await drive([...HAPPY, [/Apply/, true]], {writes, interrupted: interrupt.signal})
    assert.ok(result instanceof GwctlError)
    assert.equal(result.exitCode, 7)
    assert.equal(result.message, 'The setup was interrupted (SIGINT) after 2 of 7 steps')
    assert.deepEqual(
      writes.calls.map(([name]) => name),
      ['createPlan', 'createKey'],
    )
    assert.deepEqual(result.report?.done, ['created usage plan gold (pNEW)', 'created API key gold-1 (k1)'])
  })
})

describe('wizard: extending a plan, keys and warnings (fakes)', () => {
  it('extends an existing plan: only changed limits, the new stage, existing keys; undo restores the old limits', async () => {
    const {writes, stdout, prompter, result} = await drive(
      [
        [/Which REST API/, 'pets'],
        [/Which stages/, ['prod', 'beta']],
        [/new usage plan or extend/, 'Extend silver'],
        [/Throttle rate \(/, ENTER],
        [/Throttle burst \(/, '50'],
        [/Quota \(/, ENTER],
        [/Quota period/, ENTER],
        [/per-method throttles/, false],
        [/API keys for this plan/, 'Add existing keys'],
        [/Which keys/, ['bob']],
        [/Which methods require an API key/, []],
        [/Continue with no method requiring a key/, false],
        [/Which methods require an API key/, ENTER],
        [/Where does the API key come from/, ENTER],
        [/Apply these 4 changes/, true],
      ],
      {writes: recordingWrites({failAt: 3})},
    )
    assert.equal(prompter.left(), 0)
    // The new limits and the new stage in one call (one UpdateUsagePlan: AWS allows one per 20 s).
    assert.deepEqual(writes.calls.slice(0, 2), [
      ['extendPlan', {plan: 'p2', change: {rateLimit: 5, burstLimit: 50}, api: 'a1', stages: ['beta'], methodThrottles: []}],
      ['attachKey', {key: 'kB', plan: 'p2'}],
    ])
    assert.match(stdout, /1\. Update usage plan silver \(p2\): --rate 5 --burst 50; attach stage\(s\) pets:beta\n/)
    assert.ok(
      stdout.includes('gwctl plans update p2 --rate 5 --burst 50\ngwctl stages attach --plan p2 --api a1 --stage beta\ngwctl keys attach kB --plan p2\n'),
    )
    assert.deepEqual((result as GwctlError).report?.undo, [
      'gwctl keys detach kB --plan p2',
      'gwctl stages detach --plan p2 --api a1 --stage beta',
      'gwctl plans update p2 --rate 5 --burst 10',
    ])
  })

  it('refuses a key already in another plan for one of the stages, naming both plans', async () => {
    const world = petsWorld()
    const {prompter, writes} = await drive(
      [
        ...NEW_PLAN.slice(0, 3),
        [/Plan name/, 'gold'],
        ...NEW_PLAN.slice(4),
        [/per-method throttles/, false],
        [/API keys for this plan/, 'Add existing keys'],
        [/Which keys/, ['alice', 'bob']],
        [/Which keys/, ['bob']],
        [/Which methods require an API key/, ENTER],
        [/Where does the API key come from/, ENTER],
        [/Apply/, true],
      ],
      {world},
    )
    assert.deepEqual(prompter.refusals, [
      'AWS allows an API key in only one usage plan per API stage:\n  key alice (kA) would be in usage plans silver (p2) and gold (new plan), which both cover stage a1:prod',
    ])
    assert.deepEqual(
      writes.calls.find(([name]) => name === 'attachKey'),
      ['attachKey', {key: 'kB', plan: 'pNEW'}],
    )
  })

  it('will not extend a plan whose keys already sit in another plan on a new stage', async () => {
    const world = petsWorld()
    world.plans.push({id: 'p3', name: 'bronze', apiStages: [{apiId: 'a1', stage: 'beta'}]})
    world.keyPlans!.kA.push('p3')
    const {prompter, stderr} = await drive(
      [
        [/Which REST API/, 'pets'],
        [/Which stages/, ['beta']],
        [/new usage plan or extend/, 'Extend silver'],
        [/new usage plan or extend/, 'Create a new plan'],
        ...NEW_PLAN.slice(3),
        [/per-method throttles/, false],
        [/API keys for this plan/, 'None'],
        [/Which methods require an API key/, ENTER],
        [/Where does the API key come from/, ENTER],
      ],
      {world, dryRun: true},
    )
    assert.equal(prompter.left(), 0)
    assert.match(
      stderr,
      /Warning: AWS allows an API key in only one usage plan per API stage:\n {2}key alice \(kA\) would be in usage plans bronze \(p3\) and silver \(p2\), which both cover stage a1:beta\nChoose another plan/,
    )
  })

  it('imports a CSV file checked as keys import checks it, and passes on the warnings about the key source', async () => {
    const {writes, stdout, stderr, prompter} = await drive([
      ...NEW_PLAN,
      [/per-method throttles/, false],
      [/API keys for this plan/, 'Import keys'],
      [/CSV file/, 'missing.csv'],
      [/CSV file/, 'partners.csv'],
      [/Which methods require an API key/, ENTER],
      [/Where does the API key come from/, 'AUTHORIZER'],
      [/Apply these 5 changes/, true],
    ])
    assert.deepEqual(prompter.refusals, ['missing.csv: no such file'])
    assert.match(stderr, /Warning: API a1 has no Lambda authorizer \(TOKEN or REQUEST\)\n/)
    assert.deepEqual(
      writes.calls.map(([name, input]) => [name, name === 'createPlan' ? undefined : input]),
      [
        ['createPlan', undefined],
        ['importKeys', {file: 'partners.csv', plans: ['pNEW']}],
        ['setKeySource', {api: 'a1', source: 'AUTHORIZER'}],
        ['deploy', {api: 'a1', stage: 'prod', description: 'gwctl wizard: usage plan gold'}],
        ['deploy', {api: 'a1', stage: 'beta', description: 'gwctl wizard: usage plan gold'}],
      ],
    )
    assert.match(stdout, /Import 2 API key\(s\) from partners\.csv into usage plan gold/)
    assert.match(stdout, /^gwctl keys import partners\.csv --plan gold$/m)
    assert.match(stdout, /^gwctl api set-key-source --api a1 --source AUTHORIZER$/m)
    assert.doesNotMatch(stdout, /New API keys/)
  })

  it('turns a key requirement off for an unchecked method, and warns when none would require one', async () => {
    const {writes, stderr} = await drive([
      ...NEW_PLAN,
      [/per-method throttles/, false],
      [/API keys for this plan/, 'None'],
      [/Which methods require an API key/, []],
      [/Continue with no method requiring a key/, true],
      [/Where does the API key come from/, ENTER],
      [/Apply/, true],
    ])
    assert.match(stderr, /Warning: No method of pets would require an API key: on stage\(s\) prod, beta plan gold would meter nothing/)
    assert.deepEqual(writes.calls[1], ['requireKey', {api: 'a1', path: '/pets', methods: ['POST'], off: true}])
  })

  it('filters a long list of APIs by typing', async () => {
    const world = petsWorld()
    world.apis = [...Array.from({length: 11}, (_, i) => ({id: `x${i}`, name: `other-${i}`})), ...world.apis]
    const {prompter} = await drive(
      [
        [/Which REST API\? \(type to filter\)/, 'pets'],
        [/Which stages/, CTRL_C],
      ],
      {world},
    )
    assert.equal(prompter.left(), 0)
  })
})

describe('wizard: a failure before anything changed', () => {
  it("passes the first step's error through unchanged, since nothing was done", async () => {
    const writes = recordingWrites({failAt: 1, error: new GwctlError('CONFLICT', 'A usage plan named "gold" already exists (p9)')})
    const {result} = await drive([...HAPPY, [/Apply/, true]], {writes})
    assert.equal((result as GwctlError).exitCode, 4)
    assert.equal((result as GwctlError).message, 'A usage plan named "gold" already exists (p9)')
  })
})
