import type {ApiKey, PatchOperation, UsagePlan} from '@aws-sdk/client-api-gateway'

import {createHash, timingSafeEqual} from 'node:crypto'

import type {ApiGateway} from '../aws/api-gateway.js'

import {describeKey, generateKeyValue, keyValueProblem} from '../model/api-keys.js'
import {type AwsCall, awsCall, type WriteOutcome} from '../model/aws-calls.js'
import type {ChangeStep} from '../model/change-steps.js'
import {commandArgv, commandLine} from '../model/command-line.js'
import {badInput, GwctlError, notFound} from '../model/errors.js'
import type {ExportedKey} from '../model/key-csv.js'
import {keyCustomerIdOp, keyDescriptionOp, keyEnabledOp, keyNameOp} from '../model/patches.js'
import {labelOf, type Ref, refOf, resolveByIdOrName} from '../model/resolve.js'
import {remainingOp} from '../model/usage.js'
import {importKeys, type ImportOptions, type KeyImportResult} from './key-import.js'
import {runSteps} from './steps.js'
import {changeTags, type TagChange} from './tags.js'
import {UsagePlans} from './usage-plans.js'

export interface CreateKeyInput {
  name: string
  /** Generated when absent. */
  value?: string
  /** Where the value came from, to name in messages: "--value" unless given. */
  valueFrom?: string
  description?: string
  customerId?: string
  enabled: boolean
  /** Usage plans to attach the key to, by id or name. */
  plans: string[]
  /** A key of this name exists: return it unchanged instead of failing. */
  ifNotExists?: boolean
  dryRun?: boolean
}

export interface CreatedKey extends WriteOutcome {
  /** As AWS returned it, value included; with --dry-run, the key that would be created (no id, no value). */
  apiKey: ApiKey
  usagePlans: Ref[]
  /** True when gwctl generated the value (it is then shown once). */
  generatedValue: boolean
  /** With --if-not-exists on an existing key: where it differs from what was asked (it is left unchanged). */
  differences: string[]
}

export interface KeyDetails {
  apiKey: ApiKey
  usagePlans: Ref[]
}

/** An API key with the usage plans it is in, as `keys list` shows it. */
export interface ListedKey extends ApiKey {
  usagePlans: Ref[]
}

export interface KeyListFilter {
  /** Only the keys in this plan (id or name). */
  plan?: string
  namePrefix?: string
  customerId?: string
  enabled?: boolean
  /** Only the keys in no usage plan. */
  noPlan?: boolean
}

export interface MembershipChange extends WriteOutcome {
  apiKey: ApiKey
  usagePlan: Ref
}

export interface KeyChange extends WriteOutcome {
  /** The key afterwards (with --dry-run: as it is now); null when --if-exists found none to delete. */
  apiKey: ApiKey | null
  operations: PatchOperation[]
}

export interface KeyUpdate {
  name?: string
  description?: string
  customerId?: string
  enabled?: boolean
}

export interface KeyTagResult extends TagChange {
  apiKey: ApiKey
}

export interface KeyExport {
  keys: ExportedKey[]
  /** Plans whose name is not unique, written by id although names were asked for. */
  warnings: string[]
}

export type OldKeyAction = 'delete' | 'disable' | 'keep'

export interface RotateOptions {
  /** Rename the old key to its name plus this suffix, so that the two no longer share a name (not with delete). */
  renameOld?: string
  dryRun?: boolean
  /** What the old key has left in each of its plans, for the new key to start with (keys rotate --carry-usage). */
  carryUsage?: (oldKey: ApiKey, plans: UsagePlan[]) => Promise<CarriedUsage[]>
}

export interface RotatedKey extends WriteOutcome {
  /** The new key, its value in full (generated, shown once). */
  apiKey: ApiKey
  /** The key it replaces. */
  previousApiKey: ApiKey
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

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest()

/** What a key value stands for in the calls gwctl prints: never the value itself. */
const VALUE_PLACEHOLDER = '<value, not shown>'

/** API keys: list, find, resolve by id or name, create, update, enable, disable, tag, delete, plan membership, rotation. */
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

  /**
   * Keys with the plans each is in, filtered. The keys and every plan's members are
   * fetched side by side (GetApiKeys and GetUsagePlanKeys pages of 500), so that ten
   * thousand keys take about twenty calls each way.
   */
  async listWithPlans(filter: KeyListFilter, options: {includeValues?: boolean} = {}): Promise<ListedKey[]> {
    const onlyPlan = filter.plan === undefined ? undefined : await this.plans.resolve(filter.plan)
    const [keys, plansOfKey] = await Promise.all([this.list(options), this.membership()])
    const prefix = filter.namePrefix
    return keys
      .map((key) => ({...key, usagePlans: plansOfKey.get(key.id!) ?? []}))
      .filter(
        (key) =>
          (onlyPlan === undefined || key.usagePlans.some((p) => p.id === onlyPlan.id)) &&
          (prefix === undefined || (key.name ?? '').startsWith(prefix)) &&
          (filter.customerId === undefined || key.customerId === filter.customerId) &&
          (filter.enabled === undefined || (key.enabled ?? false) === filter.enabled) &&
          (!filter.noPlan || key.usagePlans.length === 0),
      )
  }

  /** Key id -> the plans it is in, from every plan's key list. */
  private async membership(): Promise<Map<string, Ref[]>> {
    const plans = await this.plans.list()
    const members = await Promise.all(plans.map((plan) => this.plans.keys(plan.id!)))
    const plansOfKey = new Map<string, Ref[]>()
    for (const [index, plan] of plans.entries()) {
      for (const key of members[index]) plansOfKey.set(key.id!, [...(plansOfKey.get(key.id!) ?? []), refOf(plan)])
    }

    return plansOfKey
  }

  async resolve(ref: string): Promise<ApiKey> {
    return resolveByIdOrName(await this.list(), ref, 'API key', commandLine('keys list'), describeKey)
  }

  plansOf(keyId: string): Promise<UsagePlan[]> {
    return this.apigw.getUsagePlans({keyId}, `listing the usage plans of API key ${keyId}`)
  }

  async show(ref: string, options: {includeValue?: boolean} = {}): Promise<KeyDetails> {
    const {id} = await this.resolve(ref)
    const apiKey = await this.apigw.getApiKey({apiKey: id!, includeValue: options.includeValue}, `reading API key ${id}`)
    return {apiKey, usagePlans: (await this.plansOf(id!)).map(refOf)}
  }

  /**
   * The key whose value is `value`, as a customer ticket quotes it. Every key's value is
   * compared by SHA-256 digest in constant time, so neither the comparison's timing nor
   * any message reveals how much of the value matched. Not found is exit 3.
   */
  async find(value: string): Promise<KeyDetails> {
    const wanted = sha256(value.trim())
    let found: ApiKey | undefined
    for (const key of await this.list({includeValues: true})) {
      if (key.value !== undefined && timingSafeEqual(sha256(key.value), wanted) && !found) found = key
    }

    if (!found) {
      throw notFound('No API key in this account and Region has that value', {
        suggestions: ['Check the Region (--region) and account (--profile) the customer uses, and that the value was copied whole'],
      })
    }

    return {apiKey: found, usagePlans: (await this.plansOf(found.id!)).map(refOf)}
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
    const dryRun = input.dryRun ?? false
    if (input.ifNotExists) {
      const existing = (await this.list()).filter((key) => key.name === input.name)
      if (existing.length > 1) resolveByIdOrName(existing, input.name, 'API key', commandLine('keys list'), describeKey) // throws: ambiguous
      if (existing.length === 1) return {...(await this.existingKey(existing[0].id!, input, plans)), changed: false, dryRun, calls: [], generatedValue: false}
    }

    const newKey = {id: 'new key', name: input.name}
    await this.plans.refuseCollisions(
      plans.map((p) => ({planId: p.id!, keys: [newKey]})),
      {newKeys: true},
    )

    const request = {name: input.name, description: input.description, customerId: input.customerId, enabled: input.enabled}
    const calls = [
      awsCall('CreateApiKey', {...request, value: VALUE_PLACEHOLDER}),
      ...plans.map((plan) => awsCall('CreateUsagePlanKey', {usagePlanId: plan.id, keyId: '<id of the new key>', keyType: 'API_KEY'})),
    ]
    const usagePlans = plans.map(refOf)
    const generatedValue = input.value === undefined
    if (dryRun) return {apiKey: request, usagePlans, generatedValue, differences: [], changed: false, dryRun, calls}

    const value = input.value ?? generateKeyValue()
    let apiKey: ApiKey | undefined
    const made = () => apiKey!
    await runSteps(this.apigw, `Creating API key ${input.name}`, [
      {
        title: `create API key ${input.name}`,
        finish: () => [
          commandArgv('keys create', {
            name: input.name,
            description: input.description,
            'customer-id': input.customerId,
            disabled: !input.enabled,
            plan: plans.map((p) => p.id!),
          }),
        ],
        run: async (record) => {
          apiKey = await this.apigw.createApiKey({...request, value}, `creating API key "${input.name}"`)
          this.listCache = undefined
          record.created(
            {kind: 'API key', id: apiKey.id!, name: input.name, ...(generatedValue ? {value} : {})},
            commandArgv('keys delete', {key: apiKey.id!, yes: true}),
          )
        },
      },
      ...plans.map((plan) => this.attachStep(made, plan)),
    ])
    return {apiKey: apiKey!, usagePlans, generatedValue, differences: [], changed: true, dryRun, calls}
  }

  /** The existing key `keys create --if-not-exists` returns, with where it differs from what was asked. */
  private async existingKey(id: string, input: CreateKeyInput, plans: UsagePlan[]): Promise<Omit<CreatedKey, keyof WriteOutcome | 'generatedValue'>> {
    const {apiKey, usagePlans} = await this.show(id, {includeValue: input.value !== undefined})
    const differences: string[] = []
    const differs = (field: string, now: string | undefined, asked: string | undefined) => {
      if (asked !== undefined && (now ?? '') !== asked) differences.push(`${field} is ${JSON.stringify(now ?? '')} (asked: ${JSON.stringify(asked)})`)
    }

    differs('description', apiKey.description, input.description)
    differs('customer id', apiKey.customerId, input.customerId)
    if ((apiKey.enabled ?? false) !== input.enabled)
      differences.push(`it is ${apiKey.enabled ? 'enabled' : 'disabled'} (asked: ${input.enabled ? 'enabled' : 'disabled'})`)
    if (input.value !== undefined && !(apiKey.value !== undefined && timingSafeEqual(sha256(apiKey.value), sha256(input.value))))
      differences.push('its value is not the one given')
    for (const plan of plans.filter((p) => !usagePlans.some((u) => u.id === p.id))) {
      differences.push(`it is not in usage plan ${labelOf(plan)} (add it: ${commandLine('keys attach', {key: apiKey.id!, plan: plan.id!})})`)
    }

    return {apiKey, usagePlans, differences}
  }

  /**
   * The keys (of one plan, or all) as `keys export` writes them: values only when
   * asked; plans by id, or by name for loading into another account or Region, where
   * ids differ (a name several plans share is written as the id, with a warning).
   */
  async exportKeys(options: {plan?: string; includeValues: boolean; plansByName: boolean}): Promise<KeyExport> {
    const keys = await this.listWithPlans({plan: options.plan}, {includeValues: options.includeValues})
    const allPlans = await this.plans.list()
    const warnings: string[] = []
    const planRef = (plan: Ref) => {
      if (!options.plansByName || !plan.name) return plan.id
      if (allPlans.filter((p) => p.name === plan.name).length === 1) return plan.name
      const warning = `Several usage plans are named "${plan.name}": written as the id ${plan.id}`
      if (!warnings.includes(warning)) warnings.push(warning)
      return plan.id
    }

    return {
      keys: keys.map((key) => ({
        name: key.name ?? '',
        value: options.includeValues ? (key.value ?? '') : '',
        description: key.description ?? '',
        enabled: key.enabled ?? false,
        usagePlans: key.usagePlans.map(planRef),
        customerId: key.customerId ?? '',
      })),
      warnings,
    }
  }

  /** ImportApiKeys from a CSV in AWS's format; see key-import.ts. */
  async import(csv: string, options: ImportOptions): Promise<KeyImportResult> {
    const result = await importKeys({apigw: this.apigw, plans: this.plans, existingKeys: () => this.list({includeValues: true})}, csv, options)
    if (result.imported.length > 0) this.listCache = undefined
    return result
  }

  /**
   * Changes name, description, customer id or enabled state in one UpdateApiKey call,
   * sending only what differs; nothing at all when the key already is as asked.
   */
  async update(ref: string, change: KeyUpdate, options: {dryRun?: boolean} = {}): Promise<KeyChange> {
    const key = await this.resolve(ref)
    const operations: PatchOperation[] = []
    if (change.name !== undefined && change.name !== key.name) operations.push(keyNameOp(change.name))
    if (change.description !== undefined && change.description !== (key.description ?? '')) operations.push(keyDescriptionOp(change.description))
    if (change.customerId !== undefined && change.customerId !== (key.customerId ?? '')) operations.push(keyCustomerIdOp(change.customerId))
    if (change.enabled !== undefined && change.enabled !== (key.enabled ?? false)) operations.push(keyEnabledOp(change.enabled))
    const dryRun = options.dryRun ?? false
    const calls = operations.length > 0 ? [awsCall('UpdateApiKey', {apiKey: key.id, patchOperations: operations})] : []
    if (dryRun || operations.length === 0) return {apiKey: key, operations, changed: false, dryRun, calls}
    const apiKey = await this.apigw.updateApiKey({apiKey: key.id!, patchOperations: operations}, `updating API key ${labelOf(key)}`)
    this.listCache = undefined
    return {apiKey, operations, changed: true, dryRun, calls}
  }

  /** Enables or disables a key; a key already so is left alone and nothing is sent. */
  setEnabled(ref: string, enabled: boolean, options: {dryRun?: boolean} = {}): Promise<KeyChange> {
    return this.update(ref, {enabled}, options)
  }

  /** Deletes a key; with `ifExists`, a key that does not exist is not an error. */
  async delete(ref: string, options: {ifExists?: boolean; dryRun?: boolean} = {}): Promise<KeyChange> {
    const dryRun = options.dryRun ?? false
    let key: ApiKey
    try {
      key = await this.resolve(ref)
    } catch (error) {
      if (options.ifExists && error instanceof GwctlError && error.code === 'NOT_FOUND')
        return {apiKey: null, operations: [], changed: false, dryRun, calls: []}
      throw error
    }

    const calls = [awsCall('DeleteApiKey', {apiKey: key.id})]
    if (dryRun) return {apiKey: key, operations: [], changed: false, dryRun, calls}
    await this.apigw.deleteApiKey({apiKey: key.id!}, `deleting API key ${labelOf(key)}`)
    this.listCache = undefined
    return {apiKey: key, operations: [], changed: true, dryRun, calls}
  }

  /** Adds or overwrites tags (`set`) or removes them (`remove`) on a key; only what differs is sent. */
  async changeTags(ref: string, change: {set?: Record<string, string>; remove?: string[]; dryRun: boolean}): Promise<KeyTagResult> {
    const {id} = await this.resolve(ref)
    // The listing leaves tags out; the key itself carries them.
    const key = await this.apigw.getApiKey({apiKey: id!}, `reading API key ${id}`)
    const result = await changeTags(this.apigw, {path: `/apikeys/${key.id}`, label: `API key ${labelOf(key)}`, current: key.tags, ...change})
    return {...result, apiKey: {...key, tags: result.tags}}
  }

  /** Adds the key to a plan, unless it is there already; refuses a stage collision first. */
  async attach(keyRef: string, planRef: string, options: {dryRun?: boolean} = {}): Promise<MembershipChange> {
    const key = await this.resolve(keyRef)
    const plan = await this.plans.resolve(planRef)
    const dryRun = options.dryRun ?? false
    if (await this.isMember(key.id!, plan.id!)) return {apiKey: key, usagePlan: refOf(plan), changed: false, dryRun, calls: []}
    await this.plans.refuseCollisions([{planId: plan.id!, keys: [refOf(key)]}])
    const calls = [awsCall('CreateUsagePlanKey', {usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY'})]
    if (!dryRun) await this.addToPlan(key, plan)
    return {apiKey: key, usagePlan: refOf(plan), changed: !dryRun, dryRun, calls}
  }

  /** Removes the key from a plan, unless it is not in it. */
  async detach(keyRef: string, planRef: string, options: {dryRun?: boolean} = {}): Promise<MembershipChange> {
    const key = await this.resolve(keyRef)
    const plan = await this.plans.resolve(planRef)
    const dryRun = options.dryRun ?? false
    if (!(await this.isMember(key.id!, plan.id!))) return {apiKey: key, usagePlan: refOf(plan), changed: false, dryRun, calls: []}
    const calls = [awsCall('DeleteUsagePlanKey', {usagePlanId: plan.id, keyId: key.id})]
    if (!dryRun)
      await this.apigw.deleteUsagePlanKey({usagePlanId: plan.id!, keyId: key.id!}, `removing API key ${labelOf(key)} from usage plan ${labelOf(plan)}`)
    return {apiKey: key, usagePlan: refOf(plan), changed: !dryRun, dryRun, calls}
  }

  /**
   * A new key with a new value and everything else of the old one (name, description,
   * customer id, enabled state, tags), attached to every plan the old one is in; then
   * the old key is disabled (and, with renameOld, renamed), deleted or kept. Run as
   * steps: a failure or an interrupt part way reports the new key with its value, and
   * how to finish or undo.
   */
  async rotate(ref: string, oldKeyAction: OldKeyAction, options: RotateOptions = {}): Promise<RotatedKey> {
    if (options.renameOld !== undefined && oldKeyAction === 'delete')
      throw badInput('--rename-old renames the old key, which --delete-old deletes: give one of them')
    if (options.renameOld === '') throw badInput('--rename-old needs a suffix, e.g. -old')
    const {id} = await this.resolve(ref)
    // The listing leaves tags out; the key itself carries them.
    const oldKey = await this.apigw.getApiKey({apiKey: id!}, `reading API key ${id}`)
    const plans = await this.plansOf(oldKey.id!)
    // Read before anything changes: a key whose remaining quota cannot be read is refused with nothing done.
    const carriedUsage = (await options.carryUsage?.(oldKey, plans)) ?? []
    const tags = Object.keys(oldKey.tags ?? {}).length > 0 ? oldKey.tags : undefined
    const request = {name: oldKey.name, description: oldKey.description, customerId: oldKey.customerId, enabled: oldKey.enabled ?? true, tags}
    const renamed = options.renameOld === undefined ? undefined : `${oldKey.name ?? ''}${options.renameOld}`
    const disabling = oldKeyAction === 'disable' && oldKey.enabled !== false
    const oldKeyOps = [...(renamed === undefined ? [] : [keyNameOp(renamed)]), ...(disabling ? [keyEnabledOp(false)] : [])]
    const newKeyId = '<id of the new key>'
    const calls: AwsCall[] = [
      awsCall('CreateApiKey', {...request, value: VALUE_PLACEHOLDER}),
      ...plans.map((plan) => awsCall('CreateUsagePlanKey', {usagePlanId: plan.id, keyId: newKeyId, keyType: 'API_KEY'})),
      ...carriedUsage.map(({usagePlan, remaining}) =>
        awsCall('UpdateUsage', {usagePlanId: usagePlan.id, keyId: newKeyId, patchOperations: [remainingOp(remaining)]}),
      ),
      ...(oldKeyOps.length > 0 ? [awsCall('UpdateApiKey', {apiKey: oldKey.id, patchOperations: oldKeyOps})] : []),
      ...(oldKeyAction === 'delete' ? [awsCall('DeleteApiKey', {apiKey: oldKey.id})] : []),
    ]
    const dryRun = options.dryRun ?? false
    if (dryRun) return {apiKey: request, previousApiKey: oldKey, usagePlans: plans.map(refOf), oldKeyAction, carriedUsage, changed: false, dryRun, calls}

    const value = generateKeyValue()
    let newKey: ApiKey | undefined
    const made = () => newKey!
    const steps: ChangeStep[] = [
      {
        title: `create API key ${oldKey.name} to replace ${labelOf(oldKey)}`,
        finish: () => [
          commandArgv('keys rotate', {
            key: oldKey.id!,
            'disable-old': oldKeyAction === 'disable',
            'delete-old': oldKeyAction === 'delete',
            'rename-old': options.renameOld,
            'carry-usage': options.carryUsage !== undefined,
          }),
        ],
        run: async (record) => {
          newKey = await this.apigw.createApiKey({...request, value}, `creating the replacement for API key ${labelOf(oldKey)}`)
          this.listCache = undefined
          record.created({kind: 'API key', id: newKey.id!, name: oldKey.name, value}, commandArgv('keys delete', {key: newKey.id!, yes: true}))
        },
      },
      ...plans.map((plan) => this.attachStep(made, plan)),
      ...carriedUsage.map((carried) => this.carryStep(made, carried)),
    ]
    let previousApiKey = oldKey
    if (oldKeyOps.length > 0) {
      const title = [
        disabling ? `disable the old key ${labelOf(oldKey)}` : `rename the old key ${labelOf(oldKey)} to ${renamed}`,
        disabling && renamed !== undefined ? ` and rename it to ${renamed}` : '',
      ].join('')
      const update = (change: {name?: string; enabled?: boolean}) =>
        change.name === undefined
          ? commandArgv(change.enabled ? 'keys enable' : 'keys disable', {key: oldKey.id!})
          : commandArgv('keys update', {key: oldKey.id!, name: change.name, enabled: change.enabled === true, disabled: change.enabled === false})
      steps.push({
        title,
        finish: () => [update({name: renamed, enabled: disabling ? false : undefined})],
        undo: () => [update({name: renamed === undefined ? undefined : oldKey.name, enabled: disabling ? true : undefined})],
        run: async () => {
          previousApiKey = {
            ...oldKey,
            ...(await this.apigw.updateApiKey({apiKey: oldKey.id!, patchOperations: oldKeyOps}, `updating API key ${labelOf(oldKey)}`)),
          }
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
    return {apiKey: newKey!, previousApiKey, usagePlans: plans.map(refOf), oldKeyAction, carriedUsage, changed: true, dryRun, calls}
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
