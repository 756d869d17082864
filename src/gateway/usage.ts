import type {UsagePlan, UsagePlanKey} from '@aws-sdk/client-api-gateway'

import type {ApiGateway} from '../aws/api-gateway.js'

import {commandLine, placeholder} from '../model/command-line.js'
import {badInput, notFound} from '../model/errors.js'
import {addDays, dayChunks, daysBetween, daysFrom, DEFAULT_WEEK_START, dayStart, DAY_MS, type WeekStart} from '../model/quota-period.js'
import type {PlanQuotaSeed, QuotaSeeds} from '../model/quota-seed.js'
import {labelOf, type Ref, refOf} from '../model/resolve.js'
import {
  type DailyUsage,
  isOverThreshold,
  type KeyUsage,
  keyUsageFigures,
  matchUsageEntries,
  type KeyPlanUsage,
  type OverThreshold,
  type PeriodChoice,
  remainingOp,
  type UsageCheck,
  type UsageGrant,
  type UsageKeyMatch,
  type UsageNumbers,
  type UsageReport,
  usageWindow,
  type UsageWindow,
  withRemaining,
} from '../model/usage.js'
import {ApiKeys, type CarriedUsage} from './api-keys.js'
import {UsagePlans} from './usage-plans.js'

/**
 * Days per GetUsage call. AWS documents no maximum range; 31 days is the longest quota
 * period (a calendar month), so a month's report is one call per page of keys, and an
 * answer holds at most 500 keys x 31 days. Longer ranges are asked for in turn.
 */
export const USAGE_CHUNK_DAYS = 31

/** AWS's counters lag (users report 30-40 minutes; AWS documents nothing): a report reaching into the last hour says so. */
const LAG_MS = 60 * 60 * 1000
export const LAG_WARNING = "AWS's usage counters can lag by tens of minutes: the latest requests may not be counted yet"

export interface UsageOptions {
  from?: string
  to?: string
  choice?: PeriodChoice
  weekStart?: WeekStart
  /** Epoch ms; the clock by default. */
  now?: number
}

export interface GrantChange {
  /** Requests added to what remains now (`--requests`). */
  add?: number
  /** What remains, set outright (`--remaining`). */
  set?: number
}

/** Usage and quota of API keys in usage plans: GetUsage read in date chunks and pages, UpdateUsage grants. */
export class UsageReports {
  constructor(
    private readonly apigw: ApiGateway,
    private readonly plans = new UsagePlans(apigw),
    private readonly keys = new ApiKeys(apigw, plans),
  ) {}

  /** The usage of every key of a plan (or of `keyRefs`, each of which must be in it) over the window the options choose. */
  async report(planRef: string, options: UsageOptions & {keyRefs?: string[]} = {}): Promise<UsageReport> {
    const plan = await this.plans.resolve(planRef)
    const only = options.keyRefs?.length ? await this.membersNamed(plan, options.keyRefs) : undefined
    return this.reportFor(plan, {...options, only})
  }

  /**
   * The current period of every key of `plan`, whose keys the caller has already read, for
   * `plans show`. The show commands give usage beside the resource, so they leave the lag
   * warning to `gwctl usage` rather than repeat it on every show.
   */
  async ofPlan(plan: UsagePlan, planKeys: UsagePlanKey[], options: UsageOptions = {}): Promise<UsageReport> {
    const report = await this.reportFor(plan, {...options, planKeys})
    return {...report, warnings: withoutLag(report.warnings)}
  }

  /** The current period of `key` in each of `plans` (those it is in), for `keys show`; without the lag warning, as ofPlan. */
  async ofKey(key: Ref, plans: Ref[], options: UsageOptions = {}): Promise<{usage: KeyPlanUsage[]; warnings: string[]}> {
    const usage: KeyPlanUsage[] = []
    const warnings = new Set<string>()
    for (const ref of plans) {
      const plan = await this.plans.resolve(ref.id)
      const report = await this.reportFor(plan, {...options, only: [key]})
      for (const w of withoutLag(report.warnings)) warnings.add(w)
      if (report.keys[0]) usage.push({usagePlan: refOf(plan), period: report.period, key: report.keys[0]})
    }

    return {usage, warnings: [...warnings]}
  }

  /**
   * AWS's "temporary extension": sets what the key has left in the plan's current
   * period (UpdateUsage, replace /remaining) to `set`, or to what it has now plus `add`.
   * Reads the standing first (so that `add` and the report have a before) and again after.
   */
  async grant(keyRef: string, planRef: string, change: GrantChange, options: UsageOptions & {dryRun?: boolean} = {}): Promise<UsageGrant> {
    const plan = await this.plans.resolve(planRef)
    if (!plan.quota?.period) {
      throw badInput(`Usage plan ${labelOf(plan)} has no quota: there is no remaining quota to grant`, {
        suggestions: [`Give it a quota first: ${commandLine('plans update', {plan: plan.id!, quota: placeholder('LIMIT/PERIOD')})}`],
      })
    }

    const [key] = await this.membersNamed(plan, [keyRef])
    const current = {...options, choice: undefined, from: undefined, to: undefined, only: [key]}
    const read = await this.reportFor(plan, current)
    const before = read.keys[0].quota!
    if (before.remaining === null && change.set === undefined) {
      throw notFound(`AWS reported no remaining quota for API key ${labelOf(key)} in usage plan ${labelOf(plan)}, so there is nothing to add to`, {
        suggestions: [`Set what remains outright: ${commandLine('usage grant', {key: key.id, plan: plan.id!, remaining: placeholder('N')})}`],
      })
    }

    const target = change.set ?? before.remaining! + change.add!
    const operations = [remainingOp(target)]
    const result = {usagePlan: refOf(plan), apiKey: refOf(key), period: plan.quota.period, before, planned: withRemaining(before, target), operations}
    if (options.dryRun || before.remaining === target) return {...result, after: null, usage: read.usage, changed: false, warnings: read.warnings}

    await this.apigw.updateUsage(
      {usagePlanId: plan.id!, keyId: key.id, patchOperations: operations},
      `setting the remaining quota of API key ${labelOf(key)} in usage plan ${labelOf(plan)} to ${target}`,
    )
    const reread = await this.reportFor(plan, current)
    const after = reread.keys[0]?.quota ?? null
    const warnings = new Set(reread.warnings)
    if (after?.remaining !== target) {
      warnings.add(
        `AWS reports ${after?.remaining ?? 'no'} requests remaining just after gwctl set ${target}: requests made meanwhile count against it, and the counters can lag`,
      )
    }

    return {...result, after, usage: reread.usage, changed: true, warnings: [...warnings]}
  }

  /**
   * What `oldKey` has left this period in each of `plans` that has a quota, for its
   * replacement to start with (keys rotate --carry-usage). A key AWS reports no remaining
   * quota for is refused (exit 3) rather than carried as a guess.
   */
  async remainingToCarry(oldKey: Ref, plans: UsagePlan[], options: UsageOptions = {}): Promise<CarriedUsage[]> {
    const carried: CarriedUsage[] = []
    for (const plan of plans.filter((p) => p.quota?.period)) {
      const [standing] = (await this.reportFor(plan, {...options, only: [oldKey]})).keys
      const remaining = standing?.quota?.remaining
      if (remaining === null || remaining === undefined) {
        throw notFound(
          `AWS reports no remaining quota for API key ${labelOf(oldKey)} in usage plan ${labelOf(plan)}, so there is none to carry over; nothing was changed`,
          {
            suggestions: [
              `Rotate without --carry-usage, then give the new key its quota: ${commandLine('usage grant', {key: placeholder('NEW_KEY'), plan: plan.id!, remaining: placeholder('N')})}`,
            ],
          },
        )
      }

      carried.push({usagePlan: refOf(plan), remaining})
    }

    return carried
  }

  /** The keys whose share used in the current period reaches `threshold` (0.8 for 80%), in the named plans or in every plan. */
  async check(planRefs: string[], threshold: number, options: UsageOptions = {}): Promise<UsageCheck> {
    const named = planRefs.length > 0
    const plans = named ? await this.plans.resolveEach(planRefs) : await this.plans.list()
    const withQuota = plans.filter((p) => p.quota?.period)
    const withoutQuota = plans.filter((p) => !p.quota?.period).map(refOf)
    const warnings = new Set<string>()
    if (named) for (const plan of withoutQuota) warnings.add(`Usage plan ${labelOf(plan)} has no quota: no key of it can be over a threshold`)

    const over: OverThreshold[] = []
    let keysChecked = 0
    for (const plan of withQuota) {
      const report = await this.reportFor(plan, {...options, choice: 'current', from: undefined, to: undefined})
      for (const w of report.warnings) warnings.add(w)
      keysChecked += report.keys.length
      for (const key of report.keys) if (isOverThreshold(key.quota, threshold)) over.push({usagePlan: refOf(plan), key})
    }

    return {threshold, over, usagePlans: withQuota.map(refOf), keysChecked, withoutQuota, warnings: [...warnings]}
  }

  /**
   * `simulate --seed-quota`: AWS's daily counts of every key of each plan (by id) in the
   * plan's current quota period so far, for the replay's counters to start from. Plans
   * without a quota in the account are left out, with a warning; a plan missing from the
   * account is an error (exit 3).
   */
  async quotaSeeds(planIds: string[], options: {weekStart?: WeekStart; now?: number} = {}): Promise<{seeds: QuotaSeeds; warnings: string[]}> {
    const now = options.now ?? Date.now()
    const weekStart = options.weekStart ?? DEFAULT_WEEK_START
    const usagePlans: PlanQuotaSeed[] = []
    const warnings = new Set<string>()
    for (const id of planIds) {
      const plan = await this.plans.resolve(id)
      const quota = plan.quota
      if (!quota?.period || quota.limit === undefined) {
        warnings.add(`Usage plan ${labelOf(plan)} has no quota in the account, so AWS counts nothing to seed: its counters start at zero`)
        continue
      }

      const period = quota.period
      const window = usageWindow({now, period, weekStart, choice: 'current'})
      // Only the period's own days: the recent rate a report also fetches for is not needed here.
      const daily = await this.fetchDaily(plan, {...window, fetchFrom: window.from})
      for (const w of daily.warnings) warnings.add(w)
      const match = await this.matchEntries([...daily.entries.keys()], await this.plans.keys(plan.id!))
      const keys: PlanQuotaSeed['keys'] = {}
      for (const [keyId, entry] of match.entryOf) {
        const days = daily.entries.get(entry)!
        keys[keyId] = daysFrom(window.from, window.to).map((date) => ({date, used: days.get(date)?.[0] ?? 0, remaining: days.get(date)?.[1] ?? null}))
      }

      if (match.unmatched.length > 0) {
        warnings.add(
          `AWS's usage map for usage plan ${labelOf(plan)} has ${match.unmatched.length} entr${match.unmatched.length === 1 ? 'y' : 'ies'} matching none of its keys: not seeded`,
        )
      }

      usagePlans.push({usagePlanId: plan.id!, period, limit: quota.limit, periodStart: window.from, keys})
    }

    return {seeds: {readAt: new Date(now).toISOString(), weekStart, usagePlans}, warnings: [...warnings]}
  }

  /** Each key named, resolved (exit 3 when unknown) and checked to be in the plan (exit 3 naming the plans it is in). */
  private async membersNamed(plan: UsagePlan, refs: string[]): Promise<Ref[]> {
    const members = new Set((await this.plans.keys(plan.id!)).map((k) => k.id))
    const keys: Ref[] = []
    for (const ref of refs) {
      const key = await this.keys.resolve(ref)
      if (!members.has(key.id)) {
        const inPlans = await this.keys.plansOf(key.id!)
        const where = inPlans.length > 0 ? `it is in ${inPlans.map(labelOf).join(', ')}` : 'it is in no usage plan'
        throw notFound(`API key ${labelOf(key)} is not in usage plan ${labelOf(plan)}: ${where}`, {
          suggestions:
            inPlans.length > 0
              ? [commandLine('usage', {plan: inPlans[0].id!, key: [key.id!]})]
              : [`Attach it: ${commandLine('keys attach', {key: key.id!, plan: plan.id!})}`],
          details: {usagePlans: inPlans.map(refOf)},
        })
      }

      if (!keys.some((k) => k.id === key.id)) keys.push(refOf(key))
    }

    return keys
  }

  private async reportFor(plan: UsagePlan, options: UsageOptions & {only?: Ref[]; planKeys?: UsagePlanKey[]}): Promise<UsageReport> {
    const now = options.now ?? Date.now()
    const weekStart = options.weekStart ?? DEFAULT_WEEK_START
    const period = plan.quota?.period ?? null
    const window = usageWindow({now, period: period ?? undefined, weekStart, from: options.from, to: options.to, choice: options.choice})
    const planKeys = options.planKeys ?? (await this.plans.keys(plan.id!))
    const keyId = options.only?.length === 1 ? options.only[0].id : undefined
    const {entries, warnings} = await this.fetchDaily(plan, window, keyId)

    const match = await this.matchEntries([...entries.keys()], planKeys)
    const createdAt = await this.creationTimes()
    const shown = options.only ? planKeys.filter((k) => options.only!.some((o) => o.id === k.id)) : planKeys
    const keys: KeyUsage[] = shown.map((k) => {
      const entry = match.entryOf.get(k.id!)
      const figures = keyUsageFigures(entry === undefined ? undefined : entries.get(entry), window, now, createdAt.get(k.id!))
      return {id: k.id!, name: k.name, reported: entry !== undefined, ...figures}
    })
    keys.sort(byShareThenUse)

    const unmatched = match.unmatched.map((entry) => ({entry, used: usedFrom(entries.get(entry)!, window.from)}))
    if (unmatched.length > 0) {
      warnings.push(
        `AWS's usage map has ${unmatched.length} entr${unmatched.length === 1 ? 'y' : 'ies'} matching no key of usage plan ${labelOf(plan)} by id or value (a key removed from the plan, or deleted?)`,
      )
    }

    const unreported = keys.filter((k) => !k.reported)
    if (unreported.length > 0) {
      warnings.push(
        `AWS reported no usage for ${unreported.length === 1 ? 'API key' : `${unreported.length} API keys:`} ${unreported.map(labelOf).join(', ')} in usage plan ${labelOf(plan)}: counted as 0 requests, remaining unknown`,
      )
    }

    if (dayStart(window.to) + DAY_MS > now - LAG_MS) warnings.push(LAG_WARNING)
    return {
      usagePlan: {id: plan.id!, name: plan.name, quota: plan.quota},
      period,
      weekStart,
      window,
      keyedBy: match.keyedBy,
      usage: usageOf(plan, window, keys),
      keys,
      unmatched,
      warnings,
    }
  }

  /** Matches AWS's map entries to the plan's keys by id or value, asking for key values only when the plan's key list lacks some and an entry is left over. */
  private async matchEntries(entries: string[], planKeys: UsagePlanKey[]): Promise<UsageKeyMatch> {
    const match = matchUsageEntries(
      entries,
      planKeys.map((k) => ({id: k.id!, value: k.value})),
    )
    if (match.unmatched.length === 0 || planKeys.every((k) => k.value)) return match
    const values = new Map((await this.keys.list({includeValues: true})).map((k) => [k.id, k.value]))
    return matchUsageEntries(
      entries,
      planKeys.map((k) => ({id: k.id!, value: k.value ?? values.get(k.id)})),
    )
  }

  /**
   * AWS's numbers from window.fetchFrom to window.to, one GetUsage (all pages) per chunk of
   * USAGE_CHUNK_DAYS days, as day -> [used, remaining] per map entry. Each answer's pairs
   * are read from its startDate; an answer with more or fewer days than asked is said.
   */
  private async fetchDaily(
    plan: UsagePlan,
    window: UsageWindow,
    keyId?: string,
  ): Promise<{entries: Map<string, Map<string, [number, number]>>; warnings: string[]}> {
    const entries = new Map<string, Map<string, [number, number]>>()
    const odd = new Set<string>()
    for (const chunk of dayChunks(window.fetchFrom, window.to, USAGE_CHUNK_DAYS)) {
      const answer = await this.apigw.getUsage(
        {usagePlanId: plan.id!, startDate: chunk.first, endDate: chunk.last, keyId},
        `reading the usage of usage plan ${labelOf(plan)} from ${chunk.first} to ${chunk.last}`,
      )
      const asked = daysBetween(chunk.first, chunk.last) + 1
      const start = answer.startDate && /^\d{4}-\d{2}-\d{2}$/.test(answer.startDate) ? answer.startDate : chunk.first
      for (const [entry, pairs] of Object.entries(answer.items ?? {})) {
        if (pairs.length !== asked) odd.add(`${chunk.first} to ${chunk.last}: ${pairs.length} days`)
        const days = entries.get(entry) ?? new Map<string, [number, number]>()
        entries.set(entry, days)
        for (const [i, pair] of pairs.entries()) {
          const day = addDays(start, i)
          if (day >= chunk.first && day <= chunk.last) days.set(day, [Number(pair[0] ?? 0), Number(pair[1] ?? 0)])
        }
      }
    }

    const warnings =
      odd.size > 0
        ? [`AWS answered GetUsage with another number of days than asked for (${[...odd].join('; ')}); the days were read from the answer's startDate`]
        : []
    return {entries, warnings}
  }

  /** When each key was created (epoch ms), so that a key's recent rate starts no earlier than it existed. */
  private async creationTimes(): Promise<Map<string, number>> {
    const times = new Map<string, number>()
    for (const key of await this.keys.list()) {
      const created = key.createdDate === undefined ? Number.NaN : new Date(key.createdDate).getTime()
      if (Number.isFinite(created)) times.set(key.id!, created)
    }

    return times
  }
}

const withoutLag = (warnings: string[]) => warnings.filter((w) => w !== LAG_WARNING)

function usedFrom(days: DailyUsage, from: string): number {
  let sum = 0
  for (const [day, [used]] of days) if (day >= from) sum += used
  return sum
}

/** The closest to running out first; keys of plans without a quota by use. */
function byShareThenUse(a: KeyUsage, b: KeyUsage): number {
  const share = (k: KeyUsage) => k.quota?.shareUsed ?? -1
  return share(b) - share(a) || b.used - a.used || (a.name ?? a.id).localeCompare(b.name ?? b.id)
}

/** AWS's Usage shape for the days shown, keyed by key id. */
function usageOf(plan: UsagePlan, window: UsageWindow, keys: KeyUsage[]): UsageNumbers {
  const items: UsageNumbers['items'] = {}
  for (const key of keys) if (key.reported) items[key.id] = key.days.map((d) => (d.remaining === null ? null : [d.used, d.remaining]))
  return {usagePlanId: plan.id!, startDate: window.from, endDate: window.to, items}
}
