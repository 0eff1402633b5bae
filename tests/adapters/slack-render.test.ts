import type { types } from '@slack/bolt';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeActionValue,
  escapeSlack,
  renderSlack,
  renderSlackText,
  SLACK_LIMITS,
  type SlackBlock,
  type SlackMessage,
  slackBlockText,
} from '../../adapters/slack/render.ts';
import type { Block, Reply } from '../../src/index.ts';
import { comparison } from '../../src/reply/catalog-replies.ts';
import { ask, realCatalog } from '../helpers/catalog.ts';
import { everyReply, lessonReplies, quizReplies } from '../helpers/every-reply.ts';

const ZWSP = '\u200b';

function reply(...blocks: Block[]): Reply {
  return { visibility: 'channel', blocks };
}

function only(block: Block): SlackBlock[] {
  return renderSlack(reply(block)).blocks;
}

/** Every text-bearing string of a message, the fallback included. */
function textsOf(message: SlackMessage): string[] {
  const out = [message.text];
  for (const block of message.blocks) {
    if (block.type === 'header') out.push(block.text.text);
    if (block.type === 'section' && 'text' in block) out.push(block.text.text);
    if (block.type === 'section' && 'fields' in block) out.push(...block.fields.map((f) => f.text));
    if (block.type === 'context') out.push(...block.elements.map((e) => e.text));
    if (block.type === 'actions')
      out.push(...block.elements.map((e) => ('text' in e ? e.text.text : e.placeholder.text)));
  }
  return out;
}

/** The Block Kit limits that make Slack refuse a whole message. */
function limitProblems(message: SlackMessage): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  check(message.text.length <= SLACK_LIMITS.fallbackText, `fallback ${message.text.length}`);
  check(message.blocks.length <= SLACK_LIMITS.blocks, `${message.blocks.length} blocks`);
  message.blocks.forEach((block, i) => {
    if (block.type === 'header') check(block.text.text.length <= 150, `header ${i}`);
    if (block.type === 'section' && 'text' in block)
      check(block.text.text.length >= 1 && block.text.text.length <= 3000, `section ${i}`);
    if (block.type === 'section' && 'fields' in block) {
      check(block.fields.length <= 10, `fields count ${i}`);
      for (const f of block.fields) check(f.text.length <= 2000, `field ${i}`);
    }
    if (block.type === 'context')
      for (const e of block.elements) check(e.text.length <= 3000, `context ${i}`);
    if (block.type === 'actions') {
      check(block.elements.length <= 25, `actions count ${i}`);
      const ids = block.elements.map((e) => e.action_id);
      check(new Set(ids).size === ids.length, `duplicate action ids ${i}`);
      for (const e of block.elements) {
        if (e.type !== 'button') continue;
        check(e.text.text.length <= 75, `button text ${i}`);
        check(e.action_id.length <= 255, `action id ${i}`);
        check((e.value ?? '').length <= 2000, `button value ${i}`);
        check((e.url ?? '').length <= 3000, `button url ${i}`);
      }
    }
  });
  return problems;
}

/** Angle-bracket markup in a text: anything Slack would parse as a mention, a channel or a link. */
function markupIn(text: string): string[] {
  return [...text.matchAll(/<[^>]*>?/g)].map((m) => m[0]);
}

describe('renderSlack block mapping', () => {
  it('renders a heading as a plain-text header with emoji on', () => {
    expect(only({ type: 'heading', text: 'Istio & Envoy' })).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Istio &amp; Envoy', emoji: true } },
    ]);
  });

  it('renders text as an mrkdwn section converted from the markdown subset', () => {
    expect(
      only({
        type: 'text',
        text: '**Bold** and _italic_ with `kubectl get pods` and [docs](https://istio.io/)',
      }),
    ).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '*Bold* and _italic_ with `kubectl get pods` and <https://istio.io/|docs>',
        },
      },
    ]);
  });

  it('renders fields as mrkdwn "*label*\\nvalue" pairs', () => {
    expect(
      only({
        type: 'fields',
        fields: [
          { label: 'Category', value: 'Service Mesh' },
          { label: 'Maturity', value: '**Graduated**' },
        ],
      }),
    ).toEqual([
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Category*\nService Mesh' },
          { type: 'mrkdwn', text: '*Maturity*\n*Graduated*' },
        ],
      },
    ]);
  });

  it('renders choices as buttons with unique action ids, styles and the real id in the value', () => {
    expect(
      only({
        type: 'choices',
        choices: [
          { actionId: 'quiz.answer', value: 'q1:0', label: 'A) Pods', style: 'primary' },
          { actionId: 'quiz.answer', value: 'q1:1', label: 'B) Nodes' },
          { actionId: 'lesson.skip', value: '3', label: 'Skip', style: 'danger' },
        ],
      }),
    ).toEqual([
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'quiz.answer:0',
            text: { type: 'plain_text', text: 'A) Pods', emoji: true },
            value: '{"a":"quiz.answer","v":"q1:0"}',
            style: 'primary',
          },
          {
            type: 'button',
            action_id: 'quiz.answer:1',
            text: { type: 'plain_text', text: 'B) Nodes', emoji: true },
            value: '{"a":"quiz.answer","v":"q1:1"}',
          },
          {
            type: 'button',
            action_id: 'lesson.skip:2',
            text: { type: 'plain_text', text: 'Skip', emoji: true },
            value: '{"a":"lesson.skip","v":"3"}',
            style: 'danger',
          },
        ],
      },
    ]);
  });

  it('renders links as link buttons', () => {
    expect(
      only({
        type: 'links',
        links: [
          { label: 'Homepage', url: 'https://istio.io/' },
          { label: 'Repository', url: 'https://github.com/istio/istio' },
        ],
      }),
    ).toEqual([
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'link:0',
            text: { type: 'plain_text', text: 'Homepage', emoji: true },
            url: 'https://istio.io/',
          },
          {
            type: 'button',
            action_id: 'link:1',
            text: { type: 'plain_text', text: 'Repository', emoji: true },
            url: 'https://github.com/istio/istio',
          },
        ],
      },
    ]);
  });

  it('renders a link with another scheme as escaped text, never as a button', () => {
    expect(
      only({
        type: 'links',
        links: [
          { label: 'Docs', url: 'https://istio.io/latest/docs/' },
          { label: 'Run <me>', url: 'javascript:alert(1)' },
        ],
      }),
    ).toEqual([
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'link:0',
            text: { type: 'plain_text', text: 'Docs', emoji: true },
            url: 'https://istio.io/latest/docs/',
          },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Run &lt;me&gt;: javascript:alert(1)' }] },
    ]);
  });

  it('renders progress as its label and the core text bar', () => {
    expect(only({ type: 'progress', label: 'Lessons done', done: 8, total: 20 })).toEqual([
      {
        type: 'section',
        text: { type: 'mrkdwn', text: 'Lessons done\n`[########------------] 8/20 (40%)`' },
      },
    ]);
  });

  it('renders a divider and a context line', () => {
    expect(
      renderSlack(reply({ type: 'divider' }, { type: 'context', text: 'Try `/orch help`' })).blocks,
    ).toEqual([
      { type: 'divider' },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Try `/orch help`' }] },
    ]);
  });

  it('drops blocks Slack would refuse for being empty', () => {
    expect(
      renderSlack(
        reply(
          { type: 'heading', text: '' },
          { type: 'text', text: '' },
          { type: 'fields', fields: [] },
          { type: 'choices', choices: [] },
          { type: 'links', links: [] },
          { type: 'context', text: '' },
        ),
      ).blocks,
    ).toEqual([]);
  });

  it('uses the escaped plain text of the reply as the fallback', () => {
    const message = renderSlack(
      reply({ type: 'heading', text: 'A & B' }, { type: 'text', text: '**x** [d](https://d.io)' }),
    );
    expect(message.text).toBe('== A &amp; B ==\nx d &lt;https://d.io&gt;');
  });

  it('produces blocks that type-check as Slack KnownBlocks', () => {
    const blocks: types.KnownBlock[] = renderSlack(
      reply(
        { type: 'heading', text: 'h' },
        { type: 'text', text: 't' },
        { type: 'fields', fields: [{ label: 'l', value: 'v' }] },
        { type: 'choices', choices: [{ actionId: 'a', value: 'v', label: 'c' }] },
        { type: 'links', links: [{ label: 'l', url: 'https://x.io' }] },
        { type: 'progress', label: 'p', done: 1, total: 2 },
        { type: 'divider' },
        { type: 'context', text: 'c' },
      ),
    ).blocks;
    expect(blocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'actions',
      'actions',
      'section',
      'divider',
      'context',
    ]);
  });
});

describe('renderSlackText', () => {
  it('converts bold, keeps italic and code, and turns web links into Slack links', () => {
    expect(renderSlackText('**a** _b_ `c` [d](http://d.io/x)')).toBe('*a* _b_ `c` <http://d.io/x|d>');
  });

  it('leaves code spans unconverted', () => {
    expect(renderSlackText('`ls **/*.yaml` and **bold**')).toBe('`ls **/*.yaml` and *bold*');
  });

  it('keeps the ampersands of a link url escaped and cannot be ended early by a pipe', () => {
    expect(renderSlackText('[q](https://x.io/?a=1&b=2|3)')).toBe('<https://x.io/?a=1&amp;b=2%7C3|q>');
  });

  it('refuses links with another scheme and leaves them as literal text', () => {
    expect(renderSlackText('[click](javascript:alert(1)) [f](file:///etc/passwd) [s](slack://open)')).toBe(
      '[click](javascript:alert(1)) [f](file:///etc/passwd) [s](slack://open)',
    );
  });

  it('does not put a zero-width space into a link url that contains @here', () => {
    expect(renderSlackText('[@here](https://m.social/@here)')).toBe(`<https://m.social/@here|@${ZWSP}here>`);
  });
});

describe('mention safety', () => {
  const injections = [
    '<!channel> istio',
    '<!here>',
    '<!everyone>',
    '<@U123>',
    '<!subteam^S1>',
    '<#C123>',
    '<https://evil|click>',
    '<https://evil.example>',
    '&lt;!channel&gt;',
    '[click](https://ok.io)<!channel>',
  ];

  /** The payload everywhere a reply can carry text. */
  function everywhere(payload: string): Reply {
    return reply(
      { type: 'heading', text: payload },
      { type: 'text', text: payload },
      { type: 'fields', fields: [{ label: payload, value: payload }] },
      { type: 'choices', choices: [{ actionId: 'quiz.answer', value: payload, label: payload }] },
      { type: 'links', links: [{ label: payload, url: 'https://ok.io' }] },
      { type: 'progress', label: payload, done: 1, total: 2 },
      { type: 'context', text: payload },
    );
  }

  it.each(injections)('never lets %s through as markup', (payload) => {
    const message = renderSlack(everywhere(payload));
    for (const text of textsOf(message)) {
      expect(text).not.toContain('<!');
      expect(text).not.toContain('<@');
      expect(text).not.toContain('<#');
      // The only markup allowed is the link made from our own [label](https://ok.io).
      for (const markup of markupIn(text)) expect(markup).toMatch(/^<https:\/\/ok\.io\|[^<>]*>$/);
    }
  });

  it('escapes the broadcast mentions into visible text', () => {
    expect(renderSlackText('<!channel> istio')).toBe('&lt;!channel&gt; istio');
    expect(renderSlackText('<@U123>')).toBe('&lt;@U123&gt;');
    expect(renderSlackText('<!subteam^S1>')).toBe('&lt;!subteam^S1&gt;');
    expect(renderSlackText('<https://evil|click>')).toBe('&lt;https://evil|click&gt;');
    // An entity typed by a user shows as typed instead of decoding into markup.
    expect(renderSlackText('&lt;!here&gt;')).toBe('&amp;lt;!here&amp;gt;');
  });

  it('puts a zero-width space after the @ of bare @channel, @here and @everyone, in any case', () => {
    const message = renderSlack(everywhere('ping @here @Channel @EVERYONE, not @hereafter'));
    for (const text of textsOf(message)) {
      expect(text).not.toMatch(/@(channel|here|everyone)\b/i);
      expect(text).toContain('@hereafter');
    }
    expect(escapeSlack('@here')).toBe(`@${ZWSP}here`);
  });

  it('keeps the real bot echoing a hostile query inert', async () => {
    const replies = await ask('<!channel> <@U123> @here nosuchtoolzz --lang en');
    expect(replies.length).toBeGreaterThan(0);
    for (const r of replies) {
      for (const text of textsOf(renderSlack(r))) {
        expect(markupIn(text)).toEqual([]);
        expect(text).not.toMatch(/@(channel|here|everyone)\b/i);
      }
    }
  });

  it('makes no markup but its own links from any mix of markup characters', () => {
    const piece = fc.constantFrom(
      '<',
      '>',
      '&',
      '!channel',
      '@here',
      '@',
      '|',
      '[a](https://ok.io)',
      '[b](',
      '](',
      ')',
      '`',
      '**',
      ' ',
      '\n',
      'x',
      'javascript:',
      'https://evil',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const out = renderSlackText(pieces.join(''));
        // The pieces can assemble a well-formed https link of their own ("[b](" + "https://evil" + ")"), which is
        // a link by construction; what must never appear is any other markup: no <!...>, <@...>, <#...>, no
        // javascript: or other schemes.
        for (const markup of markupIn(out)) expect(markup).toMatch(/^<https:\/\/[^\s<>|]+\|[^<>]*>$/);
        // A link's url may hold one (https://m.social/@here, see above): Slack does not ping from inside a link.
        expect(out.replace(/<https:\/\/[^\s<>|]+\|/g, '<')).not.toMatch(/@(channel|here|everyone)\b/i);
      }),
    );
  });
});

describe('choices round trip', () => {
  it('decodes every button back to the action id and value the core gave it', async () => {
    const [lesson] = await ask('lesson 1 --lang en');
    expect(lesson).toBeDefined();
    const choices = (lesson?.blocks ?? []).flatMap((b) => (b.type === 'choices' ? b.choices : []));
    expect(choices.length).toBeGreaterThan(0);
    const buttons = renderSlack(lesson as Reply).blocks.flatMap((b) =>
      b.type === 'actions' ? b.elements.filter((e) => e.type === 'button' && e.value !== undefined) : [],
    );
    expect(buttons.map((b) => decodeActionValue(('value' in b && b.value) || ''))).toEqual(
      choices.map((c) => ({ actionId: c.actionId, value: c.value })),
    );
  });

  it('round-trips values holding quotes, colons and non-Latin text', () => {
    const values = ['q"1":0', '{"a":1}', '이스티오:2', '', 'a\\b'];
    const [block] = only({
      type: 'choices',
      choices: values.map((value, i) => ({ actionId: `x.${i}`, value, label: `L${i}` })),
    });
    expect(block?.type).toBe('actions');
    const elements = block?.type === 'actions' ? block.elements : [];
    expect(elements.map((e) => decodeActionValue(('value' in e && e.value) || ''))).toEqual(
      values.map((value, i) => ({ actionId: `x.${i}`, value })),
    );
  });

  it('answers null for values it did not make', () => {
    for (const value of ['', 'lesson.done', '42', 'null', '[]', '{"a":1,"v":"x"}', '{"a":"x"}', '{'])
      expect(decodeActionValue(value)).toBeNull();
  });
});

describe('Slack limits', () => {
  it('renders a tool card with its header, fields and link buttons within the limits', async () => {
    const [card] = await ask('istio --lang en');
    expect(card).toBeDefined();
    const message = renderSlack(card as Reply);
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Istio', emoji: true },
    });
    const fields = message.blocks.find((b) => b.type === 'section' && 'fields' in b);
    expect(fields).toMatchObject({
      fields: expect.arrayContaining([{ type: 'mrkdwn', text: '*Category*\nService Mesh' }]),
    });
    const links = message.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements);
    expect(links.map((l) => [l.action_id, 'url' in l ? l.url : undefined])).toEqual([
      ['link:0', 'https://istio.io/'],
      ['link:1', 'https://github.com/istio/istio'],
      ['link:2', 'https://istio.io/latest/docs/'],
    ]);
    expect(message.text.startsWith('== Istio ==\n')).toBe(true);
    expect(limitProblems(message)).toEqual([]);
  });

  it('keeps the Korean card, the roadmap and a lesson within the limits too', async () => {
    for (const q of ['istio', 'roadmap --lang en', 'lesson 1', 'service mesh --lang en']) {
      for (const r of await ask(q)) expect(limitProblems(renderSlack(r)), q).toEqual([]);
    }
  });

  it('splits a long text into sections at line breaks without losing a character', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(40)}`);
    const blocks = only({ type: 'text', text: lines.join('\n') });
    expect(blocks.length).toBe(4);
    const texts = blocks.map((b) => (b.type === 'section' && 'text' in b ? b.text.text : ''));
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(3000);
    expect(texts.join('\n')).toBe(lines.join('\n'));
  });

  it('splits text without newlines at spaces, and a wall of letters hard at 3000', () => {
    const words = Array.from({ length: 1000 }, (_, i) => `w${i}`).join(' ');
    const texts = only({ type: 'text', text: words }).map((b) =>
      b.type === 'section' && 'text' in b ? b.text.text : '',
    );
    expect(texts.join(' ')).toBe(words);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(3000);

    const wall = 'a'.repeat(7000);
    expect(
      only({ type: 'text', text: wall }).map((b) =>
        b.type === 'section' && 'text' in b ? b.text.text.length : 0,
      ),
    ).toEqual([3000, 3000, 1000]);
  });

  it('never cuts a link, an entity or an emoji in half when splitting', () => {
    const link = '[docs](https://istio.io/latest/docs/)';
    for (const pad of [2980, 2990, 2995, 2998, 2999]) {
      for (const tail of [link, '&&&&&&', '😀😀😀']) {
        const texts = only({ type: 'text', text: 'a'.repeat(pad) + tail + 'b'.repeat(100) }).map((b) =>
          b.type === 'section' && 'text' in b ? b.text.text : '',
        );
        for (const t of texts) {
          expect(t.length).toBeLessThanOrEqual(3000);
          expect(t).not.toMatch(/<[^>]*$|^[^<]*>|&[a-z]*$|^[a-z]*;|[\ud800-\udbff]$|^[\udc00-\udfff]/);
        }
        expect(texts.join('')).toBe(renderSlackText('a'.repeat(pad) + tail + 'b'.repeat(100)));
      }
    }
  });

  it('puts at most 10 fields in a section and clips a field to 2000', () => {
    const fields = Array.from({ length: 23 }, (_, i) => ({
      label: `L${i}`,
      value: i === 0 ? 'v'.repeat(5000) : `v${i}`,
    }));
    const blocks = only({ type: 'fields', fields });
    expect(blocks.map((b) => (b.type === 'section' && 'fields' in b ? b.fields.length : 0))).toEqual([
      10, 10, 3,
    ]);
    const first = blocks[0]?.type === 'section' && 'fields' in blocks[0] ? blocks[0].fields[0]?.text : '';
    expect(first?.length).toBe(2000);
    expect(first?.endsWith('…')).toBe(true);
  });

  it('puts at most 25 buttons in an actions block with action ids unique across the blocks', () => {
    const choices = Array.from({ length: 30 }, (_, i) => ({
      actionId: 'quiz.answer',
      value: `${i}`,
      label: `${i}`,
    }));
    const blocks = only({ type: 'choices', choices });
    expect(blocks.map((b) => (b.type === 'actions' ? b.elements.length : 0))).toEqual([25, 5]);
    const ids = blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.action_id) : []));
    expect(new Set(ids).size).toBe(30);
    const links = only({
      type: 'links',
      links: Array.from({ length: 26 }, (_, i) => ({ label: `${i}`, url: `https://x.io/${i}` })),
    });
    expect(links.map((b) => (b.type === 'actions' ? b.elements.at(-1)?.action_id : ''))).toEqual([
      'link:24',
      'link:25',
    ]);
  });

  it('clips headers to 150, button labels to 75 and oversized action ids and values', () => {
    const message = renderSlack(
      reply(
        { type: 'heading', text: 'h'.repeat(400) },
        {
          type: 'choices',
          choices: [{ actionId: 'a'.repeat(300), value: 'v'.repeat(3000), label: 'b'.repeat(100) }],
        },
      ),
    );
    expect(limitProblems(message)).toEqual([]);
    const header = message.blocks[0];
    expect(header?.type === 'header' ? header.text.text : '').toBe(`${'h'.repeat(149)}…`);
  });

  it('keeps the first 49 blocks and says it shortened the reply when there are more than 50', () => {
    const blocks: Block[] = Array.from({ length: 60 }, (_, i) => ({ type: 'text', text: `t${i}` }));
    const message = renderSlack(reply(...blocks));
    expect(message.blocks.length).toBe(50);
    expect(message.blocks[48]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 't48' } });
    expect(message.blocks[49]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '(shortened to fit)' }],
    });
  });

  it('clips the fallback text to 3000 without breaking an entity', () => {
    const message = renderSlack(reply({ type: 'text', text: `${'a'.repeat(2997)}&&&&` }));
    expect(message.text.length).toBeLessThanOrEqual(3000);
    expect(message.text).toBe(`${'a'.repeat(2997)}…`);
  });
});

describe('bold with code inside', () => {
  it('converts bold that holds a code span instead of sending literal stars', () => {
    expect(renderSlackText('**Run `kubectl apply -f x.yaml` first** then `**/*.yaml`')).toBe(
      '*Run `kubectl apply -f x.yaml` first* then `**/*.yaml`',
    );
  });

  it('leaves no literal ** and keeps every code span in every quiz question, reveal and lesson', async () => {
    const catalog = await realCatalog();
    let checked = 0;
    for (const [name, r] of [...lessonReplies(catalog), ...quizReplies(catalog)]) {
      const sources = r.blocks.flatMap((b) =>
        b.type === 'text' || b.type === 'context'
          ? [b.text]
          : b.type === 'fields'
            ? b.fields.map((f) => f.value)
            : [],
      );
      const rendered = renderSlack(r)
        .blocks.flatMap((b) =>
          b.type === 'section' && 'text' in b
            ? [b.text.text]
            : b.type === 'section'
              ? b.fields.map((f) => f.text)
              : b.type === 'context'
                ? b.elements.map((e) => e.text)
                : [],
        )
        .join('\n');
      expect(rendered.replace(/`[^`\n]*`/g, ''), name).not.toContain('**');
      for (const code of sources.join('\n').match(/`[^`\n]*`/g) ?? [])
        expect(rendered, name).toContain(escapeSlack(code));
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe('Slack totals over every reply the catalog can produce', () => {
  it('keeps every tool card, category, comparison, lesson, question, reveal and help within every limit', async () => {
    const catalog = await realCatalog();
    let count = 0;
    for (const [name, r] of everyReply(catalog)) {
      const message = renderSlack(r);
      expect(limitProblems(message), name).toEqual([]);
      const total = message.blocks.reduce((n, b) => n + slackBlockText(b), 0);
      expect(total, name).toBeLessThanOrEqual(SLACK_LIMITS.messageText);
      count++;
    }
    expect(count).toBeGreaterThan(300);
  });

  it('names every curated tool of a full comparison: shown, or in a "+N more" note in the reply language', async () => {
    const catalog = await realCatalog();
    const tools = catalog.tools.filter((x) => x.source === 'curated');
    for (const lang of ['en', 'ko'] as const) {
      const message = renderSlack(
        comparison(
          catalog,
          tools.map((x) => x.id),
          lang,
        ),
      );
      const text = textsOf(message).slice(1).join('\n');
      for (const tool of tools) expect(text, `${tool.name} ${lang}`).toContain(tool.name);
      const note = message.blocks.at(-1);
      const noteText = note?.type === 'context' ? (note.elements[0]?.text ?? '') : '';
      if (lang === 'en') expect(noteText).toMatch(/^\+\d+ more: \w/);
      else if (noteText.startsWith('외')) expect(noteText).toMatch(/^외 \d+개 더 있어요: /);
    }
  });

  it('says how many parts it left out and which, when a reply is over the total', () => {
    const parts: Block[] = [{ type: 'heading', text: 'Many' }];
    for (let i = 0; i < 12; i++)
      parts.push({ type: 'divider' }, { type: 'text', text: `**Tool${i}** — ${'word '.repeat(400)}` });
    const message = renderSlack(reply(...parts));
    const total = message.blocks.reduce((n, b) => n + slackBlockText(b), 0);
    expect(total).toBeLessThanOrEqual(SLACK_LIMITS.messageText);
    const note = message.blocks.at(-1);
    expect(note).toEqual({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: '+8 more: Tool4, Tool5, Tool6, Tool7, Tool8, Tool9, Tool10, Tool11' },
      ],
    });
  });

  it('cuts a long header and a long single text at a word boundary and says it shortened the reply', () => {
    const message = renderSlack(
      reply(
        { type: 'heading', text: 'kubernetes '.repeat(30) },
        { type: 'text', text: 'observability '.repeat(1500) },
      ),
    );
    const header = message.blocks[0];
    expect(header?.type === 'header' ? header.text.text : '').toMatch(/ kubernetes…$/);
    const total = message.blocks.reduce((n, b) => n + slackBlockText(b), 0);
    expect(total).toBeLessThanOrEqual(SLACK_LIMITS.messageText);
    for (const b of message.blocks)
      if (b.type === 'section' && 'text' in b) expect(b.text.text).toMatch(/(^|\s)observability(…)?\s*$/);
    expect(message.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '(shortened to fit)' }],
    });
  });
});
