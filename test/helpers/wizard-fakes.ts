import type {ApiKey, RestApi, Stage, UsagePlan, UsagePlanKey} from '@aws-sdk/client-api-gateway'

import type {Choice, Prompter} from '../../src/wizard/prompts.js'
import type {StageCollision} from '../../src/model/stage-collisions.js'
import type {ApiMethod, WizardReads, WizardWrites} from '../../src/wizard/ports.js'

import {badInput} from '../../src/model/errors.js'
import {cancellable} from '../../src/wizard/prompts.js'

/** Answer for a prompt: Ctrl-C, as inquirer reports it. */
export const CTRL_C = Symbol('Ctrl-C')
/** Answer for a prompt: press Enter on the default (or the pre-checked boxes). */
export const ENTER = Symbol('Enter')

export type Answer = unknown
export type Script = Array<[RegExp, Answer]>

export interface ScriptedPrompter extends Prompter {
  /** Every question asked, in order. */
  asked: string[]
  /** The reasons shown under refused answers, in order. */
  refusals: string[]
  /** Answers not used yet (a test expects 0 at the end). */
  left(): number
}

/** The choice a scripted answer picks: its value, or the first whose label contains the answer. */
const pick = <T>(choices: Array<Choice<T>>, answer: Answer): T => {
  const found = choices.find((c) => c.value === answer) ?? choices.find((c) => typeof answer === 'string' && c.name.includes(answer))
  if (!found) throw new Error(`no choice matches ${String(answer)} among ${choices.map((c) => c.name).join(' | ')}`)
  return found.value
}

/**
 * A Prompter that answers from a script, in order. Each entry names the question
 * it expects (a pattern on the message), so a test fails on a question out of place.
 * For select and checkbox, a string answer picks the choice whose label contains it.
 * A refused answer (the validator returns a reason) consumes the next entry, like
 * a person typing again.
 */
export function scriptedPrompter(script: Script): ScriptedPrompter {
  const queue = [...script]
  const asked: string[] = []
  const refusals: string[] = []
  const next = (message: string): Answer => {
    asked.push(message)
    const entry = queue.shift()
    if (!entry) throw new Error(`no scripted answer for "${message}"`)
    if (!entry[0].test(message)) throw new Error(`expected a question matching ${entry[0]}, got "${message}"`)
    // What @inquirer/prompts throws on Ctrl-C.
    if (entry[1] === CTRL_C) throw Object.assign(new Error('User force closed the prompt with SIGINT'), {name: 'ExitPromptError'})
    return entry[1]
  }

  async function validated<T>(message: string, toValue: (answer: Answer) => T, validate?: (v: T) => Promise<string | true> | string | true): Promise<T> {
    for (;;) {
      const value = toValue(next(message))
      const verdict = validate ? await validate(value) : true
      if (verdict === true) return value
      refusals.push(verdict)
    }
  }

  const prompter: Prompter = {
    select: async (q) => {
      const answer = next(q.message)
      return answer === ENTER ? (q.default ?? q.choices[0].value) : pick(q.choices, answer)
    },
    search: async (q) => pick(q.choices, next(q.message)),
    checkbox: (q) =>
      validated(
        q.message,
        (answer) => (answer === ENTER ? q.choices.filter((c) => c.checked).map((c) => c.value) : (answer as Answer[]).map((a) => pick(q.choices, a))),
        q.validate,
      ),
    input: (q) => validated(q.message, (answer) => (answer === ENTER ? (q.default ?? '') : String(answer)), q.validate),
    confirm: async (q) => {
      const answer = next(q.message)
      return answer === ENTER ? Boolean(q.default) : Boolean(answer)
    },
  }
  return {...cancellable(prompter), asked, refusals, left: () => queue.length}
}

export interface World {
  apis: RestApi[]
  stages: Record<string, Stage[]>
  methods: Record<string, ApiMethod[]>
  plans: UsagePlan[]
  keys: ApiKey[]
  planKeys: Record<string, UsagePlanKey[]>
  /** keyId -> plans it is in, for the one-plan-per-stage check. */
  keyPlans?: Record<string, string[]>
  keyFiles?: Record<string, string[]>
  lambdaAuthorizers?: string[]
}

/** Reads over a fixed world; the collision check follows AWS's one-plan-per-stage rule. */
export function fakeReads(world: World): WizardReads {
  return {
    apis: async () => world.apis,
    stages: async (apiId) => world.stages[apiId] ?? [],
    methods: async (apiId) => world.methods[apiId] ?? [],
    plans: async () => world.plans,
    keys: async () => world.keys,
    planKeys: async (planId) => world.planKeys[planId] ?? [],
    // AWS's rule: the plan's keys (old and added) on its stages (old and added) may sit in no other plan there.
    async collisions({plan, keys, stages}) {
      const current = world.plans.find((p) => p.id === plan.id)
      const planStages = new Set([...(current?.apiStages ?? []).map((s) => `${s.apiId}:${s.stage}`), ...stages])
      const planKeys = [...(plan.id ? (world.planKeys[plan.id] ?? []) : []).map((k) => ({id: k.id!, name: k.name})), ...keys]
      const found: StageCollision[] = []
      for (const key of planKeys) {
        for (const other of world.plans.filter((p) => p.id !== plan.id && world.keyPlans?.[key.id]?.includes(p.id!))) {
          for (const stage of (other.apiStages ?? []).map((s) => `${s.apiId}:${s.stage}`).filter((s) => planStages.has(s))) {
            found.push({key, stage, plan: {id: plan.id ?? 'new plan', name: plan.name}, otherPlan: {id: other.id!, name: other.name}})
          }
        }
      }

      return found
    },
    async checkKeysFile(file) {
      const names = world.keyFiles?.[file]
      if (!names) throw badInput(`${file}: no such file`)
      return names
    },
    keySourceWarnings: async (apiId, source) =>
      source === 'AUTHORIZER' && !(world.lambdaAuthorizers ?? []).includes(apiId) ? [`API ${apiId} has no Lambda authorizer (TOKEN or REQUEST)`] : [],
  }
}

export interface RecordingWrites extends WizardWrites {
  calls: Array<[string, unknown]>
}

/** Writes that record each call; `failAt` makes the call with that number (1-based) fail. */
export function recordingWrites(options: {failAt?: number; error?: Error} = {}): RecordingWrites {
  const calls: Array<[string, unknown]> = []
  let keyNumber = 0
  const call = async <T>(name: string, input: unknown, result: T): Promise<T> => {
    calls.push([name, input])
    if (calls.length === options.failAt) throw options.error ?? new Error('AWS said no')
    return result
  }

  return {
    calls,
    createPlan: (input) => call('createPlan', input, {id: 'pNEW'}),
    extendPlan: (input) => call('extendPlan', input, undefined),
    createKey(input) {
      keyNumber++
      return call('createKey', input, {id: `k${keyNumber}`, name: input.name, value: `Value${keyNumber}`.padEnd(30, 'x')})
    },
    importKeys: (input) => call('importKeys', input, {ids: ['kI1', 'kI2']}),
    attachKey: (input) => call('attachKey', input, undefined),
    requireKey: (input) => call('requireKey', input, undefined),
    setKeySource: (input) => call('setKeySource', input, undefined),
    deploy: (input) => call('deploy', input, {id: `d-${input.stage}`}),
  }
}

/** A small account: API "pets" with two stages, one plan "silver" on prod holding key alice. */
export function petsWorld(): World {
  return {
    apis: [{id: 'a1', name: 'pets', apiKeySource: 'HEADER'}],
    stages: {
      a1: [
        {stageName: 'prod', deploymentId: 'dep1', lastUpdatedDate: new Date('2026-11-20T10:00:00Z')},
        {stageName: 'beta', deploymentId: 'dep2'},
      ],
    },
    methods: {
      a1: [
        {path: '/', httpMethod: 'GET', apiKeyRequired: false},
        {path: '/pets', httpMethod: 'GET', apiKeyRequired: false},
        {path: '/pets', httpMethod: 'POST', apiKeyRequired: true},
        {path: '/pets/{id}', httpMethod: 'DELETE', apiKeyRequired: false},
        {path: '/pets/{id}', httpMethod: 'GET', apiKeyRequired: false},
      ],
    },
    plans: [
      {
        id: 'p2',
        name: 'silver',
        throttle: {rateLimit: 5, burstLimit: 10},
        quota: {limit: 1000, period: 'DAY', offset: 0},
        apiStages: [{apiId: 'a1', stage: 'prod'}],
      },
    ],
    keys: [
      {id: 'kA', name: 'alice', enabled: true},
      {id: 'kB', name: 'bob', enabled: true},
    ],
    planKeys: {p2: [{id: 'kA', name: 'alice', type: 'API_KEY'}]},
    keyPlans: {kA: ['p2']},
    keyFiles: {'partners.csv': ['acme', 'globex']},
  }
}

/** Answers that create plan "gold" on both stages of API "pets". */
export const NEW_PLAN: Script = [
  [/Which REST API/, 'pets'],
  [/Which stages/, ['prod', 'beta']],
  [/new usage plan or extend/, 'Create a new plan'],
  [/Plan name/, 'gold'],
  [/Throttle rate \(/, '100'],
  [/Throttle burst \(/, '200'],
  [/Quota \(/, '50000'],
  [/Quota period/, 'MONTH'],
]

/** NEW_PLAN with two generated keys gold-1 and gold-2, key requirements and source left as they are; then the confirmation of its 5 changes. */
export const NEW_PLAN_TWO_KEYS: Script = [
  ...NEW_PLAN,
  [/per-method throttles/, false],
  [/API keys for this plan/, 'Generate new keys'],
  [/How many new keys/, '2'],
  [/Key name pattern/, 'gold-{n}'],
  [/Which methods require an API key/, ENTER],
  [/Continue with no method requiring a key/, true],
  [/Where does the API key come from/, ENTER],
  [/Apply these 5 changes/, true],
]

/** NEW_PLAN, then a POST /pets throttle, two generated keys, keys required on GET /pets and GET /pets/{id}. */
export const HAPPY: Script = [
  ...NEW_PLAN,
  [/per-method throttles/, true],
  [/Which methods\?/, ['POST    /pets']],
  [/Throttle rate for POST \/pets/, '1'],
  [/Throttle burst for POST \/pets/, '2'],
  [/API keys for this plan/, 'Generate new keys'],
  [/How many new keys/, '2'],
  [/Key name pattern/, 'gold-{n}'],
  [/Which methods require an API key/, ['POST    /pets', 'GET     /pets', 'GET     /pets/{id}']],
  [/Where does the API key come from/, ENTER],
]
