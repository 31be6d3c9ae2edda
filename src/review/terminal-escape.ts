/**
 * Third-party text for a terminal: control characters (an ANSI escape in a reply could move
 * the cursor, rewrite what the reviewer sees or set the window title) and bidirectional
 * overrides are shown as visible \u{…} codes; line breaks and tabs stay.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this finds
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeForTerminal(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(UNSAFE, (ch) => `\\u{${ch.codePointAt(0)!.toString(16)}}`);
}
