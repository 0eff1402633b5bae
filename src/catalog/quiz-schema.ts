import { z } from 'zod';
import { Text } from './schema.ts';

const Id = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'ids are lower-case words joined by hyphens');

/** One curated multiple-choice question, in both languages. */
export const QuizQuestion = z
  .strictObject({
    id: Id,
    /** The catalog tool the question is about, if any. */
    tool: Id.optional(),
    /** The roadmap lesson it checks, if any. */
    lesson: Id.optional(),
    /** The catalog category it is about, if any. */
    category: Id.optional(),
    difficulty: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(1),
    question: Text,
    options: z
      .array(Text)
      .min(2, 'a question needs at least two options')
      .max(5, 'at most five options fit as buttons'),
    /** The 0-based index of the one correct option. */
    answer: z.number().int().min(0),
    explanation: Text,
  })
  .refine((q) => q.answer < q.options.length, {
    message: 'answer must be the index of one of the options',
    path: ['answer'],
  })
  .refine((q) => q.tool !== undefined || q.lesson !== undefined || q.category !== undefined, {
    message: 'a question names the tool, lesson or category it is about',
    path: ['id'],
  });

/** A question file: catalog/quizzes/<topic>.yaml. */
export const QuizFile = z.strictObject({ questions: z.array(QuizQuestion).min(1) });

/** The outline of a question file; the loader validates each question separately to report all of them. */
export const QuizFileShape = z.strictObject({
  questions: z.array(z.unknown()).min(1, 'a question file needs at least one question'),
});

export type QuizQuestionInput = z.infer<typeof QuizQuestion>;
