import type {ApiKey, UsagePlan} from '@aws-sdk/client-api-gateway'

import type {Ref} from '../model/resolve.js'
import type {ApiGateway} from '../aws/api-gateway.js'

import {generateKeyValue, keyValueProblem} from '../model/api-keys.js'
import {commandArgv, commandLine} from '../model/command-line.js'
import {badInput} from '../model/errors.js'
import {labelOf, refOf, resolveByIdOrName} from '../model/resolve.js'
import {importKeys, type ImportOptions, type KeyImportResult} from './key-import.js'
import {keyEnabledOp} from '../model/patches.js'
import type {ChangeStep} from '../model/change-steps.js'
import {remainingOp} from '../model/usage.js'
import {runSteps} from './steps.js'
import {UsagePlans} from './usage-plans.js'

export interface CreateKeyInput {
  name: string
  /** Generated when absent. */
  value?: string
  /** Where the value came from, to name in messages: "--value" unless given. */
  valueFrom?: string
  description?: string
  enabled: boolean
  /** Usage plans to attach the key to, by id or name. */
  plans: string[]
}

export interface CreatedKey {
  /** As AWS returned it, value included. */
  key: ApiKey
  usagePlans: Ref[]
  generatedValue: boolean
}

export interface KeyDetails {
  key: ApiKey
  usagePlans: Ref[]
}

export interface MembershipChange {
  key: ApiKey
  plan: Ref
  /** False when the key was already (attach) or already not (detach) in the plan. */
  changed: boolean
}

export type OldKeyAction = 'delete' | 'disable' | 'keep'

export interface RotatedKey {
  oldKey: ApiKey
  newKey: ApiKey
  usagePlans: Ref[]
  oldKeyAction: OldKeyAction
  /** The quota the new key was given in each plan: what the old key had left (keys rotate --carry-usage). */
  carriedUsage: CarriedUsage[]
}

/** What an old key has left in a plan, which its replacement starts with. */
export interface CarriedUsage {
  usagePlan: Ref
  remaining: number
}

/** API keys: list, resolve by id or name, create, enable, disable, delete, plan membership, rotation. */
export class ApiKeys {
  private listCache?: Promise<ApiKey[]>

  constructor(
    private readonly apigw: ApiGateway,
    readonly plans = new UsagePlans(apigw),
  ) {}

  /** Every key; values only when asked, so they are not fetched without need. */
  list(options: {includeValues?: boolean} = {}): Promise<ApiKey[]> {
    const fetch = () => this.apigw.getApiKeys({includeValues: options.includeValues}, 'listing API keys')
    if (options.includeValues) return fetch()
    this.listCache ??= fetch()
    return this.listCache
  }

  /** The keys in one plan, as full ApiKey records. */
  async listInPlan(planRef: string, options: {includeValues?: boolean} = {}): Promise<{plan: Ref; keys: ApiKey[]}> {
    const plan = await this.plans.resolve(planRef)
    const members = new Set((await this.plans.keys(plan.id!)).map((k) => k.id))
    const keys = (await this.list(options)).filter((k) => members.has(k.id))
    return {plan: refOf(plan), keys}
  }

  async resolve(ref: string): Promise<ApiKey> {
    return resolveByIdOrName(await this.list(), ref, 'API key', commandLine('keys list'))
  }

  plansOf(keyId: string): Promise<UsagePlan[]> {
    return this.apigw.getUsagePlans({keyId}, `listing the usage plans of API key ${keyId}`)
  }

  async show(ref: string, options: {includeValue?: boolean} = {}): Promise<KeyDetails> {
    const {id} = await this.resolve(ref)
    const key = await this.apigw.getApiKey({apiKey: id!, includeValue: options.includeValue}, `reading API key ${id}`)
    return {key, usagePlans: (await this.plansOf(id!)).map(refOf)}
  }

  /**
   * Checks the value and the plans first (each exists, no stage collision among
   * them), then creates the key and attaches it to each plan, as steps: a failure or an
   * interrupt part way reports the key (with a generated value) and how to finish or
   * undo. `enabled` is always sent: AWS documents no default for it.
   */
  async create(input: CreateKeyInput): Promise<CreatedKey> {
    if (input.value !== undefined) {
      const problem = keyValueProblem(input.value)
      if (problem) throw badInput(`${input.valueFrom ?? '--value'} ${problem}`)
    }

    const plans = await this.plans.resolveEach(input.plans)
    const newKey = {id: 'new key', name: input.name}
    await this.plans.refuseCollisions(
      plans.map((p) => ({planId: p.id!, keys: [newKey]})),
      {newKeys: true},
    )

    const generated = input.value === undefined
    const value = input.value ?? generateKeyValue()
    let key: ApiKey | undefined
    const made = () => key!
    await runSteps(this.apigw, `Creating API key ${input.name}`, [
      {
        title: `create API key ${input.name}`,
        finish: () => [commandArgv('keys create', {name: input.name, description: input.description, disabled: !input.enabled, plan: plans.map((p) => p.id!)})],
        run: async (record) => {
          key = await this.apigw.createApiKey(
            {name: input.name, description: input.description, enabled: input.enabled, value},
            `creating API key "${input.name}"`,
          )
          this.listCache = undefined
          record.created({kind: 'API key', id: key.id!, name: input.name, ...(generated ? {value} : {})}, commandArgv('keys delete', {key: key.id!, yes: true}))
        },
      },
      ...plans.map((plan) => this.attachStep(made, plan)),
    ])
    return {key: key!, usagePlans: plans.map(refOf), generatedValue: generated}
  }

  /** ImportApiKeys from a CSV in AWS's format; see key-import.ts. */
  async import(csv: string, options: ImportOptions): Promise<KeyImportResult> {
    const result = await importKeys({apigw: this.apigw, plans: this.plans, existingKeys: () => this.list({includeValues: true})}, csv, options)
    if (result.imported.length > 0) this.listCache = undefined
    return result
  }

  async setEnabled(ref: string, enabled: boolean): Promise<ApiKey> {
    const found = await this.resolve(ref)
    const key = await this.apigw.updateApiKey(
      {apiKey: found.id!, patchOperations: [keyEnabledOp(enabled)]},
      `${enabled ? 'enabling' : 'disabling'} API key ${labelOf(found)}`,
    )
    this.listCache = undefined
    return key
  }

  async delete(ref: string): Promise<ApiKey> {
    const key = await this.resolve(ref)
    await this.apigw.deleteApiKey({apiKey: key.id!}, `deleting API key ${labelOf(key)}`)
    this.listCache = undefined
    return key
  }

  /** Adds the key to a plan, unless it is there already; refuses a stage collision first. */
  async attach(keyRef: string, planRef: string): Promise<MembershipChange> {
    const key = await this.resolve(keyRef)
    const plan = await this.plans.resolve(planRef)
    if (await this.isMember(key.id!, plan.id!)) return {key, plan: refOf(plan), changed: false}
    await this.plans.refuseCollisions([{planId: plan.id!, keys: [refOf(key)]}])
    await this.addToPlan(key, plan)
    return {key, plan: refOf(plan), changed: true}
  }

  /** Removes the key from a plan, unless it is not in it. */
  async detach(keyRef: string, planRef: string): Promise<MembershipChange> {
    const key = await this.resolve(keyRef)
    const plan = await this.plans.resolve(planRef)
    if (!(await this.isMember(key.id!, plan.id!))) return {key, plan: refOf(plan), changed: false}
    await this.apigw.deleteUsagePlanKey({usagePlanId: plan.id!, keyId: key.id!}, `removing API key ${labelOf(key)} from usage plan ${labelOf(plan)}`)
    return {key, plan: refOf(plan), changed: true}
  }

  /**
   * A new key with a new value, name, description and customer id of the old one,
   * attached to every plan the old one is in; then the old key is disabled, deleted
   * or kept. Run as steps: a failure or an interrupt part way reports the new key with
   * its value, and how to finish or undo.
   */
  async rotate(
    ref: string,
    oldKeyAction: OldKeyAction,
    options: {carryUsage?: (oldKey: ApiKey, plans: UsagePlan[]) => Promise<CarriedUsage[]>} = {},
  ): Promise<RotatedKey> {
    const oldKey = await this.resolve(ref)
    const plans = await this.plansOf(oldKey.id!)
    // Read before anything changes: a key whose remaining quota cannot be read is refused with nothing done.
    const carriedUsage = (await options.carryUsage?.(oldKey, plans)) ?? []
    const value = generateKeyValue()
    let newKey: ApiKey | undefined
    const made = () => newKey!
    const steps: ChangeStep[] = [
      {
        title: `create API key ${oldKey.name} to replace ${labelOf(oldKey)}`,
        finish: () => [commandArgv('keys rotate', {key: oldKey.id!, 'disable-old': oldKeyAction === 'disable', 'delete-old': oldKeyAction === 'delete'})],
        run: async (record) => {
          newKey = await this.apigw.createApiKey(
            {name: oldKey.name, description: oldKey.description, customerId: oldKey.customerId, enabled: true, value},
            `creating the replacement for API key ${labelOf(oldKey)}`,
          )
          this.listCache = undefined
          record.created({kind: 'API key', id: newKey.id!, name: oldKey.name, value}, commandArgv('keys delete', {key: newKey.id!, yes: true}))
        },
      },
      ...plans.map((plan) => this.attachStep(made, plan)),
      ...carriedUsage.map((carried) => this.carryStep(made, carried)),
    ]
    if (oldKeyAction === 'disable') {
      steps.push({
        title: `disable the old key ${labelOf(oldKey)}`,
        finish: () => [commandArgv('keys disable', {key: oldKey.id!})],
        undo: () => [commandArgv('keys enable', {key: oldKey.id!})],
        run: async () => {
          await this.apigw.updateApiKey({apiKey: oldKey.id!, patchOperations: [keyEnabledOp(false)]}, `disabling API key ${labelOf(oldKey)}`)
        },
      })
    } else if (oldKeyAction === 'delete') {
      steps.push({
        title: `delete the old key ${labelOf(oldKey)}`,
        finish: () => [commandArgv('keys delete', {key: oldKey.id!, yes: true})],
        run: async () => {
          await this.apigw.deleteApiKey({apiKey: oldKey.id!}, `deleting API key ${labelOf(oldKey)}`)
        },
      })
    }

    await runSteps(this.apigw, `Rotating API key ${labelOf(oldKey)}`, steps)
    return {oldKey, newKey: newKey!, usagePlans: plans.map(refOf), oldKeyAction, carriedUsage}
  }

  /** The new key starts the period with what the old one had left (UpdateUsage sets a value: safe to repeat). */
  private carryStep(key: () => ApiKey, {usagePlan, remaining}: CarriedUsage): ChangeStep {
    return {
      title: () => `set the remaining quota of ${labelOf(key())} in usage plan ${labelOf(usagePlan)} to ${remaining}, as the old key had`,
      finish: () => [commandArgv('usage grant', {key: key().id!, plan: usagePlan.id, remaining})],
      undo: () => [],
      run: async () => {
        await this.apigw.updateUsage(
          {usagePlanId: usagePlan.id, keyId: key().id!, patchOperations: [remainingOp(remaining)]},
          `setting the remaining quota of API key ${labelOf(key())} in usage plan ${labelOf(usagePlan)} to ${remaining}`,
        )
      },
    }
  }

  private async isMember(keyId: string, planId: string): Promise<boolean> {
    return (await this.plans.keys(planId)).some((k) => k.id === keyId)
  }

  private addToPlan(key: ApiKey, plan: UsagePlan) {
    return this.apigw.createUsagePlanKey(
      {usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY'},
      `adding API key ${labelOf(key)} to usage plan ${labelOf(plan)}`,
    )
  }

  /** Adding a key made by an earlier step to a plan; deleting the key undoes it. */
  private attachStep(key: () => ApiKey, plan: UsagePlan): ChangeStep {
    return {
      title: () => `add API key ${labelOf(key())} to usage plan ${labelOf(plan)}`,
      finish: () => [commandArgv('keys attach', {key: key().id!, plan: plan.id!})],
      undo: () => [],
      run: async () => {
        await this.addToPlan(key(), plan)
      },
    }
  }
}
