import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {AccessLogging, type EnableResult, type PlannedCall, replayCheck, RETENTION_DAYS} from '../../gateway/access-logging.js'
import {commandLine} from '../../model/command-line.js'
import {badInput} from '../../model/errors.js'
import {parseStageRef} from '../../model/flag-values.js'
import {RECOMMENDED_FORMATS} from '../../simulator/formats.js'
import {confirmOrRefuse} from '../../ui/prompt.js'

/** One planned call as a line: "CloudWatch Logs CreateLogGroup logGroupName=..." or a patch per line. */
function callLines(call: PlannedCall): string[] {
  const {patchOperations, ...rest} = call.input as {patchOperations?: Array<{op: string; path: string; value?: string}>}
  const head = `${call.service} ${call.operation} ${Object.entries(rest)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ')}`.trim()
  return [head, ...(patchOperations ?? []).map((p) => `    ${p.op} ${p.path}${p.value === undefined ? '' : ` ${p.value}`}`)]
}

export default class LogsEnable extends BaseCommand<typeof LogsEnable> {
  static override summary = 'Turn on access logging for a stage, in the format `gwctl simulate` reads'
  static override description = `Sets the stage's access-log destination and format (UpdateStage), with what that needs first: the log group (created when missing; API-Gateway-Access-Logs_API_ID/STAGE unless --log-group) and, for CloudWatch Logs, the Region's account setting cloudwatchRoleArn, without which AWS refuses. --cloudwatch-role-arn sets it (UpdateAccount). Or log to a Kinesis Data Firehose stream (--firehose), whose name must start with amazon-apigateway-.

The format is the one \`gwctl logs format\` prints. A stage that already logs with a format of its own keeps it when it has every field simulate reads; one that lacks any is replaced only after saying what it lacks and asking (--yes replaces it without asking; without a terminal, gwctl refuses unless --yes). --dry-run reads the same and prints the calls it would make, sending nothing.`

  static override examples = [
    '<%= config.bin %> logs enable petstore:prod',
    '<%= config.bin %> logs enable petstore:prod --retention-days 30 --cloudwatch-role-arn arn:aws:iam::123456789012:role/apigateway-cloudwatch',
    '<%= config.bin %> logs enable a1b2c3d4e5:prod --firehose arn:aws:firehose:us-east-1:123456789012:deliverystream/amazon-apigateway-access --format csv',
    '<%= config.bin %> logs enable petstore:prod --log-group /gateway/petstore --dry-run',
  ]

  static override args = {stage: Args.string({description: 'API:STAGE, the API by id or name', required: true})}
  static override flags = {
    'log-group': Flags.string({description: 'CloudWatch Logs group to write to, created when missing [default: API-Gateway-Access-Logs_API_ID/STAGE]'}),
    'retention-days': Flags.integer({description: `days CloudWatch Logs keeps the events (PutRetentionPolicy): ${RETENTION_DAYS.join(', ')}`}),
    firehose: Flags.string({
      description: 'ARN of a Kinesis Data Firehose delivery stream (named amazon-apigateway-...) to write to instead',
      exclusive: ['log-group'],
    }),
    format: Flags.string({
      description: 'access-log format: JSON (recommended), CSV or CLF, as `gwctl logs format` prints it',
      options: Object.keys(RECOMMENDED_FORMATS),
      default: 'json',
    }),
    'cloudwatch-role-arn': Flags.string({
      description: "IAM role API Gateway writes to CloudWatch Logs with, set as the Region's account setting first (UpdateAccount) when it differs",
    }),
    'dry-run': Flags.boolean({description: 'check, and print the calls that would be made; send nothing', default: false}),
    yes: Flags.boolean({
      char: 'y',
      description: "replace the stage's own access-log format, when it lacks fields simulate reads, without asking",
      default: false,
    }),
  }

  async run(): Promise<EnableResult> {
    const f = this.flags
    const {api, stage} = parseStageRef(this.args.stage, 'API:STAGE')
    if (f['retention-days'] !== undefined && !(RETENTION_DAYS as readonly number[]).includes(f['retention-days'])) {
      throw badInput(`--retention-days must be one of ${RETENTION_DAYS.join(', ')} (what CloudWatch Logs accepts); got ${f['retention-days']}`)
    }

    const style = f.format as keyof typeof RECOMMENDED_FORMATS
    const service = new AccessLogging(await this.apiGateway(), () => this.cloudWatchLogs())
    const result = await service.enable({
      api,
      stage,
      format: RECOMMENDED_FORMATS[style],
      style,
      logGroup: f['log-group'],
      firehose: f.firehose,
      retentionDays: f['retention-days'],
      cloudwatchRoleArn: f['cloudwatch-role-arn'],
      dryRun: f['dry-run'],
      confirmReplace: (question) => confirmOrRefuse(question, {yes: f.yes || f['dry-run']}),
    })
    this.render(result)
    return result
  }

  private render(r: EnableResult): void {
    const where = `${r.restApi.name}:${r.stage.stageName}`
    const to = r.logGroup ? `log group ${r.logGroup.name}` : `Firehose stream ${r.firehose!.name}`
    if (r.dryRun) {
      if (r.operations.length === 0) this.log(`Access logging of ${where} is already on, to ${to} in the ${r.formatStyle} format: nothing to do`)
      else
        this.log(
          [
            `Would make these calls (--dry-run: nothing was sent):`,
            ...r.operations.flatMap((call, i) => callLines(call).map((line, j) => (j === 0 ? `  ${i + 1}. ${line}` : `  ${line}`))),
          ].join('\n'),
        )
      if (r.replacedFormat !== null) this.note(`The stage's own format would be replaced: ${r.replacedFormat}`)
      return
    }

    if (r.changed) {
      const group = r.logGroup
      const details = group
        ? [group.created ? 'created' : '', group.retentionInDays ? `retention ${group.retentionInDays} days` : ''].filter(Boolean).join(', ')
        : ''
      this.log(this.style.green(`Access logging of ${where} is on: ${to}${details ? ` (${details})` : ''}, ${r.formatStyle} format`))
    } else this.log(`Access logging of ${where} is already on, to ${to} in the ${r.formatStyle} format: nothing changed`)

    if (r.formatKept) this.note(`Kept the stage's own access-log format: it has every field simulate reads.`)
    if (r.replacedFormat !== null) this.note(`Replaced the stage's own format, which was: ${r.replacedFormat}`)
    const fields = r.formatKept ? replayCheck(r.format).fieldFlags : []
    if (r.logGroup)
      this.note(
        `Replay it later with: ${commandLine('simulate', {'log-group': [r.logGroup.name], since: '24h'})}${fields.length > 0 ? ` ${fields.join(' ')}` : ''}`,
      )
  }
}
