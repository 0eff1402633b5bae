// "Explain tools in this message": every catalog tool and glossary concept a posted message names, as a private list
// in the reader's language; Korean names with particles count, and a message naming none is told so.
import { describe, expect, it } from 'vitest';
import { quizMe } from '../../src/actions/index.ts';
import { quizMeQuestions } from '../../src/actions/quiz-me.ts';
import type { Choice } from '../../src/index.ts';
import { type Incoming, type Reply, toPlainText } from '../../src/index.ts';
import { mentionsIn } from '../../src/query/mentions.ts';
import { QuestionBank } from '../../src/quiz/bank.ts';
import { openStore, QueryEngine } from '../../src/testing.ts';
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

describe('the Quiz me shortcut: a private round on the tools a message names', () => {
  const press = (choice: Choice, extra: Partial<Incoming> = {}): Incoming =>
    ({
      ...command(''),
      kind: 'choice',
      actionId: choice.actionId,
      value: choice.value,
      ...extra,
    }) as Incoming;
  const buttons = (reply: Reply | undefined) =>
    (reply?.blocks ?? []).flatMap((b) => (b.type === 'choices' ? b.choices : []));

  it('asks three questions on the named tools privately, judges each and gives the score, storing nothing', async () => {
    const store = await openStore({ sqlitePath: ':memory:' });
    const bot = await testBot({ store, defaultLang: 'en' });
    const bank = new QuestionBank(catalog);
    const questions = quizMeQuestions({ bank, catalog }, ['istio', 'linkerd']);
    expect(questions).toHaveLength(3);
    const [first] = await bot.handle({
      ...shortcut('Istio or Linkerd for us?'),
      shortcut: 'quiz',
    } as Incoming);
    expect(first?.visibility).toBe('private');
    expect(toPlainText(first as Reply)).toContain('Just for you: a round on Istio, Linkerd');
    let current = first;
    for (const [i, q] of questions.entries()) {
      expect(toPlainText(current as Reply)).toContain(q.question.en);
      // Right on the first two, wrong on the last.
      const pick = i < 2 ? q.answer : (q.answer + 1) % q.options.length;
      const replies = await bot.handle(press(buttons(current)[pick] as Choice));
      expect(replies.every((r) => r.visibility === 'private')).toBe(true);
      expect(toPlainText(replies[0] as Reply)).toMatch(i < 2 ? /^Right!/ : /^Not quite/);
      current = replies[1];
    }
    expect(toPlainText(current as Reply)).toContain('2 of 3 right');
    expect(await store.runningRound('test:T1:C1')).toBeNull();
    expect(await store.countDueReviews('test:T1:U1', Date.now() + 365 * 86_400_000)).toBe(0);
  });

  it('says so for a message naming no tool, and refuses a forged place, in a DM too', async () => {
    const bot = await testBot({ defaultLang: 'en' });
    const [none] = await bot.handle({ ...shortcut('hello there'), shortcut: 'quiz' } as Incoming);
    expect(toPlainText(none as Reply)).toContain('names no catalog tool');
    const forged = quizMe.button('x', { tools: ['istio'], index: 7, option: 0, right: 0 }, 'en');
    const dm = { where: { platform: 'test', space: 'dm', channel: 'dm' } };
    const [refused] = await bot.handle(press(forged, dm));
    expect(toPlainText(refused as Reply)).toContain('no longer active');
    const cheat = quizMe.button('x', { tools: ['istio'], index: 0, option: 0, right: 3 }, 'en');
    expect(toPlainText((await bot.handle(press(cheat)))[0] as Reply)).toContain('no longer active');
  });
});
