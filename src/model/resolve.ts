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
 */
export function resolveByIdOrName<T extends Partial<Ref>>(items: readonly T[], ref: string, kind: string, listCommand: string): T {
  const byId = items.find((item) => item.id === ref)
  if (byId) return byId
  const byName = items.filter((item) => item.name === ref)
  if (byName.length === 1) return byName[0]
  if (byName.length > 1) {
    const candidates = byName.map((item) => `${item.id} (${item.name})`)
    throw new GwctlError('AMBIGUOUS', `${byName.length} ${kind}s are named "${ref}": ${candidates.join(', ')}`, {
      suggestions: [`Name the ${kind} by id instead, for example ${byName[0].id}`],
      details: {candidates: byName.map((item) => ({id: item.id, name: item.name}))},
    })
  }

  const folded = items.filter((item) => item.name?.toLowerCase() === ref.toLowerCase())
  const suggestions = folded.length > 0 ? [`Did you mean "${folded[0].name}" (${folded[0].id})?`] : []
  suggestions.push(`Run \`${listCommand}\` to see them`)
  throw notFound(`No ${kind} with id or name "${ref}"`, {suggestions, details: {kind, ref}})
}
