import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {commandLine, placeholder} from '../../model/command-line.js'
import {badInput} from '../../model/errors.js'
import {RECOMMENDED_FORMATS} from '../../simulator/formats.js'

const WHY_KEY_ID =
  'It logs $context.identity.apiKeyId, not $context.identity.apiKey: the key value is a secret, and logging it would hand it to everyone who can read the log group. The id is enough for `gwctl simulate` to find the key in a snapshot.'

export default class LogsFormat extends BaseCommand<typeof LogsFormat> {
  static override summary = 'Print the access-log format that records everything `simulate` needs'
  static override description = `Prints one line to use as a stage's access-log format: AWS's sample fields plus the request time in milliseconds (requestTimeEpoch), the API id, the stage and the API key id, and both request ids (AWS requires one of them and recommends both).

${WHY_KEY_ID}`

  static override examples = [
    '<%= config.bin %> logs format',
    '<%= config.bin %> logs enable petstore:prod',
    `$ aws apigateway update-stage --rest-api-id a1b2c3d4e5 --stage-name prod --patch-operations "op=replace,path=/accessLogSettings/format,value='$(<%= config.bin %> logs format)'"`,
    '<%= config.bin %> logs format --format clf',
  ]

  static override flags = {
    format: Flags.string({description: 'JSON (recommended: fastest to replay), CSV or CLF', options: Object.keys(RECOMMENDED_FORMATS), default: 'json'}),
  }

  run(): Promise<{format: string; style: string; notes: string[]}> {
    // Until the commands that talk to AWS have their own base, the AWS flags are accepted here: refuse them rather than ignore them.
    const aws = ['--region', '--profile', '--endpoint-url', '--timeout', '--max-wait'].find((flag) =>
      this.argv.some((arg) => arg === flag || arg.startsWith(`${flag}=`)),
    )
    if (aws) throw badInput(`${aws} does not apply: logs format prints a format and reads no AWS account`)
    const style = this.flags.format as keyof typeof RECOMMENDED_FORMATS
    const format = RECOMMENDED_FORMATS[style]
    this.log(format)
    const notes = [
      WHY_KEY_ID,
      `Set it on a stage with: ${commandLine('logs enable', {stage: placeholder('API:STAGE'), format: style === 'json' ? undefined : style})} (creates the log group, checks the account's CloudWatch role)`,
    ]
    for (const note of notes) this.note(note)
    return Promise.resolve({format, style, notes})
  }
}
