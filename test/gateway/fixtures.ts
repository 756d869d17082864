import type {AwsClientStub} from 'aws-sdk-client-mock'

import type {Resource} from '@aws-sdk/client-api-gateway'

import {
  APIGatewayClient,
  GetAuthorizersCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetUsagePlansCommand,
} from '@aws-sdk/client-api-gateway'

/**
 * One API, "pets" (a1), as API Gateway describes it: a root GET, /pets with GET
 * (key required) and POST (Lambda authorizer), /pets/{id} with GET and DELETE, and a prod stage,
 * which usage plan gold (p1) covers.
 */
export const petsApi = {id: 'a1', name: 'pets', apiKeySource: 'HEADER' as const}

export const petsResources: Resource[] = [
  {id: 'r0', path: '/', resourceMethods: {GET: {httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: false}}},
  {
    id: 'r1',
    path: '/pets',
    resourceMethods: {
      POST: {httpMethod: 'POST', authorizationType: 'CUSTOM', authorizerId: 'au1', apiKeyRequired: false},
      GET: {httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: true},
    },
  },
  {
    id: 'r2',
    path: '/pets/{id}',
    resourceMethods: {
      GET: {httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: false},
      DELETE: {httpMethod: 'DELETE', authorizationType: 'AWS_IAM', apiKeyRequired: false},
    },
  },
]

export function mockPetsApi(mock: AwsClientStub<APIGatewayClient>, options: {authorizerType?: string} = {}): void {
  mock.on(GetRestApisCommand).resolves({items: [petsApi]})
  mock.on(GetResourcesCommand).resolves({items: petsResources})
  mock.on(GetStagesCommand).resolves({item: [{stageName: 'prod', deploymentId: 'd0'}]})
  mock.on(GetAuthorizersCommand).resolves({items: [{id: 'au1', name: 'tokens', type: (options.authorizerType ?? 'TOKEN') as 'TOKEN'}]})
  mock.on(GetUsagePlansCommand).resolves({items: [{id: 'p1', name: 'gold', apiStages: [{apiId: 'a1', stage: 'prod'}]}]})
}
