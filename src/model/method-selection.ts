import {badInput} from './errors.js'
import {HTTP_METHODS} from './usage-plan.js'

/**
 * Resource-path globs for selecting methods (`methods require-key --path`).
 * Matching is per "/"-separated segment of the resource template:
 *   `*`  within a segment matches any characters except "/" (`/pets/*` matches `/pets/{id}`, not `/pets` or `/pets/{id}/photos`)
 *   `**` as a whole segment matches zero or more segments (`/pets/**` matches `/pets` and everything under it; `/**` matches all)
 * Everything else is literal, including `{id}` and `{proxy+}`, so an exact path selects just that resource.
 */
export interface PathGlob {
  readonly source: string
  matches(path: string): boolean
}

const segmentsOf = (path: string) => path.split('/').filter(Boolean)

function segmentRegex(segment: string): RegExp {
  const body = segment
    .split('*')
    .map((part) => part.replaceAll(/[$()+.?[\\\]^{|}]/g, String.raw`\$&`))
    .join('[^/]*')
  return new RegExp(`^${body}$`)
}

export function parsePathGlob(raw: string, flag = '--path'): PathGlob {
  const source = raw.trim()
  if (!source.startsWith('/')) throw badInput(`${flag} must be a resource path starting with "/", e.g. /pets or /pets/*; got "${raw}"`)
  const parts = segmentsOf(source)
  const bad = parts.find((p) => p.includes('**') && p !== '**')
  if (bad) throw badInput(`${flag}: "**" must be a whole path segment (as in /pets/**); got "${bad}" in "${raw}"`)
  const matchers = parts.map((p) => (p === '**' ? '**' : segmentRegex(p)))

  const match = (m: number, s: number, segments: string[]): boolean => {
    if (m === matchers.length) return s === segments.length
    const matcher = matchers[m]
    if (matcher === '**') {
      for (let skip = s; skip <= segments.length; skip++) if (match(m + 1, skip, segments)) return true
      return false
    }

    return s < segments.length && matcher.test(segments[s]) && match(m + 1, s + 1, segments)
  }

  return {source, matches: (path) => match(0, 0, segmentsOf(path))}
}

/** An HTTP method as API Gateway names it (ANY included), in any case. */
export function parseHttpMethod(raw: string, flag = '--method'): string {
  const method = raw.trim().toUpperCase()
  if (!(HTTP_METHODS as readonly string[]).includes(method)) {
    throw badInput(`${flag}: "${raw}" is not an HTTP method; use one of ${HTTP_METHODS.join(', ')}`)
  }

  return method
}
