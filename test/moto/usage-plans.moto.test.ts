import {
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteUsagePlanCommand,
  DeleteUsagePlanKeyCommand,
  GetUsagePlanCommand,
  type PatchOperation,
  UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import {awsErrorOf, createDeployedApi, sdkFor} from '../helpers/moto-api.js'
import {useMoto} from '../helpers/moto.js'

// UpdateUsagePlan, DeleteUsagePlan and plan keys in the extended moto (extensions/usage_plans.py).
describe('extended moto: usage plans', function () {
  this.timeout(30_000)
  const moto = useMoto()
  const sdk = () => sdkFor(moto.current.url)

  async function planOnPets(throttle?: Record<string, {rateLimit?: number; burstLimit?: number}>) {
    const api = await createDeployedApi(moto.current.url, {name: 'pets', methods: {'/': ['GET'], '/pets': ['GET', 'POST']}, stages: ['prod', 'beta']})
    const plan = await sdk().send(
      new CreateUsagePlanCommand({
        name: 'gold',
        throttle: {rateLimit: 10, burstLimit: 20},
        quota: {limit: 1000, period: 'MONTH'},
        apiStages: [{apiId: api.id, stage: 'prod', throttle}],
      }),
    )
    return {apiId: api.id, planId: plan.id!}
  }

  const update = (usagePlanId: string, ...patchOperations: PatchOperation[]) => sdk().send(new UpdateUsagePlanCommand({usagePlanId, patchOperations}))

  it("sets limits with numbers of AWS's types, and per-method throttles by resource path in each spelling", async () => {
    const {apiId, planId} = await planOnPets()
    const prod = `/apiStages/${apiId}:prod/throttle`
    const plan = await update(
      planId,
      {op: 'replace', path: '/throttle/rateLimit', value: '0.5'},
      {op: 'replace', path: '/throttle/burstLimit', value: '3'},
      {op: 'replace', path: '/quota/limit', value: '500'},
      {op: 'replace', path: '/quota/period', value: 'DAY'},
      {op: 'replace', path: '/quota/offset', value: '10'},
      {op: 'replace', path: `${prod}/~1pets/GET/rateLimit`, value: '2.5'}, // escaped as a JSON Pointer token
      {op: 'replace', path: `${prod}/pets/GET/burstLimit`, value: '5'}, // gwctl's spelling
      {op: 'add', path: `${prod}//pets/POST/rateLimit`, value: '1'}, // Terraform's spelling
      {op: 'replace', path: `${prod}///GET/burstLimit`, value: '4'},
      {op: 'replace', path: `${prod}//GET/rateLimit`, value: '6'},
    )
    assert.deepEqual(plan.throttle, {rateLimit: 0.5, burstLimit: 3})
    assert.deepEqual(plan.quota, {limit: 500, period: 'DAY', offset: 10})
    assert.deepEqual(plan.apiStages, [
      {apiId, stage: 'prod', throttle: {'/pets/GET': {rateLimit: 2.5, burstLimit: 5}, '/pets/POST': {rateLimit: 1}, '//GET': {burstLimit: 4, rateLimit: 6}}},
    ])

    await update(planId, {op: 'remove', path: `${prod}/~1pets/GET`})
    assert.deepEqual(Object.keys((await sdk().send(new GetUsagePlanCommand({usagePlanId: planId}))).apiStages?.[0].throttle ?? {}), ['/pets/POST', '//GET'])
    await update(planId, {op: 'replace', path: prod, value: JSON.stringify({'/pets/GET': {rateLimit: 7, burstLimit: 8}})})
    assert.deepEqual((await sdk().send(new GetUsagePlanCommand({usagePlanId: planId}))).apiStages?.[0].throttle, {'/pets/GET': {rateLimit: 7, burstLimit: 8}})
    await update(planId, {op: 'remove', path: prod})
    assert.deepEqual((await sdk().send(new GetUsagePlanCommand({usagePlanId: planId}))).apiStages, [{apiId, stage: 'prod'}])
  })

  it('detaches a stage that carries per-method throttles, and attaches only stages that exist', async () => {
    const {apiId, planId} = await planOnPets({'/pets/GET': {rateLimit: 1, burstLimit: 2}})
    await update(planId, {op: 'add', path: '/apiStages', value: `${apiId}:beta`})
    const detached = await update(planId, {op: 'remove', path: '/apiStages', value: `${apiId}:prod`})
    assert.deepEqual(detached.apiStages, [{apiId, stage: 'beta'}])

    assert.deepEqual(await awsErrorOf(update(planId, {op: 'add', path: '/apiStages', value: `${apiId}:nosuch`})), {
      name: 'BadRequestException',
      status: 400,
      message: `Invalid API Stage {api: ${apiId}, stage: nosuch} specified: no such stage`,
    })
    assert.equal((await awsErrorOf(update(planId, {op: 'add', path: '/apiStages', value: `${apiId}:beta`}))).name, 'ConflictException')
    assert.match((await awsErrorOf(update(planId, {op: 'remove', path: '/apiStages', value: `${apiId}:prod`}))).message, /^Invalid API Stage .*:prod specified/)
  })

  it('refuses unknown paths and bad values, changing nothing', async () => {
    const {apiId, planId} = await planOnPets()
    const refused = await awsErrorOf(
      update(planId, {op: 'replace', path: '/throttle/rateLimit', value: '99'}, {op: 'remove', path: `/apiStages/${apiId}:prod`}),
    )
    assert.deepEqual([refused.name, refused.status], ['BadRequestException', 400])
    assert.match(
      refused.message,
      /^Invalid patch path '\/apiStages\/\w+:prod' specified for op 'remove'. Must be one of: \[\/apiStages, \/quota, \/throttle, \/productCode, /,
    )
    assert.match((await awsErrorOf(update(planId, {op: 'replace', path: '/quota/period', value: 'YEAR'}))).message, /Invalid quota period 'YEAR'/)
    assert.match((await awsErrorOf(update(planId, {op: 'replace', path: '/throttle/burstLimit', value: '2.5'}))).message, /expected a whole number/)
    assert.match(
      (await awsErrorOf(update(planId, {op: 'remove', path: `/apiStages/${apiId}:prod/throttle/~1pets/GET`}))).message,
      /has no throttle for \/pets\/GET/,
    )
    assert.deepEqual((await sdk().send(new GetUsagePlanCommand({usagePlanId: planId}))).throttle, {rateLimit: 10, burstLimit: 20})
  })

  it("DeleteUsagePlan refuses while stages are attached, with AWS's text, and 404s once gone", async () => {
    const {apiId, planId} = await planOnPets()
    assert.deepEqual(await awsErrorOf(sdk().send(new DeleteUsagePlanCommand({usagePlanId: planId}))), {
      name: 'BadRequestException',
      status: 400,
      message: `Cannot delete Usage Plan ${planId} because there are API Stages associated with it, including ${apiId}:prod`,
    })
    await update(planId, {op: 'remove', path: '/apiStages', value: `${apiId}:prod`})
    await sdk().send(new DeleteUsagePlanCommand({usagePlanId: planId}))
    assert.deepEqual(await awsErrorOf(sdk().send(new DeleteUsagePlanCommand({usagePlanId: planId}))), {
      name: 'NotFoundException',
      status: 404,
      message: 'Invalid Usage Plan ID specified',
    })
  })

  it('plan keys: 404 for an unknown plan or a non-member, 409 for a key already in the plan', async () => {
    const {planId} = await planOnPets()
    const key = await sdk().send(new CreateApiKeyCommand({name: 'alice'}))
    const add = (usagePlanId: string) => sdk().send(new CreateUsagePlanKeyCommand({usagePlanId, keyId: key.id, keyType: 'API_KEY'}))
    assert.deepEqual(await awsErrorOf(add('nosuchplan')), {name: 'NotFoundException', status: 404, message: 'Invalid Usage Plan ID specified'})
    await add(planId)
    assert.equal((await awsErrorOf(add(planId))).name, 'ConflictException')
    await sdk().send(new DeleteUsagePlanKeyCommand({usagePlanId: planId, keyId: key.id}))
    assert.deepEqual(await awsErrorOf(sdk().send(new DeleteUsagePlanKeyCommand({usagePlanId: planId, keyId: key.id}))), {
      name: 'NotFoundException',
      status: 404,
      message: 'Invalid API Key identifier specified',
    })
  })
})
