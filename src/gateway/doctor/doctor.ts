import type {ApiGateway} from '../../aws/api-gateway.js'
import type {DoctorData, DoctorScope} from './data.js'

import type {ChangeStep} from '../../model/change-steps.js'
import {runSteps} from '../steps.js'
import {CHECKS, countBySeverity, type Finding, type Fix, type SafeFix, SEVERITIES} from '../../model/findings.js'
import {Deployments} from '../deployments.js'
import {Methods, requireKeyCommands} from '../methods.js'
import {RestApis} from '../rest-apis.js'
import {accountCapFindings} from './account-caps.js'
import {corsFindings} from './cors.js'
import {coverageFindings} from './coverage.js'
import {deploymentFindings} from './deployment.js'
import {deployFix, restoreDeploymentCommand} from './fixes.js'
import {keySourceFindings} from './key-source.js'
import {keyFindings} from './keys.js'
import {limitFindings} from './limits.js'
import {loggingFindings} from './logging.js'
import {type DoctorReadOptions, readDoctorData} from './reader.js'

/** Every check, each a pure function of the data read once. */
const CHECK_FUNCTIONS: ReadonlyArray<(data: DoctorData) => Finding[]> = [
  deploymentFindings,
  coverageFindings,
  keyFindings,
  keySourceFindings,
  limitFindings,
  accountCapFindings,
  corsFindings,
  loggingFindings,
]

/** Errors first, then warnings, then infos; within a severity, in the order of the checks. */
const bySeverityThenCheck = (a: Finding, b: Finding) =>
  SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || CHECKS.indexOf(a.check) - CHECKS.indexOf(b.check)

/** Every finding about the data, errors first. */
export function diagnose(data: DoctorData): Finding[] {
  return CHECK_FUNCTIONS.flatMap((check) => check(data)).toSorted(bySeverityThenCheck)
}

export interface DoctorReport {
  region?: string
  scope: DoctorScope
  /** How much was looked at. */
  checked: {apis: number; stages: number; methods: number; usagePlans: number; apiKeys: number}
  summary: {errors: number; warnings: number; infos: number}
  findings: Finding[]
  /** What doctor could not judge, and why. */
  warnings: string[]
}

export function reportOf(data: DoctorData): DoctorReport {
  const findings = diagnose(data)
  const counts = countBySeverity(findings)
  const warnings: string[] = []
  if (!data.account.throttle)
    warnings.push("AWS did not report the account's throttle (GetAccount throttleSettings), so plan throttles were not compared with it")
  for (const api of data.apis) {
    for (const stage of api.stages.filter((s) => !s.served))
      warnings.push(`Stage ${stage.stageName} of API ${api.name} (${api.id}) has no deployment, so what it serves was not checked`)
  }

  return {
    ...(data.region ? {region: data.region} : {}),
    scope: data.scope,
    checked: {
      apis: data.apis.length,
      stages: data.apis.reduce((n, a) => n + a.stages.length, 0),
      methods: data.apis.reduce((n, a) => n + a.methods.length, 0),
      usagePlans: data.plans.length,
      apiKeys: data.keys.length,
    },
    summary: {errors: counts.error, warnings: counts.warning, infos: counts.info},
    findings,
    warnings,
  }
}

const safeKey = (safe: SafeFix) =>
  safe.kind === 'deploy' ? `deploy ${safe.api.id} ${safe.stage}` : `stop ${safe.api.id} ${safe.path} ${safe.httpMethods.join(',')}`

/**
 * The fixes `doctor --fix` applies: each safe fix once (a stage deployed for several
 * findings is deployed once, naming all it publishes), method changes before the
 * deployments that publish them.
 */
export function safeFixes(findings: readonly Finding[]): Fix[] {
  const unique = new Map<string, Fix>()
  for (const fix of findings.flatMap((f) => f.fixes)) {
    if (!fix.safe) continue
    const seen = unique.get(safeKey(fix.safe))
    if (seen?.safe?.kind === 'deploy' && fix.safe.kind === 'deploy') {
      const publishes = [...new Set([...seen.safe.publishes, ...fix.safe.publishes])]
      unique.set(safeKey(fix.safe), deployFix(fix.safe.api, {stageName: fix.safe.stage, deploymentId: fix.safe.replaces}, {safe: true, publishes}))
    } else if (!seen) unique.set(safeKey(fix.safe), fix)
  }

  return [...unique.values()].toSorted((a, b) => Number(a.safe!.kind === 'deploy') - Number(b.safe!.kind === 'deploy'))
}

export interface DoctorOptions extends DoctorReadOptions {
  /** Apply the safe fixes, then check again. */
  fix?: boolean
  /** Shown the safe fixes before any is applied; throws to stop. */
  confirm?: (fixes: Fix[]) => Promise<void>
  onApplied?: (fix: Fix) => void
}

export interface DoctorRun {
  /** The findings; after --fix, those left once the fixes are applied. */
  report: DoctorReport
  /** The safe fixes the first check found. */
  fixable: Fix[]
  /** Those applied, in order. */
  fixed: Fix[]
}

/** `gwctl doctor`: reads the account once, runs every check on what it read, and applies the safe fixes when asked. */
export class Doctor {
  constructor(private readonly apigw: ApiGateway) {}

  /** Examines the account and, with `fix`, applies the safe fixes once `confirm` agrees, then examines it again. */
  async run(options: DoctorOptions = {}): Promise<DoctorRun> {
    const report = await this.examine(options)
    const fixable = safeFixes(report.findings)
    if (!options.fix || fixable.length === 0) return {report, fixable, fixed: []}
    await options.confirm?.(fixable)
    const fixed = await this.apply(fixable, {onApplied: options.onApplied})
    options.onProgress?.('Checking again')
    return {report: await this.examine(options), fixable, fixed}
  }

  /** Reads only: no call made here changes anything. */
  async examine(options: DoctorReadOptions = {}): Promise<DoctorReport> {
    return reportOf(await readDoctorData(this.apigw, options))
  }

  /**
   * Applies safe fixes in order through the services the commands use. A failure
   * part way says what was applied, what is left, and how to undo it.
   */
  async apply(fixes: readonly Fix[], options: {onApplied?: (fix: Fix) => void} = {}): Promise<Fix[]> {
    const apis = new RestApis(this.apigw)
    const methods = new Methods(this.apigw, apis)
    const deployments = new Deployments(this.apigw, apis)
    const applied: Fix[] = []
    const steps: ChangeStep[] = fixes.map((fix) => {
      const safe = fix.safe!
      const run =
        safe.kind === 'deploy'
          ? () => deployments.deploy({api: safe.api.id, stage: safe.stage, description: 'gwctl doctor --fix'})
          : () => methods.requireKey({api: safe.api.id, path: safe.path, methods: safe.httpMethods, off: true})
      const undo =
        safe.kind === 'deploy'
          ? safe.replaces && restoreDeploymentCommand(safe.api.id, safe.stage, safe.replaces)
          : requireKeyCommands(
              safe.api.id,
              safe.httpMethods.map((httpMethod) => ({path: safe.path, httpMethod})),
              true,
            )[0]
      return {
        title: fix.description,
        finish: () => [fix.command],
        undo: () => (undo ? [undo] : []),
        run: async () => {
          await run()
          applied.push(fix)
          options.onApplied?.(fix)
        },
      }
    })
    await runSteps(this.apigw, 'Applying the fixes', steps)
    return applied
  }
}
