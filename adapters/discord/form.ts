import type { Form, FormField, Incoming, Reply } from '../../src/index.ts';
import { type InteractionFacts, parseModalFacts } from './parse.ts';

/**
 * A modal's custom id: this prefix, the form's id and its state. Discord keeps nothing else of a modal, so the
 * state the core needs back travels here (at most 100 characters in all).
 */
const PREFIX = 'orch.form';
const SEPARATOR = '|';

/**
 * Discord's limits on a modal (docs.discord.com using-modal-components; discord.js 14.28 typings): five top-level
 * components, a title of 45 characters, a Label's text 45 and its description 100, 25 options to a select.
 */
export const DISCORD_MODAL_LIMITS = {
  components: 5,
  customId: 100,
  title: 45,
  label: 45,
  description: 100,
  options: 25,
  optionText: 100,
  placeholder: 100,
} as const;

function cut(text: string, max: number): string {
  const plain = text.replace(/`/g, '');
  return plain.length <= max ? plain : `${plain.slice(0, max - 1)}…`;
}

/** One field as a Label (type 18) holding a text input (type 4, short) or a string select (type 3). */
function labelOf(field: FormField): Record<string, unknown> {
  const component =
    field.kind === 'text'
      ? {
          type: 4,
          custom_id: field.id,
          style: 1,
          required: false,
          max_length: field.maxLength,
          ...(field.value !== '' ? { value: field.value.slice(0, field.maxLength) } : {}),
          ...(field.placeholder
            ? { placeholder: cut(field.placeholder, DISCORD_MODAL_LIMITS.placeholder) }
            : {}),
        }
      : {
          type: 3,
          custom_id: field.id,
          required: false,
          options: field.options.slice(0, DISCORD_MODAL_LIMITS.options).map((o) => ({
            label: cut(o.label, DISCORD_MODAL_LIMITS.optionText),
            value: o.value,
            ...(o.value === field.value ? { default: true } : {}),
          })),
        };
  return {
    type: 18,
    label: cut(field.label, DISCORD_MODAL_LIMITS.label),
    description: cut(field.hint, DISCORD_MODAL_LIMITS.description),
    component,
  };
}

/**
 * The modal a type-9 callback shows. Discord holds five components: the form's fields are in order of importance,
 * so the first five are shown; the others keep their values (the core leaves a field that does not come back as
 * it is) and stay reachable through their typed commands, which the reply's text lists. No room is left for the
 * preview of the next posts: the answer to the submission shows it.
 */
export function renderDiscordModal(form: Form): Record<string, unknown> {
  return {
    custom_id: [PREFIX, form.id, form.state].join(SEPARATOR).slice(0, DISCORD_MODAL_LIMITS.customId),
    title: cut(form.title, DISCORD_MODAL_LIMITS.title),
    components: form.fields.slice(0, DISCORD_MODAL_LIMITS.components).map(labelOf),
  };
}

/** A form's reply as text, for when the modal could not be shown (the interaction was already deferred). */
export function formFallback(reply: Reply & { form: Form }): Reply {
  return {
    visibility: 'private',
    blocks: [{ type: 'text', text: reply.form.fallbackNote }, ...reply.blocks],
  };
}

/** What a submitted modal holds, as discord.js hands its components over (classic rows and Labels alike). */
export interface SubmittedComponent {
  customId: string;
  value?: string | null;
  values?: readonly string[];
}

/** A submitted modal as the core sees it; null for a modal this bot did not make. */
export function parseModalSubmit(
  facts: InteractionFacts,
  customId: string,
  components: readonly SubmittedComponent[],
): Incoming | null {
  const [prefix, formId, state, ...extra] = customId.split(SEPARATOR);
  if (prefix !== PREFIX || !formId || state === undefined || extra.length > 0) return null;
  const values: Record<string, string> = {};
  for (const c of components) {
    if (c.values !== undefined) {
      // A select left empty comes back with no value: the field keeps what it had.
      if (c.values[0] !== undefined) values[c.customId] = c.values[0];
    } else values[c.customId] = c.value ?? '';
  }
  return { kind: 'submit', formId, state, values, ...parseModalFacts(facts) };
}
