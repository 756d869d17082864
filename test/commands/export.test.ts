import {APIGatewayClient, GetAccountCommand, GetApiKeysCommand, GetUsagePlanKeysCommand, GetUsagePlansCommand} from '@aws-sdk/client-api-gateway'
import {runCommand} from '../helpers/run-command.js'
import {type AwsClientStub, mockClient} from 'aws-sdk-client-mock'
import assert from 'node:assert/strict'
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {ROOT} from '../helpers/cli.js'
import {jsonResult} from '../helpers/json-contract.js'
import {awsError} from '../helpers/mock-aws.js'
import {mockPetsApi} from '../gateway/fixtures.js'

describe('export command (in-process, mocked AWS)', () => {
  // Commands build their own client, so the class is mocked; only while this suite runs.
  let aws: AwsClientStub<APIGatewayClient>
  before(() => {
    aws = mockClient(APIGatewayClient)
  })
  const value = 'alice0123456789abcdefghij'
  let dir: string

  beforeEach(() => {
    aws.reset()
    process.exitCode = undefined
    dir = mkdtempSync(join(tmpdir(), 'gwctl-export-'))
    mockPetsApi(aws)
    aws.on(GetUsagePlansCommand).resolves({items: [{id: 'p1', name: 'gold', apiStages: [{apiId: 'a1', stage: 'prod'}]}]})
    aws.on(GetUsagePlanKeysCommand).resolves({items: [{id: 'k1', name: 'alice'}]})
    aws.on(GetApiKeysCommand).resolves({items: [{id: 'k1', name: 'alice', enabled: true, value}]})
    aws.on(GetAccountCommand).resolves({throttleSettings: {rateLimit: 10_000, burstLimit: 5000}})
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))
  after(() => aws.restore())

  it('prints the snapshot on stdout, key values hashed', async () => {
    const {stdout} = await runCommand(['export'], {root: ROOT})
    const snapshot = JSON.parse(stdout)
    assert.deepEqual(Object.keys(snapshot), ['version', 'generatedAt', 'keyValueSalt', 'region', 'account', 'apis', 'usagePlans', 'apiKeys'])
    assert.equal(snapshot.apiKeys[0].valueHmacSha256.length, 64)
    assert.doesNotMatch(stdout, new RegExp(value))
  })

  it('gives the snapshot as `snapshot` under --json, beside its warnings', async () => {
    aws.on(GetAccountCommand).rejects(awsError('UnauthorizedException', 'not allowed'))
    const {stdout, stderr} = await runCommand(['export', '--json'], {root: ROOT})
    const {snapshot, warnings} = jsonResult('export', stdout)
    assert.deepEqual(snapshot.usagePlans, [{id: 'p1', name: 'gold', apiStages: [{apiId: 'a1', stage: 'prod'}]}])
    assert.equal(warnings.length, 1)
    assert.match(warnings[0], /^Could not read the account throttle/)
    assert.ok(stderr.includes(`Warning: ${warnings[0]}`), 'the warning is on stderr too')
  })

  it('says what it wrote under --json with --out', async () => {
    const out = join(dir, 'snapshot.json')
    const body = jsonResult('export', (await runCommand(['export', '--out', out, '--json'], {root: ROOT})).stdout)
    assert.deepEqual(body, {file: out, counts: {apis: 1, usagePlans: 1, apiKeys: 1}, includesValues: false, warnings: []})
  })

  it('writes --out with values readable by the owner only when --include-values', async () => {
    const out = join(dir, 'snapshot.json')
    const {stdout} = await runCommand(['export', '--out', out, '--include-values'], {root: ROOT})
    assert.match(stdout, /Wrote 1 API\(s\), 1 usage plan\(s\) and 1 API key\(s\) to .*snapshot\.json \(key values included; file mode 0600\)/)
    assert.equal(statSync(out).mode & 0o777, 0o600)
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).apiKeys[0].value, value)
    assert.deepEqual(readdirSync(dir), ['snapshot.json'])
  })

  it('exits 2 naming --out when the file cannot be written, leaving nothing behind', async () => {
    const out = join(dir, 'missing', 'snapshot.json')
    const {error, stderr} = await runCommand(['export', '--out', out], {root: ROOT})
    assert.equal(error?.oclif?.exit, 2)
    assert.match(stderr, /--out: cannot write ".*missing\/snapshot\.json"/)
    assert.deepEqual(readdirSync(dir), [])
  })

  it('exits 3 naming an unknown --api, writing nothing', async () => {
    const out = join(dir, 'snapshot.json')
    const {error, stderr} = await runCommand(['export', '--api', 'shop', '--out', out], {root: ROOT})
    assert.equal(error?.oclif?.exit, 3)
    assert.match(stderr, /No REST API with id or name "shop"/)
    assert.deepEqual(readdirSync(dir), [])
  })
})
