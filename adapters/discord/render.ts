import {
  type Block,
  type Lang,
  progressBar,
  type Reply,
  surrogateSafe,
  t,
  wordCut,
} from '../../src/index.ts';

/** Discord's limits for the parts this renderer fills (API v10). */
export const DISCORD_LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  embeds: 10,
  embedTotal: 6000,
  buttonLabel: 80,
  customId: 100,
  buttonsPerRow: 5,
  rows: 5,
  /** A string select's options, an option's label and value, its placeholder (docs: select menus). */
  selectOptions: 25,
  optionLabel: 100,
  optionValue: 100,
  selectPlaceholder: 150,
} as const;

/** The CNCF maturity levels a tool card can carry (`none`: not a CNCF project). */
export type Maturity = NonNullable<Extract<Block, { type: 'fields' }>['maturity']>;

/**
 * The embed colour (the bar on its left) of a tool card by CNCF maturity, so a glance tells a graduated project
 * from a sandbox one: blue for graduated, teal for incubating, amber for sandbox, slate for archived, and
 * Discord's neutral grey for tools outside the CNCF.
 */
export const MATURITY_COLOURS: Readonly<Record<Maturity, number>> = {
  graduated: 0x0086ff,
  incubating: 0x1abc9c,
  sandbox: 0xf0a020,
  archived: 0x5d6d7e,
  none: 0x99aab5,
};

/** An embed as sent to the API. */
export interface DiscordEmbed {
  title?: string;
  /** 0xRRGGBB. */
  color?: number;
  description?: string;
  fields?: { name: string; value: string; inline: boolean }[];
  footer?: { text: string };
}

/** A button component: an action (custom_id) or a link (url). */
export type DiscordButton =
  | { type: 2; style: 1 | 2 | 4; label: string; custom_id: string }
  | { type: 2; style: 5; label: string; url: string };

/**
 * A string select (type 3), alone in its row. Its custom id only tells selects apart (`orch.select:<n>`); each
 * option's value carries the core's action id and value as a button's custom id does, so a pick is read as a press.
 */
export interface DiscordSelect {
  type: 3;
  custom_id: string;
  placeholder: string;
  options: { label: string; value: string }[];
}

/** A message body for interaction callbacks, webhooks and channel posts. */
export interface DiscordMessage {
  content?: string;
  embeds: DiscordEmbed[];
  components: { type: 1; components: (DiscordButton | DiscordSelect)[] }[];
  /** Nobody is ever pinged by what the bot sends: user text is echoed in answers. */
  allowed_mentions: { parse: [] };
  /** 64 = ephemeral, for private replies. */
  flags?: 64;
}

/** Shortens text to `max` at a word boundary where there is one, never inside a surrogate pair, ending in "…". */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = surrogateSafe(text, wordCut(text, max - 1));
  return `${text.slice(0, cut).trimEnd()}…`;
}

/** Button ids carry the core's action id and value; `|` cannot appear in an action id. */
export function encodeCustomId(actionId: string, value: string): string | null {
  const id = `${actionId}|${value}`;
  return id.length <= DISCORD_LIMITS.customId ? id : null;
}

/** The custom id of the message selects this bot renders (`orch.select:<n>`); their options carry the actions. */
export const SELECT_ID = 'orch.select';

/** The core's action id and value from a button's custom_id, or null for ids this bot did not make. */
export function decodeCustomId(customId: string): { actionId: string; value: string } | null {
  const bar = customId.indexOf('|');
  if (bar <= 0) return null;
  return { actionId: customId.slice(0, bar), value: customId.slice(bar + 1) };
}

/** Only web links survive as markdown links; anything else stays visible as text. */
function safeMarkdown(text: string): string {
  // Most texts and field values hold no link at all; they skip the regular expression.
  if (!text.includes('](')) return text;
  return text.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label: string, url: string) =>
    /^https?:\/\//.test(url) ? `[${label}](${url})` : whole.replace(/[[\]()]/g, '\\$&'),
  );
}

function embedSize(e: DiscordEmbed): number {
  let size = (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0);
  for (const f of e.fields ?? []) size += f.name.length + f.value.length;
  return size;
}

/** An embed being filled: its description and footer lines are joined (and clipped) once, at the end. */
interface Draft {
  embed: DiscordEmbed;
  description: string[];
  footer: string[];
  /** What the embed is called in a "+3 more: …" note: its title, a tool's bold name, or its first words. */
  name: string | null;
}

/** A reply being rendered; module-level steps on one state object, so a render allocates no closures. */
interface Render {
  drafts: Draft[];
  current: Draft | undefined;
  buttons: DiscordButton[];
  selects: DiscordSelect[];
  /** Something was left out or cut short to keep within a limit. */
  shortened: boolean;
}

function newDraft(r: Render, embed: DiscordEmbed): Draft {
  const draft: Draft = { embed, description: [], footer: [], name: embed.title ?? null };
  r.drafts.push(draft);
  r.current = draft;
  return draft;
}

function addBlock(r: Render, block: Block): void {
  switch (block.type) {
    case 'heading':
      newDraft(r, { title: clip(block.text, DISCORD_LIMITS.title) });
      return;
    case 'text': {
      const draft = r.current ?? newDraft(r, {});
      draft.name ??= textName(block.text);
      if (block.text) draft.description.push(safeMarkdown(block.text));
      return;
    }
    case 'fields': {
      const e = (r.current ?? newDraft(r, {})).embed;
      if (block.maturity) e.color = MATURITY_COLOURS[block.maturity] ?? MATURITY_COLOURS.none;
      const fields = e.fields ?? [];
      for (const f of block.fields) {
        if (fields.length >= DISCORD_LIMITS.fields) {
          r.shortened = true;
          break;
        }
        const value = clip(safeMarkdown(f.value) || '-', DISCORD_LIMITS.fieldValue);
        fields.push({ name: clip(f.label, DISCORD_LIMITS.fieldName), value, inline: value.length <= 40 });
      }
      e.fields = fields;
      return;
    }
    case 'progress':
      (r.current ?? newDraft(r, {})).description.push(
        `**${block.label}** \`${progressBar(block.done, block.total)}\``,
      );
      return;
    case 'divider':
      r.current = undefined;
      return;
    case 'context':
      (r.current ?? newDraft(r, {})).footer.push(block.text);
      return;
    case 'choices':
      for (const c of block.choices) {
        const customId = encodeCustomId(c.actionId, c.value);
        if (!customId) continue;
        r.buttons.push({
          type: 2,
          style: c.style === 'danger' ? 4 : c.style === 'primary' ? 1 : 2,
          label: clip(c.label, DISCORD_LIMITS.buttonLabel),
          custom_id: customId,
        });
      }
      return;
    case 'select': {
      // Discord holds 25 options a select and five rows a message: each group of options becomes a select of its
      // own (a longer group continues in the next), named by its group, so one menu of up to 125 options fits.
      let current: DiscordSelect | undefined;
      let currentGroup: string | undefined;
      for (const o of block.options) {
        const value = encodeCustomId(o.actionId, o.value);
        if (!value || value.length > DISCORD_LIMITS.optionValue) continue;
        if (!current || o.group !== currentGroup || current.options.length === DISCORD_LIMITS.selectOptions) {
          if (r.selects.length === DISCORD_LIMITS.rows) {
            // The rest stay reachable by typing them (and by autocomplete); the core put the most useful first.
            r.shortened = true;
            break;
          }
          current = {
            type: 3,
            custom_id: `${SELECT_ID}:${r.selects.length}`,
            placeholder: clip(o.group ?? block.placeholder, DISCORD_LIMITS.selectPlaceholder),
            options: [],
          };
          currentGroup = o.group;
          r.selects.push(current);
        }
        current.options.push({ label: clip(o.label, DISCORD_LIMITS.optionLabel), value });
      }
      return;
    }
    case 'links':
      for (const l of block.links) {
        if (/^https?:\/\//.test(l.url))
          r.buttons.push({ type: 2, style: 5, label: clip(l.label, DISCORD_LIMITS.buttonLabel), url: l.url });
      }
      return;
  }
}

const HANGUL = /[\uac00-\ud7a3]/;
// The room kept in the 6,000-character total for the note that says what was left out.
const NOTE_ROOM = 300;

/** What a text block calls its part: a tool's leading bold name, else its first words. */
function textName(text: string): string | null {
  const bold = /^\s*(?:[•\d.]+\s*)?\*\*([^*\n]+)\*\*/.exec(text);
  if (bold?.[1]) return bold[1];
  const line = (text.split('\n')[0] ?? '').replace(/[*_`]/g, '').trim();
  return line === '' ? null : clip(line, 40);
}

/** The reply's language for the renderer's own words: the core says it for lookups, Hangul gives it away elsewhere. */
function replyLang(reply: Reply): Lang {
  if (reply.meta) return reply.meta.lang;
  return reply.blocks.some((b) => (b.type === 'heading' || b.type === 'text') && HANGUL.test(b.text))
    ? 'ko'
    : 'en';
}

/** Trims one embed to `room` characters: the last fields go first, then the description, then the footer. */
function shrink(e: DiscordEmbed, room: number): void {
  while (embedSize(e) > room && e.fields && e.fields.length > 0) e.fields.pop();
  const over = (): number => embedSize(e) - room;
  if (e.description && over() > 0)
    e.description = clip(e.description, Math.max(1, e.description.length - over()));
  if (e.footer && over() > 0)
    e.footer = { text: clip(e.footer.text, Math.max(1, e.footer.text.length - over())) };
}

/**
 * Keeps the embeds within the message's totals (ten embeds, 6,000 characters across them): whole embeds in order
 * while they fit, the first one trimmed if it alone is too long, and a footer note on the last embed kept that says
 * what was left out ("+7 more: …"), so nothing disappears silently.
 */
function fitTotals(drafts: Draft[], shortenedBefore: boolean, lang: Lang): DiscordEmbed[] {
  const sizes = drafts.map((d) => embedSize(d.embed));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (!shortenedBefore && drafts.length <= DISCORD_LIMITS.embeds && total <= DISCORD_LIMITS.embedTotal)
    return drafts.map((d) => d.embed);
  const budget = DISCORD_LIMITS.embedTotal - NOTE_ROOM;
  const kept: DiscordEmbed[] = [];
  let used = 0;
  let next = 0;
  let shortened = shortenedBefore;
  for (; next < drafts.length && kept.length < DISCORD_LIMITS.embeds; next++) {
    const e = (drafts[next] as Draft).embed;
    if (used + embedSize(e) > budget) {
      if (kept.length > 0) break;
      shrink(e, budget);
      shortened = true;
    }
    kept.push(e);
    used += embedSize(e);
  }
  const left = drafts.slice(next);
  const notes: string[] = [];
  if (shortened) notes.push(t(lang, 'render.cut'));
  if (left.length > 0) {
    const names = left.map((d) => d.name).filter((n): n is string => n !== null);
    notes.push(t(lang, 'render.more', { count: left.length, names: names.join(', ') || '…' }));
  }
  const last = kept[kept.length - 1];
  if (last && notes.length > 0) {
    const note = clip(notes.join(' '), NOTE_ROOM - 1);
    last.footer = { text: last.footer ? `${last.footer.text}\n${note}` : note };
    // The note's room was kept out of the budget, but the footer has its own cap.
    if (last.footer.text.length > DISCORD_LIMITS.footer)
      last.footer = {
        text: `${clip(last.footer.text.slice(0, -note.length - 1), DISCORD_LIMITS.footer - note.length - 1)}\n${note}`,
      };
  }
  return kept;
}

/**
 * Renders a Reply as a Discord message: headings become embed titles (a new embed each), text and progress the
 * description, fields embed fields (a tool's CNCF maturity colours its embed), context the footer, choices and
 * links button rows. Private replies are ephemeral. The plain text is not repeated in `content`: embeds carry it,
 * and `content` stays empty so nothing in it could ever be parsed as a mention.
 */
export function renderDiscord(reply: Reply): DiscordMessage {
  const r: Render = { drafts: [], current: undefined, buttons: [], selects: [], shortened: false };
  for (const block of reply.blocks) addBlock(r, block);
  const drafts: Draft[] = [];
  for (const draft of r.drafts) {
    const { embed, description, footer } = draft;
    // Clipping the joined text once gives what clipping after every addition would.
    if (description.length > 0) {
      const joined = description.join('\n\n');
      embed.description = clip(joined, DISCORD_LIMITS.description);
      if (embed.description !== joined) r.shortened = true;
    }
    if (footer.length > 0) embed.footer = { text: clip(footer.join('\n'), DISCORD_LIMITS.footer) };
    if (embed.title || embed.description || embed.fields?.length || embed.footer) drafts.push(draft);
  }
  // Five rows of five buttons is all a message holds; the rest would vanish unannounced.
  if (r.buttons.length > DISCORD_LIMITS.rows * DISCORD_LIMITS.buttonsPerRow) r.shortened = true;
  const embeds = fitTotals(drafts, r.shortened, replyLang(reply));
  // A select takes a row of its own, ahead of the buttons.
  const rows: DiscordMessage['components'] = r.selects
    .slice(0, DISCORD_LIMITS.rows)
    .map((select) => ({ type: 1 as const, components: [select] }));
  for (
    let i = 0;
    i < r.buttons.length && rows.length < DISCORD_LIMITS.rows;
    i += DISCORD_LIMITS.buttonsPerRow
  ) {
    rows.push({ type: 1, components: r.buttons.slice(i, i + DISCORD_LIMITS.buttonsPerRow) });
  }
  return {
    embeds,
    components: rows,
    allowed_mentions: { parse: [] },
    ...(reply.visibility === 'private' ? { flags: 64 as const } : {}),
  };
}
