/** Shows enough of an API key value to recognise it, never enough to use it. */
export function maskKeyValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (value.length <= 8) return '*'.repeat(value.length)
  return `${value.slice(0, 4)}${'*'.repeat(6)}${value.slice(-2)}`
}
