import type { QueryEngine } from './engine.ts';
import { cleanText, stripParticle } from './normalize.ts';

/** The longest name, in words, looked for in running text ("open policy agent"). */
const MAX_NAME_WORDS = 4;
/** A message is read up to this many characters: enough for any chat message, bounded for a pasted book. */
const MAX_TEXT = 8000;
/** A landscape project's name shorter than this is too often an ordinary word ("go", "kind") to count as named. */
const MIN_LANDSCAPE_NAME = 4;

/** The catalog tools and glossary concepts a text names, in the order they first appear, each once. */
export interface Mentions {
  tools: string[];
  concepts: string[];
}

/**
 * Every catalog tool and glossary concept named in a message, found by their names and aliases (Korean ones with a
 * particle attached too: "이스티오는"), longest name first where names overlap ("service mesh" before "mesh").
 * Names only: a message that merely describes a tool does not name it. Work is bounded by the text's length.
 */
export function mentionsIn(engine: QueryEngine, raw: string, limit = 20): Mentions {
  const words = cleanText(raw.slice(0, MAX_TEXT))
    .split(' ')
    .filter((w) => w.length > 0);
  const tools: string[] = [];
  const concepts: string[] = [];
  const known = (key: string) => engine.names.has(key) || engine.concepts.hasName(key);
  const toolNamed = (key: string): string | undefined =>
    engine.names.lookup(key).find((e) => e.kind === 'tool' && (e.curated || key.length >= MIN_LANDSCAPE_NAME))
      ?.id;
  for (let i = 0; i < words.length && tools.length + concepts.length < limit; ) {
    let matched = 0;
    for (let n = Math.min(MAX_NAME_WORDS, words.length - i); n >= 1 && matched === 0; n--) {
      const parts = words.slice(i, i + n);
      const last = parts.length - 1;
      parts[last] = stripParticle(parts[last] as string, (w) =>
        known([...parts.slice(0, last), w].join(' ')),
      );
      const key = parts.join(' ');
      const tool = toolNamed(key);
      const concept = tool ? undefined : engine.concepts.named(key);
      if (tool && !tools.includes(tool)) tools.push(tool);
      if (concept && !concepts.includes(concept)) concepts.push(concept);
      if (tool || concept) matched = n;
    }
    i += Math.max(1, matched);
  }
  return { tools, concepts };
}
