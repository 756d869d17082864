import type {RetryOptions} from './gateway.js'

import {Gateway} from './gateway.js'

export interface ConnectionOptions {
  region?: string
  profile?: string
  endpointUrl?: string
}

/**
 * Builds the API Gateway client the way the AWS CLI would: the standard credential
 * chain, --profile and --region overriding the environment, and AWS_DEFAULT_REGION
 * honoured too (the v3 SDK only reads AWS_REGION).
 */
export async function createGateway(options: ConnectionOptions, retry?: RetryOptions): Promise<Gateway> {
  // The SDK warns on Node 20 at every client construction; gwctl supports Node 20 and users cannot act on it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const {APIGatewayClient} = await import('@aws-sdk/client-api-gateway')
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION
  const client = new APIGatewayClient({
    ...(region ? {region} : {}),
    ...(options.profile ? {profile: options.profile} : {}),
    ...(options.endpointUrl ? {endpoint: options.endpointUrl} : {}),
    // Gateway does all retrying itself, so that Retry-After is honoured and attempts are not multiplied.
    maxAttempts: 1,
  })
  return new Gateway(client, retry)
}
