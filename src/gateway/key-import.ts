import type {ApiKey} from '@aws-sdk/client-api-gateway'

import type {ApiGateway} from '../aws/api-gateway.js'
import type {UsagePlans} from './usage-plans.js'

import {maskKeyValues} from '../model/api-keys.js'
import type {ChangeStep} from '../model/change-steps.js'
import {commandArgv} from '../model/command-line.js'
import {badInput, GwctlError} from '../model/errors.js'
import {describeLines, type KeyCsvRow, parseKeyCsv, toImportCsv} from '../model/key-csv.js'
import {keyCustomerIdOp} from '../model/patches.js'
import {labelOf} from '../model/resolve.js'
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
  /** Customer id for every imported key; a row's CustomerId cell wins over it. */
  customerId?: string
  failOnWarnings: boolean
  dryRun: boolean
  batchSize?: number
}

export interface ImportRow {
  line: number
  name: string
}

export interface ImportedRow extends ImportRow {
  /** The new key's id, found by its value once AWS answered. */
  id: string
  /** Set with UpdateApiKey after the import: AWS's import format has no column for it. */
  customerId?: string
}

export interface KeyImportResult {
  /** True when AWS imported at least one key. */
  changed: boolean
  /** AWS's ApiKeyIds.ids, over every batch. */
  ids: string[]
  /** AWS's ApiKeyIds.warnings; a warning about a line of a batch names the line of the file instead. */
  warnings: string[]
  /** Rows to be sent (all rows not skipped). */
  toSend: ImportRow[]
  /** Rows AWS created a key for, each with the key's id. */
  imported: ImportedRow[]
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
 * A warning of AWS's about "Line N" of a batch, told about the line of the file
 * instead (line 1 of a batch is its header); any other warning, with the batch's lines.
 */
function fileWarning(warning: string, batch: readonly KeyCsvRow[]): string {
  const match = /^\s*line (\d+)\b[\s:,-]*(.*)$/is.exec(warning)
  const row = match ? batch[Number(match[1]) - 2] : undefined
  return row ? `line ${row.line} (${row.name}): ${match![2]}` : `${describeLines(batch.map((r) => r.line))}: ${warning}`
}

/**
 * Validates the whole file against the account (plans exist, no stage collision),
 * skips rows whose value already exists (so a re-run after a failure resumes
 * without duplicates), then imports the rest in batches, each a step of one change
 * (model/change-steps.ts): a batch that fails reports the batches imported, with
 * their keys' ids. --plan ids go into each row's UsagePlanIds cell, so a key and its
 * plan membership arrive in one call.
 *
 * AWS answers an import with ids and warnings, not with which row became which key,
 * and may leave rows out with only a warning: so a last step reads the keys back by
 * value to give each row its id, and rows AWS did not create fail the command (exit 7
 * when others were imported). Customer ids, which AWS's format cannot carry, are set in
 * that step with one UpdateApiKey per key.
 */
export async function importKeys(
  {apigw, plans: usagePlans, existingKeys}: {apigw: ApiGateway; plans: UsagePlans; existingKeys: () => Promise<ApiKey[]>},
  csv: string,
  options: ImportOptions,
): Promise<KeyImportResult> {
  const plans = await usagePlans.resolveEach(options.plans)
  const {rows, problems} = parseKeyCsv(csv, {plans: await usagePlans.list()})
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
    changed: false,
    ids: [],
    warnings: [],
    toSend: toSend.map(rowRef),
    imported: [],
    skipped,
    usagePlanIds: planIds,
    batches: batches.length,
    dryRun: options.dryRun,
  }
  if (options.dryRun || batches.length === 0) return result

  // Finishing means running the same import again: rows whose value exists by then are skipped.
  const file = options.source === 'stdin' ? '-' : options.source
  const again = commandArgv('keys import', {file, plan: options.plans, 'customer-id': options.customerId, 'fail-on-warnings': options.failOnWarnings})
  const customerIdOf = (row: KeyCsvRow) => row.customerId || options.customerId || undefined
  const importSteps: ChangeStep[] = batches.map((batch, index) => {
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
        result.warnings.push(...(out.warnings ?? []).map((w) => fileWarning(maskKeyValues(w), batch)))
        record.changed(`imported ${lines} of ${options.source}: ${ids.length} API key(s) created`)
        for (const id of ids) record.created({kind: 'API key', id}, commandArgv('keys delete', {key: id, yes: true}), false)
      },
    }
  })
  // Which rows became keys, and their ids: read back by value; then the customer ids.
  const customerIdsSet = new Set<string>()
  const withCustomer = () => result.imported.filter((row) => row.customerId !== undefined)
  const readBack: ChangeStep = {
    title: `read the imported keys back${toSend.some((row) => customerIdOf(row)) ? ' and set their customer ids' : ''}`,
    finish: () =>
      withCustomer()
        .filter((row) => !customerIdsSet.has(row.id))
        .map((row) => commandArgv('keys update', {key: row.id, 'customer-id': row.customerId!})),
    undo: () => [],
    async run(record) {
      const created = new Map((await existingKeys()).map((k) => [k.value, k.id!]))
      result.imported = toSend
        .filter((row) => created.has(row.value))
        .map((row) => ({...rowRef(row), id: created.get(row.value)!, customerId: customerIdOf(row)}))
      for (const row of withCustomer()) {
        await apigw.updateApiKey({apiKey: row.id, patchOperations: [keyCustomerIdOp(row.customerId!)]}, `setting the customer id of API key ${labelOf(row)}`)
        customerIdsSet.add(row.id)
        record.changed(`set customer id ${row.customerId} on API key ${labelOf(row)}`)
      }
    },
  }
  await runSteps(apigw, `Importing API keys from ${options.source}`, [...importSteps, readBack])
  result.changed = result.imported.length > 0

  const notImported = toSend.filter((row) => !result.imported.some((r) => r.line === row.line)).map(rowRef)
  if (notImported.length === 0) return result
  const why = `AWS created no key for them${result.warnings.length > 0 ? `; it warned: ${result.warnings.join('; ')}` : ''}`
  throw new GwctlError(
    result.imported.length > 0 ? 'PARTIAL_FAILURE' : 'BAD_INPUT',
    `Not imported: ${describeLines(notImported.map((r) => r.line))} of ${options.source}: ${why}`,
    {
      done:
        result.imported.length > 0
          ? [
              `imported ${describeLines(result.imported.map((r) => r.line))} of ${options.source} as ${result.imported.length} new key(s); their ids are in --json`,
              ...withCustomer().map((row) => `set customer id ${row.customerId} on API key ${labelOf(row)}`),
            ]
          : [],
      suggestions: ['Run the same command again once the cause is fixed: rows whose key value already exists are skipped, so nothing is imported twice'],
      details: {imported: result.imported, notImported, ids: result.ids, warnings: result.warnings},
    },
  )
}
