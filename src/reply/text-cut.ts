// Where a renderer may cut text to fit a platform's length limit without breaking a word or a character in two.

/** The last space or line break at or before `at`, if one is in its last 40%; else `at`. */
export function wordCut(text: string, at: number): number {
  for (let i = at; i > at * 0.6; i--) {
    const code = text.charCodeAt(i);
    if (code === 32 || code === 10) return i;
  }
  return at;
}

/** `cut`, or one unit earlier where cutting there would split a surrogate pair (half an emoji). */
export function surrogateSafe(text: string, cut: number): number {
  const before = text.charCodeAt(cut - 1);
  return cut > 0 && before >= 0xd800 && before <= 0xdbff ? cut - 1 : cut;
}
