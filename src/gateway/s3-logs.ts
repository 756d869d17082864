import type {S3ObjectInfo, S3Objects} from '../aws/s3.js'

import {badInput, GwctlError} from '../model/errors.js'
import {keyMayHold, type S3Location, type TimeRange} from '../model/live-logs.js'
import {inOrder} from './ordered.js'

/** Objects downloaded at once, ahead of the one being read. */
export const DEFAULT_CONCURRENT_DOWNLOADS = 4

/** What a prefix holds for replay: the objects to read, in key order, and those skipped by their date path. */
export interface S3Listing {
  location: S3Location
  objects: S3ObjectInfo[]
  skipped: number
  /** Bytes of the objects to read, as stored. */
  bytes: number
}

export interface S3LogObject {
  /** s3://bucket/key */
  name: string
  bytes: AsyncIterable<Buffer>
}

/** Objects whose whole body is read ahead; a larger one is streamed when its turn comes, to keep memory bounded. */
const READ_AHEAD_MAX = 16 << 20

const urlOf = (location: S3Location, key: string) => `s3://${location.bucket}/${key}`

/**
 * Access logs in S3 (Firehose deliveries, CloudWatch export-to-S3, any files gwctl
 * reads): the objects under a prefix in key order, which for Firehose's date paths is
 * time order, downloaded a few at a time ahead of the one being read.
 */
export class S3Logs {
  constructor(private readonly s3: S3Objects) {}

  /** The objects under the location; with a range, those whose date path shows they hold none of it are skipped. */
  async list(location: S3Location, range: Partial<TimeRange> = {}): Promise<S3Listing> {
    const all = await this.s3.listObjects(location.bucket, location.prefix, `listing objects under ${urlOf(location, location.prefix)}`)
    // Folder markers (keys ending in "/", size 0) hold nothing.
    const files = all.filter((o) => !(o.key.endsWith('/') && o.size === 0))
    const objects = files.filter((o) => keyMayHold(o.key, range))
    if (files.length === 0) {
      throw badInput(`${urlOf(location, location.prefix)}: no objects under this prefix`, {
        suggestions: ['Check the bucket and prefix: aws s3 ls s3://BUCKET/PREFIX --recursive'],
      })
    }

    return {location, objects, skipped: files.length - objects.length, bytes: objects.reduce((n, o) => n + o.size, 0)}
  }

  /** The objects' bytes in key order; up to `concurrency` objects are downloaded at once. */
  objects(listing: S3Listing, concurrency = DEFAULT_CONCURRENT_DOWNLOADS): AsyncGenerator<S3LogObject> {
    return inOrder(
      listing.objects.map((object) => () => this.download(listing.location, object)),
      Math.max(1, concurrency),
      1,
    )
  }

  private async *download(location: S3Location, object: S3ObjectInfo): AsyncGenerator<S3LogObject> {
    const name = urlOf(location, object.key)
    const open = () => this.s3.getObject(location.bucket, object.key, `reading ${name}`)
    if (object.size > READ_AHEAD_MAX) {
      // Streamed at its turn: the request is made only when the reader gets here.
      yield {name, bytes: streamed(open, name)}
      return
    }

    // A body that breaks off part way is read again from the start, as a lost answer is.
    for (let attempt = 1; ; attempt++) {
      try {
        const chunks: Buffer[] = []
        for await (const chunk of await open()) chunks.push(Buffer.from(chunk))
        yield {name, bytes: once(Buffer.concat(chunks))}
        return
      } catch (error) {
        if (error instanceof GwctlError || attempt >= BROKEN_DOWNLOAD_TRIES) throw brokenOff(name, error)
      }
    }
  }
}

/** Tries in all for an object whose download breaks off part way. */
const BROKEN_DOWNLOAD_TRIES = 3

const brokenOff = (name: string, error: unknown) =>
  error instanceof GwctlError
    ? error
    : new GwctlError('UNEXPECTED', `${name}: the download broke off (${(error as Error).message})`, {suggestions: ['Run the command again']})

// eslint-disable-next-line @typescript-eslint/require-await -- an async iterable of one buffer already read
async function* once(buffer: Buffer): AsyncGenerator<Buffer> {
  yield buffer
}

/** The body of a large object, opened when first read; a connection lost part way is an error naming the object. */
async function* streamed(open: () => Promise<AsyncIterable<Uint8Array>>, name: string): AsyncGenerator<Buffer> {
  const body = await open()
  try {
    for await (const chunk of body) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)
  } catch (error) {
    throw brokenOff(name, error)
  }
}
