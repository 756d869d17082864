import type {RestApi} from '@aws-sdk/client-api-gateway'

import type {ApiGateway} from '../aws/api-gateway.js'

import {commandLine} from '../model/command-line.js'
import {GwctlError} from '../model/errors.js'
import {parseStageName} from '../model/flag-values.js'
import {labelOf} from '../model/resolve.js'
import {RestApis} from './rest-apis.js'

export interface DeployInput {
  /** API id or name. */
  api: string
  stage: string
  description?: string
  /** Create the stage when it does not exist, instead of failing with exit 3. */
  createStage?: boolean
}

export interface DeployResult {
  /** The deployment id. */
  id: string
  restApiId: string
  restApiName?: string
  stageName: string
  description?: string
  createdDate?: Date
  /** True when this deployment created the stage. */
  createdStage: boolean
}

/**
 * Deployments: the snapshot of an API's methods that a stage serves. Changes to
 * methods (such as apiKeyRequired) reach callers only when the stage is redeployed.
 */
export class Deployments {
  constructor(
    private readonly apigw: ApiGateway,
    private readonly apis = new RestApis(apigw),
  ) {}

  async deploy(input: DeployInput): Promise<DeployResult> {
    const api = await this.apis.resolve(input.api)
    const createStage = await this.checkStage(api, input.stage, input.createStage)
    return this.deployTo(api, input.stage, {description: input.description, createStage})
  }

  /**
   * Checks, before anything is changed, that `stage` can be deployed to.
   * @returns whether deploying will create the stage
   */
  async checkStage(api: RestApi, stage: string, createStage = false, flag = '--stage'): Promise<boolean> {
    parseStageName(stage, flag)
    if ((await this.apis.stages(api.id!)).some((s) => s.stageName === stage)) return false
    if (createStage) return true
    await this.apis.requireStage(api, stage) // throws NOT_FOUND naming the stage and the known ones
    return false
  }

  /** One CreateDeployment call; CreateDeployment creates the stage when it does not exist. */
  async deployTo(api: RestApi, stage: string, options: {description?: string; createStage?: boolean} = {}): Promise<DeployResult> {
    const deployment = await this.apigw.createDeployment(
      {restApiId: api.id!, stageName: stage, description: options.description},
      `deploying API ${labelOf(api)} to stage ${stage}`,
    )
    this.apis.forget(api.id!)
    return {
      id: deployment.id!,
      restApiId: api.id!,
      restApiName: api.name,
      stageName: stage,
      description: deployment.description,
      createdDate: deployment.createdDate,
      createdStage: options.createStage ?? false,
    }
  }

  /**
   * What follows a change to an API's definition (its methods, its key source), which callers
   * see only once a stage is deployed again: with `deploy`, deploys that stage (see
   * deployAfterChanges); without, names the stages still serving the previous definition
   * when `changed`. `done` and `undo` describe the change for a failed deployment's report.
   */
  async publish(
    api: RestApi,
    changed: boolean,
    options: {deploy?: string; description?: string; done: string[]; undo: string[]},
  ): Promise<{deployment?: DeployResult; stagesToRedeploy: string[]}> {
    if (options.deploy === undefined) return {stagesToRedeploy: changed ? (await this.apis.stages(api.id!)).map((s) => s.stageName!) : []}
    return {deployment: await this.deployAfterChanges(api, options.deploy, {done: options.done, undo: options.undo}, options.description), stagesToRedeploy: []}
  }

  /**
   * Deploys to publish changes already made. If the deployment fails, the error
   * says what was changed, how to retry the deployment, and how to undo.
   */
  async deployAfterChanges(api: RestApi, stage: string, changes: {done: string[]; undo: string[]}, description?: string): Promise<DeployResult> {
    try {
      return await this.deployTo(api, stage, {description})
    } catch (error) {
      if (!(error instanceof GwctlError) || changes.done.length === 0) throw error
      throw new GwctlError('PARTIAL_FAILURE', `The changes were made, but deploying them to stage ${stage} failed: ${error.message}`, {
        cause: error,
        done: changes.done,
        suggestions: [`Deploy them: ${commandLine('deploy', {api: api.id, stage})}`, ...changes.undo.map((c) => `or undo: ${c}`)],
      })
    }
  }
}
