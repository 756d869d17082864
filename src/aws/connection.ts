/** What the user said about where and as whom to call AWS: the shared --region, --profile and --endpoint-url flags. */
export interface ConnectionOptions {
  region?: string
  profile?: string
  endpointUrl?: string
}

/**
 * The environment variables that name an endpoint for one service, as the AWS CLI and
 * SDKs read them ("service-specific endpoints"); AWS_ENDPOINT_URL names one for all.
 */
export const ENDPOINT_ENV = {
  'API Gateway': 'AWS_ENDPOINT_URL_API_GATEWAY',
  'CloudWatch Logs': 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS',
  S3: 'AWS_ENDPOINT_URL_S3',
} as const

/**
 * Where calls to `service` go: the URL given on the command line (--endpoint-url, for
 * every service a command calls: one emulator serves them all), else the service's own
 * variable, else AWS_ENDPOINT_URL, else AWS's endpoint for the Region (undefined).
 */
export function endpointFor(service: keyof typeof ENDPOINT_ENV, commandLineUrl?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return commandLineUrl || env[ENDPOINT_ENV[service]] || env.AWS_ENDPOINT_URL || undefined
}

/** The SDK's logger shape (debug, info, warn, error), as every client config takes it. */
interface SdkLogger {
  debug(...content: unknown[]): void
  info(...content: unknown[]): void
  warn(...content: unknown[]): void
  error(...content: unknown[]): void
}

/**
 * With --profile given, the SDK (like the AWS CLI) uses that profile and ignores
 * AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, but also prints a warning about the two
 * sources on every run. The user chose explicitly, so that warning is dropped. Any
 * logger also receives every failed call, which gwctl reports itself: those are dropped too.
 */
const explicitProfileLogger: SdkLogger = {
  debug() {},
  info() {},
  warn(...content: unknown[]) {
    if (!String(content[0]).includes('Multiple credential sources detected')) console.warn(...content)
  },
  error() {},
}

/**
 * The configuration every AWS client gwctl builds starts from, so that each service
 * connects the way the AWS CLI would: the standard credential chain, --profile and
 * --region overriding the environment, and AWS_DEFAULT_REGION honoured too (the v3
 * SDK only reads AWS_REGION). maxAttempts is 1: RetryingCaller does all retrying, so
 * that Retry-After is honoured and attempts are not multiplied.
 */
export function clientConfig(options: ConnectionOptions): {region?: string; profile?: string; logger?: SdkLogger; endpoint?: string; maxAttempts: number} {
  // The SDK warns on Node 20 at every client construction; gwctl supports Node 20 and users cannot act on it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION
  return {
    ...(region ? {region} : {}),
    ...(options.profile ? {profile: options.profile, logger: explicitProfileLogger} : {}),
    ...(options.endpointUrl ? {endpoint: options.endpointUrl} : {}),
    maxAttempts: 1,
  }
}
