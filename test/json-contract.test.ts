import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanCommand,
  DeleteUsagePlanKeyCommand,
  GetAccountCommand,
  GetApiKeyCommand,
  GetAuthorizersCommand,
  GetDeploymentCommand,
  GetDeploymentsCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetUsageCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateApiKeyCommand,
  UpdateMethodCommand,
  UpdateRestApiCommand,
  UpdateStageCommand,
  UpdateUsageCommand,
  UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway'
import {Config} from '@oclif/core'
import {runCommand} from './helpers/run-command.js'
import {type AwsClientStub, mockClient} from 'aws-sdk-client-mock'
import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {ExitCode} from '../src/model/errors.js'
import {CHECKS, FINDING_IDS} from '../src/model/findings.js'
import {LIMIT_NAMES} from '../src/simulator/rules.js'
import {ROOT} from './helpers/cli.js'
import {jsonError, jsonResult, SCHEMAS, schemaFileOf, SHARED_SCHEMAS} from './helpers/json-contract.js'
import {keysAccount} from './helpers/mock-aws.js'
import {usageToday} from './helpers/usage-fake.js'

interface ManifestCommand {
  id: string
  enableJsonFlag?: boolean
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, ManifestCommand>}
const commands = Object.values(manifest.commands)
const jsonCommands = commands.filter((c) => c.enableJsonFlag)

// What the SDK adds to every answer, and what must never reach a script.
const METADATA = {$metadata: {httpStatusCode: 200, requestId: 'req-1', attempts: 1, totalRetryDelay: 0}}
const VALUE = 'AliceValue0123456789xy'

/**
 * One --json run of every command, against one mocked account, each output checked
 * against its schema in schemas/. A command added without a run here fails the
 * coverage test below, and one whose output changes shape fails its run.
 */
const RUNS: Array<[id: string, argv: string[], exit?: number]> = [
  ['api:list', ['api', 'list']],
  ['api:show', ['api', 'show', 'pets']],
  ['api:set-key-source', ['api', 'set-key-source', '--api', 'pets', '--source', 'AUTHORIZER']],
  ['deploy', ['deploy', '--api', 'pets', '--stage', 'prod']],
  // The mocked account has errors to find (POST /pets needs a key no plan on its stage gives): exit 10, the report still the output.
  ['doctor', ['doctor'], ExitCode.DOCTOR_FOUND_ERRORS],
  ['export', ['export']],
  ['keys:attach', ['keys', 'attach', 'bob', '--plan', 'gold']],
  ['keys:create', ['keys', 'create', '--name', 'carol', '--plan', 'gold', '--customer-id', 'c-7']],
  ['keys:delete', ['keys', 'delete', 'bob', '--yes']],
  ['keys:detach', ['keys', 'detach', 'alice', '--plan', 'gold']],
  ['keys:disable', ['keys', 'disable', 'alice']],
  ['keys:enable', ['keys', 'enable', 'bob']],
  ['keys:export', ['keys', 'export', '--out', 'OUT/keys.csv', '--include-values']],
  ['keys:find', ['keys', 'find', VALUE]],
  ['keys:import', ['keys', 'import', 'OUT/import.csv']],
  ['keys:list', ['keys', 'list']],
  ['keys:rotate', ['keys', 'rotate', 'alice', '--disable-old']],
  ['keys:show', ['keys', 'show', 'alice']],
  ['keys:tag', ['keys', 'tag', 'alice', '--tag', 'tier=gold']],
  ['keys:untag', ['keys', 'untag', 'alice', '--tag-key', 'team']],
  ['keys:update', ['keys', 'update', 'alice', '--description', 'Alice-Ltd']],
  [
    'logs:enable',
    ['logs', 'enable', 'pets:prod', '--firehose', 'arn:aws:firehose:us-east-1:123456789012:deliverystream/amazon-apigateway-access', '--dry-run'],
  ],
  ['logs:format', ['logs', 'format']],
  ['logs:status', ['logs', 'status', '--api', 'pets']],
  ['methods:list', ['methods', 'list', '--api', 'pets']],
  ['methods:require-key', ['methods', 'require-key', '--api', 'pets', '--path', '/pets', '--method', 'GET']],
  ['plans:create', ['plans', 'create', '--name', 'silver', '--rate', '5', '--burst', '10', '--stage', 'pets:prod', '--product-code', 'prod-1']],
  ['plans:delete', ['plans', 'delete', 'gold', '--force', '--yes']],
  ['plans:list', ['plans', 'list']],
  ['plans:show', ['plans', 'show', 'gold']],
  ['plans:tag', ['plans', 'tag', 'gold', '--tag', 'env=prod']],
  ['plans:untag', ['plans', 'untag', 'gold', '--tag-key', 'team']],
  ['plans:update', ['plans', 'update', 'gold', '--rate', '50', '--burst', '100']],
  [
    'simulate',
    [
      'simulate',
      '--snapshot',
      'test/fixtures/snapshot.json',
      '--log',
      'test/fixtures/logs/aws-sample.jsonl',
      '--set',
      'basic:rate=1,burst=1',
      '--chart',
      'alice',
    ],
  ],
  ['stages:attach', ['stages', 'attach', '--plan', 'gold', '--api', 'pets', '--stage', 'beta']],
  ['stages:detach', ['stages', 'detach', '--plan', 'gold', '--api', 'pets', '--stage', 'prod']],
  ['stages:list', ['stages', 'list', '--api', 'pets']],
  ['stages:throttle', ['stages', 'throttle', 'pets:prod', '--rate', '100', '--burst', '200']],
  ['stages:update', ['stages', 'update', '--plan', 'gold', '--api', 'pets', '--stage', 'prod', '--method-throttle', '/pets/GET=1/2']],
  ['usage', ['usage', 'gold']],
  // alice has used 90% of her quota: exit 9, the keys over the threshold in `items`.
  ['usage:check', ['usage', 'check', '--threshold', '80%'], ExitCode.USAGE_OVER_THRESHOLD],
  ['usage:grant', ['usage', 'grant', 'alice', '--plan', 'gold', '--requests', '500']],
]

describe('the --json contract (docs/json.md)', () => {
  describe('schemas', () => {
    it('has a schema for every command with --json, and none for a command that does not exist', () => {
      const expected = jsonCommands.map((c) => schemaFileOf(c.id)).toSorted()
      const present = readdirSync(SCHEMAS)
        .filter((f) => f.endsWith('.json') && !SHARED_SCHEMAS.includes(f))
        .toSorted()
      assert.deepEqual(present, expected, 'add schemas/<topic>-<verb>.json for a new command (docs/json.md says how)')
    })

    it('runs every command with --json in this file', () => {
      assert.deepEqual(RUNS.map(([id]) => id).toSorted(), jsonCommands.map((c) => c.id).toSorted())
    })

    it("docs/json.md lists every command's result and every exit code of src/model/errors.ts", () => {
      const doc = readFileSync(join(ROOT, 'docs/json.md'), 'utf8')
      const documented = new Set(
        [...doc.matchAll(/^\| ((?:`[a-z -]+`(?:, )?)+) \|/gm)].flatMap((m) => [...m[1].matchAll(/`([a-z -]+)`/g)].map((c) => c[1].replaceAll(' ', ':'))),
      )
      assert.deepEqual(
        jsonCommands.map((c) => c.id).filter((id) => !documented.has(id)),
        [],
      )
      for (const [name, exit] of Object.entries(ExitCode)) {
        if (exit === 0) continue
        assert.match(doc, new RegExp(`^\\| ${exit} \\| [^|]*\`${name}\`[^|]*\\|`, 'm'), `exit ${exit} (${name}) in the table`)
      }
    })

    it('schemas/definitions.json names every doctor finding id and check of src/model/findings.ts', () => {
      const {$defs} = JSON.parse(readFileSync(join(SCHEMAS, 'definitions.json'), 'utf8')) as {
        $defs: {Finding: {properties: {check: {enum: string[]}; id: {enum: string[]}}}}
      }
      assert.deepEqual($defs.Finding.properties.id.enum, FINDING_IDS)
      assert.deepEqual($defs.Finding.properties.check.enum, CHECKS)
    })

    it('schemas/simulate.json names every limit of src/simulator/rules.ts', () => {
      const simulate = JSON.parse(readFileSync(join(SCHEMAS, 'simulate.json'), 'utf8')) as {properties: {limits: {propertyNames: {enum: string[]}}}}
      assert.deepEqual(simulate.properties.limits.propertyNames.enum, LIMIT_NAMES)
    })

    it('leaves --json only to the wizard, which talks to a person', () => {
      assert.deepEqual(
        commands.filter((c) => !c.enableJsonFlag).map((c) => c.id),
        ['wizard'],
      )
    })

    it('gives every boolean flag the default false, so results never hold undefined', async () => {
      // The manifest leaves boolean defaults out: the command classes say.
      const config = await Config.load({root: ROOT})
      const others: string[] = []
      for (const command of config.commands.filter((c) => c.pluginName === 'gwctl')) {
        const {flags} = await command.load()
        for (const [name, flag] of Object.entries(flags ?? {}))
          if (flag.type === 'boolean' && name !== 'json' && flag.default !== false) others.push(`${command.id} --${name}`)
      }

      assert.ok(config.commands.filter((c) => c.pluginName === 'gwctl').length > 30)
      assert.deepEqual(others, [])
    })
  })

  describe('every command, mocked AWS', () => {
    let aws: AwsClientStub<APIGatewayClient>
    let out: string
    before(() => {
      aws = mockClient(APIGatewayClient)
    })
    after(() => aws.restore())

    const gold = {
      id: 'p1',
      name: 'gold',
      throttle: {rateLimit: 10, burstLimit: 20},
      quota: {limit: 1000, offset: 0, period: 'MONTH' as const},
      apiStages: [{apiId: 'a1', stage: 'prod', throttle: {'/pets/POST': {rateLimit: 1, burstLimit: 2}}}],
      tags: {team: 'payments'},
    }
    const alice = {id: 'k1', name: 'alice', enabled: true, value: VALUE, customerId: 'c-1', createdDate: new Date('2026-11-02T09:30:00Z'), tags: {team: 'a'}}
    const bob = {id: 'k2', name: 'bob', enabled: false, value: 'BobValue0123456789abcd', stageKeys: []}

    beforeEach(() => {
      aws.reset()
      process.exitCode = undefined
      out = mkdtempSync(join(tmpdir(), 'gwctl-contract-'))
      writeFileSync(join(out, 'import.csv'), `Name,Key,UsagePlanIds\ndave,DaveValue0123456789abcd,gold\n`)
      aws.on(GetUsagePlansCommand).resolves({items: [gold], ...METADATA})
      aws.on(GetUsagePlanKeysCommand).resolves({items: [{id: 'k1', name: 'alice', type: 'API_KEY', value: VALUE}]})
      keysAccount(aws, [alice, bob])
      aws.on(GetApiKeyCommand, {apiKey: 'k1'}).resolves({...alice, ...METADATA})
      aws.on(GetApiKeyCommand, {apiKey: 'k2'}).resolves({...bob, ...METADATA})
      aws.on(GetRestApisCommand).resolves({items: [{id: 'a1', name: 'pets', createdDate: new Date('2026-01-01T00:00:00Z')}]})
      aws.on(GetStagesCommand).resolves({
        item: [
          {stageName: 'prod', deploymentId: 'd1', methodSettings: {'*/*': {throttlingRateLimit: 10_000, throttlingBurstLimit: 5000}}},
          {stageName: 'beta', deploymentId: 'd1'},
        ],
      })
      aws.on(GetResourcesCommand).resolves({
        items: [
          {id: 'r0', path: '/', resourceMethods: {GET: {}}},
          {id: 'r1', path: '/pets', resourceMethods: {GET: {authorizationType: 'NONE'}, POST: {apiKeyRequired: true}}},
        ],
      })
      aws.on(GetDeploymentsCommand).resolves({items: [{id: 'd1', createdDate: new Date('2026-02-01T00:00:00Z')}]})
      aws.on(GetDeploymentCommand).resolves({
        id: 'd1',
        apiSummary: {'/': {GET: {apiKeyRequired: false, authorizationType: 'NONE'}}, '/pets': {GET: {authorizationType: 'NONE'}, POST: {apiKeyRequired: true}}},
        ...METADATA,
      })
      aws.on(GetAuthorizersCommand).resolves({items: []})
      aws.on(GetAccountCommand).resolves({throttleSettings: {rateLimit: 10_000, burstLimit: 5000}, ...METADATA})
      aws.on(CreateUsagePlanCommand).callsFake((input) => ({id: 'p9', ...input, ...METADATA}))
      aws.on(UpdateUsagePlanCommand).callsFake((input) => ({...gold, id: input.usagePlanId, ...METADATA}))
      aws.on(DeleteUsagePlanCommand).resolves(METADATA)
      aws.on(CreateApiKeyCommand).callsFake((input) => ({id: 'k9', ...input, ...METADATA}))
      aws.on(UpdateApiKeyCommand).callsFake((input) => ({...alice, id: input.apiKey, ...METADATA}))
      aws.on(DeleteApiKeyCommand).resolves(METADATA)
      aws.on(CreateUsagePlanKeyCommand).resolves({id: 'k9', type: 'API_KEY', ...METADATA})
      aws.on(DeleteUsagePlanKeyCommand).resolves(METADATA)
      aws.on(TagResourceCommand).resolves(METADATA)
      aws.on(UntagResourceCommand).resolves(METADATA)
      aws.on(UpdateMethodCommand).resolves({apiKeyRequired: true, ...METADATA})
      aws.on(UpdateRestApiCommand).callsFake((input) => ({id: input.restApiId, name: 'pets', apiKeySource: 'AUTHORIZER', ...METADATA}))
      aws.on(UpdateStageCommand).callsFake((input) => ({stageName: input.stageName, deploymentId: 'd1', ...METADATA}))
      aws.on(CreateDeploymentCommand).resolves({id: 'd2', createdDate: new Date('2026-03-01T00:00:00Z'), ...METADATA})
      aws.on(GetUsageCommand).callsFake((input) => ({...usageToday({k1: {used: 900, remaining: 100}})(input), ...METADATA}))
      aws
        .on(UpdateUsageCommand)
        .callsFake((input) => ({usagePlanId: input.usagePlanId, startDate: '2026-11-01', endDate: '2026-11-30', items: {}, ...METADATA}))
    })
    afterEach(() => {
      rmSync(out, {recursive: true, force: true})
      process.exitCode = undefined
    })

    for (const [id, argv, exit] of RUNS) {
      it(`${argv.join(' ')} --json${exit ? ` (exit ${exit})` : ''}`, async () => {
        const args = argv.map((a) => a.replace(/^OUT\//, `${out}/`))
        const {stdout, stderr, error} = await runCommand([...args, '--json'], {root: ROOT})
        assert.equal(error, undefined, `${id}: ${error?.message}\n${stdout}`)
        assert.equal(process.exitCode ?? 0, exit ?? 0, `exit code ${process.exitCode}: ${stdout}`)
        const body = jsonResult(id, stdout)
        assert.doesNotMatch(stdout, /\$metadata|httpStatusCode|requestId"|attempts/, 'no SDK metadata')
        // Every warning in the document was also said on stderr.
        for (const warning of body.warnings) assert.ok(stderr.includes(`Warning: ${warning}`), `warning not on stderr: ${warning}\n${stderr}`)
        if (id === 'keys:export') assert.ok(existsSync(join(out, 'keys.csv')))
      })
    }
  })

  describe('failures', () => {
    const failures: Array<[what: string, argv: string[], code: string, exit: number, message: RegExp]> = [
      ['an unknown flag', ['plans', 'list', '--bogus'], 'BAD_INPUT', 2, /^Unknown flag --bogus$/],
      ['a missing argument', ['keys', 'show'], 'BAD_INPUT', 2, /^Missing KEY \(API key id or name\)$/],
      ['a missing required flag', ['plans', 'create'], 'BAD_INPUT', 2, /^Missing required flag --name$/],
      ['a flag that needs another', ['plans', 'create', '--name', 'x', '--quota-offset', '5'], 'BAD_INPUT', 2, /--quota-offset: --quota/],
      ['a bad option value', ['logs', 'format', '--format', 'xml'], 'BAD_INPUT', 2, /Expected --format=xml to be one of: json, csv, clf/],
      [
        'a flag value that is no URL',
        ['plans', 'list', '--endpoint-url', 'not a url'],
        'BAD_INPUT',
        2,
        /^--endpoint-url \(or AWS_ENDPOINT_URL_API_GATEWAY\) must be an http:\/\/ or https:\/\/ URL/,
      ],
    ]
    afterEach(() => {
      process.exitCode = undefined
    })

    for (const [what, argv, code, exit, message] of failures) {
      it(`${what} exits ${exit} with code ${code}, the body agreeing`, async () => {
        const {stdout} = await runCommand([...argv, '--json'], {root: ROOT})
        const error = jsonError(stdout)
        assert.equal(error.code, code)
        assert.equal(error.exitCode, exit)
        assert.equal(process.exitCode, exit)
        assert.match(error.message, message)
        assert.ok(
          error.suggestions.some((s: string) => s.includes(`gwctl ${argv[0]}`) && s.includes('--help')),
          'names where to find help',
        )
      })
    }

    it('says the same without --json, in gwctl style, on stderr', async () => {
      const {stdout, stderr, error} = await runCommand(['plans', 'create'], {root: ROOT})
      assert.equal(stdout, '')
      assert.equal(error?.oclif?.exit, 2)
      assert.equal(stderr, 'Error: Missing required flag --name\nTry: See the flags and examples: gwctl plans create --help\n')
    })

    it('suggests the flag meant when one is mistyped', async () => {
      const {stderr} = await runCommand(['plans', 'list', '--regoin', 'eu-west-1'], {root: ROOT})
      assert.match(stderr, /^Error: Unknown flag --regoin\nTry: Did you mean --region\?/)
    })
  })

  describe('help', () => {
    for (const command of commands) {
      it(`gwctl ${command.id.replaceAll(':', ' ')} --help: examples are commands, no empty defaults, a whole usage line`, async () => {
        const {stdout} = await runCommand([...command.id.split(':'), '--help'], {root: ROOT})
        assert.doesNotMatch(stdout, /\[default: \]/)
        assert.doesNotMatch(stdout, /\| \]/)
        const examples = stdout.split('EXAMPLES\n')[1]?.split(/\n[A-Z ]+\n/)[0] ?? ''
        const starts = examples
          .split('\n\n')
          .map((e) => e.trim())
          .filter(Boolean)
        assert.ok(starts.length > 0, 'has examples')
        for (const example of starts) assert.match(example, /^\$ /, `example is not a command line: ${example}`)
      })
    }
  })
})
