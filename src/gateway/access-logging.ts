import type {RestApi, Stage} from '@aws-sdk/client-api-gateway'

import type {ApiGateway} from '../aws/api-gateway.js'
import type {CloudWatchLogs} from '../aws/cloudwatch-logs.js'

import {analyzeAccessLogFormat, missingReplayVariables, styleOf} from '../model/access-log-format.js'
import {type ChangeStep, type StepCommand} from '../model/change-steps.js'
import {commandArgv, commandLine, placeholder} from '../model/command-line.js'
import {badInput, GwctlError} from '../model/errors.js'
import {defaultLogGroupName} from '../model/live-logs.js'
import {awsCommandLine} from '../model/shell.js'
import {RestApis} from './rest-apis.js'
import {runSteps} from './steps.js'

/** The prefix AWS requires of a Firehose delivery stream that API Gateway writes access logs to. */
export const FIREHOSE_PREFIX = 'amazon-apigateway-'
/** AWS's refusal when the Region's account setting has no CloudWatch role (set-up-logging). */
export const ROLE_MISSING = 'CloudWatch Logs role ARN must be set in account settings to enable logging'

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy), in days. */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/
const FIREHOSE_ARN = /^arn:aws[a-z-]*:firehose:[a-z0-9-]+:\d{12}:deliverystream\/(.+)$/
const LOG_GROUP_ARN = /^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:([^:]+)(?::\*)?$/

/** One AWS call of the change, as --dry-run prints it and --json reports it. */
export interface PlannedCall {
  service: 'API Gateway' | 'CloudWatch Logs'
  operation: string
  input: Record<string, unknown>
}

export interface EnableRequest {
  api: string
  stage: string
  /** The access-log format to set, and its style (json, csv, clf). */
  format: string
  style: string
  /** Where to: a log group name (default: API-Gateway-Access-Logs_API_ID/STAGE), or a Firehose stream ARN. */
  logGroup?: string
  firehose?: string
  retentionDays?: number
  cloudwatchRoleArn?: string
  dryRun: boolean
  /** Asked before a stage's own format that lacks something simulate needs is replaced; throws to stop. */
  confirmReplace(question: string): Promise<void>
}

export interface EnableResult {
  /** The stage as AWS returns it after the change (before it, under --dry-run). */
  stage: Stage
  restApi: {id: string; name: string}
  changed: boolean
  dryRun: boolean
  destinationArn: string
  /** The log group, when logging to CloudWatch Logs. */
  logGroup: {name: string; created: boolean; retentionInDays: number | null} | null
  firehose: {name: string} | null
  /** The format the stage logs with afterwards (under --dry-run: would log with). */
  format: string
  formatStyle: string
  /** The stage's own format was kept: it already has everything simulate reads. */
  formatKept: boolean
  /** The stage's own format that was (or would be) replaced, to put back by hand if wanted. */
  replacedFormat: string | null
  /** The calls made, or that would be made under --dry-run. */
  operations: PlannedCall[]
  warnings: string[]
}

export interface StageLogging {
  restApi: {id: string; name: string}
  stageName: string
  enabled: boolean
  destinationArn: string | null
  destination: {type: 'cloudwatch-logs'; logGroup: string} | {type: 'firehose'; deliveryStream: string} | null
  format: string | null
  /** What simulate can make of logs in this format; null when the stage sets no format. */
  replay: ReplayCheck | null
}

/** Whether simulate can replay logs written in an access-log format, in the terms of src/model/access-log-format.ts. */
export interface ReplayCheck {
  /** simulate can replay it (perhaps with `fieldFlags`). */
  replayable: boolean
  /** It has every field simulate reads: nothing to add. */
  complete: boolean
  /** Variables to add, those simulate cannot do without first. */
  missing: string[]
  /** What else stops simulate reading it. */
  problems: string[]
  /** `simulate --field` flags it needs. */
  fieldFlags: string[]
}

export function replayCheck(format: string): ReplayCheck {
  const analysis = analyzeAccessLogFormat(format)
  return {
    replayable: analysis.replayable,
    complete: analysis.replayable && analysis.missing.length === 0,
    missing: missingReplayVariables(analysis),
    problems: analysis.problems,
    fieldFlags: analysis.fieldFlags,
  }
}

/** "it lacks $context.status; its position 8 holds ...": what stops a format being complete, for messages. */
export function lacking(check: ReplayCheck): string {
  return [...(check.missing.length > 0 ? [`it lacks ${check.missing.join(', ')}`] : []), ...check.problems].join('; ')
}

/** Where an access-log destination ARN points: a log group or a Firehose stream. */
export function destinationOf(arn: string | undefined): StageLogging['destination'] {
  if (!arn) return null
  const group = LOG_GROUP_ARN.exec(arn)
  if (group) return {type: 'cloudwatch-logs', logGroup: group[1]}
  const stream = FIREHOSE_ARN.exec(arn)
  return stream ? {type: 'firehose', deliveryStream: stream[1]} : null
}

/** The ARN API Gateway takes for a log group: DescribeLogGroups gives it with ":*" at the end. */
const withoutWildcard = (arn: string) => arn.replace(/:\*$/, '')

/**
 * Access logging of stages: turning it on with the format simulate reads (UpdateStage),
 * with what it needs first (the account's CloudWatch role, the log group), and saying
 * per stage where it logs to.
 */
export class AccessLogging {
  private readonly apis: RestApis

  constructor(
    private readonly apigw: ApiGateway,
    private readonly logs: () => Promise<CloudWatchLogs>,
  ) {
    this.apis = new RestApis(apigw)
  }

  /** Every stage of `apiRef` (or of every API) with its access-log settings. */
  async status(apiRef?: string): Promise<StageLogging[]> {
    const apis = apiRef === undefined ? await this.apis.list() : [await this.apis.resolve(apiRef)]
    const items: StageLogging[] = []
    for (const api of apis) {
      for (const stage of await this.apis.stages(api.id!)) {
        const settings = stage.accessLogSettings
        items.push({
          restApi: {id: api.id!, name: api.name ?? api.id!},
          stageName: stage.stageName!,
          enabled: Boolean(settings?.destinationArn),
          destinationArn: settings?.destinationArn ?? null,
          destination: destinationOf(settings?.destinationArn),
          format: settings?.format ?? null,
          replay: settings?.format ? replayCheck(settings.format) : null,
        })
      }
    }

    return items
  }

  /**
   * Turns on access logging: checks everything first (the Firehose name, the account's
   * CloudWatch role, the stage's current format), then makes the calls in order:
   * UpdateAccount (with --cloudwatch-role-arn), CreateLogGroup and PutRetentionPolicy
   * (when needed), UpdateStage. Under --dry-run it reads the same and sends nothing.
   */
  async enable(request: EnableRequest): Promise<EnableResult> {
    if (request.firehose !== undefined && request.logGroup !== undefined) throw badInput('--firehose and --log-group name two destinations: give one')
    if (request.firehose !== undefined && request.retentionDays !== undefined)
      throw badInput('--retention-days applies to a CloudWatch Logs group, not to --firehose')
    if (request.cloudwatchRoleArn !== undefined && !ROLE_ARN.test(request.cloudwatchRoleArn)) {
      throw badInput(
        `--cloudwatch-role-arn must be an IAM role ARN, e.g. arn:aws:iam::123456789012:role/apigateway-cloudwatch; got "${request.cloudwatchRoleArn}"`,
      )
    }

    const firehose = request.firehose === undefined ? undefined : firehoseStream(request.firehose)
    const api = await this.apis.resolve(request.api)
    const stage = await this.apis.requireStage(api, request.stage)
    const where = `stage ${api.name ?? api.id!}:${request.stage}`
    const operations: PlannedCall[] = []
    const warnings: string[] = []

    let roleUpdate: PlannedCall | undefined
    let roleBefore: string | undefined
    if (firehose === undefined) {
      const account = await this.apigw.getAccount({}, 'reading the account settings of the Region (cloudwatchRoleArn)')
      roleBefore = account.cloudwatchRoleArn
      if (request.cloudwatchRoleArn !== undefined && account.cloudwatchRoleArn !== request.cloudwatchRoleArn) {
        roleUpdate = {
          service: 'API Gateway',
          operation: 'UpdateAccount',
          input: {patchOperations: [{op: 'replace', path: '/cloudwatchRoleArn', value: request.cloudwatchRoleArn}]},
        }
      } else if (!account.cloudwatchRoleArn && request.cloudwatchRoleArn === undefined) {
        throw missingRole(api, request)
      }
    }

    const logs = firehose === undefined ? await this.logs() : undefined
    const groupName = request.logGroup ?? defaultLogGroupName(api.id!, request.stage)
    const group = logs ? await logs.describeLogGroup(groupName, `looking for log group ${groupName}`) : undefined
    if (roleUpdate) operations.push(roleUpdate)
    if (logs && !group) operations.push({service: 'CloudWatch Logs', operation: 'CreateLogGroup', input: {logGroupName: groupName}})
    if (logs && request.retentionDays !== undefined && group?.retentionInDays !== request.retentionDays) {
      operations.push({service: 'CloudWatch Logs', operation: 'PutRetentionPolicy', input: {logGroupName: groupName, retentionInDays: request.retentionDays}})
    }

    // A stage's own format that has everything simulate reads is kept; one that lacks something is replaced only when the user agrees.
    const current = stage.accessLogSettings
    const own = current?.format && current.format !== request.format ? replayCheck(current.format) : undefined
    const formatKept = own?.complete ?? false
    const format = formatKept ? current!.format! : request.format
    if (own && !formatKept) {
      await request.confirmReplace(
        `${where} logs in a format simulate ${own.replayable ? 'replays only in part' : 'cannot replay'} (${lacking(own)}): replace it with the ${request.style.toUpperCase()} format \`gwctl logs format\` prints?`,
      )
    }

    const knownArn = firehose?.arn ?? (group?.arn ? withoutWildcard(group.arn) : undefined)
    const stagePatch = (destinationArn: string) => {
      const patchOperations = [
        ...(current?.destinationArn === destinationArn ? [] : [{op: 'replace', path: '/accessLogSettings/destinationArn', value: destinationArn}]),
        ...(current?.format === format ? [] : [{op: 'replace', path: '/accessLogSettings/format', value: format}]),
      ]
      return patchOperations.length === 0
        ? undefined
        : ({service: 'API Gateway', operation: 'UpdateStage', input: {restApiId: api.id!, stageName: request.stage, patchOperations}} satisfies PlannedCall)
    }

    // A log group that does not exist yet has no ARN to show: a dry run names it.
    const plannedArn = knownArn ?? `arn:aws:logs:REGION:ACCOUNT_ID:log-group:${groupName}`
    const plannedStage = stagePatch(plannedArn)
    if (plannedStage) operations.push(plannedStage)
    const result = (after: Stage, destinationArn: string, changed: boolean): EnableResult => ({
      stage: after,
      restApi: {id: api.id!, name: api.name ?? api.id!},
      changed,
      dryRun: request.dryRun,
      destinationArn,
      logGroup: logs ? {name: groupName, created: !group, retentionInDays: request.retentionDays ?? group?.retentionInDays ?? null} : null,
      firehose: firehose ? {name: firehose.name} : null,
      format,
      formatStyle: formatKept ? styleOf(format) : request.style,
      formatKept,
      replacedFormat: own && !formatKept ? current!.format! : null,
      operations,
      warnings,
    })
    if (request.dryRun || operations.length === 0) return result(stage, plannedArn, false)

    // The calls as steps (model/change-steps.ts): a failure part way reports what was made, how
    // to undo it, and that the same command finishes the job (what exists is found and skipped).
    const rerun = commandArgv('logs enable', {
      stage: `${api.name ?? api.id!}:${request.stage}`,
      'log-group': request.logGroup,
      firehose: request.firehose,
      'retention-days': request.retentionDays,
      format: request.style === 'json' ? undefined : request.style,
      'cloudwatch-role-arn': request.cloudwatchRoleArn,
      yes: own && !formatKept ? true : undefined,
    })
    const steps: ChangeStep[] = []
    const callStep = (call: PlannedCall, run: () => Promise<unknown>, undo: StepCommand[]): ChangeStep => ({
      title: describe(call),
      run: async () => void (await run()),
      finish: () => [rerun],
      undo: () => undo,
    })
    if (roleUpdate) {
      const previous = roleBefore ?? ''
      steps.push(
        callStep(roleUpdate, () => this.apigw.updateAccount(roleUpdate.input, 'setting the account CloudWatch role (cloudwatchRoleArn)'), [
          awsCommandLine(['apigateway', 'update-account', '--patch-operations', `op=replace,path=/cloudwatchRoleArn,value=${previous}`]),
        ]),
      )
    }

    let arn = knownArn
    if (logs && !group) {
      steps.push(
        callStep(
          operations.find((o) => o.operation === 'CreateLogGroup')!,
          async () => {
            await logs.createLogGroup({logGroupName: groupName}, `creating log group ${groupName}`)
            const created = await logs.describeLogGroup(groupName, `reading log group ${groupName}`)
            if (!created?.arn) throw new GwctlError('UNEXPECTED', `Log group ${groupName} was created but CloudWatch Logs does not list it`)
            arn = withoutWildcard(created.arn)
          },
          [awsCommandLine(['logs', 'delete-log-group', '--log-group-name', groupName])],
        ),
      )
    }

    const retention = operations.find((o) => o.operation === 'PutRetentionPolicy')
    if (logs && retention) {
      const before = group?.retentionInDays
      steps.push(
        callStep(
          retention,
          () => logs.putRetentionPolicy({logGroupName: groupName, retentionInDays: request.retentionDays}, `setting the retention of ${groupName}`),
          [
            before === undefined
              ? awsCommandLine(['logs', 'delete-retention-policy', '--log-group-name', groupName])
              : awsCommandLine(['logs', 'put-retention-policy', '--log-group-name', groupName, '--retention-in-days', String(before)]),
          ],
        ),
      )
    }

    // Once the log group exists, the stage patch names its ARN.
    // As JSON: a format holds commas, which the AWS CLI's shorthand would split on.
    const stageUndo = JSON.stringify(
      current?.destinationArn
        ? [
            {op: 'replace', path: '/accessLogSettings/destinationArn', value: current.destinationArn},
            ...(current.format ? [{op: 'replace', path: '/accessLogSettings/format', value: current.format}] : []),
          ]
        : [{op: 'remove', path: '/accessLogSettings'}],
    )
    const planned = operations.findIndex((o) => o.operation === 'UpdateStage')
    if (planned !== -1) {
      steps.push({
        title: describe(operations[planned]),
        finish: () => [rerun],
        undo: () => [awsCommandLine(['apigateway', 'update-stage', '--rest-api-id', api.id!, '--stage-name', request.stage, '--patch-operations', stageUndo])],
        run: async () => {
          const update = stagePatch(arn!)
          if (!update) return
          operations[planned] = update
          await this.apigw.updateStage(update.input as unknown as Parameters<ApiGateway['updateStage']>[0], `turning on access logging of ${where}`)
        },
      })
    }

    await runSteps(this.apigw, `Turning on access logging of ${where}`, steps)
    this.apis.forget(api.id!)
    const after = await this.apis.requireStage(api, request.stage)
    return result(after, arn!, true)
  }
}

/** "CreateLogGroup logGroupName=..." for messages. */
function describe(call: PlannedCall): string {
  const input = Object.entries(call.input)
    .filter(([name]) => name !== 'patchOperations')
    .map(([name, value]) => `${name}=${String(value)}`)
  const patches = (call.input.patchOperations as Array<{op: string; path: string}> | undefined)?.map((p) => `${p.op} ${p.path}`) ?? []
  return `${call.service} ${call.operation} ${[...input, ...patches].join(' ')}`.trim()
}

/** A Firehose stream named by its ARN; the name AWS requires is checked before anything is sent. */
function firehoseStream(value: string): {arn: string; name: string} {
  const arn = FIREHOSE_ARN.exec(value)
  const name = arn ? arn[1] : value
  if (!name.startsWith(FIREHOSE_PREFIX)) {
    throw badInput(
      `--firehose: API Gateway writes access logs only to a Firehose delivery stream whose name starts with "${FIREHOSE_PREFIX}"; "${name}" does not`,
      {
        suggestions: [`Create a delivery stream named ${FIREHOSE_PREFIX}${name} (or rename yours) and give its ARN`],
      },
    )
  }

  if (!arn) {
    throw badInput(`--firehose ${value}: give the delivery stream's ARN, e.g. arn:aws:firehose:us-east-1:123456789012:deliverystream/${name}`, {
      suggestions: [`aws firehose describe-delivery-stream --delivery-stream-name ${name} --query DeliveryStreamDescription.DeliveryStreamARN`],
    })
  }

  return {arn: value, name}
}

/** The refusal when the Region has no CloudWatch role: AWS's own words, and the exact fix. */
function missingRole(api: RestApi, request: EnableRequest): GwctlError {
  const fix = commandLine('logs enable', {
    stage: `${api.name ?? api.id!}:${request.stage}`,
    'log-group': request.logGroup,
    'retention-days': request.retentionDays,
    format: request.style === 'json' ? undefined : request.style,
    'cloudwatch-role-arn': placeholder('arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME'),
  })
  return badInput(
    `API Gateway cannot write to CloudWatch Logs in this Region yet: the account setting cloudwatchRoleArn is empty, and AWS would refuse with "${ROLE_MISSING}". Nothing was changed.`,
    {
      suggestions: [
        `Give API Gateway a role to write with: ${fix}`,
        'The role must trust apigateway.amazonaws.com and have the AWS managed policy AmazonAPIGatewayPushToCloudWatchLogs; AWS allows one UpdateAccount call per 20 seconds',
        'Or log to a Firehose delivery stream, which needs no role: --firehose arn:aws:firehose:REGION:ACCOUNT_ID:deliverystream/amazon-apigateway-NAME',
      ],
    },
  )
}
