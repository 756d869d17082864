/** Quotes one argument for a POSIX shell, only when it needs it, so printed commands stay readable. */
export function shellQuote(arg: string): string {
  if (/^[\w/:=.,@%+-]+$/.test(arg)) return arg
  return `'${arg.replaceAll("'", String.raw`'\''`)}'`
}

/** A gwctl command line, ready to paste into a shell script. */
export function gwctlCommandLine(argv: string[]): string {
  return ['gwctl', ...argv].map(shellQuote).join(' ')
}

/** An AWS CLI command line (`aws ...`), for reports and fixes that gwctl cannot run itself. */
export function awsCommandLine(argv: string[]): string {
  return ['aws', ...argv].map(shellQuote).join(' ')
}
