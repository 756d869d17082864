/**
 * Text from outside gwctl (names in the account, lines of a file) made safe to print on a
 * terminal: control characters (C0, DEL, C1: among them ESC, which starts the sequences
 * that move the cursor or clear the screen) and the Unicode marks that reverse the
 * direction of text are shown as escapes (\x1b, \u202e) instead of acting. A name that
 * has them looks odd, and cannot rewrite what the person sees.
 */

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g

const escape = (c: string) => {
  const code = c.codePointAt(0)!
  return code <= 0xff ? String.raw`\x${code.toString(16).padStart(2, '0')}` : String.raw`\u${code.toString(16).padStart(4, '0')}`
}

/** One value (a name, a cell): every control character escaped, line breaks too. */
export const printable = (text: string): string => text.replaceAll(UNSAFE, escape)

/** A message of several lines: control characters escaped, line breaks kept. */
export const printableLines = (text: string): string => text.replaceAll(UNSAFE_BUT_NEWLINE, escape)
