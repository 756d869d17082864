import type {ApiKey} from '@aws-sdk/client-api-gateway'

import type {ApiGateway} from '../aws/api-gateway.js'
import type {UsagePlans} from './usage-plans.js'

import {maskKeyValues} from '../model/api-keys.js'
import {commandArgv} from '../model/command-line.js'
import {badInput} from '../model/errors.js'
import {describeLines, type KeyCsvRow, parseKeyCsv, toImportCsv} from '../model/key-csv.js'
import {runSteps} from './steps.js'

/**
 * Rows per ImportApiKeys call. AWS documents no maximum rows or body size for an
 * import; 100 rows keeps a body near 10 KB, keeps a failure's blast radius small,
 * and imports the account maximum of 10,000 keys in 100 calls (see docs/aws-behaviour.md).
 */
export const IMPORT_BATCH_SIZE = 100

export interface ImportOptions {
  /** Where the CSV came from, for messages: a path or "stdin". */
  source: string
  /** Usage plans (id or name) every imported key joins. */
  plans: string[]
  failOnWarnings: boolean
  dryRun: boolean
  batchSize?: number
}

export interface ImportRow {
  line: number
  name: string
}

export interface KeyImportResult {
  /** AWS's ApiKeyIds.ids, over every batch. */
  ids: string[]
  /** AWS's ApiKeyIds.warnings, each prefixed with the file lines of its batch. */
  warnings: string[]
  /** Rows to be sent (all rows not skipped). */
  toSend: ImportRow[]
  /** Rows sent in batches AWS accepted. */
  imported: ImportRow[]
  /**
   * Rows whose key value already exists in the account, with that key's id and the
   * plans the row asks for that the existing key is not in (gwctl does not add it).
   */
  skipped: Array<ImportRow & {id: string; missingUsagePlanIds: string[]}>
  usagePlanIds: string[]
  batches: number
  dryRun: boolean
}

const rowRef = (row: KeyCsvRow): ImportRow => ({line: row.line, name: row.name})

/**
 * Validates the whole file against the account (plans exist, no stage collision),
 * skips rows whose value already exists (so a re-run after a failure resumes
 * without duplicates), then imports the rest in batches, each a step of one change
 * (model/change-steps.ts): a batch that fails reports the batches imported, with
 * their keys' ids. --plan ids go into each row's UsagePlanIds cell, so a key and its
 * plan membership arrive in one call.
 */
export async function importKeys(
  {apigw, plans: usagePlans, existingKeys}: {apigw: ApiGateway; plans: UsagePlans; existingKeys: () => Promise<ApiKey[]>},
  csv: string,
  options: ImportOptions,
): Promise<KeyImportResult> {
  const plans = await usagePlans.resolveEach(options.plans)
  const knownPlanIds = new Set((await usagePlans.list()).map((p) => p.id!))
  const {rows, problems} = parseKeyCsv(csv, {knownPlanIds})
  if (problems.length > 0) {
    throw badInput(
      [`${options.source} has ${problems.length} problem(s); nothing was sent:`, ...problems.map((p) => `  line ${p.line}: ${p.message}`)].join('\n'),
      {
        details: {problems},
        suggestions: ['Fix every line listed and run the command again'],
      },
    )
  }

  const planIds = plans.map((p) => p.id!)
  for (const row of rows) row.usagePlanIds = [...new Set([...row.usagePlanIds, ...planIds])]
  await usagePlans.refuseCollisions(
    rows.flatMap((row) => row.usagePlanIds.map((planId) => ({planId, keys: [{id: `line ${row.line}`, name: row.name}]}))),
    {newKeys: true},
  )

  const existing = new Map((await existingKeys()).map((k) => [k.value, k.id!]))
  const skipped: KeyImportResult['skipped'] = []
  const membersOf = new Map<string, Set<string>>()
  for (const row of rows.filter((r) => existing.has(r.value))) {
    const id = existing.get(row.value)!
    for (const planId of row.usagePlanIds) {
      if (!membersOf.has(planId)) membersOf.set(planId, new Set((await usagePlans.keys(planId)).map((k) => k.id!)))
    }

    skipped.push({...rowRef(row), id, missingUsagePlanIds: row.usagePlanIds.filter((planId) => !membersOf.get(planId)!.has(id))})
  }

  const toSend = rows.filter((r) => !existing.has(r.value))
  const size = options.batchSize ?? IMPORT_BATCH_SIZE
  const batches: KeyCsvRow[][] = []
  for (let at = 0; at < toSend.length; at += size) batches.push(toSend.slice(at, at + size))

  const result: KeyImportResult = {
    ids: [],
    warnings: [],
    toSend: toSend.map(rowRef),
    imported: [],
    skipped,
    usagePlanIds: planIds,
    batches: batches.length,
    dryRun: options.dryRun,
  }
  if (options.dryRun) return result

  // Finishing means running the same import again: rows whose value exists by then are skipped.
  const file = options.source === 'stdin' ? '-' : options.source
  const again = commandArgv('keys import', {file, plan: options.plans, 'fail-on-warnings': options.failOnWarnings})
  await runSteps(
    apigw,
    `Importing API keys from ${options.source}`,
    batches.map((batch, index) => {
      const lines = describeLines(batch.map((r) => r.line))
      return {
        title: `import ${lines} of ${options.source}`,
        finish: () => [again],
        async run(record) {
          const out = await apigw.importApiKeys(
            {body: new TextEncoder().encode(toImportCsv(batch)), format: 'csv', failOnWarnings: options.failOnWarnings},
            `importing API keys from ${options.source} (batch ${index + 1} of ${batches.length}, ${lines})`,
          )
          const ids = out.ids ?? []
          result.ids.push(...ids)
          // AWS's warnings may quote a row: whatever could be a key value is masked.
          result.warnings.push(...(out.warnings ?? []).map((w) => `${lines}: ${maskKeyValues(w)}`))
          result.imported.push(...batch.map(rowRef))
          record.changed(`imported ${lines} of ${options.source}: ${ids.length} API key(s) created`)
          for (const id of ids) record.created({kind: 'API key', id}, commandArgv('keys delete', {key: id, yes: true}), false)
        },
      }
    }),
  )
  return result
}
