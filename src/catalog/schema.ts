import { z } from 'zod';
import { MATURITY_LEVELS, type MaturityLevel } from '../maturity.ts';

/** Every user-facing text exists in both languages; a missing one is a catalog error. */
export const Text = z.strictObject({
  en: z.string().trim().min(1, 'English text is empty'),
  ko: z.string().trim().min(1, 'Korean text is empty'),
});

/** A list of short texts in both languages (key concepts, use cases). */
export const TextList = z.strictObject({
  en: z.array(z.string().trim().min(1)).min(1, 'needs at least one English entry'),
  ko: z.array(z.string().trim().min(1)).min(1, 'needs at least one Korean entry'),
});

const Id = z
  .string()
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    'ids are lower-case words joined by hyphens (for example "emissary-ingress")',
  );

const Url = z.url({ protocol: /^https$/, error: 'must be an https:// URL' });

/** CNCF maturity of a project (src/maturity.ts). */
export const Maturity = z.enum(MATURITY_LEVELS);

export const CategoryFile = z.strictObject({
  categories: z
    .array(
      z.strictObject({
        id: Id,
        name: Text,
        aliases: z.array(z.string().trim().min(1)).default([]),
        summary: Text,
      }),
    )
    .min(1),
});

export const ToolFile = z.strictObject({
  id: Id,
  name: z.string().trim().min(1),
  category: Id,
  maturity: Maturity,
  /** Why the maturity is what it is when it needs a word (e.g. minikube is a Kubernetes SIG project). */
  maturityNote: Text.optional(),
  homepage: Url,
  repository: Url,
  docs: Url,
  aliases: z.array(z.string().trim().min(1)).default([]),
  tags: TextList,
  related: z.array(Id).default([]),
  summary: Text,
  description: Text,
  concepts: TextList,
  useCases: TextList,
  whenToPick: Text,
  firstStep: z.strictObject({
    text: Text,
    command: z.string().trim().min(1).optional(),
  }),
});

export type LocalText = z.infer<typeof Text>;
export type LocalTextList = z.infer<typeof TextList>;
export type { MaturityLevel };
export type CategoryInput = z.infer<typeof CategoryFile>['categories'][number];
export type ToolInput = z.infer<typeof ToolFile>;
