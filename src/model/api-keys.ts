import {randomInt} from 'node:crypto'

import {formatDate} from './dates.js'

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

/**
 * A key among others of the same name (after a rotation, both keys keep it): its id,
 * name, enabled state and creation date, which tell them apart.
 */
export function describeKey(key: {id?: string; name?: string; enabled?: boolean; createdDate?: Date}): string {
  const created = formatDate(key.createdDate)
  return `${key.id} (${key.name}, ${key.enabled ? 'enabled' : 'disabled'}${created ? `, created ${created}` : ''})`
}
/** Shows enough of an API key value to recognise it (first four and last two characters), never enough to use it. */
export function maskKeyValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (value.length <= 8) return '*'.repeat(value.length)
  return `${value.slice(0, 4)}${'*'.repeat(6)}${value.slice(-2)}`
}

/**
 * A cell of a key file, as a message may repeat it: masked when it could be a key value
 * (KEY_VALUE_MIN characters or more, whatever they are), since a cell out of place (a
 * file without a header, a name with an unquoted comma) may hold one.
 */
export const maskedCell = (cell: string): string => (cell.length >= KEY_VALUE_MIN ? maskKeyValue(cell)! : cell)

/** Text from elsewhere (AWS's warnings) with every run of letters and digits long enough to be a key value masked. */
export const maskKeyValues = (text: string): string => text.replaceAll(new RegExp(`[A-Za-z0-9]{${KEY_VALUE_MIN},}`, 'g'), (token) => maskKeyValue(token)!)
