import type {ApiKey} from '@aws-sdk/client-api-gateway'
import type {ChalkInstance} from 'chalk'

import type {Ref} from '../model/resolve.js'

import {labelOf} from '../model/resolve.js'
import {formatDate} from './dates.js'
import {maskKeyValue} from '../model/api-keys.js'
import {type Cell, renderFields} from './table.js'

/** The key as a command prints or returns it: value masked unless the user asked to see values. */
export const shownKey = (key: ApiKey, showValue: boolean): ApiKey => (showValue || key.value === undefined ? key : {...key, value: maskKeyValue(key.value)})

/** The fields `keys show`, `keys create` and `keys rotate` print for one key, then `more` (e.g. its usage). */
export function renderKey(key: ApiKey, plans: Ref[] | undefined, style: ChalkInstance, more: Array<[string, Cell]> = []): string {
  return renderFields(
    [
      ['ID', key.id],
      ['Name', key.name],
      ['Value', key.value],
      ['Enabled', key.enabled === undefined ? undefined : key.enabled ? 'yes' : 'no'],
      ['Description', key.description],
      ['Customer ID', key.customerId],
      ['Created', formatDate(key.createdDate)],
      ...(plans === undefined ? [] : [['Usage plans', plans.map(labelOf).join(', ')] as [string, string]]),
      ...more,
    ],
    style,
  )
}
