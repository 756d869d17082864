import {Command, Errors, Flags, Interfaces} from '@oclif/core'

import type {ApiGateway} from './aws/api-gateway.js'

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
      description: 'send API Gateway calls to this URL instead, e.g. LocalStack or moto at http://127.0.0.1:5000',
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
    this.apiGatewayPromise ??= import('./aws/api-gateway.js').then(({connectApiGateway}) =>
      connectApiGateway(
        {
          region: this.flags.region,
          profile: this.flags.profile,
          endpointUrl: this.flags['endpoint-url']?.toString(),
        },
        {
          onRetry: ({service, action, delayMs, reason}) => {
            const what = reason === 'throttled' ? `AWS is throttling ${action}` : `${service} failed while ${action}`
            this.logToStderr(this.errorStyle.yellow(`${what}; retrying in ${(delayMs / 1000).toFixed(1)} s`))
          },
        },
      ),
    )
    return this.apiGatewayPromise
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
