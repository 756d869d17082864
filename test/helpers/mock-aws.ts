import {APIGatewayClient, GetApiKeysCommand, ImportApiKeysCommand} from '@aws-sdk/client-api-gateway'
import {type AwsClientStub, mockClient} from 'aws-sdk-client-mock'

import {type ApiGateway, apiGatewayOver} from '../../src/aws/api-gateway.js'
import {Session} from '../../src/aws/session.js'

export type ApiGatewayMock = AwsClientStub<APIGatewayClient>

/**
 * A mocked API Gateway SDK client and the ApiGateway the services take over it,
 * retrying and pacing without waiting: `sleeps` records each wait the rules asked for
 * (a clock of its own moves on by each), `notices` what gwctl would print on stderr.
 * Call it in a hook or a test (never at file load or describe time), and restore
 * `mock` afterwards; only this client is mocked, so suites cannot leak a mock into others.
 */
export function mockApiGateway(): {mock: ApiGatewayMock; apigw: ApiGateway; sleeps: number[]; notices: string[]; session: Session} {
  const client = new APIGatewayClient({region: 'us-east-1', credentials: {accessKeyId: 'x', secretAccessKey: 'x'}})
  const mock = mockClient(client)
  const sleeps: number[] = []
  const notices: string[] = []
  const session = new Session((line) => notices.push(line))
  let clock = 0
  const apigw = apiGatewayOver(client, {
    now: () => clock,
    async sleep(ms) {
      sleeps.push(ms)
      clock += ms
    },
    session,
  })
  return {mock, apigw, sleeps, notices, session}
}

/** An SDK-shaped service error, as the client would throw it. */
export function awsError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  const status: Record<string, number> = {
    BadRequestException: 400,
    ConflictException: 409,
    LimitExceededException: 429,
    NotFoundException: 404,
    TooManyRequestsException: 429,
    UnauthorizedException: 401,
    ServiceUnavailableException: 503,
  }
  return Object.assign(new Error(message), {name, $fault: 'client', $metadata: {httpStatusCode: status[name] ?? 400}, ...extra})
}

/**
 * An account's API keys as AWS keeps them, on a mocked client: GetApiKeys lists them, and
 * ImportApiKeys adds one per row of its CSV (id "n" + how many it made before) except the
 * rows whose name is in `leaveOut`, which it answers with a warning instead, as AWS may.
 * Returns the list, which a test may change.
 */
export function keysAccount(mock: ApiGatewayMock, existing: Array<{id: string; name?: string; value: string}> = [], leaveOut: string[] = []) {
  const keys = [...existing]
  let created = 0
  mock.on(GetApiKeysCommand).callsFake(() => ({items: keys.map((k) => ({...k}))}))
  mock.on(ImportApiKeysCommand).callsFake((input) => {
    const [, ...rows] = new TextDecoder()
      .decode(input.body as Uint8Array)
      .trim()
      .split('\n')
    const ids: string[] = []
    const warnings: string[] = []
    for (const [index, row] of rows.entries()) {
      const [name, value] = row.split(',')
      if (leaveOut.includes(name)) {
        warnings.push(`Line ${index + 2}: API key ${name} not imported: limit reached`)
        continue
      }

      const id = `n${created++}`
      keys.push({id, name, value})
      ids.push(id)
    }

    return {ids, warnings}
  })
  return keys
}
