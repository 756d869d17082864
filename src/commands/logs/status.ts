import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {AccessLogging, lacking, type ReplayCheck, type StageLogging} from '../../gateway/access-logging.js'
import {renderTable} from '../../ui/table.js'

/** What simulate can make of the stage's format, in a few words. */
function replayCell(check: ReplayCheck | null): string {
  if (check === null) return ''
  if (check.complete) return check.fieldFlags.length > 0 ? `replays with ${check.fieldFlags.join(' ')}` : 'replays'
  return `${check.replayable ? 'replays in part' : 'cannot replay'}: ${lacking(check)}`
}

export default class LogsStatus extends BaseCommand<typeof LogsStatus> {
  static override summary = 'Show, per stage, whether access logging is on, where to, and whether simulate can replay its format'
  static override description =
    'Lists every stage of every API (or of --api) with its access-log destination (a CloudWatch Logs group or a Firehose stream), its format, and what simulate can make of that format: replays, replays in part (and what the format lacks), or cannot replay. `gwctl logs enable API:STAGE` sets the format simulate reads.'

  static override examples = ['<%= config.bin %> logs status', '<%= config.bin %> logs status --api petstore --json']
  static override flags = {
    api: Flags.string({description: 'only this REST API (id or name)'}),
  }

  async run(): Promise<{items: StageLogging[]; warnings: string[]}> {
    const items = await new AccessLogging(await this.apiGateway(), () => this.cloudWatchLogs()).status(this.flags.api)
    if (items.length === 0) this.log('No stages')
    else {
      this.log(
        renderTable(
          ['API', 'Stage', 'Access logging', 'To', 'simulate'],
          items.map((s) => [
            `${s.restApi.name} (${s.restApi.id})`,
            s.stageName,
            s.enabled ? 'on' : 'off',
            s.destination?.type === 'cloudwatch-logs'
              ? `log group ${s.destination.logGroup}`
              : s.destination?.type === 'firehose'
                ? `Firehose ${s.destination.deliveryStream}`
                : (s.destinationArn ?? ''),
            replayCell(s.replay),
          ]),
          this.style,
        ),
      )
    }

    return {items, warnings: []}
  }
}
