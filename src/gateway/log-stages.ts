import type {ApiGateway} from '../aws/api-gateway.js'

import {destinationOf} from './access-logging.js'
import {RestApis} from './rest-apis.js'

const DEFAULT_GROUP = /^API-Gateway-Access-Logs_([A-Za-z0-9]+)\/([A-Za-z0-9_-]+)$/

/**
 * The API stages whose access logs go to these log groups: those whose access-log
 * destination names one of them, and those a group is named for by API Gateway's
 * convention (API-Gateway-Access-Logs_API_ID/STAGE). Undefined when none is found:
 * the log's stages are then not known before it is read.
 */
export async function stagesLoggingTo(apigw: ApiGateway, logGroups: readonly string[]): Promise<Map<string, Set<string>> | undefined> {
  const apis = new RestApis(apigw)
  const found = new Map<string, Set<string>>()
  const add = (apiId: string, stage: string) => found.set(apiId, (found.get(apiId) ?? new Set()).add(stage))
  const groups = new Set(logGroups)
  const all = await apis.list()
  for (const api of all) {
    for (const stage of await apis.stages(api.id!)) {
      const destination = destinationOf(stage.accessLogSettings?.destinationArn)
      if (destination?.type === 'cloudwatch-logs' && groups.has(destination.logGroup)) add(api.id!, stage.stageName!)
    }
  }

  for (const group of logGroups) {
    const named = DEFAULT_GROUP.exec(group)
    const api = named && all.find((a) => a.id === named[1])
    if (api && named) add(api.id!, named[2])
  }

  return found.size > 0 ? found : undefined
}
