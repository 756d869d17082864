import type {Deployment, RestApi} from '@aws-sdk/client-api-gateway'

import type {ApiGateway} from '../aws/api-gateway.js'

import {awsCall, type WriteOutcome} from '../model/aws-calls.js'
import type {ChangeStep} from '../model/change-steps.js'
import {commandArgv} from '../model/command-line.js'
import {parseStageName} from '../model/flag-values.js'
import {labelOf, type Ref, refOf} from '../model/resolve.js'
import {RestApis} from './rest-apis.js'

export interface DeployInput {
  /** API id or name. */
  api: string
  stage: string
  description?: string
  /** Create the stage when it does not exist, instead of failing with exit 3. */
  createStage?: boolean
  dryRun?: boolean
}

export interface DeployResult extends WriteOutcome {
  /** AWS's Deployment (id, description, createdDate); with --dry-run, only what would be sent. */
  deployment: Deployment
  restApi: Ref
  stageName: string
  /** True when this deployment created (or, dry, would create) the stage. */
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
    const createdStage = await this.checkStage(api, input.stage, input.createStage)
    const dryRun = input.dryRun ?? false
    const calls = [awsCall('CreateDeployment', {restApiId: api.id, stageName: input.stage, description: input.description})]
    const outcome = {restApi: refOf(api), stageName: input.stage, createdStage, dryRun, calls}
    if (dryRun) return {...outcome, deployment: {description: input.description}, changed: false}
    return {...outcome, deployment: await this.deployTo(api, input.stage, {description: input.description}), changed: true}
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
  async deployTo(api: RestApi, stage: string, options: {description?: string} = {}): Promise<Deployment> {
    const {id, description, createdDate} = await this.apigw.createDeployment(
      {restApiId: api.id!, stageName: stage, description: options.description},
      `deploying API ${labelOf(api)} to stage ${stage}`,
    )
    this.apis.forget(api.id!)
    return {id, description, createdDate}
  }

  /**
   * The step that deploys `api` to `stage` after changes to its definition (methods, key
   * source) made by earlier steps, which callers see only once a stage is deployed. A
   * deployment cannot be taken back: undoing those changes ends with deploying again.
   */
  deployStep(api: RestApi, stage: string, description: string | undefined, deployed: (deployment: Deployment) => void): ChangeStep {
    const command = commandArgv('deploy', {api: api.id!, stage})
    return {
      title: `deploy API ${labelOf(api)} to stage ${stage}`,
      finish: () => [command],
      undo: () => [],
      undoLast: () => [command],
      run: async (record) => {
        const deployment = await this.deployTo(api, stage, {description})
        deployed(deployment)
        record.changed(`deployed API ${labelOf(api)} to stage ${stage} (deployment ${deployment.id})`)
      },
    }
  }

  /** The stages still serving an API's previous definition after a change, which need a deployment. */
  async stagesToRedeploy(api: RestApi): Promise<string[]> {
    return (await this.apis.stages(api.id!)).map((s) => s.stageName!)
  }
}
