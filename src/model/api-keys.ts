import {randomInt} from 'node:crypto'

/**
 * API key values: what gwctl accepts and what it generates. AWS asks for at least
 * 20 characters; gwctl also keeps to letters and digits and at most 128, so that a
 * value survives CSV files, shells and headers unquoted (see docs/aws-behaviour.md).
 */

export const KEY_VALUE_MIN = 20
export const KEY_VALUE_MAX = 128
export const GENERATED_KEY_LENGTH = 40

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** Why `value` cannot be a key value, or undefined when it can. Never repeats the value: it is a secret. */
export function keyValueProblem(value: string): string | undefined {
  if (value.length < KEY_VALUE_MIN || value.length > KEY_VALUE_MAX) {
    return `must be ${KEY_VALUE_MIN} to ${KEY_VALUE_MAX} letters and digits; it has ${value.length} characters`
  }

  const bad = [...value].find((c) => !ALPHANUMERIC.includes(c))
  if (bad !== undefined) return `must be letters and digits only; it contains ${JSON.stringify(bad)}`
  return undefined
}

/** A fresh key value from the operating system's CSPRNG, uniform over letters and digits. */
export function generateKeyValue(length = GENERATED_KEY_LENGTH): string {
  let value = ''
  for (let i = 0; i < length; i++) value += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]
  return value
}
