/**
 * Input (keys, values, file names, source lines) reaches the human formats; a terminal or
 * a CI log acts on control characters in it (ESC/OSC sequences clear the screen, set the
 * title, hide text or forge links; a newline starts a fake `::error` workflow command;
 * bidi overrides reorder what is shown). Every such character is shown as a visible
 * escape instead: `\n`, `\r`, `\t`, `\x1b`, `\u202e`.
 */

/**
 * C0 controls, DEL, C1 controls (NEL, CSI, OSC...), the Unicode line and paragraph
 * separators, bidi embeddings, overrides, isolates and marks, and the BOM / zero-width
 * no-break space. One character class: matching is linear in the text.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
const UNSAFE_BUT_TAB = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every control or invisible formatting character shown as an escape. */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** True when the text holds a character escapeControl would change. */
export function hasControl(text: string): boolean {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text);
}

/**
 * A source line for a code frame: like escapeControl, but a tab stays a tab (harmless,
 * and the code frame keeps tabs to align its `^` marker).
 */
export function escapeSourceLine(line: string): string {
  return line.replace(UNSAFE_BUT_TAB, visible);
}
