import {Command, Errors, Flags, Interfaces} from '@oclif/core'

import type {ApiGateway} from './aws/api-gateway.js'
import type {CloudWatchLogs} from './aws/cloudwatch-logs.js'
import type {ConnectionOptions} from './aws/connection.js'
import type {RetryOptions} from './aws/retry.js'
import type {S3Objects} from './aws/s3.js'

import {FlagValueError} from './flags.js'
import {GwctlError} from './model/errors.js'
import {colorEnabled, makeStyle} from './ui/style.js'

export type GlobalFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/**
 * What every gwctl command shares: the AWS connection flags (with the AWS CLI's
 * meaning), --json, one lazily built API Gateway client, and the translation of
 * errors into a message, suggestions and a documented exit code.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    region: Flags.string({
      description: 'AWS Region, e.g. us-east-1 (default: AWS_REGION, AWS_DEFAULT_REGION, then the profile)',
      helpGroup: 'AWS',
    }),
    profile: Flags.string({
      description: 'named profile from ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE)',
      helpGroup: 'AWS',
    }),
    'endpoint-url': Flags.url({
      description:
        'send AWS calls to this URL instead (API Gateway, and CloudWatch Logs and S3 where a command reads them), e.g. LocalStack or moto at http://127.0.0.1:5000',
      helpGroup: 'AWS',
      env: 'AWS_ENDPOINT_URL_API_GATEWAY',
    }),
  }

  static override enableJsonFlag = true

  protected flags!: GlobalFlags<T>
  protected args!: CommandArgs<T>
  protected readonly style = makeStyle()
  private readonly errorStyle = makeStyle(colorEnabled(process.stderr))
  private apiGatewayPromise?: Promise<ApiGateway>
  private cloudWatchLogsPromise?: Promise<CloudWatchLogs>
  private s3Promise?: Promise<S3Objects>

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
  }

  /** API Gateway, connected on first use so that offline commands never load the SDK. */
  protected apiGateway(): Promise<ApiGateway> {
    this.apiGatewayPromise ??= Promise.all([import('./aws/api-gateway.js'), import('./aws/connection.js')]).then(([{connectApiGateway}, {endpointFor}]) =>
      connectApiGateway({...this.connection(), endpointUrl: endpointFor('API Gateway', this.flags['endpoint-url']?.toString())}, this.retryRule()),
    )
    return this.apiGatewayPromise
  }

  /** CloudWatch Logs, connected (and its SDK loaded) on first use. */
  protected cloudWatchLogs(): Promise<CloudWatchLogs> {
    this.cloudWatchLogsPromise ??= Promise.all([import('./aws/cloudwatch-logs.js'), import('./aws/connection.js')]).then(
      ([{connectCloudWatchLogs}, {endpointFor}]) =>
        connectCloudWatchLogs({...this.connection(), endpointUrl: endpointFor('CloudWatch Logs', this.endpointOnCommandLine())}, this.retryRule()),
    )
    return this.cloudWatchLogsPromise
  }

  /** S3, connected (and its SDK loaded) on first use. */
  protected s3(): Promise<S3Objects> {
    this.s3Promise ??= Promise.all([import('./aws/s3.js'), import('./aws/connection.js')]).then(([{connectS3}, {endpointFor}]) =>
      connectS3({...this.connection(), endpointUrl: endpointFor('S3', this.endpointOnCommandLine())}, this.retryRule()),
    )
    return this.s3Promise
  }

  /** The AWS flags the command line gives, e.g. ['--region'], for commands that refuse them when they read no AWS account. */
  protected awsFlagsGiven(): string[] {
    return ['--region', '--profile', '--endpoint-url'].filter((flag) => this.argv.some((arg) => arg === flag || arg.startsWith(`${flag}=`)))
  }

  /**
   * --endpoint-url as typed on the command line: it then serves every service the command
   * calls. Taken from AWS_ENDPOINT_URL_API_GATEWAY, it is API Gateway's only.
   */
  private endpointOnCommandLine(): string | undefined {
    return this.awsFlagsGiven().includes('--endpoint-url') ? this.flags['endpoint-url']?.toString() : undefined
  }

  private connection(): ConnectionOptions {
    return {region: this.flags.region, profile: this.flags.profile}
  }

  private retryRule(): RetryOptions {
    return {
      onRetry: ({service, action, delayMs, reason}) => {
        const what = reason === 'throttled' ? `AWS is throttling ${action}` : `${service} failed while ${action}`
        this.logToStderr(this.errorStyle.yellow(`${what}; retrying in ${(delayMs / 1000).toFixed(1)} s`))
      },
    }
  }

  /** Progress and notes for people; stderr so that stdout stays clean for pipes, silent under --json. */
  protected note(message: string): void {
    if (!this.jsonEnabled()) this.logToStderr(message)
  }

  protected override async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    if (!(error instanceof GwctlError)) return super.catch(error)
    process.exitCode = error.exitCode
    if (this.jsonEnabled()) {
      this.logJson({error: error.toJSON()})
      return
    }

    // Printed unwrapped, one fact per line, so that people and grep both read it.
    const lines = [`${this.errorStyle.red.bold('Error:')} ${error.message}`]
    if (error.done.length > 0) lines.push('Already changed before the failure:', ...error.done.map((d) => `  - ${d}`))
    lines.push(...error.suggestions.map((s, i) => `${i === 0 ? 'Try:' : '    '} ${s}`))
    this.logToStderr(lines.join('\n'))
    this.exit(error.exitCode)
  }

  protected override toErrorJson(error: unknown): unknown {
    const e = error as Errors.CLIError
    return {error: {code: e.code ?? 'UNEXPECTED', exitCode: e.oclif?.exit ?? 1, message: e.message}}
  }
}
