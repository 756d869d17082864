import {randomUUID} from 'node:crypto'
import {type ClientRequest, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {Socket} from 'node:net'

/**
 * An HTTP proxy on 127.0.0.1 in front of moto (or any HTTP endpoint) that fails requests the way
 * networks and AWS do, as each test programs it. Point gwctl at `proxy.url` with --endpoint-url.
 *
 *   const proxy = await startFaultProxy(moto.current.url)
 *   proxy.when({method: 'POST', path: /^\/usageplans$/, nth: 1}).failAfter()   // created, answer lost
 *   ... run gwctl ...
 *   proxy.requests  // every request: method, path, status, forwarded, fault
 *   await proxy.stop()
 */

/** Which requests a rule applies to. */
export interface RequestMatch {
  /** HTTP method; any when omitted. */
  method?: string
  /** Tested against the path as sent, without the query string (e.g. /usageplans/abc/keys). */
  path?: RegExp
  /** Tested against the query string without '?' (e.g. /mode=import/). */
  query?: RegExp
}

export interface RuleWindow {
  /** Only from the Nth matching request on (1 = the first); every matching request when omitted. */
  nth?: number
  /** How many matching requests, from the nth on, the fault applies to: 1 when nth is given, else all. */
  times?: number
}

export interface ErrorAnswer {
  /** 500 unless given. */
  status?: number
  /** The x-amzn-ErrorType header, from which the SDK names the exception. */
  errorType?: string
  message?: string
  /** A body sent as it is (text/html) instead of AWS's JSON, as a load balancer in the way answers; no x-amzn-ErrorType then. */
  rawBody?: string
}

export type Fault =
  /** Forwards, lets moto do the work, then answers an error instead of moto's answer (the answer is lost). */
  | ({kind: 'failAfter'} & ErrorAnswer)
  /** Answers an error without forwarding: nothing happened. */
  | ({kind: 'failBefore'} & ErrorAnswer)
  /** Destroys the client's connection before forwarding (nothing happened) or after moto answered (it did). */
  | {kind: 'reset'; when: 'before' | 'after'}
  /** 429 without forwarding; Retry-After (seconds) when given. */
  | {kind: 'throttle'; retryAfter?: number | string; errorType?: 'LimitExceededException' | 'TooManyRequestsException'; message?: string}
  /** Never forwards; holds the connection open for ms, then destroys it, or until the proxy stops. */
  | {kind: 'stall'; ms?: number}
  /** Forwards after ms. */
  | {kind: 'delay'; ms: number}
  /** Holds the request until the rule's release() is called, then forwards it: to make two clients interleave. */
  | {kind: 'hold'}

export type FaultKind = Fault['kind']

export interface FaultRule extends RequestMatch, RuleWindow {
  fault: Fault
}

/** A rule added to the proxy: how many requests it matched and how many it failed. */
export interface ActiveRule {
  readonly rule: FaultRule
  /** Requests that matched method, path and query (whether or not the fault applied). */
  readonly matched: number
  /** Requests the fault was applied to. */
  readonly applied: number
  remove(): void
  /** For a hold: forwards every request held so far, and those that match later. */
  release(): void
}

export interface ProxiedRequest {
  method: string
  path: string
  query: string
  /** The request body as text (JSON for API Gateway calls), once received. */
  body?: string
  /** The status the client received; undefined when it got no HTTP answer (reset, stall) or none yet. */
  status?: number
  /** The status moto answered, when the request was forwarded and moto answered. */
  upstreamStatus?: number
  /** Whether the request reached moto. */
  forwarded: boolean
  /** The fault applied, if any. */
  fault?: FaultKind
  /** How the exchange ended so far. */
  outcome: 'pending' | 'answered' | 'reset' | 'stalled' | 'client-gone'
  /** When it arrived (Date.now()), to check how far apart a client spaced its calls. */
  receivedAt: number
}

export interface FaultBuilder {
  failAfter(answer?: ErrorAnswer): ActiveRule
  failBefore(answer?: ErrorAnswer): ActiveRule
  reset(when: 'before' | 'after'): ActiveRule
  throttle(options?: {retryAfter?: number | string; errorType?: 'LimitExceededException' | 'TooManyRequestsException'; message?: string}): ActiveRule
  stall(ms?: number): ActiveRule
  delay(ms: number): ActiveRule
  hold(): ActiveRule
}

export interface FaultProxy {
  url: string
  /** Every request received, in order of arrival. */
  readonly requests: readonly ProxiedRequest[]
  addRule(rule: FaultRule): ActiveRule
  /** `proxy.when({method: 'POST', path: /^\/apikeys$/, nth: 2}).failAfter()` */
  when(match: RequestMatch & RuleWindow): FaultBuilder
  clearRules(): void
  /**
   * Resolves with the first matching request among those received after the first `after`
   * (default 0: all of them), waiting for it if needed; e.g. to act while a call is stalled.
   */
  waitForRequest(match: RequestMatch, options?: {timeoutMs?: number; after?: number}): Promise<ProxiedRequest>
  /** Requests that match, received so far. */
  requestsMatching(match: RequestMatch): ProxiedRequest[]
  /** Closes the listener and every connection (stalled ones too); resolves when all are gone. */
  stop(): Promise<void>
}

class Rule implements ActiveRule {
  matched = 0
  applied = 0
  /** Settles when release() is called (hold rules). */
  readonly released: Promise<void>
  release!: () => void
  constructor(
    readonly rule: FaultRule,
    private readonly drop: (rule: Rule) => void,
  ) {
    this.released = new Promise((resolve) => {
      this.release = resolve
    })
  }

  remove() {
    this.drop(this)
  }

  /** Counts a matching request and says whether the fault applies to it. */
  take(request: ProxiedRequest): boolean {
    if (!matches(this.rule, request)) return false
    this.matched += 1
    const first = this.rule.nth ?? 1
    const times = this.rule.times ?? (this.rule.nth === undefined ? Number.POSITIVE_INFINITY : 1)
    if (this.matched < first || this.matched >= first + times) return false
    this.applied += 1
    return true
  }
}

function matches(match: RequestMatch, request: Pick<ProxiedRequest, 'method' | 'path' | 'query'>): boolean {
  return (
    (match.method === undefined || match.method.toUpperCase() === request.method) &&
    (match.path === undefined || match.path.test(request.path)) &&
    (match.query === undefined || match.query.test(request.query))
  )
}

/** An answer shaped like API Gateway's errors: JSON {"message"}, x-amzn-ErrorType, a request id. */
function sendError(
  response: ServerResponse,
  status: number,
  errorType: string | undefined,
  message: string,
  headers: Record<string, string> = {},
  rawBody?: string,
): void {
  const body = rawBody ?? JSON.stringify({message})
  response.writeHead(status, {
    'content-type': rawBody === undefined ? 'application/json' : 'text/html',
    'content-length': Buffer.byteLength(body),
    ...(errorType === undefined ? {} : {'x-amzn-errortype': errorType}),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  })
  response.end(body)
}

interface Upstream {
  status: number
  headers: IncomingMessage['headers']
  body: Buffer
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstreamUrl = new URL(target)
  const rules: Rule[] = []
  const requests: ProxiedRequest[] = []
  const sockets = new Set<Socket>()
  const outgoing = new Set<ClientRequest>()
  const timers = new Set<NodeJS.Timeout>()
  const waiters: Array<{match: RequestMatch; resolve: (r: ProxiedRequest) => void}> = []
  let stopping = false
  let stopped: Promise<void> | undefined
  let endHolds!: () => void
  const stoppedSignal = new Promise<void>((resolve) => {
    endHolds = resolve
  })

  const later = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        resolve()
      }, ms)
      timers.add(timer)
    })

  /** Sends the request on to moto and reads its whole answer. */
  const forward = (request: IncomingMessage, body: Buffer): Promise<Upstream> =>
    new Promise((resolve, reject) => {
      const call = httpRequest(
        {
          hostname: upstreamUrl.hostname,
          port: upstreamUrl.port,
          method: request.method,
          path: request.url,
          headers: request.headers,
          agent: false,
        },
        (answer) => {
          const chunks: Buffer[] = []
          answer.on('data', (c: Buffer) => chunks.push(c))
          answer.on('end', () => resolve({status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks)}))
          answer.on('error', reject)
        },
      )
      outgoing.add(call)
      call.on('close', () => outgoing.delete(call))
      call.on('error', reject)
      call.end(body)
    })

  const readBody = (request: IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = []
      request.on('data', (c: Buffer) => chunks.push(c))
      request.on('end', () => resolve(Buffer.concat(chunks)))
      request.on('error', reject)
    })

  const destroy = (request: IncomingMessage, record: ProxiedRequest, outcome: 'reset' | 'stalled') => {
    record.outcome = outcome
    request.socket.destroy()
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://proxy')
    const record: ProxiedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: url.search.slice(1),
      forwarded: false,
      outcome: 'pending',
      receivedAt: Date.now(),
    }
    requests.push(record)
    for (const waiter of waiters.filter((w) => matches(w.match, record))) waiter.resolve(record)
    response.on('close', () => {
      if (record.outcome === 'pending') record.outcome = 'client-gone'
    })

    // Every rule counts the request; the first one whose window holds it applies.
    let applied: Rule | undefined
    for (const rule of rules) if (rule.take(record) && applied === undefined) applied = rule
    const fault = applied?.rule.fault
    record.fault = fault?.kind

    const answerWith = (upstream: Upstream) => {
      record.status = upstream.status
      record.outcome = 'answered'
      const headers = {...upstream.headers}
      delete headers['transfer-encoding']
      headers['content-length'] = String(upstream.body.length)
      response.writeHead(upstream.status, headers)
      response.end(upstream.body)
    }

    const answerError = (status: number, errorType: string | undefined, message: string, headers: Record<string, string> = {}, rawBody?: string) => {
      record.status = status
      record.outcome = 'answered'
      sendError(response, status, errorType, message, headers, rawBody)
    }

    try {
      const body = await readBody(request)
      record.body = body.toString('utf8')
      const sendForwarded = async () => {
        record.forwarded = true
        const upstream = await forward(request, body)
        record.upstreamStatus = upstream.status
        return upstream
      }

      switch (fault?.kind) {
        case undefined: {
          answerWith(await sendForwarded())
          break
        }

        case 'failBefore':
        case 'failAfter': {
          if (fault.kind === 'failAfter') await sendForwarded()
          const errorType = fault.rawBody === undefined ? (fault.errorType ?? 'InternalServerErrorException') : fault.errorType
          answerError(fault.status ?? 500, errorType, fault.message ?? 'Internal server error', {}, fault.rawBody)
          break
        }

        case 'reset': {
          if (fault.when === 'after') await sendForwarded()
          destroy(request, record, 'reset')
          break
        }

        case 'throttle': {
          const headers: Record<string, string> = fault.retryAfter === undefined ? {} : {'retry-after': String(fault.retryAfter)}
          answerError(429, fault.errorType ?? 'TooManyRequestsException', fault.message ?? 'Too Many Requests', headers)
          break
        }

        case 'stall': {
          record.outcome = 'stalled'
          if (fault.ms !== undefined) {
            await later(fault.ms)
            destroy(request, record, 'stalled')
          }

          break
        }

        case 'delay': {
          await later(fault.ms)
          if (!stopping) answerWith(await sendForwarded())
          break
        }

        case 'hold': {
          await Promise.race([applied!.released, stoppedSignal])
          if (!stopping) answerWith(await sendForwarded())
        }
      }
    } catch (error) {
      // moto unreachable, or the client went away: answer as a gateway would, if anyone listens.
      if (!response.headersSent && !response.destroyed) answerError(502, 'BadGatewayException', `fault proxy: ${(error as Error).message}`)
    }
  }

  const server: Server = createServer((request, response) => void handle(request, response))
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const {port} = server.address() as {port: number}

  const addRule = (rule: FaultRule): ActiveRule => {
    const active = new Rule(rule, (r) => {
      if (rules.includes(r)) rules.splice(rules.indexOf(r), 1)
    })
    rules.push(active)
    return active
  }

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    addRule,
    when(match) {
      const add = (fault: Fault) => addRule({...match, fault})
      return {
        failAfter: (answer = {}) => add({kind: 'failAfter', ...answer}),
        failBefore: (answer = {}) => add({kind: 'failBefore', ...answer}),
        reset: (when) => add({kind: 'reset', when}),
        throttle: (options = {}) => add({kind: 'throttle', ...options}),
        stall: (ms) => add({kind: 'stall', ms}),
        delay: (ms) => add({kind: 'delay', ms}),
        hold: () => add({kind: 'hold'}),
      }
    },
    clearRules() {
      rules.length = 0
    },
    requestsMatching: (match) => requests.filter((r) => matches(match, r)),
    waitForRequest(match, {timeoutMs = 10_000, after = 0} = {}) {
      const seen = requests.slice(after).find((r) => matches(match, r))
      if (seen) return Promise.resolve(seen)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          timers.delete(timer)
          waiters.splice(waiters.indexOf(waiter), 1)
          reject(new Error(`no ${match.method ?? ''} request to ${match.path ?? 'any path'} ${match.query ?? ''} within ${timeoutMs} ms`))
        }, timeoutMs)
        timers.add(timer)
        const waiter = {
          match,
          resolve(r: ProxiedRequest) {
            clearTimeout(timer)
            timers.delete(timer)
            waiters.splice(waiters.indexOf(waiter), 1)
            resolve(r)
          },
        }
        waiters.push(waiter)
      })
    },
    stop() {
      stopped ??= (async () => {
        stopping = true
        endHolds()
        for (const timer of timers) clearTimeout(timer)
        timers.clear()
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        for (const call of outgoing) call.destroy()
        for (const socket of sockets) socket.destroy()
        server.closeAllConnections()
        await closed
      })()
      return stopped
    },
  }
}
