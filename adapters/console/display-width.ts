// Terminal columns by display width: Hangul, CJK and emoji take two columns, combining marks and ANSI escapes none.
// Small enough to own, so the console needs no string-width/wrap-ansi dependency.

// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC is exactly what starts a colour code
const ANSI = /\u001b\[[0-9;]*m/g;
// Made on first use: building a segmenter loads ICU's break rules, a noticeable part of a cold `orch ask` that prints
// no table or wrapped line.
let graphemes: Intl.Segmenter | undefined;
const segmenter = (): Intl.Segmenter => {
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return graphemes;
};

/** East Asian Wide and Fullwidth ranges (Unicode 15, UAX #11) that a terminal draws two columns wide. */
function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) || // Hangul Jamo initials
    (code >= 0x2e80 && code <= 0x303e) || // CJK radicals, Kangxi, CJK symbols and punctuation
    (code >= 0x3041 && code <= 0x33ff) || // kana, Bopomofo, Hangul compatibility Jamo, CJK compatibility
    (code >= 0x3400 && code <= 0x4dbf) || // CJK extension A
    (code >= 0x4e00 && code <= 0x9fff) || // CJK unified ideographs
    (code >= 0xa000 && code <= 0xa4cf) || // Yi
    (code >= 0xa960 && code <= 0xa97f) || // Hangul Jamo extended A
    (code >= 0xac00 && code <= 0xd7a3) || // Hangul syllables
    (code >= 0xf900 && code <= 0xfaff) || // CJK compatibility ideographs
    (code >= 0xfe30 && code <= 0xfe4f) || // CJK compatibility forms
    (code >= 0xff00 && code <= 0xff60) || // fullwidth forms
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd) // CJK extensions B and later
  );
}

const EMOJI = /\p{Extended_Pictographic}/u;
const EMOJI_PRESENTATION = /\p{Emoji_Presentation}/u;
// Combining marks, variation selectors (Mn) and zero-width spaces and joiners (Cf).
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]+$/u;

function graphemeWidth(grapheme: string): number {
  if (ZERO_WIDTH.test(grapheme)) return 0;
  // An emoji grapheme (with its modifiers and joiners) is one picture, two columns; a text-style symbol such as
  // ▫ takes two only when U+FE0F asks for the emoji presentation.
  if (EMOJI.test(grapheme) && (EMOJI_PRESENTATION.test(grapheme) || grapheme.includes('\ufe0f'))) return 2;
  const code = grapheme.codePointAt(0) ?? 0;
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return 0;
  return isWide(code) ? 2 : 1;
}

/** The text's graphemes with their widths, ANSI escapes kept as zero-width pieces. */
function pieces(text: string): { text: string; width: number }[] {
  const out: { text: string; width: number }[] = [];
  let last = 0;
  for (const match of text.matchAll(ANSI)) {
    for (const { segment } of segmenter().segment(text.slice(last, match.index)))
      out.push({ text: segment, width: graphemeWidth(segment) });
    out.push({ text: match[0], width: 0 });
    last = (match.index ?? 0) + match[0].length;
  }
  for (const { segment } of segmenter().segment(text.slice(last)))
    out.push({ text: segment, width: graphemeWidth(segment) });
  return out;
}

// Characters that are a grapheme each whatever follows them in this set: printable ASCII, Latin-1 and general
// punctuation (one column; not the soft hyphen, zero-width spaces, joiners or direction marks, which are Cf), and
// precomposed Hangul syllables (two columns; not the conjoining jamo that could extend them).
const SIMPLE = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u00ff\u2010-\u2027\u2030-\u205e\uac00-\ud7a3]*$/;
const HANGUL_SYLLABLES = /[\uac00-\ud7a3]/g;

/** How many terminal columns the text takes (one line; ANSI colour codes count as nothing). */
export function displayWidth(text: string): number {
  // Most of what the bot prints is one grapheme per character: no segmenter needed.
  if (SIMPLE.test(text)) return text.length + (text.match(HANGUL_SYLLABLES)?.length ?? 0);
  let width = 0;
  for (const piece of pieces(text)) width += piece.width;
  return width;
}

/** Pads the text with spaces to `width` columns. */
export function padDisplay(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/**
 * Wraps one line to `width` columns at spaces, continuing with `indent` (a list item's or a field's hanging
 * indent); a word wider than a line is cut between graphemes, never inside one, except a link.
 */
export function wrapLine(line: string, width: number, indent = ''): string[] {
  if (displayWidth(line) <= width) return [line];
  const indentWidth = displayWidth(indent);
  const lines: string[] = [];
  let current = '';
  let currentWidth = 0;
  const limit = () => (lines.length === 0 ? width : width - indentWidth);
  const flush = () => {
    lines.push(lines.length === 0 ? current.trimEnd() : indent + current.trimEnd());
    current = '';
    currentWidth = 0;
  };
  for (const word of line.split(/(?<= )/)) {
    const wordWidth = displayWidth(word.trimEnd());
    if (currentWidth > 0 && currentWidth + wordWidth > limit()) flush();
    if (currentWidth === 0 && lines.length > 0 && word.trim() === '') continue;
    // A link is never cut: left whole, the terminal folds it and it can still be clicked and copied.
    if (wordWidth <= limit() || /^<?https?:\/\//.test(word)) {
      current += word;
      currentWidth += displayWidth(word);
      continue;
    }
    for (const piece of pieces(word)) {
      if (currentWidth + piece.width > limit() && currentWidth > 0) flush();
      current += piece.text;
      currentWidth += piece.width;
    }
  }
  if (current.trim() !== '' || lines.length === 0) flush();
  return lines;
}
