import {GetApiKeysCommand, GetUsagePlanKeysCommand, GetUsagePlansCommand, type ApiKey, type UsagePlan} from '@aws-sdk/client-api-gateway'
import assert from 'node:assert/strict'

import {type CliResult, runCli, type RunningCli, startCli} from './cli.js'
import {type FaultProxy, startFaultProxy} from './fault-proxy.js'
import {sdkFor} from './moto-api.js'
import {MOTO_ENV, type Moto} from './moto.js'

/**
 * The fault suite's set-up: the run's moto (reset before each test by useMoto) with a fresh
 * fault proxy in front of it for each test. gwctl talks to the proxy; the test reads what
 * really happened from moto directly, past the proxy.
 */
export interface FaultBench {
  proxy: FaultProxy
  /** The built CLI, pointed at the proxy. */
  gwctl(args: string[], options?: {input?: string; env?: NodeJS.ProcessEnv}): Promise<CliResult>
  /** The built CLI started, pointed at the proxy, for a test that acts while it runs. */
  start(args: string[], options?: {input?: string; env?: NodeJS.ProcessEnv}): RunningCli
  /** Runs gwctl and parses its --json stdout; it must exit `code` (0 unless given). */
  json<T = Record<string, unknown>>(args: string[], code?: number): Promise<T>
  /** What moto holds, read past the proxy. */
  plans(): Promise<UsagePlan[]>
  keys(): Promise<ApiKey[]>
  planKeyIds(planId: string): Promise<string[]>
}

const env = (extra?: NodeJS.ProcessEnv) => ({...MOTO_ENV, ...extra})

export function useFaultProxy(moto: {current: Moto}): FaultBench {
  const bench = {} as FaultBench
  beforeEach(async () => {
    bench.proxy = await startFaultProxy(moto.current.url)
  })
  afterEach(async () => {
    await bench.proxy?.stop()
  })

  const withProxy = (args: string[]) => [...args, '--endpoint-url', bench.proxy.url]
  const sdk = () => sdkFor(moto.current.url)
  Object.assign(bench, {
    gwctl: (args: string[], options: {input?: string; env?: NodeJS.ProcessEnv} = {}) => runCli(withProxy(args), {input: options.input, env: env(options.env)}),
    start: (args: string[], options: {input?: string; env?: NodeJS.ProcessEnv} = {}) =>
      startCli(withProxy(args), {input: options.input, env: env(options.env)}),
    async json(args: string[], code = 0) {
      const result = await runCli(withProxy([...args, '--json']), {env: env()})
      assert.equal(result.code, code, `gwctl ${args.join(' ')} --json exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`)
      return JSON.parse(result.stdout)
    },
    plans: async () => (await sdk().send(new GetUsagePlansCommand({limit: 500}))).items ?? [],
    keys: async () => (await sdk().send(new GetApiKeysCommand({limit: 500, includeValues: true}))).items ?? [],
    planKeyIds: async (planId: string) =>
      ((await sdk().send(new GetUsagePlanKeysCommand({usagePlanId: planId, limit: 500}))).items ?? []).map((k) => k.id!).toSorted(),
  })
  return bench
}

/** Waits until `test` holds, polling; fails after `timeoutMs`. */
export async function eventually(test: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!test()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** The resource a command's --json result holds under its AWS name (e.g. `usagePlan`), or the result itself where the command returns it bare. */
export function resourceOf<T = {id: string; name?: string; value?: string}>(result: Record<string, unknown>, name: string): T {
  return (result[name] ?? result) as T
}
