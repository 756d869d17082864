import type {Authorizer} from '@aws-sdk/client-api-gateway'

import type {Gateway} from './gateway.js'
import {sdk} from './sdk.js'

const {GetAuthorizersCommand} = sdk

/** The authorizers of REST APIs, listed once per API and cached. */
export class Authorizers {
  private readonly cache = new Map<string, Promise<Authorizer[]>>()

  constructor(private readonly gw: Gateway) {}

  list(apiId: string): Promise<Authorizer[]> {
    let authorizers = this.cache.get(apiId)
    if (!authorizers) {
      authorizers = this.gw.all<Authorizer>(
        (position) => new GetAuthorizersCommand({restApiId: apiId, position, limit: 500}),
        `listing authorizers of API ${apiId}`,
      )
      this.cache.set(apiId, authorizers)
    }

    return authorizers
  }

  /** Whether a Lambda authorizer (TOKEN or REQUEST) could supply the key when the key source is AUTHORIZER. */
  async hasLambdaAuthorizer(apiId: string): Promise<boolean> {
    return (await this.list(apiId)).some((a) => a.type === 'TOKEN' || a.type === 'REQUEST')
  }
}
