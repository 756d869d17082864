import type {APIGatewayClientConfig} from '@aws-sdk/client-api-gateway'

import type {RetryOptions} from './gateway.js'

import {Gateway} from './gateway.js'
import {sdk} from './sdk.js'

export interface ConnectionOptions {
  region?: string
  profile?: string
  endpointUrl?: string
}

/**
 * With --profile given, the SDK (like the AWS CLI) uses that profile and ignores
 * AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, but also prints a warning about the two
 * sources on every run. The user chose explicitly, so that warning is dropped. Any
 * logger also receives every failed call, which gwctl reports itself: those are dropped too.
 */
const explicitProfileLogger: NonNullable<APIGatewayClientConfig['logger']> = {
  debug() {},
  info() {},
  warn(...content: unknown[]) {
    if (!String(content[0]).includes('Multiple credential sources detected')) console.warn(...content)
  },
  error() {},
}

/**
 * Builds the API Gateway client the way the AWS CLI would: the standard credential
 * chain, --profile and --region overriding the environment, and AWS_DEFAULT_REGION
 * honoured too (the v3 SDK only reads AWS_REGION).
 */
export async function createGateway(options: ConnectionOptions, retry?: RetryOptions): Promise<Gateway> {
  // The SDK warns on Node 20 at every client construction; gwctl supports Node 20 and users cannot act on it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION
  const client = new sdk.APIGatewayClient({
    ...(region ? {region} : {}),
    ...(options.profile ? {profile: options.profile, logger: explicitProfileLogger} : {}),
    ...(options.endpointUrl ? {endpoint: options.endpointUrl} : {}),
    // Gateway does all retrying itself, so that Retry-After is honoured and attempts are not multiplied.
    maxAttempts: 1,
  })
  return new Gateway(client, retry)
}
