import {GwctlError, notFound} from './errors.js'
import {printable} from './printable.js'

/** A usage plan, API key or API as gwctl refers to it: by id, with its name when it has one. */
export interface Ref {
  id: string
  name?: string
}

/** The reference to an item AWS returned (which always has an id). */
export const refOf = (item: Partial<Ref>): Ref => ({id: item.id!, name: item.name})

/**
 * How messages name a plan, key or API: "gold (p1)", or the id alone when it has no name.
 * AWS's own records fit too. A name can hold anything, so its control characters are
 * shown as escapes (model/printable.ts).
 */
export const labelOf = (item: Partial<Ref>): string => (item.name ? `${printable(item.name)} (${item.id})` : String(item.id))

/**
 * Finds one item by id, or else by exact name. Ids win over names so that a plan
 * named like another plan's id still resolves predictably.
 * @param kind singular noun used in messages ("usage plan", "API key")
 * @param listCommand the gwctl command that lists candidates, for the suggestion
 * @param describe how an ambiguous name lists each candidate, where id and name do not tell them apart
 */
export function resolveByIdOrName<T extends Partial<Ref>>(
  items: readonly T[],
  ref: string,
  kind: string,
  listCommand: string,
  describe: (item: T) => string = (item) => `${item.id} (${item.name})`,
): T {
  const byId = items.find((item) => item.id === ref)
  if (byId) return byId
  const byName = items.filter((item) => item.name === ref)
  if (byName.length === 1) return byName[0]
  if (byName.length > 1) {
    const candidates = byName.map((item) => describe(item))
    throw new GwctlError('AMBIGUOUS', `${byName.length} ${kind}s are named "${ref}": ${candidates.join(', ')}`, {
      suggestions: [`Name the ${kind} by id instead, for example ${byName[0].id}`],
      details: {candidates: byName.map((item) => ({id: item.id, name: item.name, description: describe(item)}))},
    })
  }

  const folded = items.filter((item) => item.name?.toLowerCase() === ref.toLowerCase())
  const suggestions = folded.length > 0 ? [`Did you mean "${folded[0].name}" (${folded[0].id})?`] : []
  suggestions.push(`Run \`${listCommand}\` to see them`)
  throw notFound(`No ${kind} with id or name "${ref}"`, {suggestions, details: {kind, ref}})
}

/** Edit distance (insertions, deletions, substitutions) between two short words. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) current.push(Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)))
    previous = current
  }

  return previous[b.length]
}

/** The candidates closest to a mistyped `word` (at most two), when any is close enough to be what was meant. */
export function closestNames(word: string, candidates: readonly string[]): string[] {
  const limit = Math.max(2, Math.floor(word.length / 3))
  const scored = candidates.map((name) => ({name, distance: editDistance(word.toLowerCase(), name.toLowerCase())})).filter((c) => c.distance <= limit)
  const best = Math.min(...scored.map((c) => c.distance))
  return scored
    .filter((c) => c.distance === best)
    .slice(0, 2)
    .map((c) => c.name)
}
