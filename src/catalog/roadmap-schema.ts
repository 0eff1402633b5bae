import { z } from 'zod';
import { Text, TextList } from './schema.ts';

const Id = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'ids are lower-case words joined by hyphens');

/** The seed roadmap's four stages of study. */
export const Stage = z.enum(['theory', 'hands-on', 'project', 'case-study']);

export const Link = z.strictObject({
  title: z.string().trim().min(1),
  url: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }),
});

export const Lesson = z.strictObject({
  id: Id,
  stage: Stage,
  title: Text,
  goal: Text,
  points: TextList,
  commands: z.array(z.string().trim().min(1)).default([]),
  links: z.array(Link).min(1, 'a lesson links at least one official document'),
  tools: z.array(Id).default([]),
  check: z.strictObject({ question: Text, answer: Text }),
});

export const Track = z.strictObject({
  id: Id,
  title: Text,
  summary: Text,
  lessons: z.array(Lesson).min(1),
});

export const Resource = z.strictObject({
  kind: z.enum(['book', 'repository', 'docs']),
  title: z.string().trim().min(1),
  author: z.string().trim().min(1).optional(),
  url: z.url({ protocol: /^https$/ }).optional(),
  note: Text.optional(),
});

export const RoadmapFile = z.strictObject({
  tracks: z.array(Track).min(1),
  resources: z.array(Resource).default([]),
});

export type StageName = z.infer<typeof Stage>;
export type LessonInput = z.infer<typeof Lesson>;
export type TrackInput = z.infer<typeof Track>;
export type RoadmapInput = z.infer<typeof RoadmapFile>;
