import type {
  CloudWatchLogsClient,
  CreateLogGroupCommandInput,
  FilterLogEventsCommandInput,
  FilterLogEventsCommandOutput,
  GetQueryResultsCommandOutput,
  LogGroup,
  PutRetentionPolicyCommandInput,
  StartQueryCommandInput,
} from '@aws-sdk/client-cloudwatch-logs'

import {clientConfig, type ConnectionOptions, requireSdk} from './connection.js'
import {RetryingCaller, type RetryOptions} from './retry.js'

type Sdk = typeof import('@aws-sdk/client-cloudwatch-logs')

const sdk = requireSdk<Sdk>('@aws-sdk/client-cloudwatch-logs')

/**
 * The CloudWatch Logs operations gwctl makes, and only those: creating the log group
 * access logging writes to, and reading access logs back (Logs Insights queries, or
 * FilterLogEvents pages). Each takes `action`, what gwctl is doing in words, for retry
 * notices and error messages. Every call goes through one RetryingCaller.
 */
export interface CloudWatchLogs {
  /** The Region the calls go to, or undefined when none is configured. */
  region(): Promise<string | undefined>
  /** The log group of exactly this name, or undefined; pages of DescribeLogGroups followed. */
  describeLogGroup(name: string, action: string): Promise<LogGroup | undefined>
  createLogGroup(input: CreateLogGroupCommandInput, action: string): Promise<void>
  putRetentionPolicy(input: PutRetentionPolicyCommandInput, action: string): Promise<void>
  /** One page; the reader follows nextToken itself, so that events stream rather than pile up. */
  filterLogEvents(input: FilterLogEventsCommandInput, action: string): Promise<FilterLogEventsCommandOutput>
  startQuery(input: StartQueryCommandInput, action: string): Promise<string>
  getQueryResults(queryId: string, action: string): Promise<GetQueryResultsCommandOutput>
  /** Stops a query gwctl no longer needs, so that it stops counting against the account's concurrent queries. */
  stopQuery(queryId: string, action: string): Promise<void>
}

/**
 * FilterLogEvents is limited to 5 requests per second per account and Region, a hard
 * limit (CloudWatch Logs quotas; AWS knowledge center "cloudwatch-logs-throttling").
 * gwctl spaces its own calls to stay under it; calls by others still meet AWS's
 * ThrottlingException, which the retry rule waits out.
 */
export const FILTER_LOG_EVENTS_PER_SECOND = 5

/** Spaces calls at least `intervalMs` apart, in the order they were asked for. */
export class Spacing {
  private next = 0

  constructor(
    private readonly intervalMs: number,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    private readonly now: () => number = Date.now,
  ) {}

  async turn(): Promise<void> {
    const now = this.now()
    const at = Math.max(now, this.next)
    this.next = at + this.intervalMs
    if (at > now) await this.sleep(at - now)
  }
}

/**
 * The CloudWatch Logs operations over `client`, each call made through a RetryingCaller
 * with `retry`. As in api-gateway.ts, this table is the one place that knows how each
 * operation is called: paging, and pace (FilterLogEvents).
 */
export function cloudWatchLogsOver(client: CloudWatchLogsClient, retry: RetryOptions = {}): CloudWatchLogs {
  const caller = new RetryingCaller('CloudWatch Logs', retry)
  const filterPace = new Spacing(1000 / FILTER_LOG_EVENTS_PER_SECOND, retry.sleep)
  const send = <T>(command: unknown, action: string) => caller.call(() => client.send(command as never) as Promise<T>, action)

  return {
    region: () => client.config.region().catch(() => undefined),

    async describeLogGroup(name, action) {
      let nextToken: string | undefined
      do {
        const page = await send<{logGroups?: LogGroup[]; nextToken?: string}>(new sdk.DescribeLogGroupsCommand({logGroupNamePrefix: name, nextToken}), action)
        const found = page.logGroups?.find((g) => g.logGroupName === name)
        if (found) return found
        nextToken = page.nextToken
      } while (nextToken)
      return
    },
    async createLogGroup(input, action) {
      await send(new sdk.CreateLogGroupCommand(input), action)
    },
    async putRetentionPolicy(input, action) {
      await send(new sdk.PutRetentionPolicyCommand(input), action)
    },
    filterLogEvents: (input, action) =>
      caller.call(async () => {
        await filterPace.turn()
        return client.send(new sdk.FilterLogEventsCommand(input))
      }, action),
    startQuery: async (input, action) => (await send<{queryId?: string}>(new sdk.StartQueryCommand(input), action)).queryId!,
    getQueryResults: (queryId, action) => send(new sdk.GetQueryResultsCommand({queryId}), action),
    async stopQuery(queryId, action) {
      await send(new sdk.StopQueryCommand({queryId}), action)
    },
  }
}

/** The CloudWatch Logs SDK client, configured from the connection flags as every gwctl client is (see connection.ts). */
export function createCloudWatchLogsClient(connection: ConnectionOptions): CloudWatchLogsClient {
  return new sdk.CloudWatchLogsClient(clientConfig(connection))
}

/** CloudWatch Logs for the services: a client for `connection`, every call retried by `retry`'s rule. */
export function connectCloudWatchLogs(connection: ConnectionOptions, retry: RetryOptions = {}): CloudWatchLogs {
  return cloudWatchLogsOver(createCloudWatchLogsClient(connection), retry)
}
