import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanKeyCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetUsageCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  ImportApiKeysCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateApiKeyCommand,
} from '@aws-sdk/client-api-gateway'
import {runCommand} from '../helpers/run-command.js'
import {type AwsClientStub, mockClient} from 'aws-sdk-client-mock'
import assert from 'node:assert/strict'
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {ROOT} from '../helpers/cli.js'
import {jsonError, jsonResult} from '../helpers/json-contract.js'
import {keysAccount} from '../helpers/mock-aws.js'
import {usageToday} from '../helpers/usage-fake.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/keys/', import.meta.url))
const fixture = (name: string) => `${FIXTURES}${name}`

describe('keys commands (in-process, mocked AWS)', () => {
  // Commands build their own client, so the class is mocked; only while this suite runs.
  let aws: AwsClientStub<APIGatewayClient>
  before(() => {
    aws = mockClient(APIGatewayClient)
  })
  const alice = {id: 'k1', name: 'alice', enabled: true, value: 'AliceValue0123456789xy', createdDate: new Date('2026-11-02T09:30:00Z')}
  const bob = {id: 'k2', name: 'bob', enabled: false, value: 'BobValue0123456789abcd'}
  const plans = [
    {id: 'n371pt', name: 'gold', apiStages: [{apiId: 'a1', stage: 'prod'}]},
    {id: 'q9w8e7', name: 'silver', apiStages: [{apiId: 'a1', stage: 'prod'}]},
    {id: 'p-free', name: 'free', apiStages: [{apiId: 'a2', stage: 'prod'}]},
  ]

  beforeEach(() => {
    aws.reset()
    process.exitCode = undefined
    aws.on(GetUsagePlansCommand).resolves({items: plans})
    aws.on(GetApiKeysCommand).resolves({items: [alice, bob]})
    aws.on(GetUsagePlanKeysCommand).resolves({items: []})
    aws.on(GetUsagePlanKeysCommand, {usagePlanId: 'n371pt'}).resolves({items: [{id: 'k1', name: 'alice', type: 'API_KEY'}]})
    aws.on(GetUsageCommand).callsFake(usageToday({k1: {used: 250, remaining: 750}}))
  })
  after(() => aws.restore())

  describe('list and show', () => {
    it('lists keys with masked values and the plans each is in', async () => {
      const {stdout} = await runCommand(['keys', 'list'], {root: ROOT})
      assert.match(stdout, /ID\s+Name\s+Enabled\s+Value\s+Created\s+Usage plans\s+Customer\s+Description/)
      assert.match(stdout, /k1\s+alice\s+yes\s+Alic\*{6}xy\s+2026-11-02 09:30Z\s+gold \(n371pt\)/)
      assert.match(stdout, /k2\s+bob\s+no\s+BobV\*{6}cd\s+-\s+-/)
      assert.doesNotMatch(stdout, /AliceValue/)
    })

    it('masks values under --json too, and shows them with --show-values', async () => {
      const {items} = jsonResult('keys:list', (await runCommand(['keys', 'list', '--json'], {root: ROOT})).stdout)
      assert.equal(items[0].value, 'Alic******xy')
      assert.equal(items[0].id, 'k1')
      assert.deepEqual(items[0].usagePlans, [{id: 'n371pt', name: 'gold'}])
      const shown = await runCommand(['keys', 'list', '--show-values'], {root: ROOT})
      assert.match(shown.stdout, /AliceValue0123456789xy/)
    })

    it('filters: --plan, --no-plan, --enabled, --disabled, --name-prefix, --customer-id', async () => {
      const ids = async (...flags: string[]) =>
        jsonResult('keys:list', (await runCommand(['keys', 'list', ...flags, '--json'], {root: ROOT})).stdout).items.map((k: {id: string}) => k.id)
      assert.deepEqual(await ids('--plan', 'gold'), ['k1'])
      assert.deepEqual(await ids('--no-plan'), ['k2'])
      assert.deepEqual(await ids('--enabled'), ['k1'])
      assert.deepEqual(await ids('--disabled'), ['k2'])
      assert.deepEqual(await ids('--name-prefix', 'bo'), ['k2'])
      assert.deepEqual(await ids('--customer-id', 'nobody'), [])
      assert.match((await runCommand(['keys', 'list', '--customer-id', 'nobody'], {root: ROOT})).stdout, /^No API keys match\.$/m)
      assert.equal((await runCommand(['keys', 'list', '--plan', 'gold', '--no-plan'], {root: ROOT})).error?.oclif?.exit, 2)
    })

    it('builds no table under --json', async () => {
      const {stdout} = await runCommand(['keys', 'list', '--json'], {root: ROOT})
      assert.doesNotMatch(stdout, /Usage plans/)
    })

    it('shows a key with its plans', async () => {
      aws.on(GetApiKeyCommand).resolves(alice)
      aws.on(GetUsagePlansCommand, {keyId: 'k1'}).resolves({items: [plans[0]]})
      const {stdout} = await runCommand(['keys', 'show', 'alice'], {root: ROOT})
      assert.match(stdout, /Value\s+Alic\*{6}xy/)
      assert.match(stdout, /Usage plans\s+gold \(n371pt\)/)
      assert.match(stdout, /Usage in gold\s+250 requests this month \(no quota\)/)
      assert.deepEqual(aws.commandCalls(GetApiKeyCommand)[0].args[0].input, {apiKey: 'k1', includeValue: true})
    })

    it('exits 3 naming a key that does not exist', async () => {
      const {stderr, error} = await runCommand(['keys', 'show', 'mallory'], {root: ROOT})
      assert.equal(error?.oclif?.exit, 3)
      assert.match(stderr, /No API key with id or name "mallory"/)
    })
  })

  describe('create', () => {
    beforeEach(() => aws.on(CreateApiKeyCommand).callsFake((input) => ({id: 'k9', ...input})))

    it('shows a generated value in full, once, and attaches the key to each plan', async () => {
      const {stdout, stderr} = await runCommand(['keys', 'create', '--name', 'carol', '--plan', 'gold', '--plan', 'free'], {root: ROOT})
      const value = aws.commandCalls(CreateApiKeyCommand)[0].args[0].input.value!
      assert.match(stdout, /Created API key carol \(k9\)/)
      assert.ok(stdout.includes(value), 'the generated value is printed')
      assert.match(stdout, /Usage plans\s+gold \(n371pt\), free \(p-free\)/)
      assert.match(stderr, /Store the value now/)
      assert.equal(aws.commandCalls(CreateUsagePlanKeyCommand).length, 2)
    })

    it('returns the key with its value and plans under --json, created disabled with --disabled', async () => {
      const {stdout} = await runCommand(['keys', 'create', '--name', 'carol', '--disabled', '--json'], {root: ROOT})
      const out = jsonResult('keys:create', stdout)
      assert.match(out.apiKey.value, /^[A-Za-z0-9]{40}$/)
      assert.equal(out.apiKey.enabled, false)
      assert.deepEqual([out.usagePlans, out.generatedValue, out.changed], [[], true, true])
    })

    it('sets --customer-id on the new key', async () => {
      await runCommand(['keys', 'create', '--name', 'carol', '--customer-id', 'acme-42'], {root: ROOT})
      assert.equal(aws.commandCalls(CreateApiKeyCommand)[0].args[0].input.customerId, 'acme-42')
    })

    it('--if-not-exists returns the existing key, value masked, warning where it differs', async () => {
      aws.on(GetApiKeyCommand).resolves(alice)
      aws.on(GetUsagePlansCommand, {keyId: 'k1'}).resolves({items: [plans[0]]})
      const {stdout, stderr} = await runCommand(['keys', 'create', '--name', 'alice', '--plan', 'gold', '--customer-id', 'acme', '--if-not-exists', '--json'], {
        root: ROOT,
      })
      const body = jsonResult('keys:create', stdout)
      assert.deepEqual([body.changed, body.apiKey.id, body.apiKey.value], [false, 'k1', 'Alic******xy'])
      assert.deepEqual(body.warnings, ['API key alice (k1) differs from the flags given, and was left unchanged: customer id is "" (asked: "acme")'])
      assert.match(stderr, /Warning: API key alice \(k1\) differs/)
      assert.equal(aws.commandCalls(CreateApiKeyCommand).length, 0)
    })

    it('--dry-run prints the calls, never a value, and sends nothing', async () => {
      const {stdout} = await runCommand(['keys', 'create', '--name', 'carol', '--value', 'CarolValue0123456789zz', '--plan', 'gold', '--dry-run'], {root: ROOT})
      assert.match(
        stdout,
        /CreateApiKey name=carol enabled=true value=<value, not shown>\n {2}CreateUsagePlanKey usagePlanId=n371pt keyId=<id of the new key> keyType=API_KEY/,
      )
      assert.doesNotMatch(stdout, /CarolValue/)
      assert.equal(aws.commandCalls(CreateApiKeyCommand).length, 0)
    })

    it('masks a value the user gave, in the table and under --json alike, and warns that --value is seen by others', async () => {
      const {stdout, stderr} = await runCommand(['keys', 'create', '--name', 'carol', '--value', 'CarolValue0123456789zz'], {root: ROOT})
      assert.match(stdout, /Value\s+Caro\*{6}zz/)
      assert.match(stderr, /--value is in your shell history and visible to other users in the process list; --value-file or --value-stdin keep it out of both/)
      const json = JSON.parse((await runCommand(['keys', 'create', '--name', 'carol', '--value', 'CarolValue0123456789zz', '--json'], {root: ROOT})).stdout)
      assert.equal(json.apiKey.value, 'Caro******zz')
    })

    it('--show-values shows a value the user gave in full, in the table and under --json', async () => {
      const {stdout} = await runCommand(['keys', 'create', '--name', 'carol', '--value', 'CarolValue0123456789zz', '--show-values'], {root: ROOT})
      assert.match(stdout, /Value\s+CarolValue0123456789zz/)
      const json = JSON.parse(
        (await runCommand(['keys', 'create', '--name', 'carol', '--value', 'CarolValue0123456789zz', '--show-values', '--json'], {root: ROOT})).stdout,
      )
      assert.equal(json.apiKey.value, 'CarolValue0123456789zz')
    })

    it('--value-file reads the value from a file, names that flag when it is wrong, and never repeats it', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gwctl-keys-'))
      try {
        const file = join(dir, 'carol.key')
        writeFileSync(file, 'CarolFromFile0123456789\n')
        const {stdout} = await runCommand(['keys', 'create', '--name', 'carol', '--value-file', file, '--json'], {root: ROOT})
        assert.equal(aws.commandCalls(CreateApiKeyCommand)[0].args[0].input.value, 'CarolFromFile0123456789')
        assert.equal(JSON.parse(stdout).apiKey.value, 'Caro******89')
        writeFileSync(file, 'short-secret!\n')
        const bad = await runCommand(['keys', 'create', '--name', 'carol', '--value-file', file], {root: ROOT})
        assert.equal(bad.error?.oclif?.exit, 2)
        assert.match(bad.stderr, /--value-file must be 20 to 128 letters and digits; it has 13 characters/)
        assert.doesNotMatch(bad.stderr, /short-secret/)
      } finally {
        rmSync(dir, {recursive: true, force: true})
      }
    })

    it('refuses --value with --value-file or --value-stdin, and a blank --name, with exit 2', async () => {
      const both = await runCommand(['keys', 'create', '--name', 'carol', '--value', 'CarolValue0123456789zz', '--value-stdin'], {root: ROOT})
      assert.equal(both.error?.oclif?.exit, 2)
      const blank = await runCommand(['keys', 'create', '--name='], {root: ROOT})
      assert.equal(blank.error?.oclif?.exit, 2)
      assert.match(blank.stderr, /--name must not be empty or blank; got ""/)
      assert.equal(aws.commandCalls(CreateApiKeyCommand).length, 0)
    })

    it('exits 2 naming --value when it is not 20 to 128 letters and digits', async () => {
      const {stderr, error} = await runCommand(['keys', 'create', '--name', 'carol', '--value', 'abc-123'], {root: ROOT})
      assert.equal(error?.oclif?.exit, 2)
      assert.match(stderr, /--value must be 20 to 128 letters and digits; it has 7 characters/)
      assert.equal(aws.commandCalls(CreateApiKeyCommand).length, 0)
    })

    it('exits 3 naming an unknown --plan, before creating the key', async () => {
      const {stderr, error} = await runCommand(['keys', 'create', '--name', 'carol', '--plan', 'platinum'], {root: ROOT})
      assert.equal(error?.oclif?.exit, 3)
      assert.match(stderr, /No usage plan with id or name "platinum"/)
      assert.equal(aws.commandCalls(CreateApiKeyCommand).length, 0)
    })

    it('exits 4 when two plans cover the same stage, naming both and the stage', async () => {
      const {stderr, error} = await runCommand(['keys', 'create', '--name', 'carol', '--plan', 'gold', '--plan', 'silver'], {root: ROOT})
      assert.equal(error?.oclif?.exit, 4)
      assert.match(stderr, /key carol \(new key\) would be in usage plans gold \(n371pt\) and silver \(q9w8e7\), which both cover stage a1:prod/)
    })
  })

  describe('enable, disable, delete', () => {
    it('disables and enables a key', async () => {
      aws.on(UpdateApiKeyCommand).resolves({...alice, enabled: false})
      const {stdout} = await runCommand(['keys', 'disable', 'alice'], {root: ROOT})
      assert.match(stdout, /Disabled API key alice \(k1\)/)
      const enabled = await runCommand(['keys', 'enable', 'k2', '--json'], {root: ROOT})
      assert.equal(jsonResult('keys:enable', enabled.stdout).apiKey.value, 'Alic******xy')
      assert.deepEqual(
        aws.commandCalls(UpdateApiKeyCommand).map((c) => [c.args[0].input.apiKey, c.args[0].input.patchOperations![0].value]),
        [
          ['k1', 'false'],
          ['k2', 'true'],
        ],
      )
    })

    it('says nothing changed, and sends nothing, for a key already so', async () => {
      const {stdout} = await runCommand(['keys', 'disable', 'bob'], {root: ROOT})
      assert.equal(stdout, 'API key bob (k2) is already disabled; nothing changed\n')
      const json = jsonResult('keys:enable', (await runCommand(['keys', 'enable', 'alice', '--json'], {root: ROOT})).stdout)
      assert.deepEqual([json.changed, json.calls], [false, []])
      assert.equal(aws.commandCalls(UpdateApiKeyCommand).length, 0)
    })

    it('refuses to delete without --yes when there is no terminal, and deletes with it', async () => {
      const refused = await runCommand(['keys', 'delete', 'alice'], {root: ROOT})
      assert.equal(refused.error?.oclif?.exit, 2)
      assert.match(refused.stderr, /Pass --yes/)
      assert.equal(aws.commandCalls(DeleteApiKeyCommand).length, 0)
      const {stdout} = await runCommand(['keys', 'delete', 'alice', '--yes'], {root: ROOT})
      assert.match(stdout, /Deleted API key alice \(k1\)/)
      assert.deepEqual(aws.commandCalls(DeleteApiKeyCommand)[0].args[0].input, {apiKey: 'k1'})
    })

    it('--if-exists: a key that does not exist is nothing to delete, exit 0; --dry-run asks nothing and sends nothing', async () => {
      const missing = await runCommand(['keys', 'delete', 'mallory', '--if-exists', '--json'], {root: ROOT})
      assert.equal(missing.error, undefined)
      assert.deepEqual(jsonResult('keys:delete', missing.stdout).apiKey, null)
      const dry = await runCommand(['keys', 'delete', 'alice', '--dry-run'], {root: ROOT})
      assert.equal(dry.stdout, 'Dry run: nothing was sent. gwctl would send this call:\n  DeleteApiKey apiKey=k1\n')
      assert.equal(aws.commandCalls(DeleteApiKeyCommand).length, 0)
    })
  })

  describe('update', () => {
    it("sends only what differs in one UpdateApiKey, and warns when the new name is another key's", async () => {
      aws.on(UpdateApiKeyCommand).resolves({...alice, name: 'bob', customerId: 'acme'})
      const {stdout, stderr} = await runCommand(['keys', 'update', 'alice', '--name', 'bob', '--customer-id', 'acme', '--enabled'], {root: ROOT})
      assert.deepEqual(aws.commandCalls(UpdateApiKeyCommand)[0].args[0].input, {
        apiKey: 'k1',
        patchOperations: [
          {op: 'replace', path: '/name', value: 'bob'},
          {op: 'replace', path: '/customerId', value: 'acme'},
        ],
      })
      assert.match(stdout, /Updated API key bob \(k1\)/)
      assert.equal(stderr, 'Warning: Another API key is also named "bob" (k2); refer to these keys by id\n')
    })

    it('refuses no change and --enabled with --disabled (exit 2), and sends nothing for a key already so', async () => {
      assert.equal((await runCommand(['keys', 'update', 'alice'], {root: ROOT})).error?.oclif?.exit, 2)
      assert.equal((await runCommand(['keys', 'update', 'alice', '--enabled', '--disabled'], {root: ROOT})).error?.oclif?.exit, 2)
      const same = await runCommand(['keys', 'update', 'alice', '--name', 'alice', '--enabled'], {root: ROOT})
      assert.equal(same.stdout, 'API key alice (k1) already has these settings; nothing changed\n')
      assert.equal(aws.commandCalls(UpdateApiKeyCommand).length, 0)
    })
  })

  describe('find', () => {
    beforeEach(() => {
      aws.on(GetUsagePlansCommand, {keyId: 'k2'}).resolves({items: [plans[2]]})
    })

    it('finds a key by its value, read from stdin with -, and prints it masked', async () => {
      const {stdout} = await runCommand(['keys', 'find', 'BobValue0123456789abcd'], {root: ROOT})
      assert.match(stdout, /ID\s+k2\nName\s+bob\nValue\s+BobV\*{6}cd/)
      assert.match(stdout, /Usage plans\s+free \(p-free\)/)
      assert.doesNotMatch(stdout, /BobValue0123456789abcd/)
      assert.equal(aws.commandCalls(GetApiKeysCommand)[0].args[0].input.includeValues, true)
    })

    it('exits 3 when no key has the value, never echoing it', async () => {
      const {stdout, stderr, error} = await runCommand(['keys', 'find', 'NoSuchValue0123456789zz'], {root: ROOT})
      assert.equal(error?.oclif?.exit, 3)
      assert.doesNotMatch(stdout + stderr, /NoSuchValue/)
      assert.match(stderr, /No API key in this account and Region has that value/)
    })
  })

  describe('tag and untag', () => {
    it('tags and untags a key by its ARN', async () => {
      aws.on(GetApiKeyCommand).resolves({...alice, tags: {tier: 'gold'}})
      const tagged = await runCommand(['keys', 'tag', 'alice', '--tag', 'team=a'], {root: ROOT})
      assert.equal(tagged.stdout, 'Tagged API key alice (k1): tier=gold, team=a\n')
      await runCommand(['keys', 'untag', 'alice', '--tag-key', 'tier', '--tag-key', 'nope'], {root: ROOT})
      assert.deepEqual(aws.commandCalls(TagResourceCommand)[0].args[0].input, {resourceArn: 'arn:aws:apigateway:us-east-1::/apikeys/k1', tags: {team: 'a'}})
      assert.deepEqual(aws.commandCalls(UntagResourceCommand)[0].args[0].input, {resourceArn: 'arn:aws:apigateway:us-east-1::/apikeys/k1', tagKeys: ['tier']})
    })
  })

  describe('export', () => {
    let dir: string
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'gwctl-keys-export-'))
    })
    afterEach(() => rmSync(dir, {recursive: true, force: true}))

    it("writes AWS's import CSV with plan membership; values only with --include-values, then mode 0600", async () => {
      const file = join(dir, 'keys.csv')
      const plain = await runCommand(['keys', 'export', '--out', file], {root: ROOT})
      assert.equal(plain.stdout, `Wrote 2 API key(s) to ${file} (without values)\n`)
      assert.equal(readFileSync(file, 'utf8'), 'Name,Key,Description,Enabled,UsagePlanIds,CustomerId\nalice,,,true,n371pt,\nbob,,,false,,\n')
      await runCommand(['keys', 'export', '--out', file, '--include-values', '--plans-by-name', '--plan', 'gold'], {root: ROOT})
      assert.equal(readFileSync(file, 'utf8'), 'Name,Key,Description,Enabled,UsagePlanIds,CustomerId\nalice,AliceValue0123456789xy,,true,gold,\n')
      assert.equal(statSync(file).mode & 0o777, 0o600)
    })
  })

  describe('attach and detach', () => {
    it('attaches a key to a plan', async () => {
      const {stdout} = await runCommand(['keys', 'attach', 'bob', '--plan', 'gold'], {root: ROOT})
      assert.match(stdout, /Added API key bob \(k2\) to usage plan gold \(n371pt\)/)
      assert.deepEqual(aws.commandCalls(CreateUsagePlanKeyCommand)[0].args[0].input, {usagePlanId: 'n371pt', keyId: 'k2', keyType: 'API_KEY'})
    })

    it('exits 4 when the key is in another plan for the same stage, under --json too', async () => {
      const {stdout} = await runCommand(['keys', 'attach', 'alice', '--plan', 'silver', '--json'], {root: ROOT})
      const error = jsonError(stdout)
      assert.equal(error.code, 'CONFLICT')
      assert.match(error.message, /key alice \(k1\) would be in usage plans gold \(n371pt\) and silver \(q9w8e7\), which both cover stage a1:prod/)
      assert.deepEqual(error.details.collisions[0].stage, 'a1:prod')
      assert.equal(process.exitCode, 4)
      process.exitCode = undefined
    })

    it('detaches, and says so when the key was not in the plan', async () => {
      const {stdout} = await runCommand(['keys', 'detach', 'alice', '--plan', 'gold'], {root: ROOT})
      assert.match(stdout, /Removed API key alice \(k1\) from usage plan gold \(n371pt\)/)
      assert.equal(aws.commandCalls(DeleteUsagePlanKeyCommand).length, 1)
      const again = await runCommand(['keys', 'detach', 'bob', '--plan', 'gold'], {root: ROOT})
      assert.match(again.stdout, /API key bob \(k2\) is not in usage plan gold \(n371pt\); nothing changed/)
    })

    it('exits 2 without --plan', async () => {
      const {error, stderr} = await runCommand(['keys', 'attach', 'alice'], {root: ROOT})
      assert.equal(error?.oclif?.exit, 2)
      assert.equal(stderr, 'Error: Missing required flag --plan\nTry: See the flags and examples: gwctl keys attach --help\n')
    })
  })

  describe('rotate', () => {
    beforeEach(() => {
      aws.on(GetUsagePlansCommand, {keyId: 'k1'}).resolves({items: [plans[0]]})
      aws.on(GetUsagePlansCommand, {keyId: 'k2'}).resolves({items: []})
      aws.on(GetApiKeyCommand, {apiKey: 'k1'}).resolves(alice)
      aws.on(GetApiKeyCommand, {apiKey: 'k2'}).resolves(bob)
      aws.on(CreateApiKeyCommand).callsFake((input) => ({id: 'k9', ...input}))
    })

    it('prints the new key with its value once, its plans, and what happened to the old one', async () => {
      aws.on(UpdateApiKeyCommand).resolves({...alice, enabled: false})
      const {stdout, stderr} = await runCommand(['keys', 'rotate', 'alice', '--disable-old'], {root: ROOT})
      const value = aws.commandCalls(CreateApiKeyCommand)[0].args[0].input.value!
      assert.match(stdout, /Created API key k9 to replace alice \(k1\)/)
      assert.ok(stdout.includes(value))
      assert.match(stdout, /Usage plans\s+gold \(n371pt\)/)
      assert.match(stdout, /Old key alice \(k1\): disabled/)
      assert.match(stderr, /Store the new value now/)
    })

    it('masks the old value and shows the new one under --json', async () => {
      const {stdout} = await runCommand(['keys', 'rotate', 'alice', '--json'], {root: ROOT})
      const out = jsonResult('keys:rotate', stdout)
      assert.equal(out.previousApiKey.value, 'Alic******xy')
      assert.match(out.apiKey.value, /^[A-Za-z0-9]{40}$/)
      assert.equal(out.oldKeyAction, 'keep')
    })

    it('--rename-old renames the old key, so the two no longer share a name', async () => {
      aws.on(UpdateApiKeyCommand).resolves({...alice, name: 'alice-retired', enabled: false})
      const {stdout} = await runCommand(['keys', 'rotate', 'alice', '--disable-old', '--rename-old', '-retired'], {root: ROOT})
      assert.deepEqual(aws.commandCalls(UpdateApiKeyCommand)[0].args[0].input.patchOperations, [
        {op: 'replace', path: '/name', value: 'alice-retired'},
        {op: 'replace', path: '/enabled', value: 'false'},
      ])
      assert.match(stdout, /Old key alice-retired \(k1\): disabled/)
      const refused = await runCommand(['keys', 'rotate', 'alice', '--delete-old', '--rename-old', '-x'], {root: ROOT})
      assert.equal(refused.error?.oclif?.exit, 2)
    })

    it('replaces a disabled key by a disabled one, and warns that it is', async () => {
      const {stdout, stderr} = await runCommand(['keys', 'rotate', 'bob'], {root: ROOT})
      assert.equal(aws.commandCalls(CreateApiKeyCommand)[0].args[0].input.enabled, false)
      assert.match(stdout, /Old key bob \(k2\): disabled; delete it once you no longer need it: gwctl keys delete k2/)
      assert.match(stderr, /Warning: The new key bob \(k9\) is disabled, as the old key was: enable it with gwctl keys enable k9/)
    })

    it('--dry-run prints the calls and creates nothing', async () => {
      const {stdout} = await runCommand(['keys', 'rotate', 'alice', '--delete-old', '--dry-run'], {root: ROOT})
      assert.match(
        stdout,
        /CreateApiKey name=alice enabled=true value=<value, not shown>\n {2}CreateUsagePlanKey usagePlanId=n371pt keyId=<id of the new key> keyType=API_KEY\n {2}DeleteApiKey apiKey=k1/,
      )
      assert.equal(aws.commandCalls(CreateApiKeyCommand).length, 0)
    })

    it('refuses --disable-old with --delete-old', async () => {
      const {error} = await runCommand(['keys', 'rotate', 'alice', '--disable-old', '--delete-old'], {root: ROOT})
      assert.equal(error?.oclif?.exit, 2)
      assert.equal(aws.commandCalls(CreateApiKeyCommand).length, 0)
    })
  })

  describe('import', () => {
    beforeEach(() => keysAccount(aws, [alice, bob]))

    it("imports AWS's sample file and prints each row with its new key's id", async () => {
      const {stdout} = await runCommand(['keys', 'import', fixture('aws-sample.csv'), '--customer-id', 'acme'], {root: ROOT})
      assert.match(stdout, /Imported lines 2-4 of .*aws-sample\.csv: 3 key\(s\) created/)
      assert.match(stdout, /Line\s+Name\s+Key id\s+Customer id\n2\s+importedKey_1\s+n0\s+acme\n3\s+importedKey_2\s+n1\s+acme\n4\s+importedKey_3\s+n2\s+acme/)
      assert.deepEqual(
        aws.commandCalls(UpdateApiKeyCommand).map((c) => c.args[0].input.apiKey),
        ['n0', 'n1', 'n2'],
      )
      const body = new TextDecoder().decode(aws.commandCalls(ImportApiKeysCommand)[0].args[0].input.body as Uint8Array)
      assert.match(body, /^Name,Key,Description,Enabled,UsagePlanIds\nimportedKey_1,abcdef1234ghijklmnop8901234567,firstone,true,n371pt\n/)
    })

    it("gives each imported row its key id under --json, with AWS's ids, and sends failOnWarnings", async () => {
      const json = jsonResult(
        'keys:import',
        (await runCommand(['keys', 'import', fixture('aws-sample.csv'), '--fail-on-warnings', '--json'], {root: ROOT})).stdout,
      )
      assert.deepEqual(json.ids, ['n0', 'n1', 'n2'])
      assert.deepEqual(json.imported[0], {line: 2, name: 'importedKey_1', id: 'n0'})
      assert.equal(aws.commandCalls(ImportApiKeysCommand)[0].args[0].input.failOnWarnings, true)
    })

    it('exits 7 naming the rows AWS did not import, with its warnings, when it imported the others', async () => {
      keysAccount(aws, [alice, bob], ['importedKey_2'])
      const {stdout} = await runCommand(['keys', 'import', fixture('aws-sample.csv'), '--json'], {root: ROOT})
      const error = jsonError(stdout)
      assert.deepEqual([error.code, process.exitCode], ['PARTIAL_FAILURE', 7])
      assert.match(
        error.message,
        /^Not imported: line 3 of .*aws-sample\.csv: AWS created no key for them; it warned: line 3 \(importedKey_2\): API key importedKey_2 not imported: limit reached$/,
      )
      assert.deepEqual(
        error.details.imported.map((r: {id: string}) => r.id),
        ['n0', 'n1'],
      )
      process.exitCode = undefined
    })

    it('lists rows it skips because their value exists, and what a dry run would send', async () => {
      keysAccount(aws, [{id: 'k7', name: 'old', value: 'abcdef1234ghijklmnop0123456789'}])
      const {stdout, stderr} = await runCommand(['keys', 'import', fixture('aws-sample.csv'), '--dry-run'], {root: ROOT})
      assert.match(stderr, /Line 3: existing key k7 is not in n371pt; add it with gwctl keys attach k7 --plan n371pt/)
      assert.match(stdout, /Skipped 1 row\(s\) whose key value already exists:\nLine\s+Name\s+Existing key\n3\s+importedKey_2\s+k7/)
      assert.match(stdout, /2\s+importedKey_1\n4\s+importedKey_3/)
      assert.match(stdout, /Dry run: 2 key\(s\) would be imported in 1 batch\(es\); nothing was sent/)
      assert.equal(aws.commandCalls(ImportApiKeysCommand).length, 0)
    })

    it('never repeats a key value of a file it refuses, on stderr or in --json details (issue 13)', async () => {
      const human = await runCommand(['keys', 'import', fixture('headerless.csv')], {root: ROOT})
      const json = await runCommand(['keys', 'import', fixture('headerless.csv'), '--json'], {root: ROOT})
      assert.equal(human.error?.oclif?.exit, 2)
      for (const out of [human.stderr, json.stdout]) {
        assert.ok(!out.includes('SECRET1') && !out.includes('Zx8Kq2Lm4Np6Rt8Vw0Yb3Cd5'), out)
        assert.match(out, /Zx8K\*{6}T1/)
      }

      assert.match(JSON.parse(json.stdout).error.details.problems[0].message, /found: acme, Zx8K\*{6}T1/)
    })

    it("masks what may be a key value in AWS's warnings", async () => {
      aws.on(ImportApiKeysCommand).resolves({ids: ['i1'], warnings: ['Line 2: key abcdef1234ghijklmnop8901234567 ignored']})
      // AWS created no key for the rows (none reads back by value): the failure carries the warning, masked.
      const {stdout} = await runCommand(['keys', 'import', fixture('aws-sample.csv'), '--json'], {root: ROOT})
      assert.deepEqual(JSON.parse(stdout).error.details.warnings, ['line 2 (importedKey_1): key abcd******67 ignored'])
      assert.doesNotMatch(stdout, /abcdef1234ghijklmnop8901234567/)
    })

    const invalid = readdirSync(FIXTURES).filter((f) => !['aws-sample.csv', 'bom-crlf-quoted.csv', 'two-plans-one-stage.csv'].includes(f))
    const expectedLine: Record<string, RegExp> = {
      'bad-enabled.csv': /line 2: Enabled must be true, false or empty/,
      'duplicate-value.csv': /line 4: Key repeats the value on line 2/,
      'header-only.csv': /line 1: the file has a header but no keys/,
      'key-not-alphanumeric.csv': /line 2: Key must be letters and digits only/,
      'key-too-long.csv': /line 2: Key must be 20 to 128 letters and digits; it has 129 characters/,
      'key-too-short.csv': /line 2: Key must be 20 to 128 letters and digits; it has 8 characters/,
      'many-problems.csv': /line 2: Name is empty\n {2}line 3: .*\n {2}line 3: .*\n {2}line 3: .*\n {2}line 4: .*\n {2}line 5: Key is empty/,
      'missing-key-column.csv': /line 1: the header has no Key column/,
      'missing-name-column.csv': /line 1: the header has no Name column/,
      'headerless.csv': /line 1: the header has no Name column \(found: acme, Zx8K\*{6}T1\)/,
      'text-after-quote.csv': /line 2: text "Inc" follows a closing quote/,
      'unclosed-quote.csv': /line 2: a double quote opened here is never closed/,
      'unknown-plan.csv': /line 2: UsagePlanIds names usage plan "nosuch", which does not exist \(no plan has that id or name\)/,
    }
    for (const file of invalid) {
      it(`exits 2 on ${file}, naming the line, and sends nothing`, async () => {
        const {stderr, error} = await runCommand(['keys', 'import', fixture(file)], {root: ROOT})
        assert.equal(error?.oclif?.exit, 2)
        assert.ok(expectedLine[file], `an expectation for ${file}`)
        assert.match(stderr, new RegExp(String.raw`${file.replace('.', String.raw`\.`)} has \d+ problem\(s\); nothing was sent`))
        assert.match(stderr, expectedLine[file])
        assert.equal(aws.commandCalls(ImportApiKeysCommand).length, 0)
      })
    }

    it('reports the problems in --json with their lines', async () => {
      const {stdout} = await runCommand(['keys', 'import', fixture('many-problems.csv'), '--json'], {root: ROOT})
      const error = jsonError(stdout)
      assert.equal(error.exitCode, 2)
      assert.deepEqual(
        error.details.problems.map((p: {line: number}) => p.line),
        [2, 3, 3, 3, 4, 5],
      )
      process.exitCode = undefined
    })

    it('exits 4 when a row would put a key in two plans covering one stage', async () => {
      const {stderr, error} = await runCommand(['keys', 'import', fixture('two-plans-one-stage.csv')], {root: ROOT})
      assert.equal(error?.oclif?.exit, 4)
      assert.match(stderr, /key alice \(line 2\) would be in usage plans gold \(n371pt\) and silver \(q9w8e7\), which both cover stage a1:prod/)
    })

    it('exits 4 when --plan collides with a plan in the file', async () => {
      const {error} = await runCommand(['keys', 'import', fixture('aws-sample.csv'), '--plan', 'silver'], {root: ROOT})
      assert.equal(error?.oclif?.exit, 4)
      assert.equal(aws.commandCalls(ImportApiKeysCommand).length, 0)
    })

    it('exits 3 naming an unknown --plan, and 2 naming a missing file', async () => {
      const plan = await runCommand(['keys', 'import', fixture('aws-sample.csv'), '--plan', 'platinum'], {root: ROOT})
      assert.equal(plan.error?.oclif?.exit, 3)
      assert.match(plan.stderr, /No usage plan with id or name "platinum"/)
      const file = await runCommand(['keys', 'import', 'nope.csv'], {root: ROOT})
      assert.equal(file.error?.oclif?.exit, 2)
      assert.match(file.stderr, /Cannot read nope\.csv: no such file/)
    })
  })
})
