import type {DoctorData} from './data.js'

import {analyzeAccessLogFormat, missingReplayVariables, preferredVariable} from '../../model/access-log-format.js'
import {type Finding, finding} from '../../model/findings.js'
import {labelOf, refOf} from '../../model/resolve.js'
import {accessLoggingFix, cloudWatchRoleFix} from './fixes.js'
import {stagesInScope} from './scope.js'

/** A CloudWatch Logs log group ARN, as opposed to a Firehose delivery stream. */
const isLogGroup = (arn: string | undefined) => Boolean(arn && /^arn:[^:]+:logs:/.test(arn))

/**
 * Check 9: whether each stage keeps the access log that shows who was refused or
 * throttled, in a format `gwctl simulate` can replay, and whether the Region's
 * account can deliver logs to CloudWatch Logs at all.
 */
export function loggingFindings(data: DoctorData): Finding[] {
  const findings: Finding[] = []
  const roleMissing = !data.account.cloudwatchRoleArn
  const needRole: string[] = []
  for (const {api, stage} of stagesInScope(data)) {
    const apiRef = refOf(api)
    const where = `Stage ${stage.stageName} of API ${labelOf(api)}`
    const log = stage.accessLog
    if (!log?.destinationArn) {
      if (roleMissing) needRole.push(`${api.id}:${stage.stageName}`)
      findings.push(
        finding('ACCESS_LOGGING_OFF', `${where} keeps no access log.`, {api: apiRef, stage: stage.stageName}, [
          accessLoggingFix(apiRef, stage.stageName, {roleMissing}),
        ]),
      )
      continue
    }

    if (roleMissing && isLogGroup(log.destinationArn)) needRole.push(`${api.id}:${stage.stageName}`)
    const analysis = analyzeAccessLogFormat(log.format ?? '')
    const fixes = [accessLoggingFix(apiRef, stage.stageName, {destinationArn: log.destinationArn, roleMissing})]
    const flags = analysis.fieldFlags.length > 0 ? ` simulate reads it with ${analysis.fieldFlags.join(' ')}.` : ''
    if (!analysis.replayable) {
      const missing = missingReplayVariables(analysis, {requiredOnly: true})
      const reasons = [...(missing.length > 0 ? [`it lacks ${missing.join(', ')}`] : []), ...analysis.problems]
      findings.push(
        finding(
          'ACCESS_LOG_FORMAT_INCOMPLETE',
          `${where} logs in a format simulate cannot replay: ${reasons.join('; ')}.`,
          {api: apiRef, stage: stage.stageName},
          fixes,
        ),
      )
    } else if (analysis.missing.length > 0 || analysis.notes.length > 0) {
      const lacks = analysis.missing.map((need) => `${preferredVariable(need)} (${need.why})`)
      const reasons = [...(lacks.length > 0 ? [`it lacks ${lacks.join('; ')}`] : []), ...analysis.notes]
      findings.push(
        finding(
          'ACCESS_LOG_FORMAT_LIMITED',
          `${where} logs in a format simulate can replay, but ${reasons.join('; ')}.${flags}`,
          {api: apiRef, stage: stage.stageName},
          fixes,
        ),
      )
    }
  }

  if (needRole.length > 0) {
    findings.unshift(
      finding(
        'CLOUDWATCH_ROLE_MISSING',
        `The account${data.region ? ` in ${data.region}` : ''} has no CloudWatch Logs role (cloudwatchRoleArn), which access logging to CloudWatch Logs needs for ${needRole.join(', ')}.`,
        {},
        [cloudWatchRoleFix()],
      ),
    )
  }

  return findings
}
