import { describe, expect, it } from 'vitest';
import { type Bot, COMMANDS, type Incoming, type Lang, type Store, toPlainText } from '../../../src/index.ts';
import { LANGS, openStore } from '../../../src/testing.ts';
import { command, testBot } from '../../helpers/catalog.ts';
import { ManualClock } from '../../helpers/clock.ts';

const admin = { platform: 'test', userId: 'A1', displayName: 'admin', isAdmin: true };

async function setup(): Promise<{ bot: Bot; store: Store }> {
  const store = await openStore({ sqlitePath: ':memory:' });
  const clock = new ManualClock(Date.parse('2026-11-25T03:00:00Z'));
  // As the server runs it: the calendar's example needs the pages' public address.
  const pages = { publicUrl: 'https://orch.example.org' };
  return { bot: await testBot({ store, clock, defaultLang: 'en', pages }), store };
}

const line = (text: string, channel = 'C1', extra: Partial<Incoming> = {}) =>
  command(text, { who: admin, where: { platform: 'test', space: 'T1', channel }, ...extra });

const textOf = (replies: { blocks: unknown[] }[]) =>
  replies.map((r) => toPlainText(r as Parameters<typeof toPlainText>[0])).join('\n');

describe('/orch help', () => {
  it('lists every command with its example, grouped, privately, in both languages', async () => {
    const { bot } = await setup();
    for (const lang of LANGS) {
      const answer = await bot.answer(line(`help --lang ${lang}`));
      expect(answer.outcome).toBe('ok');
      expect(answer.intent).toBe('help');
      expect(answer.replies).toHaveLength(1);
      expect(answer.replies[0]?.visibility).toBe('private');
      const text = textOf(answer.replies);
      for (const c of COMMANDS) {
        expect(text, `${c.name} (${lang})`).toContain(c.help.example[lang]);
        expect(text, `${c.name} (${lang})`).toContain(c.description[lang]);
      }
      const headings = answer.replies[0]?.blocks.filter((b) => b.type === 'heading').map((b) => b.text);
      expect(headings).toHaveLength(5);
      expect(answer.data.commands).toEqual(COMMANDS.map((c) => c.name));
    }
    const ko = textOf(await bot.handle(line('도움말')));
    expect(ko).toContain('/orch 이스티오');
    expect(ko).toContain('/orch 퀴즈 이스티오 3 20');
    expect(ko).toContain('찾아보기');
    const en = textOf(await bot.handle(line('help --lang en')));
    expect(en).toMatch(
      /== Look up ==[\s\S]*== Study plan ==[\s\S]*== Quizzes ==[\s\S]*== Settings and help ==/,
    );
    expect(en).toContain('--lang');
  });

  it('explains every command by its name and by each alias, in both languages', async () => {
    const { bot } = await setup();
    for (const c of COMMANDS) {
      for (const word of [c.name, ...c.aliases]) {
        for (const lang of LANGS) {
          for (const helpWord of lang === 'ko' ? ['도움말', 'help'] : ['help']) {
            const answer = await bot.answer(line(`${helpWord} ${word} --lang ${lang}`));
            expect(answer.outcome, `${helpWord} ${word} (${lang})`).toBe('ok');
            expect(answer.data.topic).toBe(c.name);
            const text = textOf(answer.replies);
            for (const syntax of c.help.syntax) expect(text).toContain(syntax.usage[lang]);
            for (const alias of c.aliases) expect(text).toContain(`\`${alias}\``);
            expect(text).toContain(c.help.example[lang]);
            if (c.help.admin) expect(text).toContain(c.help.admin[lang]);
          }
        }
      }
    }
  });

  it('says who may use each command: the admin rule of schedule, lang, roadmap set, quiz stop and admin', async () => {
    const { bot } = await setup();
    const who = async (topic: string, lang: Lang) =>
      textOf(await bot.handle(line(`help ${topic} --lang ${lang}`)));
    expect(await who('schedule', 'en')).toContain('changing the schedule: channel admins only');
    expect(await who('퀴즈', 'ko')).toContain('`중지`는 시작한 사람이나 채널 관리자만');
    expect(await who('lang', 'en')).toContain('channel admins only');
    expect(await who('roadmap', 'en')).toContain('`set`: channel admins only');
    expect(await who('admin', 'ko')).toContain('관리자만');
    expect(await who('tool', 'en')).toContain('everyone');
  });

  it('names an unknown topic and lists the ones it knows', async () => {
    const { bot } = await setup();
    const answer = await bot.answer(line('help frobnicate --lang en'));
    expect(answer.outcome).toBe('usage');
    const text = textOf(answer.replies);
    expect(text).toContain('There is no command "frobnicate"');
    for (const c of COMMANDS) expect(text).toContain(`\`${c.name}\``);
  });

  it('every example on the card works as typed, in both languages', async () => {
    for (const c of COMMANDS) {
      for (const lang of LANGS) {
        // A fresh bot per example: one example (a quiz round) must not refuse the next.
        const { bot } = await setup();
        const answer = await bot.answer(line(c.help.example[lang], `C-${c.name}-${lang}`));
        expect(answer.outcome, `${c.help.example[lang]}: ${textOf(answer.replies)}`).toBe('ok');
        expect(answer.command, c.help.example[lang]).toBe(c.name);
        expect(answer.intent, `${c.help.example[lang]}: ${textOf(answer.replies)}`).not.toBe('not_found');
      }
    }
  });
});

describe('usage errors name what was wrong and change nothing', () => {
  const cases: [string, string][] = [
    ['quiz istio 21', 'The number of questions must be 1 to 20, not 21'],
    ['quiz istio 0', 'The number of questions must be 1 to 20, not 0'],
    ['quiz istio 5 5', 'The time per question must be 10 to 120 seconds, not 5'],
    ['quiz nosuchtopicatall', 'no quiz on "nosuchtopicatall"'],
    ['lesson banana', 'Unknown lesson "banana"'],
    ['lesson 1 2', 'Too many words for one lesson: "1 2"'],
    ['lesson 999', 'There is no lesson 999'],
    ['roadmap jump 3', 'Unknown roadmap word "jump"'],
    ['roadmap set', '`/orch roadmap set` takes one lesson number'],
    ['roadmap set 999', 'There is no lesson 999'],
    ['schedule weekdays 25:00', 'I could not read that schedule'],
    ['schedule daily 09:00 Mars/Olympus', 'Unknown time zone "Mars/Olympus"'],
    ['schedule skip-holidays', '`skip-holidays` takes one country code'],
    ['schedule skip-holidays XX', 'Unknown country code "XX"'],
    ['schedule pause now', 'Unexpected words after the schedule command: "now"'],
    ['lang fr', 'Unknown language "fr": use `ko`, `en` or `auto`'],
    ['leaderboard month2', 'Unknown period "month2"'],
    ['admin explode', 'Unknown admin task "explode"'],
    ['tool', 'Name a tool'],
    ['compare', 'Name the tools to compare'],
    ['search', 'Say what the tool should do'],
    ['help nothing', 'There is no command "nothing"'],
    ['istio --bogus', 'Unknown option "--bogus"'],
    ['istio --lang fr', 'Unknown language "fr"'],
  ];

  it.each(cases)('%s', async (text, expected) => {
    const { bot, store } = await setup();
    await bot.handle(line('schedule weekdays 09:00 Asia/Seoul'));
    const before = await store.getChannel('test:T1:C1');
    const answer = await bot.answer(line(`${text} --lang en`));
    expect(answer.outcome).toBe('usage');
    expect(answer.replies[0]?.visibility).toBe('private');
    expect(textOf(answer.replies)).toContain(expected);
    expect(await store.getChannel('test:T1:C1')).toEqual(before);
    expect(await store.runningRound('test:T1:C1')).toBeNull();
  });

  it('points a command’s usage error at that command’s help, in the reader’s language', async () => {
    const { bot } = await setup();
    expect(textOf(await bot.handle(line('quiz istio 21 --lang en')))).toContain(
      'Every form of it: `/orch help quiz`.',
    );
    const ko = textOf(await bot.handle(line('퀴즈 이스티오 21')));
    expect(ko).toContain('문제 수는 1~20 사이여야 해요 (받은 값: 21)');
    expect(ko).toContain('`/orch 도움말 퀴즈`');
  });
});
