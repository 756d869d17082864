import {
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  GetAccountCommand,
  GetStageCommand,
  GetTagsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAccountCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import {awsErrorOf, createDeployedApi, sdkFor} from '../helpers/moto-api.js'
import {useMoto} from '../helpers/moto.js'

// UpdateStage (extensions/stages.py), UpdateAccount (extensions/account.py) and tags (extensions/tags.py).
describe('extended moto: stage settings, account settings and tags', function () {
  this.timeout(30_000)
  const moto = useMoto()
  const sdk = () => sdkFor(moto.current.url)
  const ROLE = 'arn:aws:iam::123456789012:role/apigateway-logs'
  const LOG_GROUP = 'arn:aws:logs:us-east-1:123456789012:log-group:API-Gateway-Access-Logs_pets/prod'
  const FORMAT = '{"requestId":"$context.requestId","status":"$context.status"}'

  const pets = async () => (await createDeployedApi(moto.current.url, {name: 'pets', methods: {'/pets': ['GET']}, stages: ['prod']})).id
  const updateStage = (restApiId: string, ...patchOperations: Array<{op: 'add' | 'replace' | 'remove'; path: string; value?: string}>) =>
    sdk().send(new UpdateStageCommand({restApiId, stageName: 'prod', patchOperations}))
  const setRole = (value: string) => sdk().send(new UpdateAccountCommand({patchOperations: [{op: 'replace', path: '/cloudwatchRoleArn', value}]}))

  it('refuses access logging to CloudWatch Logs until the account has a CloudWatch role, then stores it', async () => {
    const apiId = await pets()
    const enable = () =>
      updateStage(
        apiId,
        {op: 'replace', path: '/accessLogSettings/destinationArn', value: LOG_GROUP},
        {op: 'replace', path: '/accessLogSettings/format', value: FORMAT},
      )

    assert.deepEqual(await awsErrorOf(enable()), {
      name: 'BadRequestException',
      status: 400,
      message: 'CloudWatch Logs role ARN must be set in account settings to enable logging',
    })
    assert.equal((await sdk().send(new GetStageCommand({restApiId: apiId, stageName: 'prod'}))).accessLogSettings, undefined, 'nothing was changed')

    assert.equal((await sdk().send(new GetAccountCommand({}))).cloudwatchRoleArn, undefined)
    assert.equal((await setRole(ROLE)).cloudwatchRoleArn, ROLE)
    assert.deepEqual((await enable()).accessLogSettings, {destinationArn: LOG_GROUP, format: FORMAT})
    const changed = await updateStage(
      apiId,
      {op: 'remove', path: '/accessLogSettings/format'},
      {op: 'add', path: '/accessLogSettings/destinationArn', value: `${LOG_GROUP}-2`},
    )
    assert.deepEqual(changed.accessLogSettings, {destinationArn: `${LOG_GROUP}-2`}, "add and remove on each field, as AWS's patch table has them")
    assert.equal((await updateStage(apiId, {op: 'remove', path: '/accessLogSettings'})).accessLogSettings, undefined)
    assert.deepEqual((await sdk().send(new GetAccountCommand({}))).throttleSettings, {rateLimit: 10_000, burstLimit: 5000})
  })

  it("checks Firehose stream names and the format's request id, and refuses malformed role ARNs", async () => {
    const apiId = await pets()
    const firehose = (name: string) =>
      updateStage(apiId, {op: 'replace', path: '/accessLogSettings/destinationArn', value: `arn:aws:firehose:us-east-1:123456789012:deliverystream/${name}`})
    assert.match((await awsErrorOf(firehose('access-logs'))).message, /its name must begin with amazon-apigateway-/)
    assert.equal(
      (await firehose('amazon-apigateway-pets')).accessLogSettings?.destinationArn,
      'arn:aws:firehose:us-east-1:123456789012:deliverystream/amazon-apigateway-pets',
      'Firehose needs no CloudWatch role',
    )
    assert.match(
      (await awsErrorOf(updateStage(apiId, {op: 'replace', path: '/accessLogSettings/format', value: '$context.status'}))).message,
      /must include \$context\.requestId/,
    )
    assert.match((await awsErrorOf(setRole('apigateway-logs'))).message, /The role ARN apigateway-logs is not valid/)
    assert.match(
      (await awsErrorOf(sdk().send(new UpdateAccountCommand({patchOperations: [{op: 'replace', path: '/throttle/rateLimit', value: '5'}]})))).message,
      /^Invalid patch path '\/throttle\/rateLimit'/,
    )
  })

  it("stage method settings: AWS's defaults, -1 for off, escaped paths, and AWS's refusal of unknown settings", async () => {
    const apiId = await pets()
    const stage = await updateStage(
      apiId,
      {op: 'replace', path: '/*/*/throttling/rateLimit', value: '-1'},
      {op: 'replace', path: '/*/*/throttling/burstLimit', value: '-1'},
      {op: 'replace', path: '/~1pets/GET/throttling/burstLimit', value: '7'},
    )
    assert.deepEqual(
      [stage.methodSettings?.['*/*'].throttlingRateLimit, stage.methodSettings?.['*/*'].throttlingBurstLimit, stage.methodSettings?.['*/*'].cacheDataEncrypted],
      [-1, -1, false],
    )
    assert.deepEqual(
      [stage.methodSettings?.['~1pets/GET'].throttlingRateLimit, stage.methodSettings?.['~1pets/GET'].throttlingBurstLimit],
      [10_000, 7],
      "an untouched half keeps AWS's default",
    )

    const unknown = await awsErrorOf(updateStage(apiId, {op: 'replace', path: '/*/*/throttling/ratelimit', value: '5'}))
    assert.match(unknown.message, /^Invalid method setting path: throttling\/ratelimit. Must be one of: \[\.\.\.\/metrics\/enabled/)
    assert.match((await awsErrorOf(updateStage(apiId, {op: 'replace', path: '/*/*/throttling/burstLimit', value: 'many'}))).message, /Invalid value 'many'/)
  })

  it('tags usage plans and API keys by ARN, reads and removes them', async () => {
    const plan = await sdk().send(new CreateUsagePlanCommand({name: 'gold', tags: {team: 'payments'}}))
    const key = await sdk().send(new CreateApiKeyCommand({name: 'alice'}))
    for (const arn of [`arn:aws:apigateway:us-east-1::/usageplans/${plan.id}`, `arn:aws:apigateway:us-east-1::/apikeys/${key.id}`]) {
      await sdk().send(new TagResourceCommand({resourceArn: arn, tags: {env: 'prod', owner: 'ops'}}))
      await sdk().send(new UntagResourceCommand({resourceArn: arn, tagKeys: ['owner']}))
    }

    const tagsOf = async (resourceArn: string) => (await sdk().send(new GetTagsCommand({resourceArn}))).tags
    assert.deepEqual(await tagsOf(`arn:aws:apigateway:us-east-1::/usageplans/${plan.id}`), {team: 'payments', env: 'prod'})
    assert.deepEqual(await tagsOf(`arn:aws:apigateway:us-east-1::/apikeys/${key.id}`), {env: 'prod'})

    assert.deepEqual(await awsErrorOf(tagsOf('arn:aws:apigateway:us-east-1::/usageplans/nosuch')), {
      name: 'NotFoundException',
      status: 404,
      message: 'Invalid Usage Plan ID specified',
    })
    assert.match((await awsErrorOf(tagsOf('arn:aws:apigateway:us-east-1::/vpclinks/x'))).message, /^Invalid ARN specified in the request/)
    const reserved = sdk().send(new TagResourceCommand({resourceArn: `arn:aws:apigateway:us-east-1::/apikeys/${key.id}`, tags: {'aws:owner': 'x'}}))
    assert.match((await awsErrorOf(reserved)).message, /Invalid tag key 'aws:owner'/)
  })
})
