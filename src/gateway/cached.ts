/**
 * The value cached under `key`, made by `load` on first use. Services cache the
 * promise, so that callers asking at the same time share one AWS call.
 */
export function cachedIn<K, V>(cache: Map<K, V>, key: K, load: () => V): V {
  let value = cache.get(key)
  if (value === undefined) {
    value = load()
    cache.set(key, value)
  }

  return value
}
