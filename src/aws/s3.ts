import type {S3Client} from '@aws-sdk/client-s3'

import {clientConfig, type ConnectionOptions} from './connection.js'
import type {ServiceLimits} from './pacing.js'

import {type CallOptions, RetryingCaller, type RetryOptions} from './retry.js'
import * as sdk from '@aws-sdk/client-s3'

export interface S3ObjectInfo {
  key: string
  /** Bytes as stored. */
  size: number
}

/** The S3 operations gwctl makes, and only those: listing log objects under a prefix and reading them. */
export interface S3Objects {
  /** Every object under `prefix`, in key order (S3 lists in UTF-8 binary order); pages followed to the end. */
  listObjects(bucket: string, prefix: string, action: string): Promise<S3ObjectInfo[]>
  /** The object's bytes as stored, streamed. The request is retried by the rule; a failure mid-stream is an error naming the object. */
  getObject(bucket: string, key: string, action: string): Promise<AsyncIterable<Uint8Array>>
}

/** S3 has no per-account limit on these calls (it scales per prefix); the account bucket only stops a runaway. */
export const S3_LIMITS: ServiceLimits = {account: {calls: 100, seconds: 1}, operations: {}}

const read = <T>(operation: string, action: string): CallOptions<T> => ({operation, action, changes: false, repeat: {kind: 'as-is'}})

/** The S3 operations over `client`, each request through a RetryingCaller with `retry` (the one table, as in api-gateway.ts). Both are reads. */
export function s3Over(client: S3Client, retry: RetryOptions = {}): S3Objects {
  const caller = new RetryingCaller('S3', S3_LIMITS, retry)
  const send = <T>(command: unknown, call: CallOptions<T>) => caller.call((abortSignal) => client.send(command as never, {abortSignal}) as Promise<T>, call)
  return {
    async listObjects(bucket, prefix, action) {
      const objects: S3ObjectInfo[] = []
      let token: string | undefined
      do {
        const page = await send<{Contents?: Array<{Key?: string; Size?: number}>; IsTruncated?: boolean; NextContinuationToken?: string}>(
          new sdk.ListObjectsV2Command({Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token}),
          read('ListObjectsV2', action),
        )
        for (const o of page.Contents ?? []) if (o.Key !== undefined) objects.push({key: o.Key, size: o.Size ?? 0})
        token = page.IsTruncated ? page.NextContinuationToken : undefined
      } while (token)
      return objects
    },
    async getObject(bucket, key, action) {
      const answer = await send<{Body?: unknown}>(new sdk.GetObjectCommand({Bucket: bucket, Key: key}), read('GetObject', action))
      return answer.Body as AsyncIterable<Uint8Array>
    },
  }
}

/**
 * The S3 SDK client, configured from the connection flags as every gwctl client is.
 * An endpoint given by the user (moto, LocalStack, MinIO) gets path-style addressing:
 * those serve buckets as paths, and the SDK would otherwise put the bucket in the host
 * name whenever the endpoint is a host name rather than an IP address.
 */
export function createS3Client(connection: ConnectionOptions): S3Client {
  const config = clientConfig(connection)
  return new sdk.S3Client({...config, ...(config.endpoint ? {forcePathStyle: true} : {})})
}

/** S3 for the services: a client for `connection`, every call retried by `retry`'s rule. */
export function connectS3(connection: ConnectionOptions, retry: RetryOptions = {}): S3Objects {
  return s3Over(createS3Client(connection), {profile: connection.profile ?? process.env.AWS_PROFILE, ...retry})
}
