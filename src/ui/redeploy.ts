import {commandLine, placeholder} from '../model/command-line.js'

/**
 * The note after a change to an API's definition (`what`: "method changes", "the new
 * key source"), which callers see only once a stage is deployed again: the command that
 * deploys each stage, or, for an API with no stage yet, the one that creates one.
 */
export function redeployNote(what: string, apiId: string, stages: readonly string[]): string {
  return stages.length > 0
    ? `Callers see ${what} only after a deployment: ${stages.map((stage) => commandLine('deploy', {api: apiId, stage})).join('; ')}`
    : `Callers see ${what} only after a deployment; the API has no stage yet: ${commandLine('deploy', {api: apiId, stage: placeholder('STAGE'), 'create-stage': true})}`
}
