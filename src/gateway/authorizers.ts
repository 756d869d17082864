import type {Authorizer} from '@aws-sdk/client-api-gateway'

import type {ApiGateway} from '../aws/api-gateway.js'

/** The authorizers of REST APIs, listed once per API and cached. */
export class Authorizers {
  private readonly cache = new Map<string, Promise<Authorizer[]>>()

  constructor(private readonly apigw: ApiGateway) {}

  list(apiId: string): Promise<Authorizer[]> {
    let authorizers = this.cache.get(apiId)
    if (!authorizers) {
      authorizers = this.apigw.getAuthorizers({restApiId: apiId}, `listing authorizers of API ${apiId}`)
      this.cache.set(apiId, authorizers)
    }

    return authorizers
  }

  /** Whether a Lambda authorizer (TOKEN or REQUEST) could supply the key when the key source is AUTHORIZER. */
  async hasLambdaAuthorizer(apiId: string): Promise<boolean> {
    return (await this.list(apiId)).some((a) => a.type === 'TOKEN' || a.type === 'REQUEST')
  }
}
