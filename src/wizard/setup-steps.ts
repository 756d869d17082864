import type {PlanChange, MethodRef, MethodThrottle} from '../model/usage-plan.js'
import type {StepRecord} from '../model/change-steps.js'
import type {WizardWrites} from './ports.js'
import type {ExistingPlan, Setup} from './setup.js'

import {methodKey} from '../model/usage-plan.js'
import {printable} from '../model/printable.js'
import {labelOf} from '../model/resolve.js'
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

const num = (n: number) => String(n)
const throttleArgs = (mt: MethodThrottle) => `${methodKey(mt)}=${num(mt.rateLimit)}/${num(mt.burstLimit)}`

/** The `plans update` flags for a change, as that command takes them. */
export function planChangeFlags(change: PlanChange): string[] {
  const flags: string[] = []
  if (change.name !== undefined) flags.push('--name', change.name)
  if (change.description !== undefined) flags.push('--description', change.description)
  if (change.removeThrottle) flags.push('--no-throttle')
  if (change.rateLimit !== undefined) flags.push('--rate', num(change.rateLimit))
  if (change.burstLimit !== undefined) flags.push('--burst', num(change.burstLimit))
  if (change.removeQuota) flags.push('--no-quota')
  if (change.quotaLimit !== undefined) flags.push('--quota', `${change.quotaLimit}/${change.quotaPeriod}`)
  if (change.quotaOffset !== undefined) flags.push('--quota-offset', num(change.quotaOffset))
  return flags
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

export const hasChange = (change: PlanChange) => Object.values(change).some((v) => v !== undefined && v !== false)

function planSteps(setup: Setup): SetupStep[] {
  const {api, plan} = setup
  if (plan.kind === 'new') {
    const stages = setup.stages.map((stage) => ({api: api.id, stage}))
    const methodThrottles = stages.flatMap((s) => setup.methodThrottles.map((mt) => ({...s, ...mt})))
    return [
      {
        title: `Create usage plan ${plan.name} (${formatThrottle(plan.throttle)}, quota ${formatQuota(plan.quota)}) covering ${setup.stages.map((s) => `${api.name}:${s}`).join(', ')}`,
        commands: [
          [
            'plans', 'create', '--name', plan.name,
            '--rate', num(plan.throttle.rateLimit), '--burst', num(plan.throttle.burstLimit),
            '--quota', `${plan.quota.limit}/${plan.quota.period}`,
            ...stages.flatMap((s) => ['--stage', `${s.api}:${s.stage}`]),
            ...methodThrottles.flatMap((mt) => ['--method-throttle', `${mt.api}:${mt.stage}:${throttleArgs(mt)}`]),
          ],
        ],
        async run(writes, state, record) {
          state.planId = (await writes.createPlan({name: plan.name, throttle: plan.throttle, quota: plan.quota, stages, methodThrottles, tags: {}})).id
          record.created({kind: 'usage plan', id: state.planId, name: plan.name})
        },
        undo: (state) => [['plans', 'delete', planIdOf(state), '--force', '--yes']],
      },
    ]
  }

  // New limits and new stages go in one UpdateUsagePlan call: AWS allows one per 20 s per account.
  const id = plan.current.id!
  const label = labelOf(plan.current)
  const changesLimits = hasChange(plan.change)
  if (!changesLimits && plan.newStages.length === 0) return []
  const back = reverseChange(plan.current, plan.change)
  const throttled = setup.methodThrottles.length > 0 ? ' with its method throttles' : ''
  const what = [
    ...(changesLimits ? [planChangeFlags(plan.change).join(' ')] : []),
    ...(plan.newStages.length > 0 ? [`attach stage(s) ${plan.newStages.map((s) => `${api.name}:${s}`).join(', ')}${throttled}`] : []),
  ]
  return [
    {
      title: `Update usage plan ${label}: ${what.join('; ')}`,
      commands: [
        ...(changesLimits ? [['plans', 'update', id, ...planChangeFlags(plan.change)]] : []),
        ...plan.newStages.map((stage) => ['stages', 'attach', '--plan', id, '--api', api.id, '--stage', stage, ...setup.methodThrottles.flatMap((mt) => ['--method-throttle', throttleArgs(mt)])]),
      ],
      run: (writes) => writes.extendPlan({plan: id, change: plan.change, api: api.id, stages: plan.newStages, methodThrottles: setup.methodThrottles}),
      undo: () => [
        ...plan.newStages.map((stage) => ['stages', 'detach', '--plan', id, '--api', api.id, '--stage', stage]),
        ...(changesLimits ? [['plans', 'update', id, ...planChangeFlags(back)]] : []),
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
          commands: [['keys', 'create', '--name', name, '--plan', planRef]],
          async run(writes, state, record) {
            const key = await writes.createKey({name, plans: [planIdOf(state)]})
            made = key
            state.createdKeys.push(key)
            record.created({kind: 'API key', ...key})
          },
          undo: () => [['keys', 'delete', made!.id, '--yes']],
        }
      })
    }

    case 'import': {
      return [
        {
          title: `Import ${keys.names.length} API key(s) from ${keys.file} into usage plan ${planName}`,
          commands: [['keys', 'import', keys.file, '--plan', planRef]],
          async run(writes, state, record) {
            const {ids} = await writes.importKeys({file: keys.file, plans: [planIdOf(state)]})
            record.changed(`imported ${ids.length} API key(s) from ${keys.file}`)
            for (const id of ids) record.created({kind: 'API key', id}, ['keys', 'delete', id, '--yes'], false)
          },
          // The runner undoes what run recorded: one delete per key.
          undo: () => [],
        },
      ]
    }

    case 'existing': {
      return keys.keys.map((key) => ({
        title: `Add API key ${key.name} (${key.id}) to usage plan ${planName}`,
        commands: [['keys', 'attach', key.id, '--plan', planRef]],
        run: (writes, state) => writes.attachKey({key: key.id, plan: planIdOf(state)}),
        undo: (state) => [['keys', 'detach', key.id, '--plan', planIdOf(state)]],
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
  const byPath = (refs: MethodRef[]) => {
    const groups = new Map<string, string[]>()
    for (const ref of refs) groups.set(ref.path, [...(groups.get(ref.path) ?? []), ref.httpMethod])
    return [...groups]
  }

  const step = (path: string, methods: string[], off: boolean): SetupStep => {
    const command = (offNow: boolean) => [
      'methods', 'require-key', '--api', api.id, '--path', path, ...methods.flatMap((m) => ['--method', m]), ...(offNow ? ['--off'] : []),
    ]
    return {
      title: `${off ? 'Stop requiring' : 'Require'} an API key on ${methods.join(', ')} ${path}`,
      commands: [command(off)],
      run: (writes) => writes.requireKey({api: api.id, path, methods, off}),
      undo: () => [command(!off)],
    }
  }

  return [
    ...byPath(setup.requireKey.on).map(([path, methods]) => step(path, methods, false)),
    ...byPath(setup.requireKey.off).map(([path, methods]) => step(path, methods, true)),
  ]
}

function keySourceSteps(setup: Setup): SetupStep[] {
  const {api, keySource} = setup
  if (keySource.from === keySource.to) return []
  const command = (source: string) => ['api', 'set-key-source', '--api', api.id, '--source', source]
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
    const command = ['deploy', '--api', setup.api.id, '--stage', stage, '--description', deployDescription(setup)]
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
