import {CreateApiKeyCommand, CreateUsagePlanCommand, GetApiKeyCommand, GetApiKeysCommand, GetUsagePlansCommand} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {runCli} from '../helpers/cli.js'
import {createDeployedApi, sdkFor} from '../helpers/moto-api.js'
import {MOTO_ENV, useMoto} from '../helpers/moto.js'

// Issue 13, items 5 and 7, through the built CLI against moto: bad input is refused naming the
// flag before anything is sent; secrets stay out of command lines, messages and snapshots;
// names from the account cannot act on the terminal; an expired SSO session says what to do.
describe('input and secrets (built CLI as a subprocess, against moto)', function () {
  this.timeout(120_000)
  const moto = useMoto()
  const sdk = () => sdkFor(moto.current.url)
  const gwctl = (args: string[], options: {input?: string; env?: NodeJS.ProcessEnv} = {}) =>
    runCli([...args, '--endpoint-url', moto.current.url], {env: {...MOTO_ENV, ...options.env}, input: options.input})
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-input-'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  const refusals: Array<[string[], RegExp]> = [
    [['plans', 'create', '--name', ''], /^Error: --name must not be empty or blank; got ""$/m],
    [['plans', 'create', '--name', '   '], /^Error: --name must not be empty or blank; got " {3}"$/m],
    [['keys', 'create', '--name', ' '], /--name must not be empty or blank/],
    [['plans', 'create', '--name', 'gold', '--rate', '0x10', '--burst', '5'], /--rate must be a number of requests per second, 0 or more; got "0x10"/],
    [['plans', 'create', '--name', 'gold', '--rate', ' 5', '--burst', '5'], /--rate must be a number of requests per second, 0 or more; got " 5"/],
    [['plans', 'create', '--name', 'gold', '--rate', '5', '--burst', '99999999999'], /--burst is 99999999999, above AWS's limit of 2147483647/],
    [['plans', 'create', '--name', 'gold', '--quota', '3000000000/MONTH'], /--quota limit is 3000000000, above AWS's limit of 2147483647/],
    [['plans', 'update', 'gold', '--burst', '1e3'], /--burst must be a whole number of requests, 0 or more; got "1e3"/],
    [['plans', 'list', '--region', ''], /--region must be an AWS Region such as us-east-1; got ""/],
    [['plans', 'list', '--timeout', '0'], /--timeout must be a number of seconds above 0/],
    [['plans', 'list', '--max-wait', 'soon'], /--max-wait must be a number of seconds from 0/],
  ]
  for (const [args, message] of refusals) {
    it(`refuses ${args.slice(0, 2).join(' ')} ${JSON.stringify(args.slice(2))} with exit 2, naming the flag, before calling AWS`, async () => {
      const result = await gwctl(args)
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr, message)
      assert.equal(((await sdk().send(new GetUsagePlansCommand({}))).items ?? []).length, 0)
    })
  }

  it('refuses a --endpoint-url (or AWS_ENDPOINT_URL_API_GATEWAY) that is not http or https', async () => {
    const flag = await runCli(['plans', 'list', '--endpoint-url', 'ftp://127.0.0.1:21'], {env: MOTO_ENV})
    assert.equal(flag.code, 2)
    assert.match(
      flag.stderr,
      /--endpoint-url \(or AWS_ENDPOINT_URL_API_GATEWAY\) must be an http:\/\/ or https:\/\/ URL, such as http:\/\/127\.0\.0\.1:5000; got "ftp:\/\/127\.0\.0\.1:21"/,
    )
    const env = await runCli(['plans', 'list'], {env: {...MOTO_ENV, AWS_ENDPOINT_URL_API_GATEWAY: 'file:///etc/passwd'}})
    assert.equal(env.code, 2)
    assert.match(
      env.stderr,
      /\(or AWS_ENDPOINT_URL_API_GATEWAY\) must be an http:\/\/ or https:\/\/ URL, such as http:\/\/127\.0\.0\.1:5000; got "file:\/\/\/etc\/passwd"/,
    )
  })

  it('keys create --value-stdin takes the value from standard input, and shows it masked', async () => {
    const value = 'FromStdin0123456789abcdef'
    const result = await gwctl(['keys', 'create', '--name', 'partner', '--value-stdin', '--json'], {input: `${value}\n`})
    assert.equal(result.code, 0, result.stderr)
    const shown = JSON.parse(result.stdout)
    assert.equal(shown.apiKey.value, 'From******ef')
    assert.ok(!(result.stdout + result.stderr).includes(value))
    assert.equal((await sdk().send(new GetApiKeyCommand({apiKey: shown.apiKey.id, includeValue: true}))).value, value)
  })

  it('a name with terminal escapes is shown escaped by keys list, keys show and their errors', async () => {
    const evil = 'evil\u001B[2J\u001B[Hkey\u202E'
    await sdk().send(new CreateApiKeyCommand({name: evil, value: 'Evil0123456789abcdefghij', enabled: true}))
    await sdk().send(new CreateUsagePlanCommand({name: `plan\u001B]0;title\u0007`}))
    for (const args of [
      ['keys', 'list'],
      ['keys', 'show', evil],
      ['plans', 'list'],
    ]) {
      const result = await gwctl(args)
      assert.equal(result.code, 0, result.stderr)
      assert.ok(
        ![...(result.stdout + result.stderr)].some((c) => ['\u001B', '\u0007', '\u202E'].includes(c)),
        `${args.join(' ')} printed a raw control character:\n${JSON.stringify(result.stdout)}`,
      )
    }

    assert.match((await gwctl(['keys', 'show', evil])).stdout, /evil\\x1b\[2J\\x1b\[Hkey\\u202e/)
    const ambiguous = await gwctl(['keys', 'delete', 'nosuch\u001B[2J', '--yes'])
    assert.equal(ambiguous.code, 3)
    assert.match(ambiguous.stderr, /No API key with id or name "nosuch\\x1b\[2J"/)
  })

  it('export keeps key values salted, and simulate still finds a key by its value in a log', async () => {
    const {id: apiId} = await createDeployedApi(moto.current.url, {name: 'pets', methods: {'/pets': ['GET']}, stages: ['prod']})
    const value = 'Alice0123456789abcdefghij'
    const plan = JSON.parse((await gwctl(['plans', 'create', '--name', 'gold', '--rate', '1', '--burst', '1', '--stage', 'pets:prod', '--json'])).stdout)
    await gwctl(['keys', 'create', '--name', 'alice', '--value', value, '--plan', plan.id ?? plan.usagePlan.id])
    const snapshotFile = join(dir, 'snapshot.json')
    assert.equal((await gwctl(['export', '--out', snapshotFile])).code, 0)
    const text = readFileSync(snapshotFile, 'utf8')
    assert.ok(!text.includes(value) && !text.includes(createHash('sha256').update(value).digest('hex')), 'neither the value nor its plain hash')

    const log = join(dir, 'access.jsonl')
    const line = (n: number) =>
      JSON.stringify({
        requestTimeEpoch: String(1_772_366_400_000 + n),
        apiId,
        stage: 'prod',
        resourcePath: '/pets',
        httpMethod: 'GET',
        status: '200',
        apiKey: value,
      })
    writeFileSync(log, [line(0), line(1)].join('\n') + '\n')
    const replay = await runCli(['simulate', '--snapshot', snapshotFile, '--log', log, '--json'], {env: MOTO_ENV})
    assert.equal(replay.code, 0, replay.stderr)
    const report = JSON.parse(replay.stdout)
    const alice = report.keys.find((k: {name: string}) => k.name === 'alice')
    assert.equal(alice.requests, 2, 'both lines were matched to alice by value')
    assert.equal(((await sdk().send(new GetApiKeysCommand({}))).items ?? []).length, 1)
  })

  it('an expired SSO session exits 6, says so, and names aws sso login with the profile', async () => {
    const aws = join(dir, '.aws')
    const cache = join(aws, 'sso', 'cache')
    const startUrl = 'https://example.awsapps.com/start'
    const {mkdirSync} = await import('node:fs')
    mkdirSync(cache, {recursive: true})
    writeFileSync(
      join(aws, 'config'),
      `[profile corp]\nsso_start_url = ${startUrl}\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = Admin\nregion = us-east-1\n`,
    )
    // The SDK names a profile's SSO token after the SHA-1 of its start URL; this one ran out in 2020.
    const tokenFile = createHash('sha1').update(startUrl).digest('hex')
    writeFileSync(join(cache, `${tokenFile}.json`), JSON.stringify({accessToken: 'x', expiresAt: '2020-01-01T00:00:00Z', region: 'us-east-1', startUrl}))
    const result = await gwctl(['plans', 'list', '--profile', 'corp'], {
      env: {HOME: dir, AWS_CONFIG_FILE: join(aws, 'config'), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_EC2_METADATA_DISABLED: 'true'},
    })
    assert.equal(result.code, 6, result.stderr)
    assert.match(
      result.stderr,
      /^Error: The AWS SSO session of profile corp has expired or is not valid \(while listing usage plans\): The SSO session associated with this profile has expired/,
    )
    assert.match(result.stderr, /Try: Sign in again: aws sso login --profile corp/)
    assert.doesNotMatch(result.stderr, /No AWS credentials found/)
  })
})
