import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/index.ts';
import { nextFireAfter } from '../../src/lessons/cron-fires.ts';
import { type Catalog, type FireStep, LessonScheduler, silentLogger } from '../../src/testing.ts';
import { realCatalog } from '../helpers/catalog.ts';
import { DAY, HOUR, ManualClock, MINUTE } from '../helpers/clock.ts';
import { RecordingPoster } from '../helpers/recording-poster.ts';
import { BACKENDS, type TestDatabase } from '../helpers/stores.ts';

const catalog: Catalog = await realCatalog();
const KEY = 'test:T1:C1';
// Wednesday 2026-11-25 07:00 in Seoul, two hours before the first weekday 09:00 fire.
const START = Date.parse('2026-11-24T22:00:00Z');

interface Rig {
  clock: ManualClock;
  poster: RecordingPoster;
  store: Store;
  db: TestDatabase;
  scheduler(instanceId?: string, onStep?: (step: FireStep) => void, store?: Store): LessonScheduler;
  /** Ticks every `step` until `until`, as node-cron would every minute (coarser steps keep tests fast). */
  run(until: number, step?: number, instanceId?: string): Promise<void>;
}

async function rig(
  db: TestDatabase,
  rule = { cron: '0 9 * * 1-5', timeZone: 'Asia/Seoul', text: 'weekdays 09:00' },
): Promise<Rig> {
  const clock = new ManualClock(START);
  const poster = new RecordingPoster();
  const store = await db.connect();
  await store.updateChannel(
    KEY,
    {
      cron: rule.cron,
      timeZone: rule.timeZone,
      scheduleText: rule.text,
      nextFireAt: nextFireAfter(rule.cron, rule.timeZone, START),
    },
    START,
  );
  const scheduler = (instanceId = 'p1', onStep?: (step: FireStep) => void, withStore: Store = store) =>
    new LessonScheduler({
      store: withStore,
      catalog,
      poster,
      clock,
      logger: silentLogger,
      instanceId,
      defaultLang: 'en',
      leaseMs: 2 * MINUTE,
      retryDelaysMs: [30_000, 60_000],
      ...(onStep ? { onStep: (step) => onStep(step) } : {}),
    });
  return {
    clock,
    poster,
    store,
    db,
    scheduler,
    async run(until, step = 15 * MINUTE, instanceId = 'p1') {
      const s = scheduler(instanceId);
      while (clock.now().getTime() < until) {
        clock.advance(step);
        await s.tick();
      }
    },
  };
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`the lesson scheduler on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });
    const fresh = async () => {
      db = await backend.create();
      return rig(db);
    };

    it('posts the next lesson at each weekday fire, in order, exactly once', async () => {
      const r = await fresh();
      await r.run(START + 7 * DAY);
      expect(r.poster.lessonsIn(KEY)).toEqual([1, 2, 3, 4, 5]);
      expect((await r.store.getChannel(KEY))?.position).toBe(6);
      const posted = (await r.store.ledger(KEY, 50))
        .filter((e) => e.status === 'posted')
        .map((e) => new Date(e.fireAt).toISOString());
      // 09:00 in Seoul is 00:00 UTC: Wed, Thu, Fri, Mon, Tue.
      expect(posted.sort()).toEqual(
        ['2026-11-25', '2026-11-26', '2026-11-27', '2026-11-30', '2026-12-01'].map(
          (d) => `${d}T00:00:00.000Z`,
        ),
      );
    });

    it('does nothing more when ticked again at the same moment', async () => {
      const r = await fresh();
      r.clock.set('2026-11-26T00:05:00Z');
      const s = r.scheduler();
      await Promise.all([s.tick(), s.tick(), r.scheduler('p2').tick()]);
      await s.tick();
      expect(r.poster.lessonsIn(KEY)).toEqual([1]);
    });

    for (const step of ['due', 'planned', 'posted'] as const) {
      it(`posts exactly once when the process dies at "${step}" and restarts`, async () => {
        const r = await fresh();
        r.clock.set('2026-11-26T00:01:00Z');
        const crashing = r.scheduler('p1', (s) => {
          if (s === step) throw new Error(`crash at ${step}`);
        });
        await expect(crashing.tick()).rejects.toThrow(`crash at ${step}`);
        // The restarted process has a new identity: a claim left by the dead one is taken over after the lease.
        await r.run(Date.parse('2026-11-28T00:00:00Z'), 15 * MINUTE, 'p1-restarted');
        expect(r.poster.lessonsIn(KEY)).toEqual([1, 2]);
        const rows = await r.store.ledger(KEY, 10);
        expect(
          rows
            .filter((e) => e.status === 'posted')
            .map((e) => e.lesson)
            .sort(),
        ).toEqual([1, 2]);
        expect((await r.store.getChannel(KEY))?.position).toBe(3);
      });
    }

    it('a restarted process finishes its own claim at once, without waiting for the lease', async () => {
      const r = await fresh();
      r.clock.set('2026-11-26T00:01:00Z');
      const crashing = r.scheduler('p1', (s) => {
        if (s === 'planned') throw new Error('crash');
      });
      await expect(crashing.tick()).rejects.toThrow('crash');
      await r.scheduler('p1').tick();
      expect(r.poster.lessonsIn(KEY)).toEqual([1]);
    });

    it('after a short outage posts the missed lesson once, late but within the grace window', async () => {
      const r = await fresh();
      r.clock.set('2026-11-26T03:00:00Z'); // 12:00 in Seoul: three hours late
      await r.scheduler().tick();
      expect(r.poster.lessonsIn(KEY)).toEqual([1]);
    });

    it('after a long outage records the missed fires, posts one catch-up at most, and skips no lesson', async () => {
      const r = await fresh();
      // Down from Wednesday 07:00 to the next Tuesday 10:00 Seoul: Wed, Thu, Fri, Mon are missed, Tue 09:00 is within grace.
      r.clock.set('2026-12-01T01:00:00Z');
      await r.scheduler().tick();
      expect(r.poster.lessonsIn(KEY)).toEqual([1]);
      const rows = await r.store.ledger(KEY, 10);
      expect(rows.filter((e) => e.status === 'missed')).toHaveLength(4);
      // Down until Wednesday 20:00 Seoul: that day's fire is outside the grace window, so nothing is posted.
      r.clock.set('2026-12-02T11:00:00Z');
      await r.scheduler().tick();
      expect(r.poster.lessonsIn(KEY)).toEqual([1]);
      expect((await r.store.getChannel(KEY))?.position).toBe(2);
      await r.run(Date.parse('2026-12-03T01:00:00Z'));
      expect(r.poster.lessonsIn(KEY)).toEqual([1, 2]);
    });

    it('retries a failed post with backoff and never advances without a post', async () => {
      const r = await fresh();
      r.poster.failNext(1);
      r.clock.set('2026-11-26T00:00:30Z');
      const s = r.scheduler();
      expect(await s.tick()).toMatchObject({ posted: 0, failed: 1 });
      expect((await r.store.getChannel(KEY))?.position).toBe(1);
      expect((await r.store.ledger(KEY, 1))[0]).toMatchObject({ status: 'failed', attempts: 1 });
      r.clock.advance(10_000);
      expect(await s.tick()).toMatchObject({ posted: 0, failed: 0 });
      r.clock.advance(30_000);
      expect(await s.tick()).toMatchObject({ posted: 1 });
      expect(r.poster.lessonsIn(KEY)).toEqual([1]);
      expect((await r.store.getChannel(KEY))?.position).toBe(2);
    });

    it('gives up after the last retry but keeps the lesson for the next fire', async () => {
      const r = await fresh();
      r.poster.failNext(3);
      r.clock.set('2026-11-26T00:00:30Z');
      await r.run(Date.parse('2026-11-26T02:00:00Z'), MINUTE);
      expect((await r.store.ledger(KEY, 1))[0]).toMatchObject({ status: 'abandoned', attempts: 3 });
      expect(r.poster.lessonsIn(KEY)).toEqual([]);
      await r.run(Date.parse('2026-11-27T01:00:00Z'));
      expect(r.poster.lessonsIn(KEY)).toEqual([1]);
    });

    it('skips public holidays of the chosen country and posts the lesson on the next school day', async () => {
      const r = await fresh();
      await r.store.updateChannel(KEY, { holidayCountry: 'KR' }, START);
      r.clock.set('2026-12-23T00:00:00Z');
      await r.store.updateChannel(
        KEY,
        { nextFireAt: nextFireAfter('0 9 * * 1-5', 'Asia/Seoul', r.clock.now().getTime()) },
        START,
      );
      // Thu 24 Dec, (Fri 25 Dec is Christmas, a public holiday in Korea), Mon 28 Dec.
      await r.run(Date.parse('2026-12-28T01:00:00Z'));
      expect(r.poster.lessonsIn(KEY)).toEqual([1, 2]);
      const holiday = (await r.store.ledger(KEY, 10)).find((e) => e.status === 'holiday');
      expect(new Date(holiday?.fireAt ?? 0).toISOString()).toBe('2026-12-25T00:00:00.000Z');
    });

    it('fires in the channel zone across a daylight-saving change', async () => {
      db = await backend.create();
      const r = await rig(db, { cron: '30 2 * * *', timeZone: 'Europe/Berlin', text: 'daily 02:30' });
      r.clock.set('2026-03-27T12:00:00Z');
      await r.store.updateChannel(
        KEY,
        { nextFireAt: nextFireAfter('30 2 * * *', 'Europe/Berlin', r.clock.now().getTime()) },
        START,
      );
      await r.run(Date.parse('2026-03-31T00:00:00Z'));
      const fires = (await r.store.ledger(KEY, 10))
        .filter((e) => e.status === 'posted')
        .map((e) => new Date(e.fireAt).toISOString())
        .sort();
      // 28 Mar 02:30 CET, 29 Mar has no 02:30 (clocks jump to 03:00 CEST), 30 Mar 02:30 CEST.
      expect(fires).toEqual([
        '2026-03-28T01:30:00.000Z',
        '2026-03-29T01:00:00.000Z',
        '2026-03-30T00:30:00.000Z',
      ]);
      expect(r.poster.lessonsIn(KEY)).toEqual([1, 2, 3]);
    });

    it('with two processes on one database, every fire of every channel is posted exactly once', async () => {
      db = await backend.create();
      const r = await rig(db);
      const other = await db.connect();
      const channels = Array.from({ length: 12 }, (_, i) => `test:T1:C${i + 10}`);
      const rules = ['0 9 * * 1-5', '30 21 * * *', '0 8 * * 1,3,5', '15 7 * * *'];
      for (const [i, key] of channels.entries()) {
        const cron = rules[i % rules.length] as string;
        await r.store.updateChannel(
          key,
          { cron, timeZone: 'Asia/Seoul', nextFireAt: nextFireAfter(cron, 'Asia/Seoul', START) },
          START,
        );
      }
      const a = r.scheduler('a');
      const b = r.scheduler('b', undefined, other);
      const end = START + 4 * DAY;
      while (r.clock.now().getTime() < end) {
        r.clock.advance(20 * MINUTE);
        await Promise.all([a.tick(), b.tick()]);
      }
      const keys = r.poster.messages.map((m) => m.key);
      expect(new Set(keys).size).toBe(keys.length);
      expect(r.poster.calls).toBe(keys.length);
      for (const key of channels) {
        const lessons = r.poster.lessonsIn(key);
        expect(lessons).toEqual(lessons.map((_, i) => i + 1));
        const ledger = await r.store.ledger(key, 100);
        expect(ledger.every((e) => e.status === 'posted')).toBe(true);
        expect((await r.store.getChannel(key))?.position).toBe(lessons.length + 1);
      }
      // Four days of these rules: 2 weekday fires + 4 + 2 (Mon/Wed/Fri: Fri, Mon) + 4, per rule, three channels each.
      expect(keys.length).toBeGreaterThan(30);
    });
  });
}

describe('the lesson scheduler and a finished roadmap', () => {
  it('stops scheduling once every lesson was posted', async () => {
    const db = await BACKENDS[0]?.create();
    if (!db) throw new Error('SQLite backend missing');
    try {
      const r = await rig(db, { cron: '0 9 * * *', timeZone: 'Asia/Seoul', text: 'daily 09:00' });
      const total = catalog.roadmap.lessons.length;
      await r.store.updateChannel(KEY, { position: total }, START);
      await r.run(START + 3 * DAY, HOUR);
      expect(r.poster.lessonsIn(KEY)).toEqual([total]);
      expect((await r.store.getChannel(KEY))?.nextFireAt).toBeNull();
    } finally {
      await db.dispose();
    }
  });
});
