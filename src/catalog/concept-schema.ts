import { z } from 'zod';
import { Text } from './schema.ts';

const Id = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'ids are lower-case words joined by hyphens');

/**
 * One glossary entry: what a study group means by a word (Pod, sidecar, mTLS), explained in our own words. The link
 * to lessons lives here rather than in roadmap.yaml so that a lesson's content and its glossary can change apart.
 */
export const Concept = z.strictObject({
  id: Id,
  name: Text,
  /** Other spellings a member types: Korean transliterations, plurals, abbreviations (파드, 팟, pods, HPA). */
  aliases: z.array(z.string().trim().min(1)).default([]),
  /** Two to four sentences in each language. */
  explanation: Text,
  /** Curated tool ids the concept belongs to or is implemented by. */
  tools: z.array(Id).default([]),
  /** Roadmap lesson ids that teach it, the main one first. */
  lessons: z.array(Id).min(1, 'a concept names at least one lesson that teaches it'),
});

/** A concept file's outline; each entry is then validated on its own, so one bad concept does not hide the others. */
export const ConceptFileShape = z.strictObject({
  concepts: z.array(z.unknown()).min(1, 'a concept file holds at least one concept'),
});

export type ConceptInput = z.infer<typeof Concept>;
