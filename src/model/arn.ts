import {badInput} from './errors.js'

/**
 * ARNs of API Gateway resources, as TagResource and UntagResource take them:
 * arn:PARTITION:apigateway:REGION::/usageplans/ID (no account id). The partition
 * follows from the Region's prefix, as AWS's partitions file lists them.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html
 */

const PARTITIONS: Array<[RegExp, string]> = [
  [/^cn-/, 'aws-cn'],
  [/^us-gov-/, 'aws-us-gov'],
  [/^us-iso-/, 'aws-iso'],
  [/^us-isob-/, 'aws-iso-b'],
  [/^eu-isoe-/, 'aws-iso-e'],
  [/^us-isof-/, 'aws-iso-f'],
  [/^eusc-/, 'aws-eusc'],
]

/** The partition of a Region: "aws" unless the Region belongs to China, GovCloud or an isolated partition. */
export function partitionOf(region: string): string {
  return PARTITIONS.find(([prefix]) => prefix.test(region))?.[1] ?? 'aws'
}

/** The ARN of an API Gateway resource at `path` (e.g. "/usageplans/p1") in `region`. */
export function apiGatewayArn(region: string | undefined, path: string): string {
  if (!region)
    throw badInput('No AWS Region is set, and tags need one to name the resource', {
      suggestions: ['Pass --region, or set AWS_REGION or a region in your AWS profile'],
    })
  return `arn:${partitionOf(region)}:apigateway:${region}::${path}`
}
