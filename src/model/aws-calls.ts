/**
 * The AWS calls a writing command sends, or with --dry-run would send, named as AWS
 * names them (the operation of the API reference) with their input. Commands print
 * them for --dry-run and return them as `calls` under --json (docs/json.md), so a
 * script can see exactly what a change amounts to before making it.
 */
export interface AwsCall {
  /** AWS's operation name, e.g. "UpdateUsagePlan". */
  operation: string
  /** The request as the SDK takes it; secrets (key values) masked. Values not known before earlier calls answer are written in angle brackets, e.g. "<id of the new key>". */
  input: Record<string, unknown>
}

export const awsCall = (operation: string, input: object): AwsCall => ({operation, input: {...input}})

/** What a writing command reports besides its resource: whether it changed anything, and the calls sent (with --dry-run: to be sent). */
export interface WriteOutcome {
  /** False when nothing needed changing, and always with --dry-run. */
  changed: boolean
  dryRun: boolean
  calls: AwsCall[]
}
