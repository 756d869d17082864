import {
  APIGatewayClient,
  CreateUsagePlanCommand,
  DeleteUsagePlanCommand,
  GetApiKeysCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetUsageCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway'
import {runCommand} from '../helpers/run-command.js'
import {type AwsClientStub, mockClient} from 'aws-sdk-client-mock'
import assert from 'node:assert/strict'

import {ROOT} from '../helpers/cli.js'
import {jsonError, jsonResult} from '../helpers/json-contract.js'
import {awsError} from '../helpers/mock-aws.js'
import {usageToday} from '../helpers/usage-fake.js'

// runCommand joins and re-splits its arguments: quote values that contain spaces
const run = (args: string[]) => runCommand(args, {root: ROOT})

describe('plans commands (in-process, mocked AWS)', () => {
  // Commands build their own client, so the class is mocked; only while this suite runs.
  let aws: AwsClientStub<APIGatewayClient>
  before(() => {
    aws = mockClient(APIGatewayClient)
  })
  const gold = {
    id: 'p1',
    name: 'gold',
    throttle: {rateLimit: 10, burstLimit: 20},
    quota: {limit: 1000, offset: 0, period: 'MONTH' as const},
    apiStages: [{apiId: 'a1', stage: 'prod'}],
  }
  const bare = {id: 'p4', name: 'bare'}
  const twins = [
    {id: 'p2', name: 'twin'},
    {id: 'p3', name: 'twin'},
  ]
  const sentOps = () => aws.commandCalls(UpdateUsagePlanCommand).map((c) => c.args[0].input.patchOperations)
  const writes = () =>
    aws.commandCalls(CreateUsagePlanCommand).length + aws.commandCalls(UpdateUsagePlanCommand).length + aws.commandCalls(DeleteUsagePlanCommand).length

  /** Runs a command that must fail with `exit` and `message` on stderr, having changed nothing in AWS. */
  async function refuses(args: string[], exit: number, message: RegExp) {
    const result = await run(args)
    assert.equal(result.error?.oclif?.exit, exit, `exit code of ${args.join(' ')}: ${result.error?.message}`)
    // gwctl's own errors go to stderr; oclif's flag-parsing errors are carried on the error
    assert.match(result.stderr || result.error.message, message)
    assert.equal(result.stdout, '')
    assert.equal(writes(), 0, 'nothing may be sent to AWS')
    return result
  }

  beforeEach(() => {
    aws.reset()
    process.exitCode = undefined
    aws.on(GetUsagePlansCommand).resolves({items: [gold, bare, ...twins]})
    aws.on(GetRestApisCommand).resolves({items: [{id: 'a1', name: 'pets'}]})
    aws.on(GetStagesCommand).resolves({item: [{stageName: 'prod', deploymentId: 'd1'}]})
    aws.on(GetResourcesCommand).resolves({
      items: [
        {id: 'r0', path: '/', resourceMethods: {GET: {}}},
        {id: 'r1', path: '/pets', resourceMethods: {GET: {}, POST: {}}},
      ],
    })
    aws.on(GetUsagePlanKeysCommand).resolves({items: [{id: 'k1', name: 'alice', type: 'API_KEY', value: 'abcdefghijklmnopqrstuvwxyz'}]})
    aws.on(GetApiKeysCommand).resolves({items: [{id: 'k1', name: 'alice'}]})
    aws.on(GetUsageCommand).callsFake(usageToday({k1: {used: 10, remaining: 990}, k2: {used: 0, remaining: 1000}}))
  })
  afterEach(() => {
    process.exitCode = undefined
  })
  after(() => aws.restore())

  describe('plans list', () => {
    it('lists plans as a table', async () => {
      const {stdout} = await run(['plans', 'list'])
      assert.match(stdout, /ID\s+Name\s+Rate\s+Burst\s+Quota\s+Stages/)
      assert.match(stdout, /p1\s+gold\s+10\s+20\s+1000\/MONTH\s+a1:prod/)
      assert.match(stdout, /p4\s+bare\s+-\s+-\s+-\s+-/)
    })

    it('prints the plans as AWS gives them under --json, as items', async () => {
      const {stdout} = await run(['plans', 'list', '--json'])
      assert.deepEqual(jsonResult('plans:list', stdout), {items: [gold, bare, ...twins], warnings: []})
    })

    for (const json of [false, true]) {
      it(`says on stderr why and how long it waits before retrying, keeping stdout clean${json ? ', under --json too' : ''}`, async () => {
        aws
          .on(GetUsagePlansCommand)
          .rejectsOnce(awsError('TooManyRequestsException', 'Too Many Requests', {retryAfterSeconds: '0'}))
          .rejectsOnce(awsError('ServiceUnavailableException', 'Service Unavailable', {$metadata: {httpStatusCode: 503, requestId: 'r7'}}))
          .resolves({items: [gold]})
        const {stdout, stderr} = await run(['plans', 'list', ...(json ? ['--json'] : [])])
        assert.match(
          stderr,
          /^AWS is throttling listing usage plans; retrying in 0\.[2-5] s\nAPI Gateway answered HTTP 503 \(request id r7\) while listing usage plans; retrying in (0\.[5-9]|1\.0) s\n$/,
        )
        if (json) assert.equal(jsonResult('plans:list', stdout).items[0].id, 'p1')
        else assert.match(stdout, /^ID\s+Name/)
      })
    }

    it('says how to create a plan when there is none', async () => {
      aws.on(GetUsagePlansCommand).resolves({items: []})
      assert.match((await run(['plans', 'list'])).stdout, /No usage plans\. Create one with `gwctl plans create --name NAME`/)
      assert.deepEqual(jsonResult('plans:list', (await run(['plans', 'list', '--json'])).stdout), {items: [], warnings: []})
    })
  })

  describe('plans show', () => {
    const tagged = {
      ...gold,
      description: 'paying',
      tags: {team: 'payments', env: 'prod'},
      apiStages: [{apiId: 'a1', stage: 'prod', throttle: {'/pets/POST': {rateLimit: 0.5, burstLimit: 1}}}],
    }

    it('shows limits, tags, stages with per-method throttles, and masked keys', async () => {
      aws.on(GetUsagePlansCommand).resolves({items: [tagged]})
      const {stdout} = await run(['plans', 'show', 'gold'])
      assert.match(stdout, /Description\s+paying/)
      assert.match(stdout, /Throttle\s+10 rps, burst 20/)
      assert.match(stdout, /Quota\s+1000\/MONTH/)
      assert.match(stdout, /Tags\s+team=payments, env=prod/)
      // stages by API name, not only the id
      assert.match(stdout, /API\s+Stage\s+Per-method throttles\npets \(a1\)\s+prod\s+\/pets\/POST 0\.5 rps, burst 1/)
      assert.match(stdout, /alice\s+abcd\*{6}yz/)
      assert.doesNotMatch(stdout, /abcdefghijklmnop/)
    })

    it('prints full key values with --show-values', async () => {
      const {stdout} = await run(['plans', 'show', 'gold', '--show-values'])
      assert.match(stdout, /alice\s+abcdefghijklmnopqrstuvwxyz/)
    })

    it('includes every page of keys, masked, under --json', async () => {
      aws
        .on(GetUsagePlanKeysCommand)
        .resolvesOnce({items: [{id: 'k1', name: 'alice', value: 'abcdefghijklmnopqrstuvwxyz'}], position: 'next'})
        .resolvesOnce({items: [{id: 'k2', name: 'bob', value: 'zyxwvutsrqponmlkjihgfedcba'}]})
      const body = jsonResult('plans:show', (await run(['plans', 'show', 'p1', '--json'])).stdout)
      assert.equal(body.usagePlan.id, 'p1')
      assert.deepEqual(body.restApis, [{id: 'a1', name: 'pets'}])
      assert.deepEqual(
        body.apiKeys.map((k: {currentUsage: {periodUsed: number}; id: string; name: string; value: string}) => [
          k.id,
          k.name,
          k.value,
          k.currentUsage.periodUsed,
        ]),
        [
          ['k1', 'alice', 'abcd******yz', 10],
          ['k2', 'bob', 'zyxw******ba', 0],
        ],
      )
    })

    it('refuses an ambiguous name with exit 2, listing the ids', async () => {
      await refuses(['plans', 'show', 'twin'], 2, /2 usage plans are named "twin": p2 \(twin\), p3 \(twin\)/)
    })

    it('puts a structured error on stdout under --json, with the exit code', async () => {
      const {stdout} = await run(['plans', 'show', 'platinum', '--json'])
      const error = jsonError(stdout)
      assert.equal(error.code, 'NOT_FOUND')
      assert.equal(error.exitCode, 3)
      assert.equal(process.exitCode, 3)
    })
  })

  describe('plans create', () => {
    beforeEach(() => {
      aws.on(CreateUsagePlanCommand).callsFake((input) => ({id: 'p9', ...input}))
    })

    it('creates a plan with stages, resolving the API by name', async () => {
      const {stdout} = await run([
        'plans',
        'create',
        '--name',
        'silver',
        '--rate',
        '5',
        '--burst',
        '10',
        '--quota',
        '500/day',
        '--stage',
        'pets:prod',
        '--json',
      ])
      assert.deepEqual(aws.commandCalls(CreateUsagePlanCommand)[0].args[0].input, {
        name: 'silver',
        description: undefined,
        throttle: {rateLimit: 5, burstLimit: 10},
        quota: {limit: 500, period: 'DAY', offset: 0},
        apiStages: [{apiId: 'a1', stage: 'prod'}],
        tags: undefined,
      })
      const body = jsonResult('plans:create', stdout)
      assert.deepEqual([body.changed, body.dryRun, body.usagePlan.id], [true, false, 'p9'])
    })

    it('passes description, quota offset, per-method throttles and tags through', async () => {
      const {stdout} = await run([
        'plans',
        'create',
        '--name',
        'free',
        '--description',
        '"trial users"',
        '--quota',
        '1000/Week',
        '--quota-offset',
        '250',
        '--stage',
        'a1:prod',
        '--method-throttle',
        'pets:prod:/pets/POST=0.5/1',
        '--method-throttle',
        'a1:prod://GET=2/4',
        '--tag',
        'team=payments',
        '--tag',
        'cost=a=b',
      ])
      assert.deepEqual(aws.commandCalls(CreateUsagePlanCommand)[0].args[0].input, {
        name: 'free',
        description: 'trial users',
        throttle: undefined,
        quota: {limit: 1000, period: 'WEEK', offset: 250},
        apiStages: [{apiId: 'a1', stage: 'prod', throttle: {'/pets/POST': {rateLimit: 0.5, burstLimit: 1}, '//GET': {rateLimit: 2, burstLimit: 4}}}],
        tags: {team: 'payments', cost: 'a=b'},
      })
      assert.match(stdout, /Created usage plan free \(p9\)/)
      assert.match(stdout, /Throttle\s+none/)
      assert.match(stdout, /Quota\s+1000\/WEEK \(offset 250\)/)
      assert.match(stdout, /Tags\s+team=payments, cost=a=b/)
    })

    it('suggests attaching a stage when the new plan has none', async () => {
      const {stderr} = await run(['plans', 'create', '--name', 'loose'])
      assert.match(stderr, /Next: attach a stage with `gwctl stages attach --plan p9 --api API --stage STAGE`/)
    })

    const invalid: Array<[string, string[], RegExp]> = [
      ['a rate that is not a number', ['--rate', 'fast', '--burst', '5'], /--rate must be a number of requests per second, 0 or more; got "fast"/],
      ['a negative rate', ['--rate', '-1', '--burst', '5'], /--rate must be a number .* got "-1"/],
      ['a fractional burst', ['--rate', '1', '--burst', '1.5'], /--burst must be a whole number of requests, 0 or more; got "1.5"/],
      ['a negative burst', ['--rate', '1', '--burst', '-2'], /--burst must be a whole number .* got "-2"/],
      ['a burst without a rate', ['--burst', '5'], /--burst needs --rate: a throttle has both a rate and a burst/],
      ['a rate without a burst', ['--rate', '5'], /--rate needs --burst/],
      ['a quota without a period', ['--quota', '5000'], /--quota must look like LIMIT\/PERIOD, e\.g\. 5000\/MONTH; got "5000"/],
      ['an unknown quota period', ['--quota', '5000/YEAR'], /--quota period must be DAY, WEEK or MONTH; got "YEAR"/],
      ['a zero quota', ['--quota', '0/DAY'], /--quota limit must be a whole number above 0; got "0"/],
      ['a fractional quota', ['--quota', '2.5/DAY'], /--quota limit must be a whole number above 0; got "2.5"/],
      ['an offset equal to the limit', ['--quota', '100/DAY', '--quota-offset', '100'], /--quota-offset \(100\) must be less than the quota limit \(100\)/],
      ['an offset above the limit', ['--quota', '100/DAY', '--quota-offset', '500'], /--quota-offset \(500\) must be less than the quota limit \(100\)/],
      ['a negative offset', ['--quota', '100/DAY', '--quota-offset', '-1'], /--quota-offset must be a whole number of requests, 0 or more; got "-1"/],
      ['an offset without a quota', ['--quota-offset', '5'], /All of the following must be provided when using --quota-offset: --quota/],
      ['a stage without an API', ['--stage', 'prod'], /--stage must look like API:STAGE, e\.g\. pets-api:prod; got "prod"/],
      ['a stage with an empty name', ['--stage', 'pets:'], /--stage must look like API:STAGE/],
      ['a stage name with bad characters', ['--stage', 'pets:pr*d'], /--stage: "pr\*d" is not a stage name/],
      [
        'a method throttle without API and stage',
        ['--method-throttle', '/pets/GET=1/2'],
        /--method-throttle must look like API:STAGE:\/path\/METHOD=RATE\/BURST/,
      ],
      [
        'a method throttle without limits',
        ['--method-throttle', 'pets:prod:/pets/GET'],
        /--method-throttle must look like \/path\/METHOD=RATE\/BURST, e\.g\. \/pets\/GET=10\/20/,
      ],
      ['a method throttle with only a rate', ['--method-throttle', 'pets:prod:/pets/GET=10'], /--method-throttle: "10" must be RATE\/BURST/],
      [
        'a method throttle with an unknown HTTP method',
        ['--method-throttle', 'pets:prod:/pets/FETCH=1/2'],
        /--method-throttle: "\/pets\/FETCH" is not a method/,
      ],
      ['a method throttle without a method', ['--method-throttle', 'pets:prod:/pets=1/2'], /"\/pets" is not a method/],
      ['a method throttle with a bad rate', ['--method-throttle', 'pets:prod:/pets/GET=x/2'], /--method-throttle rate must be a number/],
      ['a method throttle with a bad burst', ['--method-throttle', 'pets:prod:/pets/GET=1/0.5'], /--method-throttle burst must be a whole number/],
      ['a tag without =', ['--tag', 'team'], /--tag must look like KEY=VALUE; got "team"/],
    ]
    for (const [label, flags, message] of invalid) {
      it(`refuses ${label} with exit 2, before calling AWS`, async () => {
        await refuses(['plans', 'create', '--name', 'new', ...flags], 2, message)
        assert.equal(aws.calls().length, 0)
      })
    }

    it('refuses an unknown API with exit 3', async () => {
      await refuses(['plans', 'create', '--name', 'new', '--stage', 'shop:prod'], 3, /No REST API with id or name "shop"/)
    })

    it('refuses an unknown stage with exit 3, naming the stages there are', async () => {
      await refuses(['plans', 'create', '--name', 'new', '--stage', 'pets:dev'], 3, /API pets \(a1\) has no stage "dev" \(stages: prod\)/)
    })

    it('refuses a method the API does not have with exit 3', async () => {
      await refuses(
        ['plans', 'create', '--name', 'new', '--method-throttle', 'pets:prod:/pets/DELETE=1/2'],
        3,
        /Resource "\/pets" of API pets \(a1\) has no DELETE method \(methods: GET, POST\)/,
      )
    })

    it('refuses a resource the API does not have with exit 3', async () => {
      await refuses(['plans', 'create', '--name', 'new', '--method-throttle', 'pets:prod:/toys/GET=1/2'], 3, /API pets \(a1\) has no resource "\/toys"/)
    })

    it('refuses a duplicate name with exit 4, and --if-not-exists returns the existing plan', async () => {
      await refuses(['plans', 'create', '--name', 'gold'], 4, /Error: A usage plan named "gold" already exists \(p1\)/)
      const same = ['--rate', '10', '--burst', '20', '--quota', '1000/MONTH', '--stage', 'pets:prod']
      const again = await run(['plans', 'create', '--name', 'gold', ...same, '--if-not-exists', '--json'])
      assert.deepEqual(jsonResult('plans:create', again.stdout), {usagePlan: gold, changed: false, dryRun: false, calls: [], differences: [], warnings: []})
      const human = await run(['plans', 'create', '--name', 'gold', ...same, '--if-not-exists'])
      assert.match(human.stdout, /Usage plan gold \(p1\) already exists; left unchanged/)
      assert.equal(human.stderr, '')
      assert.equal(writes(), 0)
    })

    it('--if-not-exists warns, on stderr and in --json, where the existing plan differs', async () => {
      const {stdout, stderr} = await run([
        'plans',
        'create',
        '--name',
        'gold',
        '--rate',
        '5',
        '--burst',
        '20',
        '--stage',
        'pets:prod',
        '--if-not-exists',
        '--json',
      ])
      const body = jsonResult('plans:create', stdout)
      const warning =
        'Usage plan gold (p1) differs from the settings given, and was left unchanged: throttle 10 rps, burst 20 (asked: 5 rps, burst 20); quota 1000/MONTH (asked: none)'
      assert.deepEqual(body.warnings, [warning])
      assert.equal(stderr, `Warning: ${warning}\n`)
      assert.deepEqual(
        body.differences.map((d: {field: string}) => d.field),
        ['throttle', 'quota'],
      )
      assert.equal(writes(), 0)
    })

    it('--dry-run checks everything and prints the calls, sending nothing', async () => {
      const {stdout} = await run(['plans', 'create', '--name', 'partner', '--stage', 'pets:prod', '--product-code', 'prod-1', '--dry-run'])
      assert.match(
        stdout,
        /^Dry run: nothing was sent\. gwctl would send these 2 calls:\n {2}CreateUsagePlan name=partner apiStages=\[\{"apiId":"a1","stage":"prod"\}\]\n {2}UpdateUsagePlan usagePlanId=<id of the new plan>\n {4}add \/productCode prod-1\n$/,
      )
      await refuses(['plans', 'create', '--name', 'partner', '--stage', 'pets:dev', '--dry-run'], 3, /has no stage "dev"/)
      assert.equal(writes(), 0)
    })

    it('refuses the same method throttled twice, even with the API named once by name and once by id (exit 2)', async () => {
      await refuses(
        ['plans', 'create', '--name', 'x', '--method-throttle', 'pets:prod:/pets/POST=1/2', '--method-throttle', 'a1:prod:/pets/POST=3/4'],
        2,
        /--method-throttle names POST \/pets on a1:prod more than once/,
      )
    })

    it('refuses --if-not-exists when the name is already ambiguous (exit 4)', async () => {
      await refuses(['plans', 'create', '--name', 'twin', '--if-not-exists'], 4, /A usage plan named "twin" already exists \(p2, p3\)/)
    })
  })

  describe('plans update', () => {
    beforeEach(() => {
      aws.on(UpdateUsagePlanCommand).resolves({...gold, throttle: {rateLimit: 50, burstLimit: 100}})
    })

    it('sends only what changed, in one call, and says so', async () => {
      const {stdout} = await run(['plans', 'update', 'gold', '--rate', '50', '--burst', '100', '--quota', '1000/month'])
      assert.deepEqual(sentOps(), [
        [
          {op: 'replace', path: '/throttle/rateLimit', value: '50'},
          {op: 'replace', path: '/throttle/burstLimit', value: '100'},
        ],
      ])
      assert.match(stdout, /Op\s+Path\s+Value/)
      assert.match(stdout, /replace\s+\/throttle\/rateLimit\s+50/)
      assert.match(stdout, /Updated usage plan gold \(p1\): throttle 50 rps, burst 100, quota 1000\/MONTH/)
    })

    it('renames, redescribes and moves the offset', async () => {
      await run(['plans', 'update', 'p1', '--name', 'platinum', '--description', '"top tier"', '--quota-offset', '10'])
      assert.deepEqual(sentOps(), [
        [
          {op: 'replace', path: '/name', value: 'platinum'},
          {op: 'replace', path: '/description', value: 'top tier'},
          {op: 'replace', path: '/quota/offset', value: '10'},
        ],
      ])
    })

    it('removes the throttle and the quota', async () => {
      await run(['plans', 'update', 'gold', '--no-throttle', '--no-quota'])
      assert.deepEqual(sentOps(), [
        [
          {op: 'remove', path: '/throttle'},
          {op: 'remove', path: '/quota'},
        ],
      ])
    })

    it('--dry-run prints the minimal patch, a throttle whole, and sends nothing', async () => {
      const {stdout} = await run(['plans', 'update', 'gold', '--rate', '10', '--burst', '40', '--dry-run', '--json'])
      const body = jsonResult('plans:update', stdout)
      // Whole, so that a racing change cannot leave half a throttle (issue 13).
      assert.deepEqual(body.operations, [
        {op: 'replace', path: '/throttle/rateLimit', value: '10'},
        {op: 'replace', path: '/throttle/burstLimit', value: '40'},
      ])
      assert.deepEqual([body.changed, body.dryRun], [false, true])
      const human = await run(['plans', 'update', 'gold', '--quota', '5/day', '--dry-run'])
      assert.equal(
        human.stdout,
        'Dry run: nothing was sent. gwctl would send this call:\n  UpdateUsagePlan usagePlanId=p1\n    replace /quota/limit 5\n    replace /quota/period DAY\n',
      )
      assert.equal(writes(), 0)
    })

    it('sends nothing when the plan already has the values', async () => {
      const {stdout} = await run(['plans', 'update', 'gold', '--rate', '10', '--burst', '20'])
      assert.match(stdout, /Usage plan gold \(p1\) already has these settings; nothing changed/)
      assert.equal(writes(), 0)
    })

    const invalid: Array<[string, string[], RegExp]> = [
      [
        'no change at all',
        [],
        /Nothing to change: give at least one of --name, --description, --rate, --burst, --quota, --quota-offset, --product-code, --no-throttle, --no-quota, --no-product-code/,
      ],
      ['a bad rate', ['--rate', 'x'], /--rate must be a number of requests per second, 0 or more; got "x"/],
      ['a bad burst', ['--burst', '2.5'], /--burst must be a whole number of requests, 0 or more; got "2.5"/],
      ['a quota without a period', ['--quota', '100'], /--quota must look like LIMIT\/PERIOD/],
      ['a bad quota period', ['--quota', '100/hour'], /--quota period must be DAY, WEEK or MONTH; got "hour"/],
      ['a zero quota', ['--quota', '0/DAY'], /--quota limit must be a whole number above 0; got "0"/],
      ['a bad offset', ['--quota-offset', 'some'], /--quota-offset must be a whole number of requests, 0 or more; got "some"/],
      ['an offset at the new limit', ['--quota', '50/DAY', '--quota-offset', '50'], /--quota-offset \(50\) must be less than the quota limit \(50\)/],
      ['an offset at the current limit', ['--quota-offset', '1000'], /--quota-offset \(1000\) must be less than the quota limit \(1000\)/],
      ['a new limit below the current offset', ['--quota', '10/DAY'], /must be less than the quota limit/],
      ['--no-throttle with --rate', ['--no-throttle', '--rate', '5'], /--no-throttle cannot be combined with --rate/],
      ['--no-throttle with --burst', ['--no-throttle', '--burst', '5'], /--no-throttle cannot be combined with --burst/],
      ['--no-quota with --quota', ['--no-quota', '--quota', '5/DAY'], /--no-quota cannot be combined with --quota/],
      ['--no-quota with --quota-offset', ['--no-quota', '--quota-offset', '5'], /--no-quota cannot be combined with --quota-offset/],
      ['--no-product-code with --product-code', ['--no-product-code', '--product-code', 'p'], /--no-product-code cannot be combined with --product-code/],
    ]
    for (const [label, flags, message] of invalid) {
      it(`refuses ${label} with exit 2`, async () => {
        if (label === 'a new limit below the current offset')
          aws.on(GetUsagePlansCommand).resolves({items: [{...gold, quota: {limit: 1000, offset: 20, period: 'MONTH'}}]})
        await refuses(['plans', 'update', 'gold', ...flags], 2, message)
      })
    }

    it('needs both --rate and --burst for a plan without a throttle, and a whole --quota for one without a quota', async () => {
      await refuses(['plans', 'update', 'bare', '--rate', '5'], 2, /This plan has no throttle yet: give both --rate and --burst/)
      await refuses(['plans', 'update', 'bare', '--quota-offset', '5'], 2, /This plan has no quota yet: give --quota as LIMIT\/PERIOD/)
    })

    it('refuses an ambiguous plan name with exit 2, listing the ids', async () => {
      await refuses(['plans', 'update', 'twin', '--rate', '1'], 2, /2 usage plans are named "twin": p2 \(twin\), p3 \(twin\)/)
    })

    it('refuses an unknown plan with exit 3', async () => {
      await refuses(['plans', 'update', 'platinum', '--rate', '1'], 3, /No usage plan with id or name "platinum"/)
    })

    it("refuses to rename onto another plan's name with exit 4", async () => {
      await refuses(['plans', 'update', 'gold', '--name', 'bare'], 4, /Another usage plan is already named "bare" \(p4\)/)
    })
  })

  describe('plans delete', () => {
    let stdinTTY: boolean | undefined
    beforeEach(() => {
      // these tests run with or without a terminal; make sure the command sees none
      stdinTTY = process.stdin.isTTY
      process.stdin.isTTY = false
      aws.on(UpdateUsagePlanCommand).resolves({id: 'p1'})
      aws.on(DeleteUsagePlanCommand).resolves({})
    })
    afterEach(() => {
      process.stdin.isTTY = stdinTTY as boolean
    })

    it('deletes a plan without stages with --yes', async () => {
      const {stdout} = await run(['plans', 'delete', 'bare', '--yes'])
      assert.match(stdout, /Deleted usage plan bare \(p4\)/)
      assert.deepEqual(
        aws.commandCalls(DeleteUsagePlanCommand).map((c) => c.args[0].input),
        [{usagePlanId: 'p4'}],
      )
    })

    it('refuses without a terminal and without --yes (exit 2), deleting nothing', async () => {
      await refuses(
        ['plans', 'delete', 'bare'],
        2,
        /Refusing to ask "Delete usage plan bare \(p4\)\?" without a terminal\nTry: Pass --yes to confirm non-interactively/,
      )
      await refuses(
        ['plans', 'delete', 'gold', '--force'],
        2,
        /Refusing to ask "Delete usage plan gold \(p1\) and detach it from 1 stage\(s\)\?" without a terminal/,
      )
    })

    it('refuses a plan with stages without --force (exit 4), listing them', async () => {
      const result = await refuses(['plans', 'delete', 'gold', '--yes'], 4, /Usage plan gold \(p1\) still covers 1 stage\(s\): a1:prod/)
      assert.match(result.stderr, /Try: Pass --force to detach them and delete the plan/)
      assert.match(result.stderr, /or detach one: gwctl stages detach --plan p1 --api a1 --stage prod/)
    })

    it('with --force --yes detaches the stages and deletes', async () => {
      const {stdout} = await run(['plans', 'delete', 'gold', '--force', '--yes'])
      assert.match(stdout, /Detached stage a1:prod\nDeleted usage plan gold \(p1\)/)
      assert.deepEqual(aws.commandCalls(UpdateUsagePlanCommand)[0].args[0].input.patchOperations, [{op: 'remove', path: '/apiStages', value: 'a1:prod'}])
      assert.equal(aws.commandCalls(DeleteUsagePlanCommand).length, 1)
    })

    it('returns what it did under --json', async () => {
      const {stdout} = await run(['plans', 'delete', 'gold', '--force', '--yes', '--json'])
      const body = jsonResult('plans:delete', stdout)
      assert.deepEqual(
        [body.usagePlan, body.detachedStages, body.changed, body.calls.map((c: {operation: string}) => c.operation)],
        [gold, ['a1:prod'], true, ['UpdateUsagePlan', 'DeleteUsagePlan']],
      )
    })

    it('--if-exists: a plan that does not exist is nothing to delete, exit 0', async () => {
      const {stdout, error} = await run(['plans', 'delete', 'platinum', '--if-exists', '--yes', '--json'])
      assert.equal(error, undefined)
      assert.deepEqual(jsonResult('plans:delete', stdout), {usagePlan: null, detachedStages: [], changed: false, dryRun: false, calls: [], warnings: []})
      await refuses(['plans', 'delete', 'platinum', '--yes'], 3, /No usage plan with id or name "platinum"/)
    })

    it('--dry-run needs no confirmation and sends nothing', async () => {
      const {stdout} = await run(['plans', 'delete', 'gold', '--force', '--dry-run'])
      assert.match(
        stdout,
        /Dry run: nothing was sent\. gwctl would send these 2 calls:\n {2}UpdateUsagePlan usagePlanId=p1\n {4}remove \/apiStages a1:prod\n {2}DeleteUsagePlan usagePlanId=p1/,
      )
      assert.equal(writes(), 0)
    })

    it('exits 7 when the delete fails after detaching, saying what changed and how to undo it', async () => {
      aws.on(DeleteUsagePlanCommand).rejects(awsError('ConflictException', 'busy'))
      const result = await run(['plans', 'delete', 'gold', '--force', '--yes'])
      assert.equal(result.error?.oclif?.exit, 7)
      assert.ok(
        result.stderr.endsWith(
          [
            'Error: Deleting usage plan gold (p1) stopped after 1 of 2 steps: AWS refused deleting usage plan gold (p1): busy',
            'Done:',
            '  - detach stage(s) a1:prod from usage plan gold (p1)',
            'Not done:',
            '  - delete usage plan gold (p1)',
            'To finish, once the cause is fixed:',
            '  gwctl plans delete p1 --yes',
            'To undo:',
            '  gwctl stages attach --plan p1 --api a1 --stage prod',
            '',
          ].join('\n'),
        ),
        result.stderr,
      )
    })

    it('refuses an ambiguous plan name with exit 2, listing the ids', async () => {
      await refuses(['plans', 'delete', 'twin', '--yes'], 2, /2 usage plans are named "twin": p2 \(twin\), p3 \(twin\)/)
    })
  })
})
