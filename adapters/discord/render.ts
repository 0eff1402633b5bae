import { type Block, progressBar, type Reply } from '../../src/index.ts';

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

/** A message body for interaction callbacks, webhooks and channel posts. */
export interface DiscordMessage {
  content?: string;
  embeds: DiscordEmbed[];
  components: { type: 1; components: DiscordButton[] }[];
  /** Nobody is ever pinged by what the bot sends: user text is echoed in answers. */
  allowed_mentions: { parse: [] };
  /** 64 = ephemeral, for private replies. */
  flags?: 64;
}

const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

/** Button ids carry the core's action id and value; `|` cannot appear in an action id. */
export function encodeCustomId(actionId: string, value: string): string | null {
  const id = `${actionId}|${value}`;
  return id.length <= DISCORD_LIMITS.customId ? id : null;
}

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
}

/** A reply being rendered; module-level steps on one state object, so a render allocates no closures. */
interface Render {
  drafts: Draft[];
  current: Draft | undefined;
  buttons: DiscordButton[];
}

function newDraft(r: Render, embed: DiscordEmbed): Draft {
  const draft: Draft = { embed, description: [], footer: [] };
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
      if (block.text) draft.description.push(safeMarkdown(block.text));
      return;
    }
    case 'fields': {
      const e = (r.current ?? newDraft(r, {})).embed;
      if (block.maturity) e.color = MATURITY_COLOURS[block.maturity] ?? MATURITY_COLOURS.none;
      const fields = e.fields ?? [];
      for (const f of block.fields) {
        if (fields.length >= DISCORD_LIMITS.fields) break;
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
    case 'links':
      for (const l of block.links) {
        if (/^https?:\/\//.test(l.url))
          r.buttons.push({ type: 2, style: 5, label: clip(l.label, DISCORD_LIMITS.buttonLabel), url: l.url });
      }
      return;
  }
}

/**
 * Renders a Reply as a Discord message: headings become embed titles (a new embed each), text and progress the
 * description, fields embed fields (a tool's CNCF maturity colours its embed), context the footer, choices and
 * links button rows. Private replies are ephemeral. The plain text is not repeated in `content`: embeds carry it,
 * and `content` stays empty so nothing in it could ever be parsed as a mention.
 */
export function renderDiscord(reply: Reply): DiscordMessage {
  const r: Render = { drafts: [], current: undefined, buttons: [] };
  for (const block of reply.blocks) addBlock(r, block);
  const embeds: DiscordEmbed[] = [];
  for (const { embed, description, footer } of r.drafts) {
    // Clipping the joined text once gives what clipping after every addition would.
    if (description.length > 0)
      embed.description = clip(description.join('\n\n'), DISCORD_LIMITS.description);
    if (footer.length > 0) embed.footer = { text: clip(footer.join('\n'), DISCORD_LIMITS.footer) };
    if (embed.title || embed.description || embed.fields?.length || embed.footer) embeds.push(embed);
  }
  // Keep within the message's limits: ten embeds, 6000 characters across them, five rows of five buttons.
  const kept: DiscordEmbed[] = [];
  let total = 0;
  for (const e of embeds) {
    if (kept.length >= DISCORD_LIMITS.embeds) break;
    // Trim rather than drop: the last fields go first, then the description is shortened.
    while (total + embedSize(e) > DISCORD_LIMITS.embedTotal && e.fields && e.fields.length > 0)
      e.fields.pop();
    const room = DISCORD_LIMITS.embedTotal - total - (embedSize(e) - (e.description?.length ?? 0));
    if (e.description && e.description.length > room) e.description = clip(e.description, Math.max(1, room));
    if (total + embedSize(e) > DISCORD_LIMITS.embedTotal) break;
    kept.push(e);
    total += embedSize(e);
  }
  const rows: DiscordMessage['components'] = [];
  for (
    let i = 0;
    i < r.buttons.length && rows.length < DISCORD_LIMITS.rows;
    i += DISCORD_LIMITS.buttonsPerRow
  ) {
    rows.push({ type: 1, components: r.buttons.slice(i, i + DISCORD_LIMITS.buttonsPerRow) });
  }
  return {
    embeds: kept,
    components: rows,
    allowed_mentions: { parse: [] },
    ...(reply.visibility === 'private' ? { flags: 64 as const } : {}),
  };
}
