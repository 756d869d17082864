import type {RestApi, Stage, UsagePlan} from '@aws-sdk/client-api-gateway'

import type {PlanChange} from '../model/usage-plan.js'
import type {Choice, Prompter} from './prompts.js'
import type {ApiKeySource} from '../model/key-source.js'
import type {StageCollision} from '../model/stage-collisions.js'
import type {ApiMethod, WizardReads} from './ports.js'
import type {KeysChoice, Setup} from './setup.js'

import {stageId, type MethodRef, type MethodThrottle, PERIODS, type Quota, type Throttle} from '../model/usage-plan.js'
import {commandLine, placeholder} from '../model/command-line.js'
import {badInput, notFound} from '../model/errors.js'
import {printable} from '../model/printable.js'
import {labelOf} from '../model/resolve.js'
import {parseBurst, parsePeriod, parseQuotaLimit, parseRate, wholeNumber} from '../model/flag-values.js'
import {keySourceOf} from '../model/key-source.js'
import {describeCollision} from '../model/stage-collisions.js'
import {formatQuota, formatThrottle} from '../ui/format.js'
import {validatorFrom} from './prompts.js'

/**
 * The questions of the wizard, in the order of the AWS guide. Every typed value
 * is checked by the same parser the commands use for their flags, so the reason
 * shown under a refused answer is the one a command would give. Nothing is sent
 * to AWS here: the answers become a `Setup`.
 */

export interface FlowContext {
  prompter: Prompter
  reads: WizardReads
  /** Warnings for the person at the terminal (stderr). */
  warn: (message: string) => void
}

/** Above this many APIs, the list is filtered by typing instead of scrolled. */
const SEARCH_ABOVE = 10

export const DEFAULT_LIMITS = {throttle: {rateLimit: 10, burstLimit: 20}, quota: {limit: 10_000, period: 'MONTH'}} as const

const methodLabel = (m: MethodRef) => `${m.httpMethod.padEnd(7)} ${m.path}`
const sameMethod = (a: MethodRef) => (b: MethodRef) => a.path === b.path && a.httpMethod === b.httpMethod

const collisionsMessage = (collisions: StageCollision[]) =>
  ['AWS allows an API key in only one usage plan per API stage:', ...collisions.map((c) => `  ${describeCollision(c)}`)].join('\n')

export async function askSetup(ctx: FlowContext): Promise<Setup> {
  const api = await askApi(ctx)
  const stages = await askStages(ctx, api)
  const plan = await askPlan(ctx, api, stages)
  const planName = plan.kind === 'new' ? plan.name : plan.current.name!
  const stagesToAttach = plan.kind === 'new' ? stages : plan.newStages
  const methods = await ctx.reads.methods(api.id!)
  const methodThrottles = stagesToAttach.length > 0 ? await askMethodThrottles(ctx, methods, plan.kind === 'new' ? plan.throttle : DEFAULT_LIMITS.throttle) : []
  const keys = await askKeys(ctx, {
    plan: plan.kind === 'new' ? {name: plan.name} : {id: plan.current.id!, name: plan.current.name!},
    newStages: stagesToAttach.map((stage) => stageId(api.id!, stage)),
  })
  const requireKey = await askRequireKey(ctx, api, methods, stages, planName)
  const keySource = await askKeySource(ctx, api)
  // Names from the account are shown, never obeyed: control characters become escapes.
  return {api: {id: api.id!, name: printable(api.name ?? api.id!)}, stages, plan, methodThrottles, keys, requireKey, keySource}
}

async function askApi({prompter, reads}: FlowContext): Promise<RestApi> {
  const apis = await reads.apis()
  if (apis.length === 0) {
    throw notFound('There is no REST API in this account and Region', {suggestions: ['Check --region and --profile (or AWS_REGION and AWS_PROFILE)']})
  }

  const choices = apis.map((api) => ({name: labelOf(api), value: api, description: api.description && printable(api.description)}))
  const question = {message: 'Which REST API?', choices}
  return apis.length > SEARCH_ABOVE ? prompter.search({...question, message: 'Which REST API? (type to filter)'}) : prompter.select(question)
}

const describeStage = (s: Stage) =>
  `${s.stageName}  (deployment ${s.deploymentId ?? 'none'}${s.lastUpdatedDate ? `, updated ${new Date(s.lastUpdatedDate).toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''})`

async function askStages({prompter, reads}: FlowContext, api: RestApi): Promise<string[]> {
  const stages = await reads.stages(api.id!)
  if (stages.length === 0) {
    throw notFound(`API ${labelOf(api)} has no stage yet`, {
      suggestions: [`Deploy it first: ${commandLine('deploy', {api: api.id, stage: 'prod', 'create-stage': true})}`],
    })
  }

  return prompter.checkbox({
    message: 'Which stages should the plan cover?',
    choices: stages.map((s) => ({name: describeStage(s), value: s.stageName!})),
    validate: (chosen) => chosen.length > 0 || 'Pick at least one stage (space to select)',
  })
}

async function askPlan(ctx: FlowContext, api: RestApi, stages: string[]): Promise<Setup['plan']> {
  const {prompter, reads} = ctx
  const plans = await reads.plans()
  for (;;) {
    const picked = await prompter.select<UsagePlan | null>({
      message: 'Create a new usage plan or extend an existing one?',
      choices: [
        {name: 'Create a new plan', value: null},
        ...plans.map((p) => ({
          name: `Extend ${labelOf(p)}`,
          value: p,
          description: `throttle ${formatThrottle(p.throttle)}, quota ${formatQuota(p.quota)}, stages ${(p.apiStages ?? []).map((s) => stageId(s.apiId!, s.stage!)).join(', ') || 'none'}`,
        })),
      ],
    })
    if (!picked) {
      const name = await prompter.input({
        message: 'Plan name',
        default: `${api.name}-plan`,
        validate(raw) {
          if (raw.trim() === '') return 'A plan needs a name'
          const taken = plans.find((p) => p.name === raw.trim())
          return taken ? `A usage plan named "${raw.trim()}" already exists (${taken.id}); choose another name, or extend that plan` : true
        },
      })
      return {kind: 'new', name: name.trim(), ...(await askLimits(prompter, DEFAULT_LIMITS))}
    }

    const covered = new Set((picked.apiStages ?? []).filter((s) => s.apiId === api.id).map((s) => s.stage))
    const newStages = stages.filter((s) => !covered.has(s))
    // The plan's keys come along to the new stages: refuse now what AWS would refuse later.
    const collisions =
      newStages.length > 0
        ? await reads.collisions({plan: {id: picked.id!, name: picked.name!}, keys: [], stages: newStages.map((stage) => stageId(api.id!, stage))})
        : []
    if (collisions.length > 0) {
      ctx.warn(`${collisionsMessage(collisions)}\nChoose another plan, or detach those keys from one of the plans first.`)
      continue
    }

    const limits = await askLimits(prompter, {
      throttle: {
        rateLimit: picked.throttle?.rateLimit ?? DEFAULT_LIMITS.throttle.rateLimit,
        burstLimit: picked.throttle?.burstLimit ?? DEFAULT_LIMITS.throttle.burstLimit,
      },
      quota: {limit: picked.quota?.limit ?? DEFAULT_LIMITS.quota.limit, period: (picked.quota?.period as Quota['period']) ?? DEFAULT_LIMITS.quota.period},
    })
    return {kind: 'existing', current: picked, change: limitsChange(picked, limits), newStages}
  }
}

/** Only the halves that differ from the plan; a throttle or quota is sent whole, as `plans update` needs it. */
function limitsChange(plan: UsagePlan, {throttle, quota}: {throttle: Throttle; quota: Quota}): PlanChange {
  const change: PlanChange = {}
  if (plan.throttle?.rateLimit !== throttle.rateLimit || plan.throttle?.burstLimit !== throttle.burstLimit) {
    Object.assign(change, {rateLimit: throttle.rateLimit, burstLimit: throttle.burstLimit})
  }

  if (plan.quota?.limit !== quota.limit || plan.quota?.period !== quota.period) Object.assign(change, {quotaLimit: quota.limit, quotaPeriod: quota.period})
  return change
}

/** Asks for a value until `parse` accepts it, showing the parser's reason under each refused one. */
async function askParsed<T>(prompter: Prompter, question: {message: string; default?: string}, parse: (raw: string) => T): Promise<T> {
  // What a person types may carry spaces around it; flags may not (flag-values.ts).
  const trimmed = (raw: string) => parse(raw.trim())
  return trimmed(await prompter.input({...question, validate: validatorFrom(trimmed)}))
}

async function askLimits(prompter: Prompter, defaults: {throttle: Throttle; quota: Quota}): Promise<{throttle: Throttle; quota: Quota}> {
  const rateLimit = await askParsed(prompter, {message: 'Throttle rate (requests per second per key)', default: String(defaults.throttle.rateLimit)}, (raw) =>
    parseRate(raw, 'Throttle rate'),
  )
  const burstLimit = await askParsed(prompter, {message: 'Throttle burst (requests at once per key)', default: String(defaults.throttle.burstLimit)}, (raw) =>
    parseBurst(raw, 'Throttle burst'),
  )
  const limit = await askParsed(prompter, {message: 'Quota (requests per key per period)', default: String(defaults.quota.limit)}, (raw) =>
    parseQuotaLimit(raw, 'Quota'),
  )
  const period = await prompter.select({
    message: 'Quota period',
    choices: PERIODS.map((p) => ({name: p, value: p})),
    default: defaults.quota.period,
  })
  return {
    throttle: {rateLimit, burstLimit},
    quota: {limit, period: parsePeriod(period, 'Quota')},
  }
}

async function askMethodThrottles({prompter}: FlowContext, methods: ApiMethod[], defaults: Throttle): Promise<MethodThrottle[]> {
  if (methods.length === 0 || !(await prompter.confirm({message: 'Set per-method throttles (tighter limits on some methods)?', default: false}))) return []
  const picked = await prompter.checkbox({
    message: 'Which methods?',
    choices: methods.map((m) => ({name: methodLabel(m), value: m})),
  })
  const throttles: MethodThrottle[] = []
  for (const m of picked) {
    const label = `${m.httpMethod} ${m.path}`
    const rateLimit = await askParsed(prompter, {message: `Throttle rate for ${label}`, default: String(defaults.rateLimit)}, (raw) =>
      parseRate(raw, `Throttle rate for ${label}`),
    )
    const burstLimit = await askParsed(prompter, {message: `Throttle burst for ${label}`, default: String(defaults.burstLimit)}, (raw) =>
      parseBurst(raw, `Throttle burst for ${label}`),
    )
    throttles.push({path: m.path, httpMethod: m.httpMethod, rateLimit, burstLimit})
  }

  return throttles
}

/** How many keys to generate at once; CreateApiKey allows 5 calls per second, so keep it to a reasonable batch. */
export const MAX_NEW_KEYS = 100

export function parseKeyCount(raw: string): number {
  const count = wholeNumber(raw.trim(), 1)
  if (count === undefined || count > MAX_NEW_KEYS) {
    throw badInput(`Number of keys must be a whole number from 1 to ${MAX_NEW_KEYS}; got "${raw}"`)
  }

  return count
}

/** "customer-{n}" with 3 keys -> customer-1, customer-2, customer-3. */
export function keyNames(pattern: string, count: number): string[] {
  return Array.from({length: count}, (_, i) => pattern.replaceAll('{n}', String(i + 1)))
}

function checkKeyPattern(pattern: string, count: number): void {
  if (pattern.trim() === '') throw badInput('Key name pattern must not be empty')
  if (count > 1 && !pattern.includes('{n}')) throw badInput(`Key name pattern must contain {n} to number ${count} keys; got "${pattern}"`)
  const longest = keyNames(pattern, count).at(-1)!
  if (longest.length > 1024) throw badInput('Key names must be at most 1024 characters')
}

async function askKeyNames(prompter: Prompter, planName: string): Promise<string[]> {
  const count = await askParsed(prompter, {message: 'How many new keys?', default: '1'}, parseKeyCount)
  const pattern = await prompter.input({
    message: 'Key name pattern ({n} becomes 1, 2, ...)',
    default: `${planName}-key-{n}`,
    validate: validatorFrom((raw: string) => checkKeyPattern(raw, count)),
  })
  return keyNames(pattern.trim(), count)
}

interface KeysContext {
  /** No id for a plan the wizard is about to create. */
  plan: {id?: string; name: string}
  /** Stages ("apiId:stage") the plan will start covering. */
  newStages: string[]
}

async function askKeys(ctx: FlowContext, target: KeysContext): Promise<KeysChoice> {
  const {prompter, reads} = ctx
  for (;;) {
    const kind = await prompter.select<KeysChoice['kind']>({
      message: 'API keys for this plan',
      choices: [
        {name: 'Generate new keys', value: 'generate'},
        {name: 'Import keys from a CSV file (AWS import format)', value: 'import'},
        {name: 'Add existing keys', value: 'existing'},
        {
          name: 'None for now',
          value: 'none',
          description: `add keys later with ${commandLine('keys attach', {key: placeholder('KEY'), plan: placeholder('PLAN')})}`,
        },
      ],
    })
    switch (kind) {
      case 'generate': {
        return {kind, names: await askKeyNames(prompter, target.plan.name)}
      }

      case 'import': {
        // The check that accepts the file also names its keys: keep them rather than read the file and the account again.
        let names: string[] = []
        const file = await prompter.input({
          message: 'CSV file',
          validate: validatorFrom(async (raw: string) => {
            names = await reads.checkKeysFile(raw, target.plan.id)
          }),
        })
        return {kind, file, names}
      }

      case 'existing': {
        const inPlan = new Set(target.plan.id ? (await reads.planKeys(target.plan.id)).map((k) => k.id) : [])
        const keys = (await reads.keys()).filter((k) => !inPlan.has(k.id))
        if (keys.length === 0) {
          ctx.warn(inPlan.size > 0 ? 'Every API key in this account is already in this plan.' : 'There is no API key in this account yet.')
          continue
        }

        const picked = await prompter.checkbox({
          message: 'Which keys?',
          choices: keys.map((k) => ({name: `${labelOf(k)}${k.enabled === false ? ' [disabled]' : ''}`, value: {id: k.id!, name: printable(k.name ?? k.id!)}})),
          async validate(chosen) {
            if (chosen.length === 0) return 'Pick at least one key (space to select)'
            const collisions = await reads.collisions({plan: target.plan, keys: chosen, stages: target.newStages})
            return collisions.length === 0 || collisionsMessage(collisions)
          },
        })
        return {kind, keys: picked}
      }

      case 'none': {
        return {kind}
      }
    }
  }
}

async function askRequireKey(ctx: FlowContext, api: RestApi, methods: ApiMethod[], stages: string[], planName: string): Promise<Setup['requireKey']> {
  if (methods.length === 0) {
    ctx.warn(`API ${labelOf(api)} has no methods yet, so plan ${printable(planName)} would meter nothing on it.`)
    return {on: [], off: []}
  }

  for (;;) {
    const wanted = await ctx.prompter.checkbox({
      message: 'Which methods require an API key? (the plan meters only those)',
      choices: methods.map((m) => ({name: methodLabel(m), value: m, checked: m.apiKeyRequired})),
    })
    if (wanted.length === 0) {
      ctx.warn(
        `No method of ${printable(api.name ?? api.id!)} would require an API key: on stage(s) ${stages.join(', ')} plan ${printable(planName)} would meter nothing, and callers would need no key.`,
      )
      if (!(await ctx.prompter.confirm({message: 'Continue with no method requiring a key?', default: false}))) continue
    }

    return {
      on: wanted.filter((m) => !methods.find(sameMethod(m))!.apiKeyRequired).map(({path, httpMethod}) => ({path, httpMethod})),
      off: methods.filter((m) => m.apiKeyRequired && !wanted.some(sameMethod(m))).map(({path, httpMethod}) => ({path, httpMethod})),
    }
  }
}

async function askKeySource(ctx: FlowContext, api: RestApi): Promise<Setup['keySource']> {
  const from = keySourceOf(api)
  const choices: Array<Choice<ApiKeySource>> = [
    {name: 'HEADER', value: 'HEADER', description: 'callers send the key in the X-API-Key header'},
    {name: 'AUTHORIZER', value: 'AUTHORIZER', description: 'a Lambda authorizer returns the key as usageIdentifierKey'},
  ]
  const to = await ctx.prompter.select({message: 'Where does the API key come from?', choices, default: from})
  for (const warning of await ctx.reads.keySourceWarnings(api.id!, to)) ctx.warn(warning)

  return {from, to}
}
