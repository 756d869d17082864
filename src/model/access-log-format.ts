/**
 * What a stage's access-log format (AccessLogSettings.format) records, and whether
 * `gwctl simulate` can replay logs written in it. Pure: `gwctl doctor` and
 * `gwctl logs status` judge a live stage's format with it.
 *
 * The format is a template of `$context` variables in JSON, CSV, CLF or XML
 * (AWS's sample formats: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-access-logging.html).
 * simulate reads fields by name (JSON) or by position (CSV columns, CLF variables); the
 * positions below are the ones simulate uses for CLF (src/simulator/formats.ts reads
 * SIMULATE_POSITIONS from here). The names are the simulator's (src/simulator/records.ts
 * FIELD_NAMES, formats.ts CSV_COLUMNS and RECOMMENDED_FORMATS), kept here because the model
 * may not import the simulator; test/model/access-log-format.test.ts fails when they drift apart.
 */

/** A field simulate reads, by the name `simulate --field NAME=...` uses, and the variable that fills it. */
export const REPLAY_FIELDS = {
  requestTimeEpoch: '$context.requestTimeEpoch',
  requestTime: '$context.requestTime',
  apiId: '$context.apiId',
  stage: '$context.stage',
  resourcePath: '$context.resourcePath',
  httpMethod: '$context.httpMethod',
  status: '$context.status',
  apiKeyId: '$context.identity.apiKeyId',
  apiKey: '$context.identity.apiKey',
  requestId: '$context.requestId',
  responseType: '$context.error.responseType',
} as const

export type ReplayField = keyof typeof REPLAY_FIELDS

/** Something replay needs, met by any one of `fields`. */
export interface ReplayNeed {
  name: 'time' | 'httpMethod' | 'resourcePath' | 'key' | 'apiId' | 'stage' | 'status' | 'millisecondTime'
  fields: ReplayField[]
  /** Without a required need simulate cannot replay at all; without the others it replays less exactly. */
  required: boolean
  /** Why simulate needs it, one sentence. */
  why: string
}

export const REPLAY_NEEDS: readonly ReplayNeed[] = [
  {name: 'time', fields: ['requestTimeEpoch', 'requestTime'], required: true, why: 'token buckets and quota periods are replayed in request time'},
  {name: 'httpMethod', fields: ['httpMethod'], required: true, why: 'which method was called decides whether a key is needed and which throttle applies'},
  {name: 'resourcePath', fields: ['resourcePath'], required: true, why: 'per-method throttles are keyed on the resource template'},
  {name: 'key', fields: ['apiKeyId', 'apiKey'], required: true, why: 'plan throttles and quotas are counted per API key'},
  {name: 'apiId', fields: ['apiId'], required: false, why: 'without it, a log holding several APIs cannot be told apart (simulate --api names the one API)'},
  {
    name: 'stage',
    fields: ['stage'],
    required: false,
    why: 'without it, a log holding several stages cannot be told apart (simulate --stage names the one stage)',
  },
  {name: 'status', fields: ['status'], required: false, why: "without it simulate cannot compare its predictions with AWS's answers"},
  {
    name: 'millisecondTime',
    fields: ['requestTimeEpoch'],
    required: false,
    why: '$context.requestTime has whole seconds only, so bursts within a second are approximated',
  },
]

export type AccessLogStyle = 'json' | 'csv' | 'clf' | 'xml' | 'other'

export interface AccessLogFormatAnalysis {
  style: AccessLogStyle
  /** Every `$context` variable the format writes, in order of first appearance. */
  variables: string[]
  /**
   * Where each replay field is written, when its value is exactly one variable: the
   * dotted JSON path, or the 1-based column (CSV) or position (CLF) as a string.
   */
  locations: Partial<Record<ReplayField, string>>
  /** Needs the format does not meet, required ones first. */
  missing: ReplayNeed[]
  /** `simulate --field` flags that make simulate read this format (JSON names or CSV columns other than its defaults). */
  fieldFlags: string[]
  /** What stops simulate replaying this format, other than missing variables. */
  problems: string[]
  /** Advice that does not stop replay, e.g. a key value logged instead of its id. */
  notes: string[]
  /** True when simulate can replay logs in this format (with `fieldFlags`). */
  replayable: boolean
}

/**
 * Where simulate looks for each field in a CSV or CLF log without --field (1-based):
 * AWS's sample layout followed by the columns the recommended formats add. A CSV
 * column and a CLF position (one per `$context` variable, in order) coincide.
 */
export const SIMULATE_POSITIONS: Partial<Record<ReplayField, number>> = {
  requestTime: 4,
  httpMethod: 5,
  resourcePath: 6,
  status: 8,
  requestId: 10,
  apiId: 12,
  stage: 13,
  apiKeyId: 14,
  requestTimeEpoch: 15,
}

/** Variable names are case-sensitive dotted identifiers (AWS's variables page). */
const VARIABLE = /\$context(?:\.[A-Za-z0-9_-]+)+/g

/** Fields simulate reads only when the field named here is absent: a wrong value in them is then harmless. */
const FALLBACK_FOR: Partial<Record<ReplayField, ReplayField>> = {requestTime: 'requestTimeEpoch', apiKey: 'apiKeyId'}

const replayFieldOf = new Map(Object.entries(REPLAY_FIELDS).map(([field, variable]) => [variable as string, field as ReplayField]))

function variablesIn(text: string): string[] {
  return [...new Set(text.match(VARIABLE))]
}

/** The whole text is one variable (quotes and spaces around it allowed). */
function soleVariable(text: string): string | undefined {
  const trimmed = text
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim()
  const found = trimmed.match(VARIABLE)
  return found?.length === 1 && found[0] === trimmed ? trimmed : undefined
}

export function styleOf(format: string): AccessLogStyle {
  const text = format.trim()
  if (text.startsWith('{')) return 'json'
  if (text.startsWith('<')) return 'xml'
  if (splitCsvTemplate(text).length > 1) return 'csv'
  if (/\s/.test(text) && variablesIn(text).length > 1) return 'clf'
  return 'other'
}

/** Splits a CSV template on commas outside double quotes. */
function splitCsvTemplate(text: string): string[] {
  const cells: string[] = []
  let cell = ''
  let quoted = false
  for (const c of text) {
    if (c === '"') quoted = !quoted
    if (c === ',' && !quoted) {
      cells.push(cell)
      cell = ''
    } else cell += c
  }

  cells.push(cell)
  return cells
}

/**
 * A JSON template parsed into its leaves (dotted path -> template text). Variables may
 * stand unquoted (`"status": $context.status`), which is JSON only once filled in,
 * so those are quoted first. Undefined when it is not JSON even then.
 */
function jsonLeaves(text: string): Map<string, string> | undefined {
  let quotedText = ''
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      quotedText += c
      if (c === '\\') quotedText += text[++i] ?? ''
      else if (c === '"') inString = false
    } else if (c === '"') {
      inString = true
      quotedText += c
    } else if (text.startsWith('$context.', i)) {
      VARIABLE.lastIndex = i
      const name = VARIABLE.exec(text)![0]
      quotedText += JSON.stringify(name)
      i += name.length - 1
    } else quotedText += c
  }

  let parsed: unknown
  try {
    parsed = JSON.parse(quotedText)
  } catch {
    return undefined
  }

  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined
  const leaves = new Map<string, string>()
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') leaves.set(path, value)
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k)
    }
  }

  walk(parsed, '')
  return leaves
}

/** Where each replay field sits in the format, and what stops simulate reading the layout. */
function layoutOf(style: AccessLogStyle, text: string): {locations: Partial<Record<ReplayField, string>>; fieldFlags: string[]; problems: string[]} {
  const locations: Partial<Record<ReplayField, string>> = {}
  const fieldFlags: string[] = []
  const problems: string[] = []
  const place = (variable: string | undefined, where: string) => {
    const field = variable === undefined ? undefined : replayFieldOf.get(variable)
    if (field !== undefined && locations[field] === undefined) locations[field] = where
  }

  switch (style) {
    case 'json': {
      const leaves = jsonLeaves(text)
      if (!leaves) return {locations, fieldFlags, problems: ['it is not a JSON object, even with its $context variables filled in']}
      for (const [path, value] of leaves) place(soleVariable(value), path)
      for (const field of Object.keys(REPLAY_FIELDS) as ReplayField[]) {
        const path = locations[field]
        const unread = FALLBACK_FOR[field] !== undefined && locations[FALLBACK_FOR[field]] !== undefined
        if (path !== undefined && path !== field) fieldFlags.push(`--field ${field}=${path}`)
        // simulate reads a field by its name unless told otherwise: a name holding something else would be misread.
        const squatter = leaves.get(field)
        if (path === undefined && squatter !== undefined && !unread)
          problems.push(`its "${field}" field holds ${JSON.stringify(squatter)}, which simulate would read as ${REPLAY_FIELDS[field]}`)
      }

      break
    }
    case 'csv':
    case 'clf': {
      // One cell per CSV column, or per CLF variable in order.
      const cells = style === 'csv' ? splitCsvTemplate(text) : (text.match(VARIABLE) ?? [])
      for (const [i, cell] of cells.entries()) place(soleVariable(cell), String(i + 1))
      if (style === 'csv' && cells.length < 6) problems.push(`it has ${cells.length} columns; simulate reads CSV with at least 6`)
      // simulate drops the default of a field whose place --field gives to another.
      const given = new Set<number>()
      for (const field of Object.keys(REPLAY_FIELDS) as ReplayField[]) {
        const at = locations[field]
        if (at !== undefined && Number(at) !== SIMULATE_POSITIONS[field]) {
          fieldFlags.push(`--field ${field}=${at}`)
          given.add(Number(at))
        }
      }

      for (const field of Object.keys(REPLAY_FIELDS) as ReplayField[]) {
        const usual = SIMULATE_POSITIONS[field]
        const unread = FALLBACK_FOR[field] !== undefined && locations[FALLBACK_FOR[field]] !== undefined
        if (locations[field] === undefined && usual !== undefined && usual <= cells.length && !given.has(usual) && !unread) {
          const word = style === 'csv' ? 'column' : 'position'
          problems.push(`its ${word} ${usual} holds ${cells[usual - 1].trim() || 'nothing'}, which simulate would read as ${REPLAY_FIELDS[field]}`)
        }
      }

      break
    }
    default: {
      for (const [i, v] of variablesIn(text).entries()) place(v, String(i + 1))
      problems.push(style === 'xml' ? 'simulate does not read XML access logs' : 'simulate reads JSON, CSV and CLF access logs, and this is none of them')
    }
  }

  return {locations, fieldFlags, problems}
}

/**
 * Reads an access-log format template and says what simulate can make of logs
 * written in it: which variables it writes, where the fields simulate reads are,
 * which needs are not met, and which `--field` flags simulate would need.
 */
export function analyzeAccessLogFormat(format: string): AccessLogFormatAnalysis {
  const text = format.trim()
  const style = styleOf(text)
  const variables = variablesIn(text)
  const {locations, fieldFlags, problems} = layoutOf(style, text)
  const has = (field: ReplayField) => locations[field] !== undefined
  const missing = REPLAY_NEEDS.filter((need) => !need.fields.some((f) => has(f)))
    // Without any time, the millisecond note adds nothing to "time is missing".
    .filter((need) => need.name !== 'millisecondTime' || has('requestTime'))
    .toSorted((a, b) => Number(b.required) - Number(a.required))

  const notes: string[] = []
  if (has('apiKey') && !has('apiKeyId')) {
    notes.push('it logs the API key value ($context.identity.apiKey), a secret anyone who reads the logs then holds; log $context.identity.apiKeyId instead')
  }

  return {style, variables, locations, missing, fieldFlags, problems, notes, replayable: problems.length === 0 && !missing.some((n) => n.required)}
}

/** The variable to log for a need: the first of its fields' (the key id rather than the key value). */
export const preferredVariable = (need: ReplayNeed): string => REPLAY_FIELDS[need.fields[0]]

/** The variables to add so that simulate can replay the format: one per unmet need. */
export function missingReplayVariables(analysis: AccessLogFormatAnalysis, options: {requiredOnly?: boolean} = {}): string[] {
  return analysis.missing.filter((need) => need.required || !options.requiredOnly).map(preferredVariable)
}
