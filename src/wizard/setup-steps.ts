import type {MethodThrottle, PlanChange} from '../model/usage-plan.js'
import type {StepRecord} from '../model/change-steps.js'
import type {WizardWrites} from './ports.js'
import type {ExistingPlan, Setup} from './setup.js'

import {commandArgv, type CommandParams} from '../model/command-line.js'
import {printable} from '../model/printable.js'
import {labelOf} from '../model/resolve.js'
import {changesSomething, methodKey, stageId, verbsByPath} from '../model/usage-plan.js'
import {formatQuota, formatThrottle} from '../ui/format.js'

/**
 * A setup as an ordered list of steps. Each step is one service call and the gwctl
 * command lines that do the same (what the summary prints and what a script would
 * run: one, or for an extended plan `plans update` and `stages attach`), and knows
 * the commands that undo it once done. apply.ts runs them as one change
 * (model/change-steps.ts).
 */
export interface SetupStep {
  title: string
  /** The equivalent commands, without the leading `gwctl`. */
  commands: string[][]
  /** Does the step, recording what it creates (a plan, keys with their values) as soon as it exists. */
  run(writes: WizardWrites, state: ApplyState, record: StepRecord): Promise<void>
  /** Commands that undo this step; call only after `run` succeeded. */
  undo(state: ApplyState): string[][]
  /** Commands that come after every other undo (a deployment publishes the undone settings). */
  undoLast?(state: ApplyState): string[][]
}

/** What applying has produced so far: the plan id once known, keys made, deployments. */
export interface ApplyState {
  planId?: string
  createdKeys: Array<{id: string; name: string; value: string}>
  deployments: Array<{stage: string; id: string}>
}

export const newApplyState = (setup: Setup): ApplyState => ({
  planId: setup.plan.kind === 'existing' ? setup.plan.current.id : undefined,
  createdKeys: [],
  deployments: [],
})

const planIdOf = (state: ApplyState) => {
  if (!state.planId) throw new Error('the usage plan step has not run')
  return state.planId
}

const throttleArgs = (mt: MethodThrottle) => `${methodKey(mt)}=${mt.rateLimit}/${mt.burstLimit}`

/** The `plans update` flags for a change, as that command takes them. */
function planChangeFlags(change: PlanChange): CommandParams<'plans update'> {
  return {
    name: change.name,
    description: change.description,
    'no-throttle': change.removeThrottle,
    rate: change.rateLimit,
    burst: change.burstLimit,
    'no-quota': change.removeQuota,
    quota: change.quotaLimit === undefined ? undefined : `${change.quotaLimit}/${change.quotaPeriod}`,
    'quota-offset': change.quotaOffset,
  }
}

/** The change that puts back the limits `change` replaces. */
function reverseChange(plan: ExistingPlan['current'], change: PlanChange): PlanChange {
  const back: PlanChange = {}
  if (change.rateLimit !== undefined || change.burstLimit !== undefined) {
    if (plan.throttle?.rateLimit === undefined || plan.throttle.burstLimit === undefined) back.removeThrottle = true
    else Object.assign(back, {rateLimit: plan.throttle.rateLimit, burstLimit: plan.throttle.burstLimit})
  }

  if (change.quotaLimit !== undefined || change.quotaPeriod !== undefined) {
    if (plan.quota?.limit === undefined) back.removeQuota = true
    else Object.assign(back, {quotaLimit: plan.quota.limit, quotaPeriod: plan.quota.period})
  }

  return back
}

function planSteps(setup: Setup): SetupStep[] {
  const {api, plan} = setup
  if (plan.kind === 'new') {
    const stages = setup.stages.map((stage) => ({api: api.id, stage}))
    const methodThrottles = stages.flatMap((s) => setup.methodThrottles.map((mt) => ({...s, ...mt})))
    return [
      {
        title: `Create usage plan ${plan.name} (${formatThrottle(plan.throttle)}, quota ${formatQuota(plan.quota)}) covering ${setup.stages.map((s) => `${api.name}:${s}`).join(', ')}`,
        commands: [
          commandArgv('plans create', {
            name: plan.name,
            rate: plan.throttle.rateLimit,
            burst: plan.throttle.burstLimit,
            quota: `${plan.quota.limit}/${plan.quota.period}`,
            stage: stages.map((s) => stageId(s.api, s.stage)),
            'method-throttle': methodThrottles.map((mt) => `${stageId(mt.api, mt.stage)}:${throttleArgs(mt)}`),
          }),
        ],
        async run(writes, state, record) {
          state.planId = (await writes.createPlan({name: plan.name, throttle: plan.throttle, quota: plan.quota, stages, methodThrottles, tags: {}})).id
          record.created({kind: 'usage plan', id: state.planId, name: plan.name})
        },
        undo: (state) => [commandArgv('plans delete', {plan: planIdOf(state), force: true, yes: true})],
      },
    ]
  }

  // New limits and new stages go in one UpdateUsagePlan call: AWS allows one per 20 s per account.
  const id = plan.current.id!
  const label = labelOf(plan.current)
  const changesLimits = changesSomething(plan.change)
  if (!changesLimits && plan.newStages.length === 0) return []
  const back = reverseChange(plan.current, plan.change)
  const update = commandArgv('plans update', {plan: id, ...planChangeFlags(plan.change)})
  const throttled = setup.methodThrottles.length > 0 ? ' with its method throttles' : ''
  const what = [
    ...(changesLimits ? [update.slice(3).join(' ')] : []),
    ...(plan.newStages.length > 0 ? [`attach stage(s) ${plan.newStages.map((s) => `${api.name}:${s}`).join(', ')}${throttled}`] : []),
  ]
  return [
    {
      title: `Update usage plan ${label}: ${what.join('; ')}`,
      commands: [
        ...(changesLimits ? [update] : []),
        ...plan.newStages.map((stage) =>
          commandArgv('stages attach', {plan: id, api: api.id, stage, 'method-throttle': setup.methodThrottles.map(throttleArgs)}),
        ),
      ],
      run: (writes) => writes.extendPlan({plan: id, change: plan.change, api: api.id, stages: plan.newStages, methodThrottles: setup.methodThrottles}),
      undo: () => [
        ...plan.newStages.map((stage) => commandArgv('stages detach', {plan: id, api: api.id, stage})),
        ...(changesLimits ? [commandArgv('plans update', {plan: id, ...planChangeFlags(back)})] : []),
      ],
    },
  ]
}

function keySteps(setup: Setup): SetupStep[] {
  const {keys} = setup
  // In scripts a new plan is named by its name (which `plans create` keeps unique); an existing one by id.
  const planRef = setup.plan.kind === 'new' ? setup.plan.name : setup.plan.current.id!
  const planName = setup.plan.kind === 'new' ? setup.plan.name : printable(setup.plan.current.name ?? setup.plan.current.id!)
  switch (keys.kind) {
    case 'generate': {
      return keys.names.map((name) => {
        let made: {id: string} | undefined
        return {
          title: `Create API key ${name} in usage plan ${planName}`,
          commands: [commandArgv('keys create', {name, plan: [planRef]})],
          async run(writes, state, record) {
            const key = await writes.createKey({name, plans: [planIdOf(state)]})
            made = key
            state.createdKeys.push(key)
            record.created({kind: 'API key', ...key})
          },
          undo: () => [commandArgv('keys delete', {key: made!.id, yes: true})],
        }
      })
    }

    case 'import': {
      return [
        {
          title: `Import ${keys.names.length} API key(s) from ${keys.file} into usage plan ${planName}`,
          commands: [commandArgv('keys import', {file: keys.file, plan: [planRef]})],
          async run(writes, state, record) {
            const {ids} = await writes.importKeys({file: keys.file, plans: [planIdOf(state)]})
            record.changed(`imported ${ids.length} API key(s) from ${keys.file}`)
            for (const id of ids) record.created({kind: 'API key', id}, commandArgv('keys delete', {key: id, yes: true}), false)
          },
          // The runner undoes what run recorded: one delete per key.
          undo: () => [],
        },
      ]
    }

    case 'existing': {
      return keys.keys.map((key) => ({
        title: `Add API key ${labelOf(key)} to usage plan ${planName}`,
        commands: [commandArgv('keys attach', {key: key.id, plan: planRef})],
        run: (writes, state) => writes.attachKey({key: key.id, plan: planIdOf(state)}),
        undo: (state) => [commandArgv('keys detach', {key: key.id, plan: planIdOf(state)})],
      }))
    }

    case 'none': {
      return []
    }
  }
}

/** One `methods require-key` per resource path and direction, as the command selects by path. */
function requireKeySteps(setup: Setup): SetupStep[] {
  const api = setup.api

  const step = (path: string, methods: string[], off: boolean): SetupStep => {
    const command = (offNow: boolean) => commandArgv('methods require-key', {api: api.id, path, method: methods, off: offNow})
    return {
      title: `${off ? 'Stop requiring' : 'Require'} an API key on ${methods.join(', ')} ${path}`,
      commands: [command(off)],
      run: (writes) => writes.requireKey({api: api.id, path, methods, off}),
      undo: () => [command(!off)],
    }
  }

  return [
    ...verbsByPath(setup.requireKey.on).map(([path, methods]) => step(path, methods, false)),
    ...verbsByPath(setup.requireKey.off).map(([path, methods]) => step(path, methods, true)),
  ]
}

function keySourceSteps(setup: Setup): SetupStep[] {
  const {api, keySource} = setup
  if (keySource.from === keySource.to) return []
  const command = (source: string) => commandArgv('api set-key-source', {api: api.id, source})
  return [
    {
      title: `Set the API key source of ${api.name} to ${keySource.to} (was ${keySource.from})`,
      commands: [command(keySource.to)],
      run: (writes) => writes.setKeySource({api: api.id, source: keySource.to}),
      undo: () => [command(keySource.from)],
    },
  ]
}

export const deployDescription = (setup: Setup) =>
  `gwctl wizard: usage plan ${setup.plan.kind === 'new' ? setup.plan.name : printable(setup.plan.current.name ?? setup.plan.current.id!)}`

/** Deployments cannot be taken back; the failure report redeploys after an undo instead. */
function deploySteps(setup: Setup): SetupStep[] {
  return setup.stages.map((stage) => {
    const command = commandArgv('deploy', {api: setup.api.id, stage, description: deployDescription(setup)})
    return {
      title: `Deploy ${setup.api.name} to stage ${stage}`,
      commands: [command],
      async run(writes, state, record) {
        const deployment = await writes.deploy({api: setup.api.id, stage, description: deployDescription(setup)})
        state.deployments.push({stage, id: deployment.id})
        record.changed(`deployed ${setup.api.name} to stage ${stage} (deployment ${deployment.id})`)
      },
      undo: () => [],
      undoLast: () => [command],
    }
  })
}

/** In the order the AWS guide sets a plan up: plan and stages, keys, methods, key source, deployment. */
export function setupSteps(setup: Setup): SetupStep[] {
  return [...planSteps(setup), ...keySteps(setup), ...requireKeySteps(setup), ...keySourceSteps(setup), ...deploySteps(setup)]
}
