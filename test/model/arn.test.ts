import assert from 'node:assert/strict'

import {apiGatewayArn, partitionOf} from '../../src/model/arn.js'

describe('model/arn', () => {
  it('finds the partition from the Region', () => {
    assert.deepEqual(
      ['us-east-1', 'eu-west-3', 'cn-north-1', 'cn-northwest-1', 'us-gov-west-1', 'us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1'].map(
        partitionOf,
      ),
      ['aws', 'aws', 'aws-cn', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f'],
    )
  })

  it('builds API Gateway ARNs without an account id', () => {
    assert.equal(apiGatewayArn('us-east-1', '/usageplans/p1'), 'arn:aws:apigateway:us-east-1::/usageplans/p1')
    assert.equal(apiGatewayArn('cn-north-1', '/apikeys/k1'), 'arn:aws-cn:apigateway:cn-north-1::/apikeys/k1')
    assert.equal(apiGatewayArn('us-gov-east-1', '/apikeys/k1'), 'arn:aws-us-gov:apigateway:us-gov-east-1::/apikeys/k1')
  })

  it('refuses without a Region (exit 2), saying how to set one', () => {
    assert.throws(
      () => apiGatewayArn(undefined, '/apikeys/k1'),
      (e: {exitCode: number; suggestions: string[]}) => e.exitCode === 2 && /--region/.test(e.suggestions[0]),
    )
  })
})
