import {
  type Block,
  type Choice,
  type Lang,
  markdownToPlain,
  progressBar,
  type Reply,
  type SelectOption,
  surrogateSafe,
  t,
  toPlainText,
  wordCut,
} from '../../src/index.ts';

/** Block Kit limits the renderer keeps to; Slack rejects the whole message (invalid_blocks) when one is broken. */
export const SLACK_LIMITS = {
  blocks: 50,
  /** A view (the Home tab) holds at most 100 blocks; one rendered reply stays within `blocks` anyway. */
  viewBlocks: 100,
  fallbackText: 3000,
  sectionText: 3000,
  contextText: 3000,
  headerText: 150,
  fieldText: 2000,
  fieldsPerSection: 10,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  actionId: 255,
  elementsPerActions: 25,
  /** A static select's options (or option groups), an option's text and value, its placeholder. */
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
  selectPlaceholder: 150,
  /** A table block: at most 100 rows of at most 20 cells, at most 20 column settings (table block reference). */
  tableRows: 100,
  tableCells: 20,
  /** Slack states no limit for a cell's text; the renderer keeps a cell to a field's. */
  tableCellText: 2000,
  /**
   * The text of a whole table. Slack states none; the renderer counts a table with the blocks against
   * `messageText` (five tools' fields come to about 4,300 characters) and keeps it to this.
   */
  tableText: 6_000,
  /** Tools side by side in one table: more columns than this are too narrow to read, so they stay sections. */
  tableTools: 5,
  /**
   * The text of all blocks together. chat.postMessage answers msg_blocks_too_long near 12,000 characters even when
   * every block is within its own limit, and has refused sums as low as 11,341 (slackapi/bolt-js issues 2509, 2867),
   * so the renderer keeps well below.
   */
  messageText: 10_000,
} as const;

/** A Block Kit text object. */
export type SlackText =
  | { type: 'plain_text'; text: string; emoji: boolean }
  | { type: 'mrkdwn'; text: string };

/** A Block Kit button: an interactive one (`value`) or a link (`url`). */
export interface SlackButton {
  type: 'button';
  action_id: string;
  text: { type: 'plain_text'; text: string; emoji: boolean };
  value?: string;
  url?: string;
  style?: 'primary' | 'danger';
}

type SlackOptionJson = { text: { type: 'plain_text'; text: string; emoji: boolean }; value: string };

/** A Block Kit static select in a message: plain options, or options under group labels. */
export interface SlackSelect {
  type: 'static_select';
  action_id: string;
  placeholder: { type: 'plain_text'; text: string; emoji: boolean };
  options?: SlackOptionJson[];
  option_groups?: {
    label: { type: 'plain_text'; text: string; emoji: boolean };
    options: SlackOptionJson[];
  }[];
}

/** The Block Kit blocks this renderer produces; each is assignable to @slack/types' KnownBlock. */
export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji: boolean } }
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'section'; fields: { type: 'mrkdwn'; text: string }[] }
  | { type: 'actions'; elements: (SlackButton | SlackSelect)[] }
  | { type: 'divider' }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] };

/** A Block Kit table cell: plain text, at least one character (rich_text cells are not used). */
export interface SlackTableCell {
  type: 'raw_text';
  text: string;
}

/** A Block Kit `table` block (docs.slack.dev/reference/block-kit/blocks/table-block). */
export interface SlackTableBlock {
  type: 'table';
  rows: SlackTableCell[][];
  column_settings?: ({ align?: 'left' | 'center' | 'right'; is_wrapped?: boolean } | null)[];
}

/** A message payload for chat.postMessage / chat.update / respond. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
  /**
   * Slack's table block reference has a message carry its table in the attachments field (one attachment holding
   * the table block); only a comparison rendered with `tables` has one.
   */
  attachments?: { blocks: SlackTableBlock[] }[];
}

const ELLIPSIS = '…';
const ZWSP = '\u200b';

// Some clients still turn a bare "@here" into a mention; a zero-width space after the @ keeps it readable but inert.
const BARE_MENTION = /@(?=(?:channel|here|everyone)\b)/gi;

function escapeEntities(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function neutralizeBareMentions(text: string): string {
  return text.replace(BARE_MENTION, `@${ZWSP}`);
}

/**
 * Escapes plain text for Slack so it cannot form markup: `&`, `<`, `>` become entities (so `<!channel>`, `<@U1>`,
 * `<!subteam^S1>` and `<url|label>` stay inert text) and `@channel`, `@here`, `@everyone` get a zero-width space.
 */
export function escapeSlack(text: string): string {
  return neutralizeBareMentions(escapeEntities(text));
}

function isWebUrl(url: string): boolean {
  if (!/^https?:\/\//i.test(url)) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}

// One pass, so a link's url is consumed before the mention rule could put a zero-width space into it.
const LINK_OR_MENTION = /\[([^\]\n]+)\]\(([^)\s]+)\)|@(?=(?:channel|here|everyone)\b)/gi;

// Runs over text that is already entity-escaped, so a label or url can no longer hold a raw `<`, `>` or `&`: the
// only angle brackets in the result are the links made here. A `|` would end the url inside Slack's link syntax.
function convertSegment(escaped: string): string {
  return escaped.replace(LINK_OR_MENTION, (whole: string, label?: string, url?: string) => {
    if (label === undefined || url === undefined) return `@${ZWSP}`;
    const raw = url.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    if (!isWebUrl(raw)) return neutralizeBareMentions(whole);
    return `<${url.replace(/\|/g, '%7C')}|${neutralizeBareMentions(label)}>`;
  });
}

const CODE_SPAN = /(`[^`\n]*`)/;

// Code spans are escaped but not converted, so `**/*.yaml` inside backticks keeps its stars.
function convertOutsideCode(escaped: string): string {
  return escaped
    .split(CODE_SPAN)
    .map((part, i) => (i % 2 === 1 ? neutralizeBareMentions(part) : convertSegment(part)))
    .join('');
}

// A code span is matched before a bold one can start inside it, and a bold span may hold code spans: splitting on
// code first would leave the two halves of `**run `kubectl` now**` each with an unmatched `**`.
const CODE_OR_BOLD = /(`[^`\n]*`)|\*\*((?:`[^`\n]*`|[^*`\n])+?)\*\*/g;

/**
 * Converts the core's markdown subset to escaped Slack mrkdwn: `**bold**` → `*bold*` (code inside it included),
 * `_italic_` and `` `code` `` unchanged, `[label](https://url)` → `<https://url|label>`. A link with another scheme
 * stays literal text.
 */
export function renderSlackText(markdown: string): string {
  const escaped = escapeEntities(markdown);
  let out = '';
  let last = 0;
  for (const m of escaped.matchAll(CODE_OR_BOLD)) {
    out += convertOutsideCode(escaped.slice(last, m.index));
    const [, code, bold] = m;
    out += code !== undefined ? neutralizeBareMentions(code) : `*${convertOutsideCode(bold ?? '')}*`;
    last = m.index + m[0].length;
  }
  return out + convertOutsideCode(escaped.slice(last));
}

// Pieces of mrkdwn that must not be cut in half: the links made above and the entities of escapeSlack.
function atomicSpans(text: string): [number, number][] {
  return [...text.matchAll(/<[^<>\n]*>|&(?:amp|lt|gt);/g)].map((m) => [m.index, m.index + m[0].length]);
}

/** The largest cut position ≤ `at` that splits neither a link, an entity nor a surrogate pair. */
function safeCut(text: string, at: number): number {
  let cut = Math.min(at, text.length);
  for (const [start, end] of atomicSpans(text)) {
    if (start < cut && cut < end) cut = start;
  }
  return surrogateSafe(text, cut);
}

/**
 * Shortens already-rendered text to at most `max` UTF-16 units, at a word boundary where there is one, ending in "…"
 * when something was cut.
 */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const at = safeCut(text, max - ELLIPSIS.length);
  return `${text.slice(0, safeCut(text, wordCut(text, at))).trimEnd()}${ELLIPSIS}`;
}

/** Splits rendered mrkdwn into pieces of at most `max`, at a line break, else a space, else any safe point. */
function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    const line = window.lastIndexOf('\n');
    const space = window.lastIndexOf(' ');
    const soft = line > max / 2 ? line : space > max / 2 ? space : -1;
    let cut = soft >= 0 ? safeCut(rest, soft) : safeCut(rest, max);
    // A single link longer than the limit: a hard cut is the only way to send the text at all.
    if (cut === 0) cut = max;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[ \n]/, '');
  }
  pieces.push(rest);
  return pieces.filter((p) => p.trim() !== '');
}

function plain(text: string, max: number): { type: 'plain_text'; text: string; emoji: boolean } {
  return { type: 'plain_text', text: clip(escapeSlack(text), max), emoji: true };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The payload of an interactive button or select option: the real action id and value, which `action_id` cannot
 * carry. Empty when even an empty value does not fit `max`.
 */
function encodeActionValue(actionId: string, value: string, max: number = SLACK_LIMITS.buttonValue): string {
  let v = value;
  let encoded = JSON.stringify({ a: actionId, v });
  // Over the limit Slack would refuse the message; a shortened value reaches the core as an unknown choice.
  while (encoded.length > max && v.length > 0) {
    v = v.slice(0, Math.max(0, v.length - (encoded.length - max)));
    encoded = JSON.stringify({ a: actionId, v });
  }
  return encoded.length <= max ? encoded : '';
}

/** Recovers the action id and value of a button rendered by `renderSlack`; null for anything else. */
export function decodeActionValue(value: string): { actionId: string; value: string } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { a, v } = parsed as Record<string, unknown>;
  return typeof a === 'string' && typeof v === 'string' ? { actionId: a, value: v } : null;
}

function choiceButton(choice: Choice, index: number): SlackButton {
  const suffix = `:${index}`;
  const button: SlackButton = {
    type: 'button',
    // Slack requires action ids unique within a block; the same core action id repeats across answer options.
    action_id: `${choice.actionId.slice(0, SLACK_LIMITS.actionId - suffix.length)}${suffix}`,
    text: plain(choice.label, SLACK_LIMITS.buttonText),
    value: encodeActionValue(choice.actionId, choice.value),
  };
  if (choice.style) button.style = choice.style;
  return button;
}

/**
 * A message select as a static_select in an actions block (docs.slack.dev static select: at most 100 options or
 * option groups, an option's text 75 characters, its value 150). Each option's value carries the core's action id
 * and value as a button's does, so a pick is read as a press.
 */
function selectBlocks(block: Extract<Block, { type: 'select' }>): SlackBlock[] {
  const option = (o: SelectOption): SlackOptionJson => ({
    text: plain(o.label, SLACK_LIMITS.optionText),
    value: encodeActionValue(o.actionId, o.value, SLACK_LIMITS.optionValue),
  });
  // A value that does not fit is left out rather than sent shortened: a pick must mean what it says.
  const kept = block.options
    .filter(
      (o) =>
        option(o).value !== '' &&
        JSON.stringify({ a: o.actionId, v: o.value }).length <= SLACK_LIMITS.optionValue,
    )
    .slice(0, SLACK_LIMITS.selectOptions);
  if (kept.length === 0) return [];
  const groups: { label: string; options: SelectOption[] }[] = [];
  for (const o of kept) {
    const label = o.group ?? '';
    const last = groups.at(-1);
    if (last && last.label === label) last.options.push(o);
    else groups.push({ label, options: [o] });
  }
  const element: SlackSelect = {
    type: 'static_select',
    action_id: 'select:0',
    placeholder: plain(block.placeholder, SLACK_LIMITS.selectPlaceholder),
    ...(kept.some((o) => o.group !== undefined)
      ? {
          option_groups: groups.map((g) => ({
            label: plain(g.label || '·', SLACK_LIMITS.optionText),
            options: g.options.map(option),
          })),
        }
      : { options: kept.map(option) }),
  };
  return [{ type: 'actions', elements: [element] }];
}

/** The text a select shows (its placeholder, options and group labels): what counts toward the message's total. */
function selectTextLength(select: SlackSelect): number {
  const options = [...(select.options ?? []), ...(select.option_groups ?? []).flatMap((g) => g.options)];
  return (
    select.placeholder.text.length +
    options.reduce((n, o) => n + o.text.text.length, 0) +
    (select.option_groups ?? []).reduce((n, g) => n + g.label.text.length, 0)
  );
}

function mrkdwnSection(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function linkBlocks(links: readonly { label: string; url: string }[]): SlackBlock[] {
  const buttons: SlackButton[] = [];
  const refused: string[] = [];
  links.forEach((link, i) => {
    if (isWebUrl(link.url) && link.url.length <= SLACK_LIMITS.buttonUrl) {
      buttons.push({
        type: 'button',
        action_id: `link:${i}`,
        text: plain(link.label, SLACK_LIMITS.buttonText),
        url: link.url,
      });
    } else {
      refused.push(`${escapeSlack(link.label)}: ${escapeSlack(link.url)}`);
    }
  });
  const blocks: SlackBlock[] = chunks(buttons, SLACK_LIMITS.elementsPerActions).map((elements) => ({
    type: 'actions',
    elements,
  }));
  if (refused.length > 0)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: clip(refused.join('\n'), SLACK_LIMITS.contextText) }],
    });
  return blocks;
}

function renderBlock(block: Block): SlackBlock[] {
  switch (block.type) {
    case 'heading': {
      const text = plain(block.text, SLACK_LIMITS.headerText);
      return text.text.trim() === '' ? [] : [{ type: 'header', text }];
    }
    case 'text':
      return splitText(renderSlackText(block.text), SLACK_LIMITS.sectionText).map(mrkdwnSection);
    case 'fields': {
      const fields = block.fields.map((f) => ({
        type: 'mrkdwn' as const,
        text: clip(`*${escapeSlack(f.label)}*\n${renderSlackText(f.value)}`, SLACK_LIMITS.fieldText),
      }));
      return chunks(fields, SLACK_LIMITS.fieldsPerSection).map((group) => ({
        type: 'section',
        fields: group,
      }));
    }
    case 'choices':
      return chunks(block.choices.map(choiceButton), SLACK_LIMITS.elementsPerActions).map((elements) => ({
        type: 'actions',
        elements,
      }));
    case 'select':
      return selectBlocks(block);
    case 'links':
      return linkBlocks(block.links);
    case 'progress':
      return [
        mrkdwnSection(
          clip(
            `${escapeSlack(block.label)}\n\`${progressBar(block.done, block.total)}\``,
            SLACK_LIMITS.sectionText,
          ),
        ),
      ];
    case 'divider':
      return [{ type: 'divider' }];
    case 'context': {
      const text = clip(renderSlackText(block.text), SLACK_LIMITS.contextText);
      return text.trim() === '' ? [] : [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }];
    }
  }
}

/** The characters of text a block carries, as Slack sums them for msg_blocks_too_long. */
export function slackBlockText(block: SlackBlock): number {
  switch (block.type) {
    case 'header':
      return block.text.text.length;
    case 'section':
      return 'text' in block ? block.text.text.length : block.fields.reduce((n, f) => n + f.text.length, 0);
    case 'context':
      return block.elements.reduce((n, e) => n + e.text.length, 0);
    case 'actions':
      return block.elements.reduce((n, e) => n + ('text' in e ? e.text.text.length : selectTextLength(e)), 0);
    case 'divider':
      return 0;
  }
}

const sumText = (blocks: readonly SlackBlock[]): number => blocks.reduce((n, b) => n + slackBlockText(b), 0);

/** A part of a reply between dividers (one tool of a comparison), named for the note when it has to be left out. */
interface Part {
  name: string | null;
  blocks: SlackBlock[];
}

// The room kept for the note that says what was left out.
const NOTE_ROOM = 600;
const HANGUL = /[\uac00-\ud7a3]/;

/** What a part is called: its heading, its leading bold words (a tool's name), or its first words. */
export function partName(block: Block): string | null {
  if (block.type === 'heading') return block.text;
  if (block.type !== 'text') return null;
  const bold = /^\s*(?:[•\d.]+\s*)?\*\*([^*\n]+)\*\*/.exec(block.text);
  if (bold?.[1]) return bold[1];
  const line = (block.text.split('\n')[0] ?? '').replace(/[*_`]/g, '').trim();
  if (line.length <= 40) return line || null;
  return `${line.slice(0, wordCut(line, 39)).trimEnd()}${ELLIPSIS}`;
}

/** The reply's language for the renderer's own words: the core says it for lookups, Hangul gives it away elsewhere. */
function replyLang(reply: Reply): Lang {
  if (reply.meta) return reply.meta.lang;
  return reply.blocks.some((b) => (b.type === 'heading' || b.type === 'text') && HANGUL.test(b.text))
    ? 'ko'
    : 'en';
}

function partsOf(reply: Reply): Part[] {
  const parts: Part[] = [{ name: null, blocks: [] }];
  for (const block of reply.blocks) {
    if (block.type === 'divider') parts.push({ name: null, blocks: [] });
    const part = parts[parts.length - 1] as Part;
    part.name ??= partName(block);
    part.blocks.push(...renderBlock(block));
  }
  return parts;
}

/**
 * Keeps a message within Slack's totals (50 blocks, the text of all blocks): whole parts in order while they fit,
 * the first part shortened if it alone is too long, and a closing note that says what was left out ("+7 more: …").
 */
function fitTotals(parts: Part[], lang: Lang): SlackBlock[] {
  const all = parts.flatMap((p) => p.blocks);
  if (all.length <= SLACK_LIMITS.blocks && sumText(all) <= SLACK_LIMITS.messageText) return all;
  const maxBlocks = SLACK_LIMITS.blocks - 1;
  const maxText = SLACK_LIMITS.messageText - NOTE_ROOM;
  const kept: SlackBlock[] = [];
  let text = 0;
  let next = 0;
  for (; next < parts.length; next++) {
    const part = parts[next] as Part;
    const size = sumText(part.blocks);
    if (kept.length + part.blocks.length > maxBlocks || text + size > maxText) break;
    kept.push(...part.blocks);
    text += size;
  }
  let shortened = false;
  if (next === 0) {
    // The first part alone is too long: keep its blocks while they fit, the last one clipped at a word.
    for (const block of (parts[0] as Part).blocks) {
      const room = maxText - text;
      if (kept.length >= maxBlocks || room <= 0) break;
      let b = block;
      if (slackBlockText(b) > room) {
        if (b.type !== 'section' || !('text' in b) || room < 100) break;
        b = mrkdwnSection(clip(b.text.text, room));
      }
      kept.push(b);
      text += slackBlockText(b);
    }
    shortened = true;
    next = 1;
  }
  const left = parts.slice(next);
  const notes: string[] = [];
  if (shortened) notes.push(t(lang, 'render.cut'));
  if (left.length > 0) {
    const names = left.map((p) => p.name).filter((n): n is string => n !== null);
    notes.push(t(lang, 'render.more', { count: left.length, names: names.join(', ') || ELLIPSIS }));
  }
  kept.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: clip(escapeSlack(notes.join(' ')), NOTE_ROOM) }],
  });
  return kept;
}

const tableCell = (text: string): SlackTableCell => ({
  type: 'raw_text',
  // A cell must hold at least one character; an empty value reads as a dash.
  text: clip(text.trim() === '' ? '–' : text, SLACK_LIMITS.tableCellText),
});

/**
 * A comparison as one table: a column per tool (its name from the leading bold words of its line), a row per field
 * label in first-seen order, "–" where a tool lacks the field (a landscape entry has no "when to pick"). Null when
 * the reply is not a comparison of two to five tools with fields, or its table would be too long (`tableText`):
 * then the fields stay sections, as everywhere else, and the totals' cut names the tools left out.
 */
export function comparisonTable(reply: Reply): { table: SlackTableBlock; rest: Reply['blocks'] } | null {
  if (reply.meta?.intent !== 'compare') return null;
  const columns: { name: string; values: Map<string, string> }[] = [];
  const labels: string[] = [];
  let name: string | null = null;
  const rest: Reply['blocks'] = [];
  for (const block of reply.blocks) {
    if (block.type === 'divider') name = null;
    if (block.type === 'text') name ??= partName(block);
    if (block.type !== 'fields') {
      rest.push(block);
      continue;
    }
    const values = new Map<string, string>();
    for (const field of block.fields) {
      if (!labels.includes(field.label)) labels.push(field.label);
      values.set(field.label, markdownToPlain(field.value));
    }
    columns.push({ name: name ?? ELLIPSIS, values });
  }
  if (columns.length < 2 || columns.length > SLACK_LIMITS.tableTools) return null;
  if (labels.length + 1 > SLACK_LIMITS.tableRows) return null;
  const lang = replyLang(reply);
  const rows: SlackTableCell[][] = [
    [tableCell(t(lang, 'compare.aspect')), ...columns.map((c) => tableCell(markdownToPlain(c.name)))],
    ...labels.map((label) => [tableCell(label), ...columns.map((c) => tableCell(c.values.get(label) ?? ''))]),
  ];
  if (rows.flat().reduce((n, c) => n + c.text.length, 0) > SLACK_LIMITS.tableText) return null;
  // Long values (when to pick) wrap instead of running off the side.
  const column_settings = [{ is_wrapped: false }, ...columns.map(() => ({ is_wrapped: true }))];
  return { table: { type: 'table', rows, column_settings }, rest };
}

/**
 * Renders a reply as a Slack message: Block Kit blocks within Slack's limits and an escaped plain-text fallback.
 * With `tables`, a comparison's fields go into one table block (see comparisonTable); the blocks keep each tool's
 * line and the notes, and `text` keeps everything, fields included, for notifications and screen readers. Views
 * (the Home tab, a modal) have no attachments, so they render without.
 */
export function renderSlack(reply: Reply, options: { tables?: boolean } = {}): SlackMessage {
  const text = clip(escapeSlack(toPlainText(reply)), SLACK_LIMITS.fallbackText);
  const compared = options.tables ? comparisonTable(reply) : null;
  if (compared) {
    const blocks = fitTotals(partsOf({ ...reply, blocks: compared.rest }), replyLang(reply));
    const tableText = compared.table.rows.flat().reduce((n, c) => n + c.text.length, 0);
    // The table and the blocks together keep to a message's total, or the fields stay sections.
    if (sumText(blocks) + tableText <= SLACK_LIMITS.messageText)
      return { text, blocks, attachments: [{ blocks: [compared.table] }] };
  }
  return { text, blocks: fitTotals(partsOf(reply), replyLang(reply)) };
}
