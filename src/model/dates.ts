/** "2026-11-28 08:47Z": minutes are enough in a table, and UTC avoids guessing the reader's zone. */
export function formatDate(date: Date | string | number | undefined): string | undefined {
  if (date === undefined) return undefined
  const d = date instanceof Date ? date : new Date(typeof date === 'number' && date < 1e12 ? date * 1000 : date)
  return Number.isNaN(d.getTime()) ? undefined : `${d.toISOString().slice(0, 16).replace('T', ' ')}Z`
}
