import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS, renderDiscord } from '../../adapters/discord/render.ts';
import { renderSlack, SLACK_LIMITS } from '../../adapters/slack/render.ts';
import { COMMANDS, type Lang, type Reply } from '../../src/index.ts';
import { LANGS } from '../../src/testing.ts';
import { command, testBot } from '../helpers/catalog.ts';

const bot = await testBot();

async function helpReplies(): Promise<{ name: string; lang: Lang; reply: Reply; mustShow: string[] }[]> {
  const out: { name: string; lang: Lang; reply: Reply; mustShow: string[] }[] = [];
  for (const lang of LANGS) {
    const [card] = await bot.handle(command(`help --lang ${lang}`));
    out.push({
      name: `the card (${lang})`,
      lang,
      reply: card as Reply,
      mustShow: COMMANDS.flatMap((c) => [c.help.example[lang], c.description[lang]]),
    });
    for (const c of COMMANDS) {
      const [topic] = await bot.handle(command(`help ${c.name} --lang ${lang}`));
      out.push({
        name: `help ${c.name} (${lang})`,
        lang,
        reply: topic as Reply,
        mustShow: [...c.help.syntax.map((s) => s.usage[lang]), c.help.example[lang], ...c.aliases],
      });
    }
  }
  return out;
}

const replies = await helpReplies();

describe('the help card and every help topic fit each platform without being cut', () => {
  it.each(replies.map((r) => [r.name, r] as const))('Slack: %s', (_name, { reply, mustShow }) => {
    const message = renderSlack(reply);
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    let total = 0;
    for (const block of message.blocks) {
      if (block.type === 'header')
        expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
      if (block.type === 'section' && 'text' in block) {
        expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
        total += block.text.text.length;
      }
      if (block.type === 'section' && 'fields' in block) {
        expect(block.fields.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldsPerSection);
        for (const f of block.fields) {
          expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
          total += f.text.length;
        }
      }
      if (block.type === 'context')
        for (const e of block.elements) expect(e.text.length).toBeLessThanOrEqual(SLACK_LIMITS.contextText);
    }
    // Slack also refuses a message whose blocks hold more than about 12,000 characters in total.
    expect(total).toBeLessThan(12_000);
    expect(message.text.endsWith('…')).toBe(false);
    // Slack shows `<` and `>` from their entities.
    const shown = JSON.stringify(message.blocks)
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&amp;', '&');
    for (const text of mustShow) expect(shown).toContain(JSON.stringify(text).slice(1, -1));
  });

  it.each(replies.map((r) => [r.name, r] as const))('Discord: %s', (_name, { reply, mustShow }) => {
    const message = renderDiscord(reply);
    expect(message.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embeds);
    let total = 0;
    for (const embed of message.embeds) {
      expect(embed.title?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.title);
      expect(embed.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.description);
      expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
      for (const f of embed.fields ?? []) {
        expect(f.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
        expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
        total += f.name.length + f.value.length;
      }
      total +=
        (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0);
    }
    expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    const shown = JSON.stringify(message.embeds);
    expect(shown).not.toContain('…"');
    for (const text of mustShow) expect(shown).toContain(JSON.stringify(text).slice(1, -1));
  });
});
