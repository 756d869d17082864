import type {ApiGateway} from '../aws/api-gateway.js'

import {apiGatewayArn} from '../model/arn.js'
import {type AwsCall, awsCall} from '../model/aws-calls.js'

export interface TagChangeInput {
  /** The resource's path in its ARN, e.g. "/usageplans/p1". */
  path: string
  /** What gwctl is changing, for messages: "usage plan gold (p1)". */
  label: string
  /** The resource's tags as AWS returned them with it. */
  current: Record<string, string> | undefined
  /** Tags to add or overwrite (`tag` commands), or keys to remove (`untag` commands). */
  set?: Record<string, string>
  remove?: string[]
  dryRun: boolean
}

export interface TagChange {
  resourceArn: string
  /** The resource's tags afterwards (with --dry-run: as they would be). */
  tags: Record<string, string>
  changed: boolean
  dryRun: boolean
  calls: AwsCall[]
}

/**
 * Tags on a usage plan or an API key, by TagResource and UntagResource on its ARN
 * (built from the Region and its partition). Only what differs is sent: a tag that
 * already has the value, or a key that has no such tag, sends nothing.
 */
export async function changeTags(apigw: ApiGateway, input: TagChangeInput): Promise<TagChange> {
  const set = input.set ?? {}
  const remove = input.remove ?? []
  const resourceArn = apiGatewayArn(await apigw.region(), input.path)
  const current = input.current ?? {}
  const toSet = Object.fromEntries(Object.entries(set).filter(([key, value]) => current[key] !== value))
  const toRemove = [...new Set(remove)].filter((key) => key in current)
  const calls: AwsCall[] = []
  if (Object.keys(toSet).length > 0) calls.push(awsCall('TagResource', {resourceArn, tags: toSet}))
  if (toRemove.length > 0) calls.push(awsCall('UntagResource', {resourceArn, tagKeys: toRemove}))

  const tags = Object.fromEntries(Object.entries({...current, ...toSet}).filter(([key]) => !toRemove.includes(key)))
  const result: TagChange = {resourceArn, tags, changed: false, dryRun: input.dryRun, calls}
  if (input.dryRun || calls.length === 0) return result
  if (Object.keys(toSet).length > 0) await apigw.tagResource({resourceArn, tags: toSet}, `tagging ${input.label}`)
  if (toRemove.length > 0) await apigw.untagResource({resourceArn, tagKeys: toRemove}, `removing tags from ${input.label}`)
  return {...result, changed: true}
}
