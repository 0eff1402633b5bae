import type { Form, FormField, Incoming, Reply } from '../../src/index.ts';
import { renderSlack, type SlackBlock } from './render.ts';

/** Every modal this app opens carries this callback id; the form's own id travels in private_metadata. */
export const FORM_CALLBACK_ID = 'orch.form';

/** Block Kit's limits on a modal (docs.slack.dev views.open; @slack/types View). */
const MODAL_LIMITS = {
  title: 24,
  submit: 24,
  label: 2000,
  hint: 2000,
  placeholder: 150,
  options: 100,
  optionText: 75,
  privateMetadata: 3000,
  /** Slack's documented figure for an input's error message is not stated; one line is what a person reads. */
  error: 300,
} as const;

const plain = (text: string, max: number) => ({
  type: 'plain_text' as const,
  // Plain text shows backticks as typed: the core's `code` marks are dropped there.
  text: cut(text.replace(/`/g, ''), max),
  emoji: true,
});

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** What a modal carries for the submission: the form's id and state, and the channel it was opened in. */
interface Metadata {
  form: string;
  state: string;
  channel: string;
}

function inputBlock(field: FormField): Record<string, unknown> {
  const element =
    field.kind === 'text'
      ? {
          type: 'plain_text_input',
          action_id: field.id,
          max_length: field.maxLength,
          ...(field.value !== '' ? { initial_value: field.value.slice(0, field.maxLength) } : {}),
          ...(field.placeholder ? { placeholder: plain(field.placeholder, MODAL_LIMITS.placeholder) } : {}),
        }
      : {
          type: 'static_select',
          action_id: field.id,
          options: field.options
            .slice(0, MODAL_LIMITS.options)
            .map((o) => ({ text: plain(o.label, MODAL_LIMITS.optionText), value: o.value })),
          ...(() => {
            const current = field.options.find((o) => o.value === field.value);
            return current
              ? {
                  initial_option: {
                    text: plain(current.label, MODAL_LIMITS.optionText),
                    value: current.value,
                  },
                }
              : {};
          })(),
        };
  // Every field is optional to Slack: the core decides what an empty one means (no schedule, no holidays).
  return {
    type: 'input',
    block_id: field.id,
    optional: true,
    label: plain(field.label, MODAL_LIMITS.label),
    hint: plain(field.hint, MODAL_LIMITS.hint),
    element,
  };
}

/** The modal views.open shows for a form opened in `channel`. */
export function renderSlackModal(form: Form, channel: string): Record<string, unknown> {
  const metadata: Metadata = { form: form.id, state: form.state, channel };
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK_ID,
    private_metadata: JSON.stringify(metadata).slice(0, MODAL_LIMITS.privateMetadata),
    title: plain(form.title, MODAL_LIMITS.title),
    submit: plain(form.submitLabel, MODAL_LIMITS.submit),
    blocks: [
      ...renderSlack({ visibility: 'private', blocks: form.notes }).blocks,
      ...form.fields.map(inputBlock),
    ],
  };
}

/** A modal that only shows replies (the outcome of a submission): what `response_action: update` puts in place. */
export function renderSlackResultView(title: string, replies: readonly Reply[]): Record<string, unknown> {
  const blocks: SlackBlock[] = replies.flatMap((reply) => renderSlack(reply).blocks);
  return { type: 'modal', title: plain(title, MODAL_LIMITS.title), blocks: blocks.slice(0, 100) };
}

/** Field errors as `response_action: errors` wants them: by block id, which is the field's id. */
export function slackFieldErrors(errors: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).map(([id, message]) => [id, cut(message.replace(/`/g, ''), MODAL_LIMITS.error)]),
  );
}

/** The fields of a view_submission this adapter reads. */
export interface ViewSubmissionBody {
  team?: { id?: string } | null;
  user: { id: string; username?: string; name?: string; team_id?: string };
  view: {
    callback_id?: string;
    private_metadata?: string;
    title?: { text?: string };
    state?: {
      values?: Record<
        string,
        Record<string, { value?: string | null; selected_option?: { value?: string } | null }>
      >;
    };
  };
}

function readMetadata(text: string | undefined): Metadata | null {
  try {
    const parsed = JSON.parse(text ?? '') as Partial<Metadata>;
    return typeof parsed.form === 'string' &&
      typeof parsed.state === 'string' &&
      typeof parsed.channel === 'string'
      ? { form: parsed.form, state: parsed.state, channel: parsed.channel }
      : null;
  } catch {
    return null;
  }
}

/**
 * A submitted modal as the core sees it; null for one this app did not open (no readable metadata). An empty text
 * input comes back as null from Slack and is read as an empty value; an unpicked select is left out.
 */
export function parseViewSubmission(body: ViewSubmissionBody, isAdmin: boolean, now: Date): Incoming | null {
  const metadata = readMetadata(body.view.private_metadata);
  const team = body.team?.id ?? body.user.team_id;
  if (!metadata || !team) return null;
  const values: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(body.view.state?.values ?? {})) {
    const input = actions[blockId];
    if (!input) continue;
    if (input.selected_option !== undefined) {
      if (input.selected_option?.value !== undefined) values[blockId] = input.selected_option.value;
    } else values[blockId] = input.value ?? '';
  }
  return {
    kind: 'submit',
    formId: metadata.form,
    state: metadata.state,
    values,
    who: {
      platform: 'slack',
      userId: body.user.id,
      displayName: body.user.username ?? body.user.name ?? body.user.id,
      isAdmin,
    },
    where: { platform: 'slack', space: team, channel: metadata.channel },
    receivedAt: now,
  };
}
