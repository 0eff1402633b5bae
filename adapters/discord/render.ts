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

/** An embed as sent to the API. */
export interface DiscordEmbed {
  title?: string;
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
  return text.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label: string, url: string) =>
    /^https?:\/\//.test(url) ? `[${label}](${url})` : whole.replace(/[[\]()]/g, '\\$&'),
  );
}

function embedSize(e: DiscordEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/**
 * Renders a Reply as a Discord message: headings become embed titles (a new embed each), text and progress the
 * description, fields embed fields, context the footer, choices and links button rows. Private replies are
 * ephemeral. The plain text is not repeated in `content`: embeds carry it, and `content` stays empty so nothing
 * in it could ever be parsed as a mention.
 */
export function renderDiscord(reply: Reply): DiscordMessage {
  const embeds: DiscordEmbed[] = [];
  const buttons: DiscordButton[] = [];
  let current: DiscordEmbed | undefined;
  const embed = (): DiscordEmbed => {
    if (!current) {
      current = {};
      embeds.push(current);
    }
    return current;
  };
  const describe = (text: string): void => {
    const e = embed();
    e.description = clip(e.description ? `${e.description}\n\n${text}` : text, DISCORD_LIMITS.description);
  };
  const add = (block: Block): void => {
    switch (block.type) {
      case 'heading':
        current = { title: clip(block.text, DISCORD_LIMITS.title) };
        embeds.push(current);
        return;
      case 'text':
        describe(safeMarkdown(block.text));
        return;
      case 'fields': {
        const e = embed();
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
        describe(`**${block.label}** \`${progressBar(block.done, block.total)}\``);
        return;
      case 'divider':
        current = undefined;
        return;
      case 'context': {
        const e = embed();
        e.footer = {
          text: clip(e.footer ? `${e.footer.text}\n${block.text}` : block.text, DISCORD_LIMITS.footer),
        };
        return;
      }
      case 'choices':
        for (const c of block.choices) {
          const customId = encodeCustomId(c.actionId, c.value);
          if (!customId) continue;
          buttons.push({
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
            buttons.push({ type: 2, style: 5, label: clip(l.label, DISCORD_LIMITS.buttonLabel), url: l.url });
        }
        return;
    }
  };
  for (const block of reply.blocks) add(block);
  // Keep within the message's limits: ten embeds, 6000 characters across them, five rows of five buttons.
  const kept: DiscordEmbed[] = [];
  let total = 0;
  for (const e of embeds.filter((x) => x.title || x.description || x.fields?.length || x.footer)) {
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
    i < buttons.length && rows.length < DISCORD_LIMITS.rows;
    i += DISCORD_LIMITS.buttonsPerRow
  ) {
    rows.push({ type: 1, components: buttons.slice(i, i + DISCORD_LIMITS.buttonsPerRow) });
  }
  return {
    embeds: kept,
    components: rows,
    allowed_mentions: { parse: [] },
    ...(reply.visibility === 'private' ? { flags: 64 as const } : {}),
  };
}
