import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {connectApiGateway, createApiGatewayClient} from '../../src/aws/api-gateway.js'
import {GwctlError} from '../../src/model/errors.js'

describe('aws: the API Gateway client, connected as the AWS CLI would', () => {
  let dir: string
  const saved = {...process.env}
  const warnings: unknown[][] = []
  const realWarn = console.warn

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-aws-'))
    writeFileSync(join(dir, 'credentials'), '[ops]\naws_access_key_id = AKIAOPSPROFILE\naws_secret_access_key = ops-secret\n')
    writeFileSync(join(dir, 'config'), '[profile ops]\nregion = eu-west-3\n')
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials')
    process.env.AWS_CONFIG_FILE = join(dir, 'config')
    warnings.length = 0
    console.warn = (...args: unknown[]) => warnings.push(args)
  })
  afterEach(() => {
    console.warn = realWarn
    process.env = {...saved}
    rmSync(dir, {recursive: true, force: true})
  })

  it('--profile takes credentials and Region from that profile, silently, over the environment keys', async () => {
    delete process.env.AWS_REGION
    delete process.env.AWS_DEFAULT_REGION
    assert.ok(process.env.AWS_ACCESS_KEY_ID, "the test environment sets keys, as a user's shell might")
    const client = createApiGatewayClient({profile: 'ops'})
    const credentials = await client.config.credentials()
    assert.equal(credentials.accessKeyId, 'AKIAOPSPROFILE')
    assert.equal(await client.config.region(), 'eu-west-3')
    assert.deepEqual(warnings, [])
  })

  it("reports a missing profile once, as gwctl's own error, with nothing from the SDK on stderr", async () => {
    process.env.AWS_EC2_METADATA_DISABLED = 'true' // fail at once instead of asking an instance metadata service
    const errors: unknown[][] = []
    const realError = console.error
    console.error = (...args: unknown[]) => errors.push(args)
    try {
      const apigw = connectApiGateway({profile: 'nosuch', region: 'us-east-1'})
      await assert.rejects(apigw.getUsagePlans({}, 'listing usage plans'), (error: GwctlError) => {
        assert.equal(error.exitCode, 6)
        assert.equal(error.message, 'No AWS credentials found while listing usage plans')
        return true
      })
    } finally {
      console.error = realError
    }

    assert.deepEqual(errors, [])
    assert.deepEqual(warnings, [])
  })

  it('--region wins over the environment, which wins over the profile', async () => {
    process.env.AWS_REGION = 'us-west-2'
    assert.equal(await createApiGatewayClient({profile: 'ops'}).config.region(), 'us-west-2')
    assert.equal(await createApiGatewayClient({profile: 'ops', region: 'ap-south-1'}).config.region(), 'ap-south-1')
  })

  it('reads AWS_DEFAULT_REGION as the AWS CLI does', async () => {
    delete process.env.AWS_REGION
    process.env.AWS_DEFAULT_REGION = 'sa-east-1'
    assert.equal(await createApiGatewayClient({}).config.region(), 'sa-east-1')
  })

  it('sends calls to --endpoint-url', async () => {
    const client = createApiGatewayClient({endpointUrl: 'http://127.0.0.1:5000'})
    const endpoint = await client.config.endpoint!()
    assert.deepEqual([endpoint.protocol, endpoint.hostname, endpoint.port], ['http:', '127.0.0.1', 5000])
  })

  it('reads Retry-After from a real 429 answer and waits that long', async () => {
    let calls = 0
    const server = createServer((request, response) => {
      calls++
      if (calls === 1) {
        response.writeHead(429, {'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException', 'retry-after': '7'})
        response.end(JSON.stringify({message: 'Too Many Requests'}))
      } else {
        response.writeHead(200, {'content-type': 'application/json'})
        response.end(JSON.stringify({item: [{id: 'p1', name: 'gold'}]}))
      }
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const sleeps: number[] = []
      const {port} = server.address() as AddressInfo
      const apigw = connectApiGateway({endpointUrl: `http://127.0.0.1:${port}`}, {sleep: async (ms) => void sleeps.push(ms)})
      const plans = await apigw.getUsagePlans({}, 'listing usage plans')
      assert.deepEqual(
        plans.map((p) => p.name),
        ['gold'],
      )
      assert.deepEqual(sleeps, [7000])
      assert.equal(calls, 2)
    } finally {
      server.close()
    }
  })
})
