// What a member is offered while typing an option (Discord autocomplete): quiz topics that start a round and nothing
// else (no landscape project the quiz cannot ask about), lessons by number and title, in Korean and English.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importLandscape, loadCatalog } from '../../src/index.ts';
import { QuestionBank } from '../../src/quiz/bank.ts';
import { createBot, openStore, QueryEngine } from '../../src/testing.ts';
import { CATALOG_DIR, FIXTURE_LANDSCAPE_FILE } from '../helpers/catalog.ts';
import { RecordingPoster } from '../helpers/recording-poster.ts';

async function botWithLandscape() {
  const imported = importLandscape(readFileSync(FIXTURE_LANDSCAPE_FILE, 'utf8'), FIXTURE_LANDSCAPE_FILE);
  if ('problems' in imported) throw new Error(JSON.stringify(imported.problems));
  const load = await loadCatalog(CATALOG_DIR, { landscape: imported.items });
  if (!load.ok) throw new Error(JSON.stringify(load.problems));
  const store = await openStore({ sqlitePath: ':memory:' });
  const bot = createBot({ catalog: load.catalog, store, poster: new RecordingPoster(), defaultLang: 'en' });
  return { bot, catalog: load.catalog };
}

describe('quiz topic suggestions', async () => {
  const { bot, catalog } = await botWithLandscape();
  const engine = new QueryEngine(catalog);
  const bank = new QuestionBank(catalog);
  const landscapeOnly = catalog.tools.find((tool) => tool.source !== 'curated');

  it('offers only topics `/orch quiz` resolves, for every prefix a member types', () => {
    expect(landscapeOnly).toBeDefined();
    for (const typed of [
      '',
      'i',
      'is',
      'k',
      'ku',
      'serv',
      'le',
      '3',
      '이',
      '쿠',
      '서비스',
      'today',
      'conc',
    ]) {
      for (const s of bot.suggest('quiz', 'topic', typed, 'en-US')) {
        // `today` is the command's own word (the channel's latest lesson); every other value is a catalog topic.
        if (s.value !== 'today' && s.value !== '오늘')
          expect(bank.resolveTopic(s.value, engine), `${typed} → ${s.value}`).not.toBeNull();
        expect(s.name.length).toBeLessThanOrEqual(100);
        expect(s.value.length).toBeLessThanOrEqual(100);
      }
    }
  });

  it('leaves out a landscape project the quiz cannot ask about, which the tool option still offers', () => {
    const name = landscapeOnly?.name ?? '';
    const typed = name;
    const asTool = bot.suggest('tool', 'name', typed, 'en-US').map((s) => s.value);
    expect(asTool).toContain(landscapeOnly?.id);
    const asTopic = bot.suggest('quiz', 'topic', typed, 'en-US').map((s) => s.value);
    expect(asTopic).not.toContain(landscapeOnly?.id);
    expect(asTopic).not.toContain(name);
  });

  it('names topics in Korean for a Korean member and finds them by either language', () => {
    const track = catalog.roadmap.tracks[0];
    const ko = bot.suggest('quiz', 'topic', '', 'ko');
    expect(ko.map((s) => s.name)).toContain('전체');
    const byKorean = bot.suggest('quiz', 'topic', track?.title.ko.slice(0, 3) ?? '', 'en-US');
    expect(byKorean.map((s) => s.value)).toContain(track?.id);
    // Typed Hangul answers in Korean whatever the locale.
    expect(byKorean.find((s) => s.value === track?.id)?.name).toContain(track?.title.ko);
  });

  it('offers lessons by number and by title, with the number as the value `/orch lesson` reads', () => {
    const lesson = catalog.roadmap.lessons[11];
    const byNumber = bot.suggest('lesson', 'which', '12', 'en-US');
    expect(byNumber[0]).toEqual({ name: `Lesson 12: ${lesson?.title.en}`, value: '12' });
    const byTitle = bot.suggest('lesson', 'which', lesson?.title.ko.slice(0, 4) ?? '', 'ko');
    expect(byTitle).toContainEqual({ name: `12강: ${lesson?.title.ko}`, value: '12' });
    expect(bot.suggest('lesson', 'which', 'zzzz-nothing', 'en-US')).toEqual([]);
  });

  it('offers schedule examples, holiday countries by code or name, and the time zone a rule ends with', () => {
    const values = (typed: string, locale = 'en-US') =>
      bot.suggest('schedule', 'rule', typed, locale).map((s) => s.value);
    expect(values('')).toContain('weekdays 09:00 Asia/Seoul');
    expect(values('', 'ko')).toContain('평일 09:00 Asia/Seoul');
    expect(values('skip-holidays kr')[0]).toBe('skip-holidays KR');
    expect(values('skip-holidays south kor')).toContain('skip-holidays KR');
    expect(values('공휴일 대한')).toContain('공휴일 KR');
    expect(bot.suggest('schedule', 'rule', 'skip-holidays KR', 'ko')[0]?.name).toContain('대한민국');
    expect(values('weekdays 09:00 seo')).toContain('weekdays 09:00 Asia/Seoul');
    expect(values('mon,wed 19:30 europe/ber')).toContain('mon,wed 19:30 Europe/Berlin');
    // A time or a lone rule word is not a zone being typed.
    expect(values('weekdays 09:00')).toEqual([]);
    expect(values('weekdays')).toEqual([]);
  });

  it('offers nothing for an option without suggestions or a command that does not exist', () => {
    expect(bot.suggest('settings', 'what', 'x')).toEqual([]);
    expect(bot.suggest('nope', 'topic', 'x')).toEqual([]);
    expect(bot.suggest('quiz', 'topic', 'x'.repeat(10_000)).length).toBeLessThanOrEqual(25);
  });
});
