import type {Deployment, RestApi} from '@aws-sdk/client-api-gateway'

import type {ApiGateway} from '../aws/api-gateway.js'

import {awsCall, type WriteOutcome} from '../model/aws-calls.js'
import type {ChangeStep} from '../model/change-steps.js'
import {commandArgv, commandLine, placeholder} from '../model/command-line.js'
import {notFound} from '../model/errors.js'
import {parseHttpMethod, parsePathGlob} from '../model/method-selection.js'
import {labelOf, type Ref, refOf} from '../model/resolve.js'
import {Authorizers} from './authorizers.js'
import {Deployments} from './deployments.js'
import {apiKeyRequiredOp} from '../model/patches.js'
import {RestApis} from './rest-apis.js'
import {runSteps} from './steps.js'
import {UsagePlans} from './usage-plans.js'
import {type MethodRef, verbsByPath} from '../model/usage-plan.js'

/** One method of one resource, with what decides who may call it. */
export interface MethodInfo {
  /** Resource template path, e.g. "/pets/{id}". */
  path: string
  resourceId: string
  httpMethod: string
  /** NONE, AWS_IAM, CUSTOM (Lambda authorizer) or COGNITO_USER_POOLS. */
  authorizationType: string
  authorizerId?: string
  authorizerName?: string
  apiKeyRequired: boolean
}

export interface MethodSelection {
  /** Resource path glob (see model/method-selection.ts); every path when absent. */
  path?: string
  /** HTTP methods, any case; every method when absent or empty. */
  methods?: string[]
}

export interface RequireKeyInput extends MethodSelection {
  /** API id or name. */
  api: string
  /** Stop requiring a key instead of requiring one. */
  off?: boolean
  /** Stage to deploy to once the methods are changed. */
  deploy?: string
  deployDescription?: string
  /** Report what would change and send nothing. */
  dryRun?: boolean
}

export interface RequireKeyResult extends WriteOutcome {
  restApi: Ref
  /** The value the selected methods now have. */
  apiKeyRequired: boolean
  /** Methods whose apiKeyRequired was (or, in a dry run, would be) changed. */
  changedMethods: MethodInfo[]
  /** Selected methods that already had the value; nothing was sent for them. */
  unchangedMethods: MethodInfo[]
  /**
   * Likely mistakes: CORS preflight methods made to require a key, and stages no
   * usage plan covers, where every call of a method requiring a key gets 403.
   */
  warnings: string[]
  /** The deployment made with --deploy (AWS's Deployment). */
  deployment?: Deployment
  /** Stages still serving the previous setting: they need a deployment before callers see the change. */
  stagesToRedeploy: string[]
}

const byPathThenMethod = (a: MethodInfo, b: MethodInfo) => a.path.localeCompare(b.path) || a.httpMethod.localeCompare(b.httpMethod)

/** "GET /pets, POST /pets": methods named the way people say them. */
export const methodList = (methods: ReadonlyArray<MethodRef>) => methods.map((m) => `${m.httpMethod} ${m.path}`).join(', ')

/** The require-key command that sets one method to `required`. */
const requireKeyCommand = (apiId: string, m: MethodInfo, required: boolean) =>
  commandArgv('methods require-key', {api: apiId, path: m.path, method: [m.httpMethod], off: !required})

/**
 * The require-key commands that set `methods` to `required`, one per path; with
 * `deploy`, each also deploys that stage afterwards.
 */
export function requireKeyCommands(apiId: string, methods: readonly MethodRef[], required: boolean, deploy?: string): string[] {
  return verbsByPath(methods).map(([path, verbs]) => commandLine('methods require-key', {api: apiId, path, method: verbs, off: !required, deploy}))
}

/** Resource methods: listing them, and requiring (or not) an API key on a selection of them. */
export class Methods {
  private readonly deployments: Deployments

  constructor(
    private readonly apigw: ApiGateway,
    private readonly apis = new RestApis(apigw),
    private readonly authorizers = new Authorizers(apigw),
  ) {
    this.deployments = new Deployments(apigw, apis)
  }

  /** Every method of the API named by id or name, sorted by path then method. */
  async list(apiRef: string): Promise<MethodInfo[]> {
    return this.ofApi(await this.apis.resolve(apiRef))
  }

  async ofApi(api: RestApi): Promise<MethodInfo[]> {
    const resources = await this.apis.resources(api.id!)
    const methods: MethodInfo[] = resources.flatMap((resource) =>
      Object.entries(resource.resourceMethods ?? {}).map(([httpMethod, method]) => ({
        path: resource.path!,
        resourceId: resource.id!,
        httpMethod,
        authorizationType: method.authorizationType ?? 'NONE',
        authorizerId: method.authorizerId ?? undefined,
        apiKeyRequired: method.apiKeyRequired ?? false,
      })),
    )
    // Authorizer names cost one more call, made only when some method has an authorizer.
    if (methods.some((m) => m.authorizerId)) {
      const names = new Map((await this.authorizers.list(api.id!)).map((a) => [a.id, a.name]))
      for (const m of methods) if (m.authorizerId) m.authorizerName = names.get(m.authorizerId)
    }

    return methods.toSorted(byPathThenMethod)
  }

  /**
   * The methods matching a path glob and HTTP methods. Matching nothing is an
   * error (exit 3) that lists what the API has, since it is almost always a typo.
   */
  select(api: RestApi, methods: MethodInfo[], selection: MethodSelection): MethodInfo[] {
    const glob = selection.path === undefined ? undefined : parsePathGlob(selection.path)
    const verbs = (selection.methods ?? []).map((m) => parseHttpMethod(m))
    const onPath = glob ? methods.filter((m) => glob.matches(m.path)) : methods
    const selected = verbs.length > 0 ? onPath.filter((m) => verbs.includes(m.httpMethod)) : onPath
    if (selected.length > 0) return selected

    const apiName = `API ${labelOf(api)}`
    const paths = [...new Set(methods.map((m) => m.path))]
    if (glob && onPath.length === 0) {
      throw notFound(`No resource of ${apiName} matches --path "${glob.source}" (resources with methods: ${paths.join(', ') || 'none'})`, {
        suggestions: ['"*" matches within one path segment and "**" any number of segments, e.g. /pets/* or /pets/**'],
      })
    }

    const available = [...new Set(onPath.map((m) => m.httpMethod))].join(', ') || 'none'
    const where = glob ? `on resources matching --path "${glob.source}"` : `in ${apiName}`
    throw notFound(`No ${verbs.join(' or ')} method ${where} (methods there: ${available})`, {
      suggestions: [`See every method: ${commandLine('methods list', {api: api.id!})}`],
    })
  }

  /**
   * Sets apiKeyRequired on the selected methods, one UpdateMethod call each,
   * skipping those already set, then deploys when asked. The deploy stage is
   * checked before anything changes. A failure part way lists what was changed
   * and the command that undoes it.
   *
   * Requiring a key on a stage no usage plan covers makes every call of those
   * methods answer 403: a warning names such stages, and before deploying to one
   * `confirm` is asked, with the warnings so far (a command shows them, then asks
   * the person, or refuses without --yes).
   */
  async requireKey(input: RequireKeyInput, hooks: {confirm?: (question: string, warnings: string[]) => Promise<void>} = {}): Promise<RequireKeyResult> {
    const required = !input.off
    const api = await this.apis.resolve(input.api)
    if (input.deploy !== undefined) await this.deployments.checkStage(api, input.deploy, false, '--deploy')
    const selected = this.select(api, await this.ofApi(api), input)
    const toChange = selected.filter((m) => m.apiKeyRequired !== required)
    const result: RequireKeyResult = {
      restApi: refOf(api),
      apiKeyRequired: required,
      changedMethods: toChange.map((m) => ({...m, apiKeyRequired: required})),
      unchangedMethods: selected.filter((m) => m.apiKeyRequired === required),
      warnings: [],
      stagesToRedeploy: [],
      changed: false,
      dryRun: input.dryRun ?? false,
      calls: toChange.map((m) =>
        awsCall('UpdateMethod', {restApiId: api.id, resourceId: m.resourceId, httpMethod: m.httpMethod, patchOperations: [apiKeyRequiredOp(required)]}),
      ),
    }
    if (input.deploy !== undefined)
      result.calls.push(awsCall('CreateDeployment', {restApiId: api.id, stageName: input.deploy, description: input.deployDescription}))
    const preflight = result.changedMethods.filter((m) => m.apiKeyRequired && m.httpMethod === 'OPTIONS')
    if (preflight.length > 0) {
      result.warnings.push(
        `Browsers send CORS preflight requests (OPTIONS) without an API key, so ${methodList(preflight)} will answer 403 to them; leave them out with --method`,
      )
    }

    const uncovered = required ? await this.stagesNoPlanCovers(api, input.deploy) : []
    for (const stage of uncovered) {
      result.warnings.push(
        `No usage plan covers stage ${stage} of API ${labelOf(api)}: once it is deployed, every call of a method requiring a key gets 403 Forbidden there, whatever key it sends. Cover it first: ${commandLine('stages attach', {plan: placeholder('PLAN'), api: api.id!, stage})}`,
      )
    }

    if (input.dryRun) return result
    if (input.deploy !== undefined && uncovered.includes(input.deploy) && hooks.confirm) {
      await hooks.confirm(
        `No usage plan covers stage ${input.deploy}: deploy anyway, so that callers of methods requiring a key get 403 there?`,
        result.warnings,
      )
    }

    // One UpdateMethod per method, then the deployment when asked: steps, so a failure part
    // way says which methods were changed and how to undo them.
    const steps: ChangeStep[] = toChange.map((m) => ({
      title: `set apiKeyRequired=${required} on ${m.httpMethod} ${m.path}`,
      finish: () => [requireKeyCommand(api.id!, m, required)],
      undo: () => [requireKeyCommand(api.id!, m, !required)],
      run: async () => {
        await this.apigw.updateMethod(
          {restApiId: api.id!, resourceId: m.resourceId, httpMethod: m.httpMethod, patchOperations: [apiKeyRequiredOp(required)]},
          `setting apiKeyRequired=${required} on ${m.httpMethod} ${m.path} of API ${labelOf(api)}`,
        )
      },
    }))
    // With --deploy the stage is deployed even when nothing changed here, so that an earlier undeployed change is published too.
    if (input.deploy !== undefined) steps.push(this.deployments.deployStep(api, input.deploy, input.deployDescription, (d) => (result.deployment = d)))
    this.apis.forget(api.id!) // what is cached about the API's methods is about to be stale
    await runSteps(this.apigw, `Setting apiKeyRequired=${required} on methods of API ${labelOf(api)}`, steps)
    const changed = toChange.length > 0
    if (changed && input.deploy === undefined) result.stagesToRedeploy = await this.deployments.stagesToRedeploy(api)
    return {...result, changed: changed || result.deployment !== undefined}
  }

  /** The stages (`only`, or all of the API's) that no usage plan covers. */
  private async stagesNoPlanCovers(api: RestApi, only?: string): Promise<string[]> {
    const stages = only === undefined ? (await this.apis.stages(api.id!)).map((s) => s.stageName!) : [only]
    const plans = await new UsagePlans(this.apigw, this.apis).list()
    return stages.filter((stage) => !plans.some((plan) => plan.apiStages?.some((s) => s.apiId === api.id && s.stage === stage)))
  }
}
