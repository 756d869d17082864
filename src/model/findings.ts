import type {Ref} from './resolve.js'
import type {MethodRef} from './usage-plan.js'

/**
 * What `gwctl doctor` reports. Every kind of finding has a stable id, a fixed
 * severity, the check it belongs to, one sentence of why it matters and the AWS page
 * that says so; docs/doctor.md lists them all. Ids are part of gwctl's contract:
 * never rename one, add a new id instead.
 *
 * Severity: error = callers are refused or go unmetered now; warning = likely wrong,
 * or about to go wrong; info = worth knowing, cannot be judged from the API alone.
 */
export type Severity = 'error' | 'warning' | 'info'

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info']

/** The checks of `gwctl doctor`, in the order they are reported. */
export const CHECKS = ['deployment', 'coverage', 'keys', 'key-source', 'limits', 'account-caps', 'cors', 'logging'] as const
export type CheckName = (typeof CHECKS)[number]

export interface FindingKind {
  severity: Severity
  check: CheckName
  /** Why it matters, one sentence. */
  why: string
  /** The AWS documentation the reasoning rests on. */
  reference: string
}

const DOCS = 'https://docs.aws.amazon.com/apigateway/latest/developerguide'
const THROTTLING = `${DOCS}/api-gateway-request-throttling.html`
const USAGE_PLANS = `${DOCS}/api-gateway-api-usage-plans.html`
const CREATE_PLANS = `${DOCS}/api-gateway-create-usage-plans.html`
const KEY_SOURCE = `${DOCS}/api-gateway-api-key-source.html`
const QUOTAS = `${DOCS}/api-gateway-execution-service-limits-table.html`
const ACCESS_LOGGING = `${DOCS}/set-up-logging.html`

export const FINDING_KINDS = {
  KEY_REQUIRED_NOT_DEPLOYED: {
    severity: 'error',
    check: 'deployment',
    why: 'A method change reaches callers only when the stage is deployed again, so until then callers of these methods are not metered by any usage plan.',
    reference: `${DOCS}/updating-api.html`,
  },
  KEY_NOT_REQUIRED_NOT_DEPLOYED: {
    severity: 'error',
    check: 'deployment',
    why: 'The stage still serves the methods as they were deployed, so callers without a key get 403 Forbidden although the API no longer asks for one.',
    reference: `${DOCS}/updating-api.html`,
  },
  KEY_REQUIRED_NO_PLAN: {
    severity: 'error',
    check: 'coverage',
    why: 'API Gateway accepts a key only through a usage plan that covers the stage, so every caller of these methods gets 403 Forbidden.',
    reference: `${DOCS}/api-gateway-api-key-source.html`,
  },
  KEY_REQUIRED_NO_ENABLED_KEY: {
    severity: 'error',
    check: 'coverage',
    why: 'Usage plans cover the stage but hold no enabled API key, so no caller can present a key they accept and every caller of these methods gets 403 Forbidden.',
    reference: USAGE_PLANS,
  },
  PLAN_METERS_NOTHING: {
    severity: 'error',
    check: 'coverage',
    why: "A usage plan's throttle and quota apply only to methods that require an API key, so on this stage the plan limits nobody.",
    reference: USAGE_PLANS,
  },
  PLAN_STAGE_MISSING: {
    severity: 'warning',
    check: 'coverage',
    why: 'The plan names a stage that does not exist, so it covers nothing there; a stage created later under that name would be covered without anyone deciding it.',
    reference: CREATE_PLANS,
  },
  KEY_DISABLED_IN_PLAN: {
    severity: 'warning',
    check: 'keys',
    why: 'Callers using a disabled key get 403 Forbidden whatever plan it is in, so its membership only hides that it is switched off.',
    reference: USAGE_PLANS,
  },
  KEY_IN_NO_PLAN: {
    severity: 'warning',
    check: 'keys',
    why: 'An enabled key that is in no usage plan is refused (403 Forbidden) on every method that requires a key.',
    reference: KEY_SOURCE,
  },
  PLAN_HAS_NO_KEYS: {
    severity: 'warning',
    check: 'keys',
    why: 'A plan without keys lets nobody in: methods that require a key on the stages it covers answer 403 to every caller unless another plan admits them.',
    reference: CREATE_PLANS,
  },
  KEY_IN_TWO_PLANS_FOR_STAGE: {
    severity: 'error',
    check: 'keys',
    why: 'AWS allows a key in only one usage plan per API stage; with two, which plan limits the key is undefined, and AWS refuses further changes that touch the pair.',
    reference: CREATE_PLANS,
  },
  KEY_SOURCE_AUTHORIZER_WITHOUT_LAMBDA: {
    severity: 'error',
    check: 'key-source',
    why: "With key source AUTHORIZER the key must come from a Lambda authorizer's usageIdentifierKey, so methods without a Lambda authorizer receive no key and answer 403 Forbidden.",
    reference: KEY_SOURCE,
  },
  KEY_SOURCE_HEADER_WITH_AUTHORIZER: {
    severity: 'info',
    check: 'key-source',
    why: 'With key source HEADER API Gateway reads the key from X-API-Key and ignores a usageIdentifierKey the Lambda authorizer returns; that is right unless the authorizer is meant to supply keys.',
    reference: KEY_SOURCE,
  },
  PLAN_THROTTLE_ABOVE_ACCOUNT: {
    severity: 'warning',
    check: 'limits',
    why: "The account's Regional throttle applies to every request, so a key can never reach a plan rate or burst above it: the plan promises more than the account delivers.",
    reference: THROTTLING,
  },
  PLAN_THROTTLE_ABOVE_STAGE: {
    severity: 'warning',
    check: 'limits',
    why: "A stage's method throttle is shared by all callers of the stage and applies after the plan's, so no key can reach a plan rate or burst above it.",
    reference: THROTTLING,
  },
  METHOD_THROTTLE_ABOVE_PLAN: {
    severity: 'warning',
    check: 'limits',
    why: "The plan's per-key throttle still applies to a method with its own throttle in the plan, so a per-method rate or burst above it is never reached.",
    reference: THROTTLING,
  },
  METHOD_THROTTLE_PROTECTS_NOTHING: {
    severity: 'warning',
    check: 'limits',
    why: 'A per-method throttle in a plan applies only to a method that exists and requires a key on that stage, so this one limits nobody.',
    reference: USAGE_PLANS,
  },
  QUOTA_BELOW_BURST: {
    severity: 'warning',
    check: 'limits',
    why: "A key can spend the whole quota in one burst before the plan's throttle slows it, so the throttle protects nothing and the key is cut off for the rest of the period.",
    reference: USAGE_PLANS,
  },
  API_KEYS_NEAR_LIMIT: {
    severity: 'warning',
    check: 'account-caps',
    why: 'An account holds at most 10,000 API keys per Region and AWS does not raise this; past it, creating or importing keys fails.',
    reference: QUOTAS,
  },
  USAGE_PLANS_NEAR_LIMIT: {
    severity: 'warning',
    check: 'account-caps',
    why: 'An account holds 300 usage plans per Region unless the quota was raised (Service Quotas L-E8693075); past it, creating plans fails.',
    reference: QUOTAS,
  },
  KEY_PLANS_NEAR_LIMIT: {
    severity: 'warning',
    check: 'account-caps',
    why: 'A key can be in 10 usage plans unless the quota was raised (Service Quotas L-985EB478); past it, adding the key to a plan fails.',
    reference: QUOTAS,
  },
  OPTIONS_REQUIRES_KEY: {
    severity: 'error',
    check: 'cors',
    why: 'Browsers send the CORS preflight (OPTIONS) without an API key, so the preflight gets 403 Forbidden and the browser blocks the call itself.',
    reference: `${DOCS}/how-to-cors.html`,
  },
  OPTIONS_KEY_NOT_DEPLOYED: {
    severity: 'warning',
    check: 'cors',
    why: 'The next deployment would make these OPTIONS methods require a key, and browsers send the CORS preflight without one, so their calls would start failing.',
    reference: `${DOCS}/how-to-cors.html`,
  },
  ACCESS_LOGGING_OFF: {
    severity: 'warning',
    check: 'logging',
    why: 'Without access logs nobody can see which keys get 403 or 429, and gwctl simulate has no traffic to replay.',
    reference: ACCESS_LOGGING,
  },
  ACCESS_LOG_FORMAT_INCOMPLETE: {
    severity: 'warning',
    check: 'logging',
    why: "The access log leaves out what replay needs, so gwctl simulate cannot replay this stage's traffic against the plans.",
    reference: `${DOCS}/api-gateway-variables-for-access-logging.html`,
  },
  ACCESS_LOG_FORMAT_LIMITED: {
    severity: 'info',
    check: 'logging',
    why: 'Replay with gwctl simulate works on this access log, but less exactly than on the format gwctl logs format prints.',
    reference: `${DOCS}/api-gateway-variables-for-access-logging.html`,
  },
  CLOUDWATCH_ROLE_MISSING: {
    severity: 'warning',
    check: 'logging',
    why: "API Gateway writes logs to CloudWatch Logs only through the Region's account role (cloudwatchRoleArn); without it logging to CloudWatch cannot be turned on.",
    reference: ACCESS_LOGGING,
  },
} as const satisfies Record<string, FindingKind>

export type FindingId = keyof typeof FINDING_KINDS

export const FINDING_IDS = Object.keys(FINDING_KINDS) as FindingId[]

/** What a finding is about, by id and name. */
export interface Affected {
  api?: Ref
  stage?: string
  methods?: MethodRef[]
  plan?: Ref
  /** Further plans involved, e.g. both plans holding one key on one stage. */
  plans?: Ref[]
  key?: Ref
}

/** A change `doctor --fix` makes itself: safe, and with one obvious meaning. */
export type SafeFix =
  | {
      kind: 'deploy'
      api: Ref
      stage: string
      /** What the deployment changes for callers, e.g. "GET /pets requiring a key". */
      publishes: string[]
      /** The deployment the stage serves now, to go back to. */
      replaces?: string
    }
  | {kind: 'stop-requiring-key'; api: Ref; path: string; httpMethods: string[]}

/** One way to fix a finding: a command to run, and when doctor can, the change it applies with --fix. */
export interface Fix {
  /** What the command does, for people. */
  description: string
  /** A command line to paste into a shell. */
  command: string
  /** Present when `doctor --fix` applies this fix itself. */
  safe?: SafeFix
}

export interface Finding {
  id: FindingId
  severity: Severity
  check: CheckName
  /** What is wrong here, naming everything involved. */
  message: string
  why: string
  affects: Affected
  /** Ways to fix it, in the order to try them; commands that must run in sequence say so. */
  fixes: Fix[]
  reference: string
}

/** A finding of kind `id`: its severity, check, why and reference come from the catalogue. */
export function finding(id: FindingId, message: string, affects: Affected, fixes: Fix[]): Finding {
  const kind: FindingKind = FINDING_KINDS[id]
  return {id, severity: kind.severity, check: kind.check, message, why: kind.why, affects, fixes, reference: kind.reference}
}

/** Errors, warnings and infos, for the summary line and the exit code. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = {error: 0, warning: 0, info: 0}
  for (const f of findings) counts[f.severity]++
  return counts
}
