// "Explain tools in this message": every catalog tool and glossary concept a posted message names, as a private list
// in the reader's language; Korean names with particles count, and a message naming none is told so.
import { describe, expect, it } from 'vitest';
import { type Incoming, type Reply, toPlainText } from '../../src/index.ts';
import { mentionsIn } from '../../src/query/mentions.ts';
import { QueryEngine } from '../../src/testing.ts';
import { command, realCatalog, testBot } from '../helpers/catalog.ts';

const catalog = await realCatalog();
const engine = new QueryEngine(catalog);
const shortcut = (text: string, extra: Partial<Incoming> = {}): Incoming =>
  ({ ...command(''), kind: 'shortcut', shortcut: 'explain', text, ...extra }) as Incoming;

describe('the tools and concepts a message names', () => {
  it('finds every tool and concept once, in order, Korean particles and multi-word names included', () => {
    const found = mentionsIn(
      engine,
      'We moved from Linkerd to Istio last week; 이스티오는 사이드카를 써요. Istio again, and a service mesh.',
    );
    expect(found.tools).toEqual(['linkerd', 'istio']);
    expect(found.concepts).toContain('sidecar');
  });

  it('finds nothing in a message that names nothing, and stays bounded on a huge paste', () => {
    expect(mentionsIn(engine, 'lunch at noon?')).toEqual({ tools: [], concepts: [] });
    const huge = mentionsIn(engine, 'istio '.repeat(50_000));
    expect(huge.tools).toEqual(['istio']);
  });
});

describe('the Explain shortcut', () => {
  it('answers privately with each named tool and concept, in English or Korean', async () => {
    const bot = await testBot({ defaultLang: 'en' });
    const answer = await bot.answer(shortcut('Should we try Istio or Linkerd? 사이드카 overhead worries me'));
    expect(answer.outcome).toBe('ok');
    const [reply] = answer.replies;
    expect(reply?.visibility).toBe('private');
    const text = toPlainText(reply as Reply);
    expect(text).toContain('Tools and concepts in this message');
    expect(text).toMatch(/Istio: /);
    expect(text).toMatch(/Linkerd: /);
    expect(text).toContain('📖 Sidecar');
    const ko = toPlainText((await bot.handle(shortcut('Istio 써 봤어요?', { locale: 'ko' })))[0] as Reply);
    expect(ko).toContain('이 메시지에 나온 도구와 개념');
  });

  it('says so when the message names nothing, and runs in a direct message too', async () => {
    const bot = await testBot({ defaultLang: 'en' });
    const [none] = await bot.handle(
      shortcut('see you tomorrow', { where: { platform: 'test', space: 'dm', channel: 'dm' } }),
    );
    expect(toPlainText(none as Reply)).toContain('names no tool or concept');
  });

  it('refuses a shortcut the core does not have, privately', async () => {
    const bot = await testBot({ defaultLang: 'en' });
    const answer = await bot.answer(shortcut('istio', { shortcut: 'nope' } as Partial<Incoming>));
    expect(answer.outcome).toBe('refused');
    expect(answer.replies[0]?.visibility).toBe('private');
  });
});
