import type {ApiGateway} from '../aws/api-gateway.js'
import type {WizardReads, WizardWrites} from './ports.js'

import {ApiKeys} from '../gateway/api-keys.js'
import {KeySources} from '../gateway/key-sources.js'
import {Authorizers} from '../gateway/authorizers.js'
import {Deployments} from '../gateway/deployments.js'
import {Methods} from '../gateway/methods.js'
import {PlanStages} from '../gateway/plan-stages.js'
import {RestApis} from '../gateway/rest-apis.js'
import {UsagePlans} from '../gateway/usage-plans.js'
import {readTextInput} from '../io/files.js'
import {commandLine, placeholder} from '../model/command-line.js'
import {badInput} from '../model/errors.js'

/** Stands for the plan the wizard will create, in the one-plan-per-stage check. */
const NEW_PLAN_ID = 'new plan'

/** A key CSV file; standard input is the terminal the wizard is asking its questions on. */
async function keyCsv(file: string) {
  if (file.trim() === '-')
    throw badInput(
      `The wizard reads keys from a file; to import from standard input, use ${commandLine('keys import', {file: '-', plan: [placeholder('PLAN')]})}`,
    )
  const {text, source} = await readTextInput(file)
  return {csv: text, source}
}

/**
 * The wizard's reads and writes over the same services the commands use, sharing
 * one instance of each so that what a step writes is what the next step reads.
 */
export function awsWizardPorts(apigw: ApiGateway): {reads: WizardReads; writes: WizardWrites} {
  const apis = new RestApis(apigw)
  const authorizers = new Authorizers(apigw)
  const plans = new UsagePlans(apigw, apis)
  const keys = new ApiKeys(apigw, plans)
  const planStages = new PlanStages(apigw, plans, apis)
  const methods = new Methods(apigw, apis, authorizers)
  const keySources = new KeySources(apigw, apis, authorizers)
  const deployments = new Deployments(apigw, apis)

  const reads: WizardReads = {
    apis: () => apis.list(),
    stages: (apiId) => apis.stages(apiId),
    methods: (apiId) => methods.list(apiId),
    plans: () => plans.list(),
    keys: () => keys.list(),
    planKeys: (planId) => plans.keys(planId),
    collisions: ({plan, keys: added, stages}) =>
      plans.findCollisions([{planId: plan.id ?? NEW_PLAN_ID, keys: added, stages}], {newPlan: plan.id ? undefined : {id: NEW_PLAN_ID, name: plan.name}}),
    async checkKeysFile(file, planId) {
      const {csv, source} = await keyCsv(file)
      const result = await keys.import(csv, {source, plans: planId ? [planId] : [], failOnWarnings: false, dryRun: true})
      return result.toSend.map((row) => row.name)
    },
    keySourceWarnings: async (apiId, source) => keySources.warnings(await apis.resolve(apiId), source),
  }

  const writes: WizardWrites = {
    createPlan: async (input) => ({id: (await plans.create(input)).usagePlan.id!}),
    async extendPlan(input) {
      await planStages.extend(input)
    },
    async createKey({name, plans: planRefs}) {
      const {apiKey} = await keys.create({name, enabled: true, plans: planRefs})
      return {id: apiKey.id!, name: apiKey.name ?? name, value: apiKey.value!}
    },
    async importKeys({file, plans: planRefs}) {
      const {csv, source} = await keyCsv(file)
      return {ids: (await keys.import(csv, {source, plans: planRefs, failOnWarnings: false, dryRun: false})).ids}
    },
    async attachKey({key, plan}) {
      await keys.attach(key, plan)
    },
    async requireKey(input) {
      await methods.requireKey(input)
    },
    async setKeySource(input) {
      await keySources.set(input)
    },
    deploy: async (input) => ({id: (await deployments.deploy(input)).deployment.id!}),
  }

  return {reads, writes}
}
