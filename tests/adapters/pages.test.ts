// The calendar feed as a member's calendar app meets it: the whole server process (real Bolt against the fake Slack,
// real SQLite), /orch calendar typed by an admin, then the address it gave fetched over HTTP and read by ical.js.
import ICAL from 'ical.js';
import { afterEach, describe, expect, it } from 'vitest';
import { feedAddress, PUBLIC, pagesServer, say } from '../helpers/pages.ts';
import { stopServers } from '../helpers/server-in-process.ts';

afterEach(stopServers);

function events(text: string): { uid: string; start: number; sequence: number }[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    return { uid: event.uid, start: event.startDate.toJSDate().getTime(), sequence: event.sequence };
  });
}

describe("a channel's calendar feed, served by the server", () => {
  it('is served at the address /orch calendar gives, and follows a schedule change in place', async () => {
    const rig = await pagesServer();
    await say(rig, 'schedule weekdays 09:00 Asia/Seoul');
    const address = feedAddress(await say(rig, 'calendar'), rig.web);
    const first = await fetch(address);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(first.headers.get('cache-control')).toBe('private, max-age=300');
    expect(first.headers.get('referrer-policy')).toBe('no-referrer');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    const before = events(await first.text());
    expect(before.length).toBeGreaterThan(10);

    // A calendar app that has it asks again with its ETag and gets 304 while nothing changed.
    const etag = first.headers.get('etag') ?? '';
    expect((await fetch(address, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const head = await fetch(address, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');

    await say(rig, 'schedule tue,thu 20:00 Asia/Seoul');
    const changed = await fetch(address, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    const after = events(await changed.text());
    expect(after.map((e) => e.uid)).toEqual(before.map((e) => e.uid));
    expect(after[0]?.start).not.toBe(before[0]?.start);
    expect(after[0]?.sequence).toBeGreaterThanOrEqual(before[0]?.sequence ?? Number.POSITIVE_INFINITY);
  });

  it('forgets a rotated address at once, and answers it exactly as it answers a made-up one', async () => {
    const rig = await pagesServer();
    const old = feedAddress(await say(rig, 'calendar'), rig.web);
    const fresh = feedAddress(await say(rig, 'calendar reset'), rig.web);
    expect(fresh).not.toBe(old);
    expect((await fetch(fresh)).status).toBe(200);
    const gone = await fetch(old);
    const madeUp = await fetch(`${rig.web}/c/${'A'.repeat(32)}/calendar.ics`);
    const malformed = await fetch(`${rig.web}/c/..%2F..%2Fetc/calendar.ics`);
    for (const response of [gone, madeUp, malformed]) expect(response.status).toBe(404);
    const bodies = await Promise.all([gone, madeUp, malformed].map((r) => r.text()));
    expect(new Set(bodies).size).toBe(1);
  });

  it('gives the address to admins only, and the port serves nothing else', async () => {
    const rig = await pagesServer();
    expect(await say(rig, 'calendar', 'U1')).toMatch(/only channel admins/);
    expect((await fetch(`${rig.web}/`)).status).toBe(404);
    expect((await fetch(`${rig.web}/c/x`)).status).toBe(404);
    const post = await fetch(`${rig.web}/c/${'A'.repeat(32)}/calendar.ics`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
  });

  it('slows an address that keeps guessing: ten misses, then 429 with Retry-After, while real feeds still load', async () => {
    const rig = await pagesServer();
    const address = feedAddress(await say(rig, 'calendar'), rig.web);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await fetch(`${rig.web}/c/${String(i).padStart(32, 'x')}/calendar.ics`)).status);
    expect(statuses.slice(0, 10).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    const limited = await fetch(`${rig.web}/c/${'y'.repeat(32)}/calendar.ics`);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await fetch(address)).status).toBe(200);
  });
});

describe("a channel's page, served by the server", () => {
  it('is at the address /orch calendar gives beside the calendar, in the channel language or the one asked for', async () => {
    const rig = await pagesServer();
    await say(rig, 'schedule weekdays 09:00 Asia/Seoul');
    await say(rig, 'schedule skip-holidays KR');
    const answer = await say(rig, 'calendar');
    const page = feedAddress(answer, rig.web).replace(/\/calendar\.ics$/, '');
    expect(answer).toContain(`${PUBLIC}/c/`);
    const en = await fetch(page);
    expect(en.status).toBe(200);
    expect(en.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const policy = en.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/default-src 'none'/);
    expect(policy).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(policy).not.toContain('script-src');
    const html = await en.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Our study group');
    expect(html).toMatch(/Lesson 1: [^<]+<\/span><span class="state">coming /);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('href="?lang=ko"');
    const ko = await (await fetch(`${page}?lang=ko`)).text();
    expect(ko).toContain('<html lang="ko">');
    expect(ko).toContain('우리 스터디');
    expect(ko).toMatch(/1강: [^<]+<\/span><span class="state">[^<]+에 올라와요/);
    // The hash in the policy is the hash of the page's one stylesheet.
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const { createHash } = await import('node:crypto');
    expect(policy).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    const etag = en.headers.get('etag') ?? '';
    expect((await fetch(page, { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  it('draws only the cards of digests that were posted', async () => {
    const rig = await pagesServer();
    const page = feedAddress(await say(rig, 'calendar'), rig.web).replace(/\/calendar\.ics$/, '');
    expect((await fetch(`${page}/digest/1765152000000.png`)).status).toBe(404);
    expect((await fetch(`${page}/digest/x.png`)).status).toBe(404);
  });
});
