import type {Authorizer} from '@aws-sdk/client-api-gateway'

import type {ApiGateway} from '../aws/api-gateway.js'

import {cachedIn} from './cached.js'

/** The authorizers of REST APIs, listed once per API and cached. */
export class Authorizers {
  private readonly cache = new Map<string, Promise<Authorizer[]>>()

  constructor(private readonly apigw: ApiGateway) {}

  list(apiId: string): Promise<Authorizer[]> {
    return cachedIn(this.cache, apiId, () => this.apigw.getAuthorizers({restApiId: apiId}, `listing authorizers of API ${apiId}`))
  }

  /** Whether a Lambda authorizer (TOKEN or REQUEST) could supply the key when the key source is AUTHORIZER. */
  async hasLambdaAuthorizer(apiId: string): Promise<boolean> {
    return (await this.list(apiId)).some((a) => a.type === 'TOKEN' || a.type === 'REQUEST')
  }
}
