import {APIGatewayClient} from '@aws-sdk/client-api-gateway'
import {mockClient} from 'aws-sdk-client-mock'

import {Gateway} from '../../src/gateway/gateway.js'

/**
 * A mocked API Gateway client and a Gateway over it that retries without waiting.
 * `sleeps` records each wait the Gateway asked for.
 */
export function mockGateway() {
  const client = new APIGatewayClient({region: 'us-east-1', credentials: {accessKeyId: 'x', secretAccessKey: 'x'}})
  // Only this client is mocked, so that suites using it cannot leak a mock into others.
  const mock = mockClient(client)
  const sleeps: number[] = []
  const gateway = new Gateway(client, {
    sleep: async (ms) => {
      sleeps.push(ms)
    },
  })
  return {mock, gateway, sleeps}
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
