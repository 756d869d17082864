import {Command, Errors, Flags, Interfaces} from '@oclif/core'
import {stripVTControlCharacters} from 'node:util'

import type {ApiGateway} from './aws/api-gateway.js'
import type {CloudWatchLogs} from './aws/cloudwatch-logs.js'
import type {RetryOptions} from './aws/retry.js'
import type {S3Objects} from './aws/s3.js'

import {DEFAULT_MAX_WAIT_S, DEFAULT_TIMEOUT_S} from './aws/retry.js'
import {Session} from './aws/session.js'
import * as flags from './flags.js'
import {FlagValueError} from './flags.js'
import {badInput, GwctlError} from './model/errors.js'
import {printableLines} from './model/printable.js'
import {closestNames} from './model/resolve.js'
import {renderFailure} from './ui/failure.js'
import {colorEnabled, makeStyle} from './ui/style.js'

/** A notice for the person at the terminal: on stderr, under --json too, unable to act on the terminal. */
const toStderr = (line: string) => process.stderr.write(`${printableLines(line)}\n`)
/** Progress of a change of several calls: only where stderr is a terminal, not in logs and pipes. */
const progressToStderr = (line: string) => process.stderr.isTTY && toStderr(line)

export type GlobalFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/**
 * What every gwctl command shares: the AWS connection flags (with the AWS CLI's
 * meaning) and how long to wait for AWS, --json, one lazily built API Gateway client,
 * what Ctrl-C and SIGTERM do, and the translation of errors into a message,
 * suggestions and a documented exit code.
 *
 * Under --json, stdout holds exactly one JSON document (docs/json.md): the result
 * of run(), always an object carrying `warnings`, or `{"error": ...}` with the
 * process exiting with error.exitCode. Everything else goes to stderr.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    region: flags.region({
      description: 'AWS Region, e.g. us-east-1 (default: AWS_REGION, AWS_DEFAULT_REGION, then the profile)',
      helpGroup: 'AWS',
    }),
    profile: Flags.string({
      description: 'named profile from ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE)',
      helpGroup: 'AWS',
    }),
    'endpoint-url': flags.endpointUrl({
      helpGroup: 'AWS',
      // Read here so that a bad value is refused naming it; without either, the SDK reads AWS_ENDPOINT_URL.
      env: 'AWS_ENDPOINT_URL_API_GATEWAY',
      description:
        'send AWS calls to this URL instead (API Gateway, and CloudWatch Logs and S3 where a command reads them), e.g. LocalStack or moto at http://127.0.0.1:5000 (default: AWS_ENDPOINT_URL_API_GATEWAY, then AWS_ENDPOINT_URL)',
    }),
    timeout: flags.seconds({
      description: `seconds to wait for each answer from AWS before giving up on that try (reads are tried 3 times) [default: ${DEFAULT_TIMEOUT_S}]`,
      helpGroup: 'AWS',
    }),
    'max-wait': flags.waitSeconds({
      description: `seconds one call may spend waiting to be tried again when AWS throttles it or fails [default: ${DEFAULT_MAX_WAIT_S}]`,
      helpGroup: 'AWS',
    }),
  }

  static override enableJsonFlag = true

  protected flags!: GlobalFlags<T>
  protected args!: CommandArgs<T>
  protected readonly style = makeStyle()
  private readonly errorStyle = makeStyle(colorEnabled(process.stderr))
  /** This run as AWS calls see it: interrupts, notices on stderr (under --json too), and progress where stderr is a terminal. */
  protected readonly session = new Session(toStderr, progressToStderr)
  private apiGatewayPromise?: Promise<ApiGateway>
  /** Every warning given so far: printed on stderr, and the result's `warnings` under --json. */
  private readonly warnings: string[] = []
  private cloudWatchLogsPromise?: Promise<CloudWatchLogs>
  private s3Promise?: Promise<S3Objects>
  private readonly onSignal = (signal: NodeJS.Signals) => this.interrupted(signal)

  public override async init(): Promise<void> {
    await super.init()
    const {args, flags} = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (this.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    }).catch((error: unknown) => {
      // The arguments were parsed and refused; oclif would otherwise warn (in development) that parse was never called.
      this.parsed = true
      throw this.parseFailure(error)
    })
    this.flags = flags as GlobalFlags<T>
    this.args = args as CommandArgs<T>
    process.on('SIGINT', this.onSignal)
    process.on('SIGTERM', this.onSignal)
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    process.removeListener('SIGINT', this.onSignal)
    process.removeListener('SIGTERM', this.onSignal)
    return super.finally(error)
  }

  /** API Gateway, connected on first use so that offline commands never load the SDK. */
  protected apiGateway(): Promise<ApiGateway> {
    const f = this.flags
    const connection = {region: f.region, profile: f.profile, endpointUrl: f['endpoint-url']}
    this.apiGatewayPromise ??= import('./aws/api-gateway.js').then(({connectApiGateway}) => connectApiGateway(connection, this.retryOptions()))
    return this.apiGatewayPromise
  }

  /** CloudWatch Logs, connected (and its SDK loaded) on first use. */
  protected cloudWatchLogs(): Promise<CloudWatchLogs> {
    this.cloudWatchLogsPromise ??= Promise.all([import('./aws/cloudwatch-logs.js'), import('./aws/connection.js')]).then(
      ([{connectCloudWatchLogs}, {endpointFor}]) =>
        connectCloudWatchLogs(
          {region: this.flags.region, profile: this.flags.profile, endpointUrl: endpointFor('CloudWatch Logs', this.endpointOnCommandLine())},
          this.retryOptions(),
        ),
    )
    return this.cloudWatchLogsPromise
  }

  /** S3, connected (and its SDK loaded) on first use. */
  protected s3(): Promise<S3Objects> {
    this.s3Promise ??= Promise.all([import('./aws/s3.js'), import('./aws/connection.js')]).then(([{connectS3}, {endpointFor}]) =>
      connectS3({region: this.flags.region, profile: this.flags.profile, endpointUrl: endpointFor('S3', this.endpointOnCommandLine())}, this.retryOptions()),
    )
    return this.s3Promise
  }

  /** The AWS flags the command line gives, e.g. ['--region'], for commands that refuse them when they read no AWS account. */
  protected awsFlagsGiven(): string[] {
    return ['--region', '--profile', '--endpoint-url', '--timeout', '--max-wait'].filter((flag) =>
      this.argv.some((arg) => arg === flag || arg.startsWith(`${flag}=`)),
    )
  }

  /**
   * --endpoint-url as typed on the command line: it then serves every service the command
   * calls (one emulator serves them all). Taken from AWS_ENDPOINT_URL_API_GATEWAY, it is API Gateway's only.
   */
  private endpointOnCommandLine(): string | undefined {
    return this.awsFlagsGiven().includes('--endpoint-url') ? this.flags['endpoint-url'] : undefined
  }

  /** The retry rule's settings from --timeout and --max-wait, with this run's session, for every AWS client. */
  private retryOptions(): RetryOptions {
    const f = this.flags
    return {timeoutMs: (f.timeout ?? DEFAULT_TIMEOUT_S) * 1000, maxWaitMs: (f['max-wait'] ?? DEFAULT_MAX_WAIT_S) * 1000, session: this.session}
  }

  /**
   * Ctrl-C or SIGTERM. Before anything was sent that changes AWS: stop at once (exit 130).
   * After: let the call in flight finish, send nothing more, and report what was done
   * like any failure part way (exit 7). A second signal stops at once.
   */
  private interrupted(signal: NodeJS.Signals): void {
    const again = this.session.interrupted.aborted
    if (!this.session.sentChanges || again) {
      const error = again
        ? new GwctlError(
            'PARTIAL_FAILURE',
            `Stopped at once (${signal} again): the call in flight may or may not have taken effect, and no report was made; check what the command changes before running it again`,
          )
        : new GwctlError('ABORTED', `Cancelled (${signal}); nothing was changed`)
      this.report(error)
      // From a signal handler, not from run(): an error or oclif's exit() would be thrown into nowhere.
      // eslint-disable-next-line unicorn/no-process-exit -- a signal handler has no caller to throw to
      process.exit(error.exitCode)
    }

    this.session.interrupt(signal)
    this.session.note(`${signal}: stopping after the call in flight, then reporting what was done (${signal} again stops at once)`)
  }

  /** A line for people on stderr, under --json too: stdout then holds only the JSON document. */
  protected stderr(message: string): void {
    toStderr(message)
  }

  /** Progress and notes for people: on stderr, so that stdout stays clean for pipes. */
  protected note(message: string): void {
    this.stderr(message)
  }

  /** Something the user should know although the command succeeded: on stderr now, and in the result's `warnings`. */
  protected warning(message: string): void {
    if (this.warnings.includes(message)) return
    this.warnings.push(message)
    this.stderr(this.errorStyle.yellow(`Warning: ${message}`))
  }

  /**
   * The result as scripts read it: a plain JSON object with `warnings` (every warning
   * given, and any the result carries), without the SDK's response metadata.
   */
  protected override toSuccessJson(result: unknown): unknown {
    const body = JSON.parse(JSON.stringify(result, (key, value: unknown) => (key === '$metadata' ? undefined : value))) as Record<string, unknown> & {
      warnings?: string[]
    }
    for (const warning of body.warnings ?? []) if (!this.warnings.includes(warning)) this.warnings.push(warning)
    return {...body, warnings: this.warnings}
  }

  /** A failure as people or scripts read it: the JSON error document under --json, else the message and report on stderr. */
  private report(error: GwctlError): void {
    if (this.jsonEnabled()) this.logJson({error: error.toJSON()})
    else this.stderr(renderFailure(error, this.errorStyle))
  }

  protected override catch(error: Error & {exitCode?: number}): Promise<unknown> {
    if (error instanceof Errors.ExitError) throw error
    const failure = error instanceof GwctlError ? error : unexpected(error)
    process.exitCode = failure.exitCode
    this.report(failure)
    if (this.jsonEnabled()) return Promise.resolve()
    if (failure.code === 'UNEXPECTED' && process.env.DEBUG && error.stack) this.stderr(error.stack)
    this.exit(failure.exitCode)
  }

  /**
   * A command line gwctl could not read, in gwctl's words: bad input (exit 2) naming
   * the flag or argument, with a close match for a mistyped flag and where to find help.
   */
  private parseFailure(error: unknown): GwctlError {
    if (error instanceof GwctlError) return error
    const help = `See the flags and examples: gwctl ${this.id?.replaceAll(':', ' ')} --help`
    // A typed flag's own error (src/flags.ts): already in gwctl's words, naming the flag and the value.
    if (error instanceof FlagValueError) return badInput(error.reason.message, {suggestions: [...error.reason.suggestions, help], cause: error})
    const unknownFlags = (error as {flags?: unknown}).flags
    const missingArgs = (error as {args?: Array<{name: string; description?: string}>}).args
    let message = oclifMessage(error)
    const suggestions: string[] = []
    if (Array.isArray(unknownFlags)) {
      const known = Object.keys({...this.ctor.flags, ...(this.ctor as typeof BaseCommand).baseFlags}).map((name) => `--${name}`)
      message = `Unknown flag${unknownFlags.length === 1 ? '' : 's'} ${unknownFlags.join(', ')}`
      for (const flag of unknownFlags) {
        const close = closestNames(String(flag).split('=')[0], known)
        if (close.length > 0) suggestions.push(`Did you mean ${close.join(' or ')}?`)
      }
    } else if (/^Missing \d+ required arg/.test(message) && Array.isArray(missingArgs)) {
      message = `Missing ${missingArgs.map((a) => `${a.name.toUpperCase()}${a.description ? ` (${a.description})` : ''}`).join(', ')}`
    }

    return badInput(message, {suggestions: [...suggestions, help], cause: error})
  }
}

/** An error gwctl did not foresee (a bug, or a failure nothing translated): exit 1, with its message. */
function unexpected(error: Error): GwctlError {
  const exit = (error as Errors.CLIError).oclif?.exit
  const message = error.message || String(error)
  return new GwctlError(exit === 2 ? 'BAD_INPUT' : 'UNEXPECTED', error instanceof Errors.CLIError ? message : `${error.name ?? 'Error'}: ${message}`, {
    cause: error,
  })
}

/** oclif's message for a command line it could not parse, without its decoration: colour, headings, the --help hint. */
function oclifMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error)
  return stripVTControlCharacters(raw)
    .replace(/\nSee more help with --help$/, '')
    .replace(/^The following errors? occurred:\n\s*/, '')
    .replace(/^Parsing (--[\w-]+) \n\t/, '$1: ')
    .replaceAll(/Missing required flag ([\w-]+)/g, 'Missing required flag --$1')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
}
