import {badInput} from './errors.js'

/** Where API Gateway takes a caller's API key from (RestApi.apiKeySource). */
export const API_KEY_SOURCES = ['HEADER', 'AUTHORIZER'] as const
export type ApiKeySource = (typeof API_KEY_SOURCES)[number]

/** An API's key source, with AWS's documented default (HEADER) when the API does not say. */
export const keySourceOf = (api: {apiKeySource?: string}): ApiKeySource => (api.apiKeySource as ApiKeySource | undefined) ?? 'HEADER'

export function parseKeySource(raw: string, flag = '--source'): ApiKeySource {
  const source = raw.trim().toUpperCase()
  if (!(API_KEY_SOURCES as readonly string[]).includes(source)) {
    throw badInput(`${flag} must be HEADER (callers send X-API-Key) or AUTHORIZER (a Lambda authorizer returns the key); got "${raw}"`)
  }

  return source as ApiKeySource
}
