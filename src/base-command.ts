import {Command, Errors, Flags, Interfaces} from '@oclif/core'

import type {ApiGateway} from './aws/api-gateway.js'

import {DEFAULT_MAX_WAIT_S, DEFAULT_TIMEOUT_S} from './aws/retry.js'
import {Session} from './aws/session.js'
import * as flags from './flags.js'
import {FlagValueError} from './flags.js'
import {GwctlError} from './model/errors.js'
import {printableLines} from './model/printable.js'
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
      description: 'send API Gateway calls to this URL instead, e.g. LocalStack or moto at http://127.0.0.1:5000',
      helpGroup: 'AWS',
      env: 'AWS_ENDPOINT_URL_API_GATEWAY',
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
      // A typed flag's own error (src/flags.ts), in gwctl's words rather than oclif's wrapping.
      throw error instanceof FlagValueError ? error.reason : error
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
    const retry = {timeoutMs: (f.timeout ?? DEFAULT_TIMEOUT_S) * 1000, maxWaitMs: (f['max-wait'] ?? DEFAULT_MAX_WAIT_S) * 1000, session: this.session}
    this.apiGatewayPromise ??= import('./aws/api-gateway.js').then(({connectApiGateway}) => connectApiGateway(connection, retry))
    return this.apiGatewayPromise
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

  /** Progress and notes for people; stderr so that stdout stays clean for pipes, silent under --json. */
  protected note(message: string): void {
    if (!this.jsonEnabled()) this.logToStderr(message)
  }

  private report(error: GwctlError): void {
    if (this.jsonEnabled()) this.logJson({error: error.toJSON()})
    else process.stderr.write(`${renderFailure(error, this.errorStyle)}\n`)
  }

  protected override async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    if (!(error instanceof GwctlError)) return super.catch(error)
    process.exitCode = error.exitCode
    this.report(error)
    if (!this.jsonEnabled()) this.exit(error.exitCode)
  }

  protected override toErrorJson(error: unknown): unknown {
    const e = error as Errors.CLIError
    return {error: {code: e.code ?? 'UNEXPECTED', exitCode: e.oclif?.exit ?? 1, message: e.message}}
  }
}
