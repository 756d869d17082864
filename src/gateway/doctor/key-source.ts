import type {DoctorData} from './data.js'

import {type Finding, finding, type Fix} from '../../model/findings.js'
import {labelOf, refOf} from '../../model/resolve.js'
import {methodList} from '../methods.js'
import {attachAuthorizerFix, deployFix, setKeySourceFix} from './fixes.js'
import {sameMethod} from './scope.js'

/** Lambda authorizers (TOKEN or REQUEST) can return usageIdentifierKey; Cognito ones cannot. */
const isLambda = (a: {type?: string}) => a.type === 'TOKEN' || a.type === 'REQUEST'

/**
 * Check 5: where the key comes from. With AUTHORIZER, only a method behind a Lambda
 * authorizer (authorizationType CUSTOM) receives a key; with HEADER, a Lambda
 * authorizer's usageIdentifierKey is ignored, which may or may not be meant, and
 * what the authorizer returns cannot be seen from the API: info only.
 */
export function keySourceFindings(data: DoctorData): Finding[] {
  const findings: Finding[] = []
  for (const api of data.apis) {
    const apiRef = refOf(api)
    if (api.apiKeySource === 'AUTHORIZER') {
      const lambdas = api.authorizers.filter(isLambda)
      for (const stage of api.stages) {
        const starved = (stage.served ?? []).filter((m) => m.apiKeyRequired && m.authorizationType !== 'CUSTOM')
        if (starved.length === 0) continue
        const attach: Fix[] = []
        if (lambdas.length > 0) {
          for (const m of starved) {
            const resourceId = api.methods.find((def) => sameMethod(def, m))?.resourceId
            if (resourceId) attach.push(attachAuthorizerFix(apiRef, resourceId, m, refOf(lambdas[0])))
          }

          if (attach.length > 0) attach.push(deployFix(apiRef, stage, {safe: false, publishes: ['the authorizers']}))
        }

        const none = lambdas.length === 0 ? ' The API has no Lambda authorizer.' : ''
        findings.push(
          finding(
            'KEY_SOURCE_AUTHORIZER_WITHOUT_LAMBDA',
            `API ${labelOf(api)} takes keys from a Lambda authorizer (key source AUTHORIZER), but on stage ${stage.stageName} ${methodList(starved)} require${starved.length === 1 ? 's' : ''} a key and ha${starved.length === 1 ? 's' : 've'} no Lambda authorizer.${none}`,
            {api: apiRef, stage: stage.stageName, methods: starved.map((m) => ({path: m.path, httpMethod: m.httpMethod}))},
            [setKeySourceFix(apiRef, 'HEADER', stage.stageName), ...attach],
          ),
        )
      }
    } else {
      const behindLambda = api.methods.filter(
        (m) => m.apiKeyRequired && m.authorizationType === 'CUSTOM' && api.authorizers.some((a) => a.id === m.authorizerId && isLambda(a)),
      )
      if (behindLambda.length === 0) continue
      const stage = api.stages.length === 1 ? api.stages[0].stageName : undefined
      findings.push(
        finding(
          'KEY_SOURCE_HEADER_WITH_AUTHORIZER',
          `API ${labelOf(api)} reads keys from the X-API-Key header, and ${methodList(behindLambda)} require${behindLambda.length === 1 ? 's' : ''} a key behind a Lambda authorizer: if the authorizer returns usageIdentifierKey, it is ignored.`,
          {api: apiRef, methods: behindLambda.map((m) => ({path: m.path, httpMethod: m.httpMethod}))},
          [setKeySourceFix(apiRef, 'AUTHORIZER', stage)],
        ),
      )
    }
  }

  return findings
}
