import type {Fix} from '../../model/findings.js'
import type {Ref} from '../../model/resolve.js'
import type {MethodRef, Throttle} from '../../model/usage-plan.js'

import {labelOf, refOf} from '../../model/resolve.js'
import {commandLine, placeholder} from '../../model/command-line.js'
import {awsCommandLine} from '../../model/shell.js'
import {methodKey, stageId} from '../../model/usage-plan.js'
import {destinationOf} from '../access-logging.js'
import {requireKeyCommands} from '../methods.js'

/**
 * Every command line doctor prints, built in one place. gwctl commands name
 * things by id, so that a line stays right when names are shared. Words in capitals
 * (PLAN, KEY, NAME, ROLE_ARN, LOG_GROUP_ARN) are for the reader to fill in. Where
 * gwctl has no command for a change yet, the AWS CLI's is printed.
 */

const byPath = (methods: readonly MethodRef[]) => {
  const paths = new Map<string, string[]>()
  for (const m of methods) paths.set(m.path, [...(paths.get(m.path) ?? []), m.httpMethod])
  return [...paths]
}

export function deployFix(api: Ref, stage: {stageName: string; deploymentId?: string}, options: {safe: boolean; publishes: string[]}): Fix {
  const replaces = stage.deploymentId === undefined ? {} : {replaces: stage.deploymentId}
  return {
    description: `Deploy API ${labelOf(api)} to stage ${stage.stageName}, which publishes ${options.publishes.join(' and ')}`,
    command: commandLine('deploy', {api: api.id, stage: stage.stageName}),
    ...(options.safe ? {safe: {kind: 'deploy' as const, api: refOf(api), stage: stage.stageName, publishes: options.publishes, ...replaces}} : {}),
  }
}

/** Points a stage back at the deployment it served before (AWS CLI: gwctl has no command for it). */
export const restoreDeploymentCommand = (apiId: string, stage: string, deploymentId: string) =>
  awsCommandLine([
    'apigateway',
    'update-stage',
    '--rest-api-id',
    apiId,
    '--stage-name',
    stage,
    '--patch-operations',
    `op=replace,path=/deploymentId,value=${deploymentId}`,
  ])

/** Stops requiring a key on OPTIONS methods (safe: browsers' preflights carry none), one command per path. */
export function stopRequiringKeyOnOptionsFixes(api: Ref, methods: readonly MethodRef[]): Fix[] {
  return byPath(methods).map(([path, verbs]) => ({
    description: `Stop requiring an API key on ${verbs.map((v) => `${v} ${path}`).join(', ')} of API ${labelOf(api)}`,
    command: requireKeyCommands(
      api.id,
      verbs.map((httpMethod) => ({path, httpMethod})),
      false,
    )[0],
    safe: {kind: 'stop-requiring-key' as const, api: refOf(api), path, httpMethods: verbs},
  }))
}

/** Requires a key (or stops requiring one) on the methods, one command per path, then deploys `stage` once. */
export function requireKeyFixes(api: Ref, methods: readonly MethodRef[], stage: string, required: boolean): Fix[] {
  const changes = byPath(methods).map(([path, verbs]) => ({
    description: `${required ? 'Require' : 'Stop requiring'} an API key on ${verbs.map((v) => `${v} ${path}`).join(', ')} of API ${labelOf(api)}`,
    command: requireKeyCommands(
      api.id,
      verbs.map((httpMethod) => ({path, httpMethod})),
      required,
    )[0],
  }))
  return [...changes, deployFix(api, {stageName: stage}, {safe: false, publishes: ['that change']})]
}

/** Requires a key on every method of the API with these HTTP methods, and deploys `stage`. */
export const requireKeyOnVerbsFix = (api: Ref, verbs: readonly string[], stage: string): Fix => ({
  description: `Require an API key on the ${verbs.join(', ')} methods of API ${labelOf(api)} and deploy stage ${stage}`,
  command: commandLine('methods require-key', {api: api.id, method: verbs, deploy: stage}),
})

export const attachPlanFix = (plan: Ref | undefined, api: Ref, stage: string): Fix => ({
  description: plan
    ? `Cover stage ${stage} with usage plan ${labelOf(plan)}`
    : `Cover stage ${stage} with an existing usage plan (gwctl plans list shows them)`,
  command: commandLine('stages attach', {plan: plan?.id ?? placeholder('PLAN'), api: api.id, stage}),
})

export const createPlanFix = (api: Ref, stage: string): Fix => ({
  description: `Create a usage plan covering stage ${stage} (add --rate, --burst and --quota to limit it)`,
  command: commandLine('plans create', {name: placeholder('NAME'), stage: [stageId(api.id, stage)]}),
})

export const detachPlanFix = (plan: Ref, api: Ref, stage: string): Fix => ({
  description: `Stop usage plan ${labelOf(plan)} covering stage ${stage}`,
  command: commandLine('stages detach', {plan: plan.id, api: api.id, stage}),
})

/** Re-attaches a stage with new per-method throttles: stages attach sets them only on a stage the plan does not cover yet. */
export function reattachWithThrottlesFixes(plan: Ref, api: Ref, stage: string, throttles: Array<MethodRef & Throttle>): Fix[] {
  const specs = throttles.map((t) => `${methodKey(t)}=${t.rateLimit}/${t.burstLimit}`)
  return [
    {
      ...detachPlanFix(plan, api, stage),
      description: `First detach stage ${stage} from usage plan ${labelOf(plan)} (until the next command, keys of that plan get 403 there)`,
    },
    {
      description: `then attach it again with per-method throttles ${throttles.map((t) => `${methodKey(t)} ${t.rateLimit}/${t.burstLimit}`).join(', ') || '(none)'}`,
      command: commandLine('stages attach', {plan: plan.id, api: api.id, stage, 'method-throttle': specs}),
    },
  ]
}

export const enableKeyFix = (key: Ref): Fix => ({description: `Enable API key ${labelOf(key)}`, command: commandLine('keys enable', {key: key.id})})
export const disableKeyFix = (key: Ref): Fix => ({description: `Disable API key ${labelOf(key)}`, command: commandLine('keys disable', {key: key.id})})
export const deleteKeyFix = (key: Ref): Fix => ({description: `Delete API key ${labelOf(key)}`, command: commandLine('keys delete', {key: key.id, yes: true})})

export const attachKeyFix = (key: Ref | undefined, plan: Ref | undefined): Fix => ({
  description:
    key && plan
      ? `Add API key ${labelOf(key)} to usage plan ${labelOf(plan)}`
      : key
        ? `Add API key ${labelOf(key)} to a usage plan`
        : `Add an existing API key to usage plan ${labelOf(plan!)}`,
  command: commandLine('keys attach', {key: key?.id ?? placeholder('KEY'), plan: plan?.id ?? placeholder('PLAN')}),
})

/** Without `plan`, from one of its plans, for the reader to choose. */
export const detachKeyFix = (key: Ref, plan?: Ref): Fix => ({
  description: plan ? `Remove API key ${labelOf(key)} from usage plan ${labelOf(plan)}` : `Remove API key ${labelOf(key)} from a usage plan it need not be in`,
  command: commandLine('keys detach', {key: key.id, plan: plan?.id ?? placeholder('PLAN')}),
})

export const createKeyFix = (plan: Ref): Fix => ({
  description: `Create an API key in usage plan ${labelOf(plan)}`,
  command: commandLine('keys create', {name: placeholder('NAME'), plan: [plan.id]}),
})

export const deletePlanFix = (plan: Ref): Fix => ({
  description: `Delete usage plan ${labelOf(plan)}`,
  command: commandLine('plans delete', {plan: plan.id, force: true, yes: true}),
})

export const setKeySourceFix = (api: Ref, source: 'HEADER' | 'AUTHORIZER', stage: string | undefined): Fix => ({
  description: `Take keys from ${source === 'HEADER' ? 'the X-API-Key header' : "the Lambda authorizer's usageIdentifierKey"} on API ${labelOf(api)}${stage ? ` and deploy stage ${stage}` : ''}`,
  command: commandLine('api set-key-source', {api: api.id, source, deploy: stage}),
})

/** `plans update` with the given halves of the throttle and/or the quota limit. */
export function updatePlanFix(plan: Ref, change: {rateLimit?: number; burstLimit?: number; quota?: string}, why: string): Fix {
  return {
    description: `${why}: usage plan ${labelOf(plan)}`,
    command: commandLine('plans update', {plan: plan.id, rate: change.rateLimit, burst: change.burstLimit, quota: change.quota}),
  }
}

/** Service Quotas codes of the API Gateway quotas doctor compares against (AWS's quotas page). */
export const QUOTA_CODES = {accountThrottle: 'L-8A5B8E43', usagePlans: 'L-E8693075', plansPerKey: 'L-985EB478'} as const

export const quotaIncreaseFix = (what: string, code: string, value: number): Fix => ({
  description: `Ask AWS to raise ${what} (Service Quotas ${code})`,
  command: awsCommandLine([
    'service-quotas',
    'request-service-quota-increase',
    '--service-code',
    'apigateway',
    '--quota-code',
    code,
    '--desired-value',
    String(value),
  ]),
})

/** Raises stage method throttles (patch path -> value), with the AWS CLI: gwctl has no command for stage settings. */
export const stageThrottleFix = (api: Ref, stage: string, raise: ReadonlyMap<string, number>): Fix => ({
  description: `Raise stage ${stage}'s method throttles to the plan's (AWS CLI)`,
  command: awsCommandLine([
    'apigateway',
    'update-stage',
    '--rest-api-id',
    api.id,
    '--stage-name',
    stage,
    '--patch-operations',
    ...[...raise].map(([path, value]) => `op=replace,path=${path},value=${value}`),
  ]),
})

/** Puts a method behind a Lambda authorizer, with the AWS CLI: gwctl does not manage authorizers. */
export const attachAuthorizerFix = (api: Ref, resourceId: string, method: MethodRef, authorizer: Ref): Fix => ({
  description: `Put ${method.httpMethod} ${method.path} behind Lambda authorizer ${labelOf(authorizer)} (AWS CLI; then deploy)`,
  command: awsCommandLine([
    'apigateway',
    'update-method',
    '--rest-api-id',
    api.id,
    '--resource-id',
    resourceId,
    '--http-method',
    method.httpMethod,
    '--patch-operations',
    'op=replace,path=/authorizationType,value=CUSTOM',
    `op=replace,path=/authorizerId,value=${authorizer.id}`,
  ]),
})

export const cloudWatchRoleFix = (): Fix => ({
  description: "Set the Region's CloudWatch Logs role: an IAM role API Gateway can assume, with the AmazonAPIGatewayPushToCloudWatchLogs policy (AWS CLI)",
  command: awsCommandLine(['apigateway', 'update-account', '--patch-operations', 'op=replace,path=/cloudwatchRoleArn,value=ROLE_ARN']),
})

/**
 * Turns on access logging in the format `gwctl logs format` prints, with `gwctl logs enable`:
 * to the stage's current destination when it has one, else the default log group; with
 * the Region's CloudWatch Logs role when it is missing and a log group is the destination.
 */
export const accessLoggingFix = (api: Ref, stage: string, options: {destinationArn?: string; roleMissing: boolean}): Fix => {
  const destination = destinationOf(options.destinationArn)
  const toLogGroup = destination?.type !== 'firehose'
  return {
    description: options.destinationArn
      ? `Log stage ${stage}'s requests to where they go now, in the format gwctl logs format prints`
      : `Log stage ${stage}'s requests to a CloudWatch Logs group in the format gwctl logs format prints`,
    command: commandLine('logs enable', {
      stage: `${api.id}:${stage}`,
      'log-group': destination?.type === 'cloudwatch-logs' ? destination.logGroup : undefined,
      firehose: destination?.type === 'firehose' ? options.destinationArn : undefined,
      'cloudwatch-role-arn': options.roleMissing && toLogGroup ? placeholder('ROLE_ARN') : undefined,
    }),
  }
}
