import type {ApiGateway} from '../aws/api-gateway.js'

import {type ChangeReport, type ChangeStep, runChangeSteps} from '../model/change-steps.js'

/** Runs a change of several calls (model/change-steps.ts) with the session's progress notices and interrupt. */
export function runSteps(apigw: ApiGateway, what: string, steps: ChangeStep[]): Promise<ChangeReport> {
  return runChangeSteps(what, steps, {progress: (line) => apigw.session.progress(line), interrupted: apigw.session.interrupted})
}
