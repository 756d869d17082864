import {
  CreateUsagePlanCommand,
  DeleteUsagePlanCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import type {ApiGateway} from '../../src/aws/api-gateway.js'

import {UsagePlans} from '../../src/gateway/usage-plans.js'
import {type ApiGatewayMock, awsError, mockApiGateway} from '../helpers/mock-aws.js'
import {rejection} from '../helpers/rejection.js'

describe('gateway/UsagePlans', () => {
  let aws: ApiGatewayMock
  let apigw: ApiGateway
  const gold = {
    id: 'p1',
    name: 'gold',
    throttle: {rateLimit: 10, burstLimit: 20},
    quota: {limit: 1000, offset: 0, period: 'MONTH' as const},
    apiStages: [
      {apiId: 'a1', stage: 'prod'},
      {apiId: 'a2', stage: 'beta'},
    ],
  }
  beforeEach(() => {
    ;({mock: aws, apigw} = mockApiGateway())
    aws.on(GetUsagePlansCommand).resolves({items: [gold]})
    aws.on(GetRestApisCommand).resolves({
      items: [
        {id: 'a1', name: 'pets'},
        {id: 'a2', name: 'stores'},
      ],
    })
    aws.on(GetStagesCommand, {restApiId: 'a1'}).resolves({item: [{stageName: 'prod'}, {stageName: 'test'}]})
    aws.on(GetStagesCommand, {restApiId: 'a2'}).resolves({item: [{stageName: 'beta'}]})
    aws.on(GetResourcesCommand, {restApiId: 'a1'}).resolves({
      items: [
        {id: 'r0', path: '/', resourceMethods: {GET: {}}},
        {id: 'r1', path: '/pets', resourceMethods: {GET: {}, POST: {}}},
        {id: 'r2', path: '/pets/{id}', resourceMethods: {GET: {}}},
      ],
    })
  })
  afterEach(() => aws.restore())

  describe('list', () => {
    it('collects every page, following position', async () => {
      aws
        .on(GetUsagePlansCommand)
        .resolvesOnce({items: [{id: 'p1'}, {id: 'p2'}], position: 'AAA'})
        .resolvesOnce({items: [{id: 'p3'}], position: 'BBB'})
        .resolvesOnce({items: [{id: 'p4'}]})
      const plans = await new UsagePlans(apigw).list()
      assert.deepEqual(
        plans.map((p) => p.id),
        ['p1', 'p2', 'p3', 'p4'],
      )
      assert.deepEqual(
        aws.commandCalls(GetUsagePlansCommand).map((c) => c.args[0].input.position),
        [undefined, 'AAA', 'BBB'],
      )
      assert.ok(aws.commandCalls(GetUsagePlansCommand).every((c) => c.args[0].input.limit === 500))
    })

    it('resolves names from a later page', async () => {
      aws
        .on(GetUsagePlansCommand)
        .resolvesOnce({items: [{id: 'p1', name: 'a'}], position: 'AAA'})
        .resolvesOnce({items: [{id: 'p9', name: 'late'}]})
      assert.equal((await new UsagePlans(apigw).resolve('late')).id, 'p9')
    })
  })

  describe('keys', () => {
    it("collects every page of a plan's keys", async () => {
      aws
        .on(GetUsagePlanKeysCommand)
        .resolvesOnce({items: [{id: 'k1'}], position: 'K2'})
        .resolvesOnce({items: [{id: 'k2'}]})
      const keys = await new UsagePlans(apigw).keys('p1')
      assert.deepEqual(
        keys.map((k) => k.id),
        ['k1', 'k2'],
      )
      assert.deepEqual(
        aws.commandCalls(GetUsagePlanKeysCommand).map((c) => c.args[0].input),
        [
          {usagePlanId: 'p1', position: undefined, limit: 500},
          {usagePlanId: 'p1', position: 'K2', limit: 500},
        ],
      )
    })
  })

  describe('create', () => {
    it('sends one CreateUsagePlan with limits, stages, per-method throttles grouped by stage, and tags', async () => {
      aws.on(CreateUsagePlanCommand).resolves({id: 'p2', name: 'silver'})
      const {changed} = await new UsagePlans(apigw).create({
        name: 'silver',
        description: 'mid tier',
        throttle: {rateLimit: 5, burstLimit: 10},
        quota: {limit: 500, period: 'DAY', offset: 20},
        stages: [
          {api: 'pets', stage: 'prod'},
          {api: 'a2', stage: 'beta'},
        ],
        methodThrottles: [
          {api: 'pets', stage: 'prod', path: '/pets', httpMethod: 'POST', rateLimit: 0.5, burstLimit: 1},
          {api: 'a1', stage: 'prod', path: '/', httpMethod: 'GET', rateLimit: 2, burstLimit: 4},
          {api: 'pets', stage: 'test', path: '/pets/{id}', httpMethod: 'GET', rateLimit: 3, burstLimit: 6},
        ],
        tags: {team: 'payments'},
      })
      assert.equal(changed, true)
      const calls = aws.commandCalls(CreateUsagePlanCommand)
      assert.equal(calls.length, 1)
      assert.deepEqual(calls[0].args[0].input, {
        name: 'silver',
        description: 'mid tier',
        throttle: {rateLimit: 5, burstLimit: 10},
        quota: {limit: 500, period: 'DAY', offset: 20},
        apiStages: [
          {apiId: 'a1', stage: 'prod', throttle: {'/pets/POST': {rateLimit: 0.5, burstLimit: 1}, '//GET': {rateLimit: 2, burstLimit: 4}}},
          {apiId: 'a2', stage: 'beta'},
          {apiId: 'a1', stage: 'test', throttle: {'/pets/{id}/GET': {rateLimit: 3, burstLimit: 6}}},
        ],
        tags: {team: 'payments'},
      })
    })

    it('sends a bare plan without empty stages or tags, and offset 0 with a quota', async () => {
      aws.on(CreateUsagePlanCommand).resolves({id: 'p2'})
      await new UsagePlans(apigw).create({name: 'bare', quota: {limit: 5, period: 'WEEK'}, stages: [], methodThrottles: [], tags: {}})
      assert.deepEqual(aws.commandCalls(CreateUsagePlanCommand)[0].args[0].input, {
        name: 'bare',
        description: undefined,
        throttle: undefined,
        quota: {limit: 5, period: 'WEEK', offset: 0},
        apiStages: undefined,
        tags: undefined,
      })
    })

    it('refuses an unknown API, stage, resource or method before creating anything (exit 3)', async () => {
      const plans = new UsagePlans(apigw)
      const base = {name: 'x', stages: [], methodThrottles: [], tags: {}}
      const unknownApi = await rejection(plans.create({...base, stages: [{api: 'shop', stage: 'prod'}]}))
      assert.equal(unknownApi.exitCode, 3)
      assert.equal(unknownApi.message, 'No REST API with id or name "shop"')
      const unknownStage = await rejection(plans.create({...base, stages: [{api: 'pets', stage: 'dev'}]}))
      assert.equal(unknownStage.message, 'API pets (a1) has no stage "dev" (stages: prod, test)')
      const mt = {api: 'pets', stage: 'prod', rateLimit: 1, burstLimit: 1}
      const unknownResource = await rejection(plans.create({...base, methodThrottles: [{...mt, path: '/toys', httpMethod: 'GET'}]}))
      assert.equal(unknownResource.message, 'API pets (a1) has no resource "/toys"')
      const unknownMethod = await rejection(plans.create({...base, methodThrottles: [{...mt, path: '/pets', httpMethod: 'DELETE'}]}))
      assert.equal(unknownMethod.exitCode, 3)
      assert.equal(unknownMethod.message, 'Resource "/pets" of API pets (a1) has no DELETE method (methods: GET, POST)')
      assert.equal(aws.commandCalls(CreateUsagePlanCommand).length, 0)
    })

    it('refuses a taken name (exit 4) unless ifNotExists, which returns the plan unchanged, with how it differs', async () => {
      const plans = new UsagePlans(apigw)
      const taken = await rejection(plans.create({name: 'gold', stages: [], methodThrottles: [], tags: {}}))
      assert.equal(taken.exitCode, 4)
      const same = await plans.create({
        name: 'gold',
        throttle: {rateLimit: 10, burstLimit: 20},
        quota: {limit: 1000, period: 'MONTH'},
        stages: [
          {api: 'stores', stage: 'beta'},
          {api: 'pets', stage: 'prod'},
        ],
        methodThrottles: [],
        tags: {},
        ifNotExists: true,
      })
      assert.deepEqual(same, {usagePlan: gold, changed: false, dryRun: false, calls: [], differences: []})
      const other = await plans.create({
        name: 'gold',
        throttle: {rateLimit: 5, burstLimit: 20},
        stages: [{api: 'pets', stage: 'prod'}],
        methodThrottles: [],
        tags: {team: 'x'},
        ifNotExists: true,
      })
      assert.deepEqual(other.differences, [
        {field: 'throttle', existing: {rateLimit: 10, burstLimit: 20}, requested: {rateLimit: 5, burstLimit: 20}},
        {field: 'quota', existing: {limit: 1000, period: 'MONTH', offset: 0}, requested: null},
        {field: 'apiStages', existing: [{stage: 'a1:prod'}, {stage: 'a2:beta'}], requested: [{stage: 'a1:prod'}]},
        {field: 'tags', existing: {}, requested: {team: 'x'}},
      ])
      assert.equal(aws.commandCalls(CreateUsagePlanCommand).length + aws.commandCalls(UpdateUsagePlanCommand).length, 0)
    })

    it('refuses the same method throttled twice on one stage (exit 2)', async () => {
      const mt = {api: 'pets', stage: 'prod', path: '/pets', httpMethod: 'POST', rateLimit: 1, burstLimit: 1}
      const error = await rejection(new UsagePlans(apigw).create({name: 'x', stages: [], methodThrottles: [mt, {...mt, api: 'a1', rateLimit: 2}], tags: {}}))
      assert.equal(error.message, '--method-throttle names POST /pets on a1:prod more than once; give each method once')
      assert.equal(aws.commandCalls(CreateUsagePlanCommand).length, 0)
    })

    it('sets a product code with an UpdateUsagePlan right after CreateUsagePlan, which has no field for it', async () => {
      aws.on(CreateUsagePlanCommand).resolves({id: 'p2', name: 'partner'})
      aws.on(UpdateUsagePlanCommand).resolves({id: 'p2', name: 'partner', productCode: 'prod-1'})
      const result = await new UsagePlans(apigw).create({name: 'partner', stages: [], methodThrottles: [], tags: {}, productCode: 'prod-1'})
      assert.equal(aws.commandCalls(CreateUsagePlanCommand)[0].args[0].input.name, 'partner')
      assert.deepEqual(
        aws.commandCalls(UpdateUsagePlanCommand).map((c) => c.args[0].input),
        [{usagePlanId: 'p2', patchOperations: [{op: 'add', path: '/productCode', value: 'prod-1'}]}],
      )
      assert.equal(result.usagePlan.productCode, 'prod-1')
    })

    it('says the plan was created, and how to finish or undo, when setting the product code fails', async () => {
      aws.on(CreateUsagePlanCommand).resolves({id: 'p2', name: 'partner'})
      aws.on(UpdateUsagePlanCommand).rejects(awsError('BadRequestException', 'Invalid product code'))
      const error = await rejection(new UsagePlans(apigw).create({name: 'partner', stages: [], methodThrottles: [], tags: {}, productCode: 'bad'}))
      assert.equal(error.code, 'PARTIAL_FAILURE')
      assert.deepEqual(error.report?.done, ['created usage plan partner (p2)'])
      assert.deepEqual(error.report?.finish, ['gwctl plans update p2 --product-code bad'])
      assert.deepEqual(error.report?.undo, ['gwctl plans delete p2 --force --yes'])
    })

    it('validates everything and sends nothing on a dry run, listing both calls', async () => {
      const result = await new UsagePlans(apigw).create({
        name: 'partner',
        stages: [{api: 'pets', stage: 'prod'}],
        methodThrottles: [],
        tags: {},
        productCode: 'prod-1',
        dryRun: true,
      })
      assert.equal(aws.commandCalls(CreateUsagePlanCommand).length + aws.commandCalls(UpdateUsagePlanCommand).length, 0)
      assert.deepEqual(
        result.calls.map((c) => c.operation),
        ['CreateUsagePlan', 'UpdateUsagePlan'],
      )
      assert.deepEqual(result.calls[1].input, {usagePlanId: '<id of the new plan>', patchOperations: [{op: 'add', path: '/productCode', value: 'prod-1'}]})
      assert.deepEqual([result.changed, result.usagePlan.apiStages], [false, [{apiId: 'a1', stage: 'prod'}]])
      await assert.rejects(
        new UsagePlans(apigw).create({name: 'x', stages: [{api: 'pets', stage: 'dev'}], methodThrottles: [], tags: {}, dryRun: true}),
        /has no stage "dev"/,
      )
    })
  })

  describe('tags', () => {
    it('tags the plan by its ARN, in the partition of the Region', async () => {
      aws.on(GetUsagePlansCommand).resolves({items: [{...gold, tags: {team: 'a'}}]})
      const result = await new UsagePlans(apigw).changeTags('gold', {set: {team: 'a', env: 'prod'}, dryRun: false})
      assert.deepEqual(
        aws.commandCalls(TagResourceCommand).map((c) => c.args[0].input),
        [{resourceArn: 'arn:aws:apigateway:us-east-1::/usageplans/p1', tags: {env: 'prod'}}],
      )
      assert.deepEqual(
        [result.changed, result.usagePlan.tags, result.resourceArn],
        [true, {team: 'a', env: 'prod'}, 'arn:aws:apigateway:us-east-1::/usageplans/p1'],
      )
      const again = await new UsagePlans(apigw).changeTags('gold', {set: {team: 'a'}, dryRun: false})
      assert.equal(again.changed, false)
      assert.equal(aws.commandCalls(TagResourceCommand).length, 1)
    })

    it('untags with UntagResource; a dry run sends nothing', async () => {
      aws.on(GetUsagePlansCommand).resolves({items: [{...gold, tags: {team: 'a', env: 'prod'}}]})
      const dry = await new UsagePlans(apigw).changeTags('gold', {remove: ['env'], dryRun: true})
      assert.deepEqual(
        [dry.changed, dry.tags, dry.calls],
        [false, {team: 'a'}, [{operation: 'UntagResource', input: {resourceArn: 'arn:aws:apigateway:us-east-1::/usageplans/p1', tagKeys: ['env']}}]],
      )
      await new UsagePlans(apigw).changeTags('gold', {remove: ['env'], dryRun: false})
      assert.deepEqual(
        aws.commandCalls(UntagResourceCommand).map((c) => c.args[0].input.tagKeys),
        [['env']],
      )
    })
  })

  describe('show', () => {
    it('gives the plan, its keys, and the names of the APIs it covers', async () => {
      aws.on(GetUsagePlanKeysCommand).resolves({items: [{id: 'k1', name: 'alice'}]})
      const details = await new UsagePlans(apigw).show('gold')
      assert.deepEqual(details, {
        usagePlan: gold,
        apiKeys: [{id: 'k1', name: 'alice'}],
        restApis: [
          {id: 'a1', name: 'pets'},
          {id: 'a2', name: 'stores'},
        ],
      })
    })
  })

  describe('update', () => {
    it('sends one UpdateUsagePlan carrying every operation', async () => {
      aws.on(UpdateUsagePlanCommand).resolves({...gold, name: 'platinum'})
      const result = await new UsagePlans(apigw).update('gold', {
        name: 'platinum',
        rateLimit: 50,
        burstLimit: 100,
        quotaLimit: 5,
        quotaPeriod: 'DAY',
        quotaOffset: 1,
        productCode: 'prod-9',
      })
      assert.equal(result.changed, true)
      const calls = aws.commandCalls(UpdateUsagePlanCommand)
      assert.equal(calls.length, 1)
      assert.deepEqual(calls[0].args[0].input, {
        usagePlanId: 'p1',
        patchOperations: [
          {op: 'replace', path: '/name', value: 'platinum'},
          {op: 'replace', path: '/throttle/rateLimit', value: '50'},
          {op: 'replace', path: '/throttle/burstLimit', value: '100'},
          {op: 'replace', path: '/quota/limit', value: '5'},
          {op: 'replace', path: '/quota/period', value: 'DAY'},
          {op: 'replace', path: '/quota/offset', value: '1'},
          {op: 'add', path: '/productCode', value: 'prod-9'},
        ],
      })
    })

    it('replaces a product code the plan has, and removes it', async () => {
      aws.on(GetUsagePlansCommand).resolves({items: [{...gold, productCode: 'prod-1'}]})
      aws.on(UpdateUsagePlanCommand).resolves(gold)
      await new UsagePlans(apigw).update('gold', {productCode: 'prod-2'})
      await new UsagePlans(apigw).update('gold', {removeProductCode: true})
      assert.deepEqual(
        aws.commandCalls(UpdateUsagePlanCommand).map((c) => c.args[0].input.patchOperations),
        [[{op: 'replace', path: '/productCode', value: 'prod-2'}], [{op: 'remove', path: '/productCode'}]],
      )
    })

    it('sends nothing when nothing differs, or on a dry run', async () => {
      const plans = new UsagePlans(apigw)
      assert.deepEqual(await plans.update('gold', {rateLimit: 10}), {usagePlan: gold, operations: [], changed: false, dryRun: false, calls: []})
      const dry = await plans.update('gold', {rateLimit: 11}, {dryRun: true})
      // Whole, so that a racing change cannot leave half a throttle (issue 13).
      assert.deepEqual(dry.operations, [
        {op: 'replace', path: '/throttle/rateLimit', value: '11'},
        {op: 'replace', path: '/throttle/burstLimit', value: '20'},
      ])
      assert.deepEqual(
        [dry.changed, dry.dryRun, dry.calls],
        [false, true, [{operation: 'UpdateUsagePlan', input: {usagePlanId: 'p1', patchOperations: dry.operations}}]],
      )
      assert.equal(aws.commandCalls(UpdateUsagePlanCommand).length, 0)
    })

    it("checks an offset against the plan's current limit", async () => {
      const error = await rejection(new UsagePlans(apigw).update('gold', {quotaOffset: 1000}))
      assert.equal(error.exitCode, 2)
      assert.equal(error.message, '--quota-offset (1000) must be less than the quota limit (1000)')
    })

    it('needs a whole throttle or quota when the plan has none', async () => {
      aws.on(GetUsagePlansCommand).resolves({items: [{id: 'p5', name: 'bare'}]})
      const plans = new UsagePlans(apigw)
      assert.equal((await rejection(plans.update('bare', {rateLimit: 5}))).message, 'This plan has no throttle yet: give both --rate and --burst')
      assert.equal((await rejection(plans.update('bare', {quotaOffset: 1}))).message, 'This plan has no quota yet: give --quota as LIMIT/PERIOD')
      assert.equal(aws.commandCalls(UpdateUsagePlanCommand).length, 0)
    })

    it('refuses a new name another plan already has (exit 4)', async () => {
      aws.on(GetUsagePlansCommand).resolves({items: [gold, {id: 'p2', name: 'silver'}]})
      const error = await rejection(new UsagePlans(apigw).update('gold', {name: 'silver'}))
      assert.equal(error.exitCode, 4)
      assert.equal(error.message, 'Another usage plan is already named "silver" (p2)')
    })
  })

  describe('delete', () => {
    it('refuses while stages are attached, listing them (exit 4), and sends nothing', async () => {
      const error = await rejection(new UsagePlans(apigw).delete('gold'))
      assert.equal(error.exitCode, 4)
      assert.equal(error.message, 'Usage plan gold (p1) still covers 2 stage(s): a1:prod, a2:beta')
      assert.equal(aws.commandCalls(UpdateUsagePlanCommand).length + aws.commandCalls(DeleteUsagePlanCommand).length, 0)
    })

    it('with force, detaches every stage in one UpdateUsagePlan, then deletes', async () => {
      aws.on(UpdateUsagePlanCommand).resolves({id: 'p1'})
      aws.on(DeleteUsagePlanCommand).resolves({})
      const result = await new UsagePlans(apigw).delete('gold', {force: true})
      assert.deepEqual([result.usagePlan, result.detachedStages, result.changed], [gold, ['a1:prod', 'a2:beta'], true])
      const updates = aws.commandCalls(UpdateUsagePlanCommand)
      assert.equal(updates.length, 1)
      assert.deepEqual(updates[0].args[0].input, {
        usagePlanId: 'p1',
        patchOperations: [
          {op: 'remove', path: '/apiStages', value: 'a1:prod'},
          {op: 'remove', path: '/apiStages', value: 'a2:beta'},
        ],
      })
      assert.deepEqual(aws.commandCalls(DeleteUsagePlanCommand)[0].args[0].input, {usagePlanId: 'p1'})
      const order = aws
        .calls()
        .map((c) => c.args[0].constructor.name)
        .filter((n) => n !== 'GetUsagePlansCommand')
      assert.deepEqual(order, ['UpdateUsagePlanCommand', 'DeleteUsagePlanCommand'])
    })

    it('creating: a plan of the same name made at the same moment by another process is a conflict naming both and the one to remove', async () => {
      aws
        .on(GetUsagePlansCommand)
        .resolvesOnce({items: []})
        .resolves({
          items: [
            {id: 'p9', name: 'race'},
            {id: 'p3', name: 'race'},
          ],
        })
      aws.on(CreateUsagePlanCommand).resolves({id: 'p9', name: 'race'})
      const error = await rejection(new UsagePlans(apigw).create({name: 'race', stages: [], methodThrottles: [], tags: {}, ifNotExists: true}))
      assert.equal(error.exitCode, 4)
      assert.match(error.message, /^2 usage plans are named "race" \(p3, p9\): another process created one at the same time as this one \(p9\)/)
      assert.deepEqual(error.suggestions, ['Keep p3 and remove the extra one: gwctl plans delete p9 --yes'])
    })

    it('deletes a plan without stages in a single call', async () => {
      aws.on(GetUsagePlansCommand).resolves({items: [{id: 'p5', name: 'bare'}]})
      aws.on(DeleteUsagePlanCommand).resolves({})
      const result = await new UsagePlans(apigw).delete('bare')
      assert.deepEqual(
        [result.usagePlan, result.detachedStages, result.calls],
        [{id: 'p5', name: 'bare'}, [], [{operation: 'DeleteUsagePlan', input: {usagePlanId: 'p5'}}]],
      )
      assert.equal(aws.commandCalls(UpdateUsagePlanCommand).length, 0)
    })

    it('with ifExists, finds nothing to delete in a plan that does not exist; without, exits 3', async () => {
      const missing = await new UsagePlans(apigw).delete('platinum', {ifExists: true})
      assert.deepEqual([missing.usagePlan, missing.changed], [null, false])
      assert.equal((await rejection(new UsagePlans(apigw).delete('platinum'))).exitCode, 3)
      assert.equal(aws.commandCalls(DeleteUsagePlanCommand).length, 0)
    })

    it('sends nothing on a dry run, listing the detach and the delete', async () => {
      const result = await new UsagePlans(apigw).delete('gold', {force: true, dryRun: true})
      assert.equal(aws.commandCalls(UpdateUsagePlanCommand).length + aws.commandCalls(DeleteUsagePlanCommand).length, 0)
      assert.deepEqual(
        result.calls.map((c) => c.operation),
        ['UpdateUsagePlan', 'DeleteUsagePlan'],
      )
    })

    it('reports a delete that fails after detaching as PARTIAL_FAILURE (exit 7), with what was detached and how to undo it', async () => {
      aws.on(UpdateUsagePlanCommand).resolves({id: 'p1'})
      aws.on(DeleteUsagePlanCommand).rejects(awsError('BadRequestException', 'Cannot delete Usage Plan p1'))
      const error = await rejection(new UsagePlans(apigw).delete('gold', {force: true}))
      assert.equal(error.code, 'PARTIAL_FAILURE')
      assert.equal(error.exitCode, 7)
      assert.equal(
        error.message,
        'Deleting usage plan gold (p1) stopped after 1 of 2 steps: AWS refused deleting usage plan gold (p1): Cannot delete Usage Plan p1',
      )
      assert.deepEqual(error.report, {
        done: ['detach stage(s) a1:prod, a2:beta from usage plan gold (p1)'],
        notDone: ['delete usage plan gold (p1)'],
        created: [],
        finish: ['gwctl plans delete p1 --yes'],
        undo: ['gwctl stages attach --plan p1 --api a1 --stage prod', 'gwctl stages attach --plan p1 --api a2 --stage beta'],
      })
    })

    it('with force, removes per-method throttles with their stages, and its undo puts them back with --method-throttle', async () => {
      const throttled = {
        ...gold,
        apiStages: [
          {apiId: 'a1', stage: 'prod', throttle: {'/pets/GET': {rateLimit: 0.5, burstLimit: 1}, '//GET': {rateLimit: 5, burstLimit: 10}}},
          {apiId: 'a2', stage: 'beta'},
        ],
      }
      aws.on(GetUsagePlansCommand).resolves({items: [throttled]})
      aws.on(UpdateUsagePlanCommand).resolves({id: 'p1'})
      aws.on(DeleteUsagePlanCommand).rejects(awsError('ConflictException', 'busy'))
      const error = await rejection(new UsagePlans(apigw).delete('gold', {force: true}))
      assert.deepEqual(aws.commandCalls(UpdateUsagePlanCommand)[0].args[0].input.patchOperations, [
        {op: 'remove', path: '/apiStages/a1:prod/throttle'},
        {op: 'remove', path: '/apiStages', value: 'a1:prod'},
        {op: 'remove', path: '/apiStages', value: 'a2:beta'},
      ])
      assert.deepEqual(error.report?.undo, [
        'gwctl stages attach --plan p1 --api a1 --stage prod --method-throttle /pets/GET=0.5/1 --method-throttle //GET=5/10',
        'gwctl stages attach --plan p1 --api a2 --stage beta',
      ])
    })

    it('leaves a failing detach as the plain AWS error: nothing was changed', async () => {
      aws.on(UpdateUsagePlanCommand).rejects(awsError('BadRequestException', 'Invalid stage'))
      const error = await rejection(new UsagePlans(apigw).delete('gold', {force: true}))
      assert.equal(error.code, 'BAD_INPUT')
      assert.deepEqual(error.done, [])
      assert.equal(aws.commandCalls(DeleteUsagePlanCommand).length, 0)
    })
  })
})
