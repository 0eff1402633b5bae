// The channel's lesson calendar: the plan it is made from (comingLessons), the iCalendar text, read back with an
// independent parser (ical.js, which no part of orch uses), and /orch calendar, which hands out its address.
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { toPlainText } from '../../src/index.ts';
import { calendarFeed, comingLessons, openStore, type Store } from '../../src/testing.ts';
import { command, realCatalog, testBot } from '../helpers/catalog.ts';
import { ManualClock } from '../helpers/clock.ts';

const admin = { platform: 'test', userId: 'A1', displayName: 'admin', isAdmin: true };
const member = { platform: 'test', userId: 'U2', displayName: 'member', isAdmin: false };
const KEY = 'test:T1:C1';
const PAGES = { publicUrl: 'https://orch.example.org' };

async function setup(options: { pages?: { publicUrl: string | null } | null; at?: string } = {}) {
  const store = await openStore({ sqlitePath: ':memory:' });
  const clock = new ManualClock(Date.parse(options.at ?? '2026-12-16T03:00:00Z'));
  const pages = options.pages === undefined ? PAGES : options.pages;
  const bot = await testBot({ store, clock, defaultLang: 'en', ...(pages ? { pages } : {}) });
  const say = async (text: string, who = admin) => {
    const answer = await bot.answer(command(text, { who }));
    return { ...answer, text: answer.replies.map(toPlainText).join('\n') };
  };
  return { store, clock, say };
}

interface ParsedEvent {
  uid: string;
  start: number;
  end: number;
  summary: string;
  description: string;
  sequence: number;
  status: string;
}

/** The feed as a calendar app reads it: ical.js parses it and turns each event's times into instants. */
function parse(text: string): { calendar: ICAL.Component; events: ParsedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    return {
      uid: event.uid,
      start: event.startDate.toJSDate().getTime(),
      end: event.endDate.toJSDate().getTime(),
      summary: event.summary,
      description: event.description,
      sequence: event.sequence,
      status: String(component.getFirstPropertyValue('status')),
    };
  });
  return { calendar, events };
}

async function feedOf(store: Store, lang: 'ko' | 'en' = 'en'): Promise<string> {
  const channel = await store.getChannel(KEY);
  return calendarFeed({
    channelKey: KEY,
    channel,
    catalog: await realCatalog(),
    lang,
    ledger: await store.ledger(KEY, 200),
  });
}

describe('the coming lessons', () => {
  it('skip a public holiday and keep its lesson for the next fire, as the scheduler does', async () => {
    const { store, say } = await setup();
    await say('schedule weekdays 09:00 Asia/Seoul');
    await say('schedule skip-holidays KR');
    const channel = await store.getChannel(KEY);
    if (!channel) throw new Error('no channel');
    const slots = comingLessons(channel, 40, { limit: 10 });
    // 2026-12-25 (Christmas, a public holiday in Korea) is a Friday.
    const christmas = slots.find((s) => s.fireAt === Date.parse('2026-12-25T00:00:00Z'));
    expect(christmas?.kind).toBe('holiday');
    const after = slots[slots.indexOf(christmas as (typeof slots)[number]) + 1];
    expect(after).toMatchObject({ kind: 'lesson', fireAt: Date.parse('2026-12-28T00:00:00Z') });
    expect(after?.lesson).toBe(christmas?.lesson);
    expect(slots.filter((s) => s.kind === 'lesson').map((s) => s.lesson)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
  });

  it('are none for a paused schedule, and end with the roadmap', async () => {
    const { store, say } = await setup();
    await say('schedule daily 09:00 Asia/Seoul');
    const channel = await store.getChannel(KEY);
    if (!channel) throw new Error('no channel');
    expect(comingLessons({ ...channel, paused: true }, 40, { limit: 10 })).toEqual([]);
    const last = comingLessons({ ...channel, position: 39 }, 40, { limit: 10 });
    expect(last.map((s) => s.lesson)).toEqual([39, 40]);
  });
});

describe('the calendar feed', () => {
  it('parses with an independent parser: one event per coming lesson, at the fire instants, in both languages', async () => {
    const { store, say } = await setup();
    await say('schedule mon,wed,fri 21:30 Asia/Seoul');
    const catalog = await realCatalog();
    const channel = await store.getChannel(KEY);
    if (!channel) throw new Error('no channel');
    const fires = comingLessons(channel, catalog.roadmap.lessons.length, { limit: 90 });
    for (const lang of ['en', 'ko'] as const) {
      const text = await feedOf(store, lang);
      const { calendar, events } = parse(text);
      expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
      expect(String(calendar.getFirstPropertyValue('prodid'))).toContain('orch');
      expect(events.map((e) => e.start)).toEqual(fires.map((f) => f.fireAt));
      expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
      const first = catalog.roadmap.lessons[0];
      expect(events[0]?.summary).toBe(
        lang === 'ko' ? `1강: ${first?.title.ko}` : `Lesson 1: ${first?.title.en}`,
      );
      expect(events[0]?.description).toContain(first?.goal[lang]);
      expect(events[0]?.end).toBe((events[0]?.start ?? 0) + 30 * 60_000);
      // Monday 2026-12-21 21:30 in Seoul is 12:30 UTC.
      expect(events.some((e) => e.start === Date.parse('2026-12-21T12:30:00Z'))).toBe(true);
    }
  });

  it('is written as RFC 5545 asks: CRLF lines of at most 75 octets, no character split, UTC times', async () => {
    const { store, say } = await setup();
    await say('schedule daily 07:00 Asia/Seoul');
    const text = await feedOf(store, 'ko');
    expect(text.endsWith('\r\n') || text.endsWith('END:VCALENDAR')).toBe(true);
    const lines = text.split('\r\n');
    expect(lines.some((l) => l.includes('\n'))).toBe(false);
    for (const l of lines) expect(Buffer.byteLength(l, 'utf8'), l).toBeLessThanOrEqual(75);
    // A fold never splits a multibyte character: every line is valid UTF-8 on its own.
    for (const l of lines) expect(Buffer.from(l, 'utf8').toString('utf8')).toBe(l);
    expect(lines.filter((l) => l.startsWith('DTSTART')).every((l) => /^DTSTART:\d{8}T\d{6}Z$/.test(l))).toBe(
      true,
    );
    expect(lines.filter((l) => l.startsWith('DTSTAMP')).every((l) => /Z$/.test(l))).toBe(true);
  });

  it('keeps its instants across a DST change in the channel zone', async () => {
    const { store, say } = await setup({ at: '2027-03-01T12:00:00Z' });
    await say('schedule weekdays 09:00 America/New_York');
    const { events } = parse(await feedOf(store));
    // New York moves to daylight time on 2027-03-14: 09:00 is 14:00 UTC before, 13:00 UTC after.
    expect(events.some((e) => e.start === Date.parse('2027-03-12T14:00:00Z'))).toBe(true);
    expect(events.some((e) => e.start === Date.parse('2027-03-15T13:00:00Z'))).toBe(true);
  });

  it('updates in place after a schedule change: the same UIDs at new times, with a higher SEQUENCE', async () => {
    const { store, clock, say } = await setup();
    await say('schedule weekdays 09:00 Asia/Seoul');
    const before = parse(await feedOf(store)).events;
    clock.advance(60_000);
    await say('schedule mon,wed 19:00 Asia/Seoul');
    const after = parse(await feedOf(store)).events;
    expect(after.length).toBe(before.length);
    const byUid = new Map(before.map((e) => [e.uid, e]));
    for (const event of after) {
      const old = byUid.get(event.uid);
      expect(old, event.uid).toBeDefined();
      expect(event.summary).toBe(old?.summary);
      expect(event.sequence).toBeGreaterThan(old?.sequence ?? Number.POSITIVE_INFINITY);
    }
    expect(after[0]?.start).not.toBe(before[0]?.start);
    expect(after.every((e) => [1, 3].includes(new Date(e.start + 9 * 3_600_000).getUTCDay()))).toBe(true);
  });

  it('has no event on a skipped holiday, and unchanged input gives the same bytes', async () => {
    const { store, say } = await setup();
    await say('schedule weekdays 09:00 Asia/Seoul');
    await say('schedule skip-holidays KR');
    const text = await feedOf(store);
    expect(text).toBe(await feedOf(store));
    const { events } = parse(text);
    expect(events.some((e) => e.start === Date.parse('2026-12-25T00:00:00Z'))).toBe(false);
    expect(events.some((e) => e.start === Date.parse('2026-12-28T00:00:00Z'))).toBe(true);
  });

  it('is an empty calendar for a channel without a schedule', async () => {
    const { store, say } = await setup();
    await say('lang en');
    expect(parse(await feedOf(store)).events).toEqual([]);
  });
});

describe('/orch calendar', () => {
  it('gives an admin the address privately, the same one each time, under the public address', async () => {
    const { store, say } = await setup();
    await say('schedule weekdays 09:00 Asia/Seoul');
    const first = await say('calendar');
    expect(first.outcome).toBe('ok');
    expect(first.replies[0]?.visibility).toBe('private');
    const url = String(first.data.url);
    expect(url).toMatch(/^https:\/\/orch\.example\.org\/c\/[A-Za-z0-9_-]{32}\/calendar\.ics$/);
    expect(first.text).toContain(url);
    expect((await say('캘린더')).data.url).toBe(url);
    const token = url.split('/')[4] as string;
    expect(await store.channelOfPageToken(token)).toBe(KEY);
  });

  it('reset gives a new address and the old one finds nothing', async () => {
    const { store, say } = await setup();
    const old = String((await say('calendar')).data.url).split('/')[4] as string;
    const reset = await say('calendar reset');
    expect(reset.data.action).toBe('reset');
    const fresh = String(reset.data.url).split('/')[4] as string;
    expect(fresh).not.toBe(old);
    expect(await store.channelOfPageToken(old)).toBeNull();
    expect(await store.channelOfPageToken(fresh)).toBe(KEY);
    expect((await say('캘린더 재발급')).data.url).not.toBe(reset.data.url);
  });

  it('refuses a member, an unknown option, a console without pages and a server without a public address', async () => {
    const { store, say } = await setup();
    const refused = await say('calendar', member);
    expect(refused.outcome).toBe('refused');
    expect(refused.text).toMatch(/only channel admins/);
    expect(await store.channelPageToken(KEY, 'z'.repeat(32), 0)).toBe('z'.repeat(32));
    const usage = await say('calendar delete');
    expect(usage.outcome).toBe('usage');
    expect(usage.text).toContain('Nothing was changed');
    const console = await (await setup({ pages: null })).say('calendar');
    expect(console.text).toMatch(/this console serves none/);
    const noUrl = await (await setup({ pages: { publicUrl: null } })).say('calendar');
    expect(noUrl.text).toContain('ORCH_PUBLIC_URL');
  });
});
