import type {DoctorData} from './data.js'

import {type Finding, finding} from '../../model/findings.js'
import {labelOf, refOf} from '../../model/resolve.js'
import {methodList} from '../methods.js'
import {deployment} from './deployment.js'
import {deployFix, stopRequiringKeyOnOptionsFixes} from './fixes.js'

/**
 * Check 8: OPTIONS methods that require a key. A browser's CORS preflight is an
 * OPTIONS request that carries none of the caller's own headers, X-API-Key included
 * (the Fetch standard's CORS-preflight request), so it is refused with 403.
 */
export function corsFindings(data: DoctorData): Finding[] {
  const findings: Finding[] = []
  for (const api of data.apis) {
    const apiRef = refOf(api)
    const keyedNow = api.methods.filter((m) => m.httpMethod === 'OPTIONS' && m.apiKeyRequired)
    const stopFixes = stopRequiringKeyOnOptionsFixes(apiRef, keyedNow)
    for (const stage of api.stages) {
      const served = stage.served ?? []
      const keyedServed = served.filter((m) => m.httpMethod === 'OPTIONS' && m.apiKeyRequired)
      if (keyedServed.length > 0) {
        // The API may already be fixed and only the deployment lag; either way the stage needs deploying.
        const deploy = deployment(data, api, stage)
        findings.push(
          finding(
            'OPTIONS_REQUIRES_KEY',
            `Stage ${stage.stageName} of API ${labelOf(api)} requires an API key on ${methodList(keyedServed)}, so browsers' CORS preflights get 403.${deploy.warning ? ` ${deploy.warning}` : ''}`,
            {api: apiRef, stage: stage.stageName, methods: keyedServed.map((m) => ({path: m.path, httpMethod: m.httpMethod}))},
            [...deploy.before, deployFix(apiRef, stage, {safe: deploy.safe, publishes: [`${methodList(keyedServed)} without a key`]})],
          ),
        )
      }

      const pending = keyedNow.filter((m) => !keyedServed.some((s) => s.path === m.path))
      if (pending.length > 0 && stage.served) {
        findings.push(
          finding(
            'OPTIONS_KEY_NOT_DEPLOYED',
            `${methodList(pending)} of API ${labelOf(api)} require${pending.length === 1 ? 's' : ''} an API key, which the next deployment of stage ${stage.stageName} would publish.`,
            {api: apiRef, stage: stage.stageName, methods: pending.map((m) => ({path: m.path, httpMethod: m.httpMethod}))},
            stopFixes,
          ),
        )
      }
    }
  }

  return findings
}
