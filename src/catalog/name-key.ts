// How a name is compared: the key the catalog checks names and aliases unique by, and the one the query engine
// (src/query/) looks them up by, so both sides fold a name the same way.

// Chat markup that can wrap a query: Slack (<@U1>, <#C1|x>, <!here>, <!subteam^S1>, <http://x|y>) and Discord (<@!1>, <@&1>, <#1>).
const CHAT_MARKUP = /<[@#!][^>]*>/g;
const BARE_MENTIONS = /(^|\s)@(here|channel|everyone|orch)\b/gi;
const COMMAND_PREFIX = /^\s*\/?orch\b[:,]?/i;
// Not \p{ASCII} with the u flag: a plain character class is twice as fast over long descriptions.
const ASCII = /^[^\u0080-\uffff]*$/;

/** Removes chat markup, the /orch prefix, width and case differences and punctuation, without touching the question frame. */
export function cleanText(raw: string): string {
  if (ASCII.test(raw) && !MARKUP_START.test(raw)) return cleanAscii(raw);
  // NFKC folds full-width forms, but would also turn the compatibility jamo of a half-typed word (ㅇ, ㅌ) into
  // conjoining jamo; those are left as typed.
  // Plain ASCII (most landscape text) is already in NFKC, and normalising it costs a third of an index build.
  const folded = ASCII.test(raw) ? raw : raw.replace(/[^\u3131-\u318e]+/g, (part) => part.normalize('NFKC'));
  return folded
    .replace(CHAT_MARKUP, ' ')
    .replace(BARE_MENTIONS, ' ')
    .replace(COMMAND_PREFIX, ' ')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}\s+#]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// Plain ASCII with no chat markup, mention or /orch prefix (nearly every landscape description an index build reads):
// the same result as the general path below in two passes instead of seven, which took a sixth of an index build.
const MARKUP_START = /[<@]|^\s*\/?orch\b/i;
function cleanAscii(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/'/g, '')
    .replace(/[^a-z0-9+#]+/g, ' ')
    .trim();
}

/** Normalises a catalog name or alias the same way a query is cleaned, so both sides compare equal. */
export function normalizeKey(name: string): string {
  return cleanText(name);
}
