import {APIGatewayClient, GetUsagePlansCommand} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'
import {chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {packagesLoadedBy, runCli} from '../helpers/cli.js'
import {MOTO_ENV, useMoto} from '../helpers/moto.js'

// The built CLI takes the AWS SDK from the bundle the build makes, its credential providers in chunks of their own:
// these check that it still finds credentials and the Region the way the AWS CLI does, from the environment and
// from profiles.
describe('credentials and Region in the built CLI, against moto', function () {
  this.timeout(60_000)
  const moto = useMoto()
  let dir: string
  /** No keys or Region in the environment: only the profile files in `dir`. */
  let profileEnv: NodeJS.ProcessEnv

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-profiles-'))
    // `ops` gets its keys from a credential_process, which leaves a mark when it runs.
    const process = join(dir, 'credentials-process.sh')
    writeFileSync(
      process,
      `#!/bin/sh\ntouch '${join(dir, 'process-ran')}'\necho '{"Version": 1, "AccessKeyId": "AKIAOPSPROCESS", "SecretAccessKey": "ops-secret"}'\n`,
    )
    chmodSync(process, 0o755)
    writeFileSync(join(dir, 'config'), `[profile ops]\nregion = eu-west-3\ncredential_process = ${process}\n\n[profile dev]\nregion = ap-south-1\n`)
    writeFileSync(join(dir, 'credentials'), '[dev]\naws_access_key_id = AKIADEVPROFILE\naws_secret_access_key = dev-secret\n')
    profileEnv = {
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_REGION: undefined,
      AWS_DEFAULT_REGION: undefined,
      AWS_EC2_METADATA_DISABLED: 'true', // fail at once rather than ask an instance metadata service
    }
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  const plansIn = async (region: string) => {
    const client = new APIGatewayClient({region, endpoint: moto.current.url, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}})
    return ((await client.send(new GetUsagePlansCommand({}))).items ?? []).map((plan) => plan.name)
  }

  it('lists plans with keys from the environment, the SDK taken from the bundle and no prompts loaded', async () => {
    const {packages, fromNodeModules, sources} = packagesLoadedBy(['plans', 'list', '--endpoint-url', moto.current.url], MOTO_ENV)
    assert.ok(packages.includes('@aws-sdk/client-api-gateway') && sources.includes('src/aws/api-gateway.ts'))
    assert.deepEqual(
      fromNodeModules.filter((name) => /^@(aws-sdk|smithy)\//.test(name)),
      [],
    )
    assert.ok(!packages.includes('@inquirer/prompts'))
  })

  it('--profile takes keys (from a credential_process) and Region from the profile, silently, over keys in the environment', async () => {
    const result = await runCli(['plans', 'create', '--name', 'ops-plan', '--profile', 'ops', '--json', '--endpoint-url', moto.current.url], {
      env: {...profileEnv, AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT', AWS_SECRET_ACCESS_KEY: 'env-secret'},
    })
    assert.equal(result.code, 0, result.stderr)
    assert.doesNotMatch(result.stderr, /credential|Warning/i, 'no warning about the keys in the environment')
    assert.ok(existsSync(join(dir, 'process-ran')), "the profile's credential_process did not run")
    assert.deepEqual(await plansIn('eu-west-3'), ['ops-plan'])
    assert.deepEqual(await plansIn('us-east-1'), [])
  })

  it('AWS_PROFILE selects a profile with keys in the credentials file', async () => {
    const result = await runCli(['plans', 'create', '--name', 'dev-plan', '--endpoint-url', moto.current.url], {env: {...profileEnv, AWS_PROFILE: 'dev'}})
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(await plansIn('ap-south-1'), ['dev-plan'])
  })

  it("exits 6 with gwctl's own message when the profile does not exist", async () => {
    const result = await runCli(['plans', 'list', '--profile', 'nosuch', '--region', 'us-east-1', '--endpoint-url', moto.current.url], {env: profileEnv})
    assert.equal(result.code, 6)
    assert.match(result.stderr, /^Error: No AWS credentials found while listing usage plans\n/)
  })
})
