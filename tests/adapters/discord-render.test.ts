import { describe, expect, it } from 'vitest';
import {
  DISCORD_LIMITS,
  decodeCustomId,
  encodeCustomId,
  MATURITY_COLOURS,
  renderDiscord,
} from '../../adapters/discord/render.ts';
import type { Reply } from '../../src/index.ts';
import { comparison, toolCard } from '../../src/reply/catalog-replies.ts';
import type { LandscapeTool } from '../../src/testing.ts';
import { ask, realCatalog } from '../helpers/catalog.ts';
import { everyReply } from '../helpers/every-reply.ts';

function withinLimits(message: ReturnType<typeof renderDiscord>): void {
  expect(message.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embeds);
  let total = 0;
  for (const e of message.embeds) {
    expect(e.title?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(e.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(e.fields?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const f of e.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    expect(e.footer?.text.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.footer);
    total +=
      (e.title?.length ?? 0) +
      (e.description?.length ?? 0) +
      (e.footer?.text.length ?? 0) +
      (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  }
  expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
  expect(message.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.rows);
  for (const row of message.components)
    expect(row.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonsPerRow);
  expect(message.allowed_mentions).toEqual({ parse: [] });
}

describe('the Discord renderer', () => {
  it('renders a tool card as an embed with fields and link buttons, pinging nobody', async () => {
    const [card] = await ask('istio --lang en');
    const message = renderDiscord(card as Reply);
    withinLimits(message);
    expect(message.embeds[0]?.title).toBe('Istio');
    expect(message.embeds[0]?.fields?.map((f) => f.name)).toEqual(
      expect.arrayContaining(['Category', 'CNCF maturity']),
    );
    const links = message.components
      .flatMap((r) => r.components)
      .filter((b) => 'style' in b && b.style === 5);
    expect(links.map((b) => ('url' in b ? b.url : ''))).toContain('https://istio.io/');
    expect(message.flags).toBeUndefined();
  });

  it('colours a tool card by CNCF maturity: graduated, sandbox and non-CNCF each their own colour', async () => {
    const [istio] = await ask('istio --lang en');
    const [rancher] = await ask('rancher --lang en');
    // No curated tool is in the sandbox, so a landscape item stands in for one.
    const sandboxTool: LandscapeTool = {
      source: 'landscape',
      id: 'sandbox-sample',
      name: 'Sandbox Sample',
      category: 'service-mesh',
      maturity: 'sandbox',
      landscapeCategory: 'Orchestration & Management',
      landscapeSubcategory: 'Service Mesh',
    };
    const sandbox = toolCard(await realCatalog(), sandboxTool, 'en');
    const colourOf = (reply: Reply | undefined) => renderDiscord(reply as Reply).embeds[0]?.color;
    expect(colourOf(istio)).toBe(0x0086ff);
    expect(colourOf(sandbox)).toBe(0xf0a020);
    expect(colourOf(rancher)).toBe(0x99aab5);
    expect(new Set(Object.values(MATURITY_COLOURS)).size).toBe(5);
  });

  it('colours each tool of a comparison by its own maturity and leaves other replies uncoloured', async () => {
    const [compared] = await ask('istio vs rancher --lang en');
    const colours = renderDiscord(compared as Reply)
      .embeds.map((e) => e.color)
      .filter((c) => c !== undefined);
    expect(colours).toEqual([MATURITY_COLOURS.graduated, MATURITY_COLOURS.none]);
    const [help] = await ask('help --lang en');
    expect(renderDiscord(help as Reply).embeds.every((e) => e.color === undefined)).toBe(true);
  });

  it('makes private replies ephemeral', async () => {
    const [help] = await ask('help');
    expect(renderDiscord(help as Reply).flags).toBe(64);
  });

  it('turns choices into buttons whose custom ids carry the action back', async () => {
    const [lesson] = await ask('lesson 1 --lang en');
    const message = renderDiscord(lesson as Reply);
    withinLimits(message);
    const actions = message.components.flatMap((r) => r.components).filter((b) => 'custom_id' in b);
    const decoded = actions.map((b) => ('custom_id' in b ? decodeCustomId(b.custom_id) : null));
    expect(decoded).toContainEqual({ actionId: 'lesson.done', value: '1@en' });
    expect(decoded).toContainEqual({ actionId: 'quiz.lesson', value: '1@en' });
  });

  it('round-trips values with colons and refuses ids it did not make or that are too long', () => {
    const id = encodeCustomId('quiz.answer', '3f2a9c1e-0000-4000-8000-123456789abc:2:1');
    expect(id && decodeCustomId(id)).toEqual({
      actionId: 'quiz.answer',
      value: '3f2a9c1e-0000-4000-8000-123456789abc:2:1',
    });
    expect(decodeCustomId('something-else')).toBeNull();
    expect(encodeCustomId('a', 'x'.repeat(200))).toBeNull();
  });

  it('keeps only web links as links', () => {
    const message = renderDiscord({
      visibility: 'channel',
      blocks: [{ type: 'text', text: '[docs](https://kubernetes.io) and [evil](javascript:alert(1))' }],
    });
    expect(message.embeds[0]?.description).toContain('[docs](https://kubernetes.io)');
    expect(message.embeds[0]?.description).not.toContain('](javascript:');
  });

  it('stays within Discord limits for long replies', () => {
    const long = 'x'.repeat(5000);
    const reply: Reply = {
      visibility: 'channel',
      blocks: [
        { type: 'heading', text: 'h'.repeat(300) },
        { type: 'text', text: long },
        { type: 'fields', fields: Array.from({ length: 40 }, (_, i) => ({ label: `f${i}`, value: long })) },
        {
          type: 'choices',
          choices: Array.from({ length: 40 }, (_, i) => ({
            actionId: 'quiz.answer',
            value: `r:0:${i}`,
            label: `option ${i}`,
          })),
        },
      ],
    };
    const message = renderDiscord(reply);
    withinLimits(message);
    // Trimmed, not dropped: the title and the start of the text are still there.
    expect(message.embeds[0]?.title?.startsWith('hhh')).toBe(true);
    expect(message.embeds[0]?.description?.startsWith('xxx')).toBe(true);
    expect(message.components.flatMap((r) => r.components)).toHaveLength(25);
    // Fields and buttons past Discord's counts are left out, and the message says it was shortened.
    expect(message.embeds.at(-1)?.footer?.text).toContain('(shortened to fit)');
  });
});

/** Every text of a message, for finding names in it. */
function allText(message: ReturnType<typeof renderDiscord>): string {
  return message.embeds
    .flatMap((e) => [
      e.title,
      e.description,
      e.footer?.text,
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    ])
    .filter((x) => x !== undefined)
    .join('\n');
}

describe('Discord totals over every reply the catalog can produce', () => {
  it('keeps every tool card, category, comparison, lesson, question, reveal and help within every limit', async () => {
    const catalog = await realCatalog();
    let count = 0;
    for (const [, r] of everyReply(catalog)) {
      withinLimits(renderDiscord(r));
      count++;
    }
    expect(count).toBeGreaterThan(300);
  });

  it('names every curated tool of a full comparison: shown, or in a "+N more" note, never dropped silently', async () => {
    const catalog = await realCatalog();
    const tools = catalog.tools.filter((x) => x.source === 'curated');
    for (const lang of ['en', 'ko'] as const) {
      const message = renderDiscord(
        comparison(
          catalog,
          tools.map((x) => x.id),
          lang,
        ),
      );
      withinLimits(message);
      const text = allText(message);
      for (const tool of tools) expect(text, `${tool.name} ${lang}`).toContain(tool.name);
      const footer = message.embeds.at(-1)?.footer?.text ?? '';
      expect(footer).toMatch(lang === 'en' ? /\+\d+ more: \w/ : /외 \d+개 더 있어요: \w/);
    }
  });

  it('says how many embeds it left out and which, past ten embeds or 6,000 characters', () => {
    const blocks: Reply['blocks'] = [{ type: 'heading', text: 'Many' }];
    for (let i = 0; i < 14; i++)
      blocks.push({ type: 'divider' }, { type: 'text', text: `**Tool${i}** — short` });
    const message = renderDiscord({ visibility: 'channel', blocks });
    withinLimits(message);
    expect(message.embeds).toHaveLength(10);
    expect(message.embeds.at(-1)?.footer?.text).toBe('+5 more: Tool9, Tool10, Tool11, Tool12, Tool13');
  });

  it('cuts a long title at a word boundary, not mid-word', () => {
    const message = renderDiscord({
      visibility: 'channel',
      blocks: [{ type: 'heading', text: 'Observability and Kubernetes '.repeat(20) }],
    });
    const title = message.embeds[0]?.title ?? '';
    expect(title.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(title).toMatch(/ (Observability|and|Kubernetes)…$/);
  });
});
