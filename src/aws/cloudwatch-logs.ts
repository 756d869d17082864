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

import {clientConfig, type ConnectionOptions} from './connection.js'
import type {ServiceLimits} from './pacing.js'

import {type CallOptions, RetryingCaller, type RetryOptions} from './retry.js'
import * as sdk from '@aws-sdk/client-cloudwatch-logs'

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
 * CloudWatch Logs' limits on the calls gwctl makes (CloudWatch Logs quotas): FilterLogEvents
 * 5 requests per second per account and Region, a hard limit (AWS knowledge center
 * "cloudwatch-logs-throttling"). The service has no limit on all calls together; the
 * account bucket here only stops a runaway. Calls by others still meet AWS's
 * ThrottlingException, which the retry rule waits out within --max-wait.
 */
export const CLOUDWATCH_LOGS_LIMITS: ServiceLimits = {
  account: {calls: 50, seconds: 1},
  operations: {FilterLogEvents: {calls: 5, seconds: 1}},
}

const read = <T>(operation: string, action: string): CallOptions<T> => ({operation, action, changes: false, repeat: {kind: 'as-is'}})

/**
 * The CloudWatch Logs operations over `client`, each call made through a RetryingCaller
 * with `retry`. As in api-gateway.ts, this table is the one place that knows how each
 * operation is called, and how it may be repeated when its answer was lost:
 *
 *   reads (DescribeLogGroups, FilterLogEvents,   as-is
 *   GetQueryResults)
 *   PutRetentionPolicy, StopQuery                as-is: they set a state
 *   CreateLogGroup                               look first: the group of that name
 *   StartQuery                                   as-is: a query started twice costs a
 *                                                second scan, and the first is left to end
 */
export function cloudWatchLogsOver(client: CloudWatchLogsClient, retry: RetryOptions = {}): CloudWatchLogs {
  const caller = new RetryingCaller('CloudWatch Logs', CLOUDWATCH_LOGS_LIMITS, retry)
  const send = <T>(command: unknown, call: CallOptions<T>) => caller.call((abortSignal) => client.send(command as never, {abortSignal}) as Promise<T>, call)

  const self: CloudWatchLogs = {
    region: () => client.config.region().catch(() => undefined),

    async describeLogGroup(name, action) {
      let nextToken: string | undefined
      do {
        const page = await send<{logGroups?: LogGroup[]; nextToken?: string}>(
          new sdk.DescribeLogGroupsCommand({logGroupNamePrefix: name, nextToken}),
          read('DescribeLogGroups', action),
        )
        const found = page.logGroups?.find((g) => g.logGroupName === name)
        if (found) return found
        nextToken = page.nextToken
      } while (nextToken)
      return
    },
    async createLogGroup(input, action) {
      const find = async () => ((await self.describeLogGroup(input.logGroupName!, `looking for log group ${input.logGroupName}`)) ? {} : undefined)
      await send(new sdk.CreateLogGroupCommand(input), {operation: 'CreateLogGroup', action, changes: true, repeat: {kind: 'look-first', find}})
    },
    async putRetentionPolicy(input, action) {
      await send(new sdk.PutRetentionPolicyCommand(input), {operation: 'PutRetentionPolicy', action, changes: true, repeat: {kind: 'as-is'}})
    },
    filterLogEvents: (input, action) => send(new sdk.FilterLogEventsCommand(input), read('FilterLogEvents', action)),
    startQuery: async (input, action) => (await send<{queryId?: string}>(new sdk.StartQueryCommand(input), read('StartQuery', action))).queryId!,
    getQueryResults: (queryId, action) => send(new sdk.GetQueryResultsCommand({queryId}), read('GetQueryResults', action)),
    async stopQuery(queryId, action) {
      await send(new sdk.StopQueryCommand({queryId}), read('StopQuery', action))
    },
  }
  return self
}

/** The CloudWatch Logs SDK client, configured from the connection flags as every gwctl client is (see connection.ts). */
export function createCloudWatchLogsClient(connection: ConnectionOptions): CloudWatchLogsClient {
  return new sdk.CloudWatchLogsClient(clientConfig(connection))
}

/** CloudWatch Logs for the services: a client for `connection`, every call retried by `retry`'s rule. */
export function connectCloudWatchLogs(connection: ConnectionOptions, retry: RetryOptions = {}): CloudWatchLogs {
  return cloudWatchLogsOver(createCloudWatchLogsClient(connection), {profile: connection.profile ?? process.env.AWS_PROFILE, ...retry})
}
