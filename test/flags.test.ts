import {captureOutput} from '@oclif/test'
import assert from 'node:assert/strict'

import {BaseCommand} from '../src/base-command.js'
import * as flags from '../src/flags.js'
import {ROOT} from './helpers/cli.js'

/** A command with one typed flag of each kind, to see what a command receives and what a person sees. */
class Probe extends BaseCommand<typeof Probe> {
  static override flags = {
    rate: flags.rate({}),
    quota: flags.quota({}),
    stage: flags.stageRef({multiple: true, default: []}),
    'method-throttle': flags.stageMethodThrottle({multiple: true, default: []}),
    tag: flags.tag({multiple: true, default: []}),
    window: flags.duration({}),
    from: flags.date({}),
    threshold: flags.threshold({}),
    requests: flags.requests(1)({}),
    'week-start': flags.weekStart(),
  }

  async run() {
    const {rate, quota, stage, tag, window, from, threshold, requests} = this.flags
    return {rate, quota, stage, methodThrottle: this.flags['method-throttle'], tag, window, from, threshold, requests, weekStart: this.flags['week-start']}
  }
}

const probe = (args: string[]) => captureOutput<Awaited<ReturnType<Probe['run']>>>(() => Probe.run(args, ROOT))

describe('typed flags (src/flags.ts)', () => {
  beforeEach(() => {
    process.exitCode = undefined
  })
  afterEach(() => {
    process.exitCode = undefined
  })

  it('hand the command parsed values', async () => {
    const {result, error} = await probe([
      '--rate',
      '0.5',
      '--quota',
      '1000/day',
      '--stage',
      'pets:prod',
      '--stage',
      'a1:beta',
      '--method-throttle',
      'pets:prod:/pets/GET=1/2',
      '--tag',
      'team=a=b',
      '--window',
      '90s',
      '--from',
      '2026-11-28',
      '--threshold',
      '92.5%',
      '--requests',
      '5000',
    ])
    assert.equal(error, undefined)
    assert.deepEqual(result, {
      rate: 0.5,
      quota: {limit: 1000, period: 'DAY'},
      stage: [
        {api: 'pets', stage: 'prod'},
        {api: 'a1', stage: 'beta'},
      ],
      methodThrottle: [{api: 'pets', stage: 'prod', path: '/pets', httpMethod: 'GET', rateLimit: 1, burstLimit: 2}],
      tag: [{key: 'team', value: 'a=b'}],
      window: 90_000,
      from: new Date('2026-11-28T00:00:00Z'),
      threshold: 0.925,
      requests: 5000,
      weekStart: 'sunday',
    })
    assert.equal((await probe(['--week-start', 'monday'])).result?.weekStart, 'monday')
  })

  for (const [args, message] of [
    [['--rate', 'fast'], '--rate must be a number of requests per second, 0 or more; got "fast"'],
    [['--stage', 'pets:prod', '--stage', 'pets'], '--stage must look like API:STAGE, e.g. pets-api:prod; got "pets"'],
    [['--window', '10d'], '--window must be a duration, 0 or more, in seconds or with a unit: 10, 10s, 500ms, 1.5m, 2h; got "10d"'],
    [['--from', 'yesterday'], '--from must be a date (2026-11-28, read as UTC) or a date and time with its zone (2026-11-28T09:30:00Z); got "yesterday"'],
    [['--threshold', '0.8'], '--threshold must be a percentage from 1% to 100%, e.g. 80%; got "0.8" (a percentage: did you mean 80%?)'],
    [['--requests', '0'], '--requests must be a whole number of requests, 1 or more; got "0"'],
  ] as const) {
    it(`refuse ${args.join(' ')} in gwctl's words, naming the flag and the value, with exit 2`, async () => {
      const {stderr, error} = await probe([...args])
      assert.equal(error?.oclif?.exit, 2)
      assert.equal(stderr, `Error: ${message}\nTry: See the flags and examples: gwctl probe --help\n`)
    })
  }

  it('refuse a week start other than sunday or monday (exit 2)', async () => {
    const {stderr, error} = await probe(['--week-start', 'tuesday'])
    assert.equal(error?.oclif?.exit, 2)
    assert.match(stderr + (error?.message ?? ''), /Expected --week-start=tuesday to be one of: sunday, monday/)
  })

  it('refuse under --json with the error object on stdout', async () => {
    const {stdout} = await probe(['--quota', '10/fortnight', '--json'])
    assert.equal(process.exitCode, 2)
    assert.deepEqual(JSON.parse(stdout), {
      error: {
        code: 'BAD_INPUT',
        exitCode: 2,
        message: '--quota period must be DAY, WEEK or MONTH; got "fortnight"',
        suggestions: ['See the flags and examples: gwctl probe --help'],
      },
    })
  })
})
