// The group page in a real browser: Debian's Chromium, headless, driven by playwright-core, loading the page from
// the running server. Both languages, a phone's width and a desktop's, screenshots kept under
// tests/artifacts/pages/ for a person to look at, and every request the page makes stays on 127.0.0.1.
// Where no Chromium is installed the suite says so and skips; CI installs it and requires it (ORCH_REQUIRE_BROWSER).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/catalog.ts';
import { feedAddress, pagesServer, say } from '../helpers/pages.ts';
import { stopServers } from '../helpers/server-in-process.ts';

const CHROMIUM = process.env.ORCH_CHROMIUM ?? '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present && process.env.ORCH_REQUIRE_BROWSER !== '1')
  console.warn(
    `No Chromium at ${CHROMIUM} (apt-get install chromium): skipping the browser tests of the group page`,
  );
const ARTIFACTS = join(ROOT, 'tests', 'artifacts', 'pages');

describe.skipIf(!present && process.env.ORCH_REQUIRE_BROWSER !== '1')('the group page in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    // The flags keep Chromium off the network it would otherwise try at start (updates, sync, field trials).
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stopServers();
  });

  it('shows the roadmap, leaderboards and links in both languages, at a phone and a desktop width, all from 127.0.0.1', async () => {
    const rig = await pagesServer();
    await say(rig, 'schedule weekdays 09:00 Asia/Seoul');
    const page = feedAddress(await say(rig, 'calendar'), rig.web).replace(/\/calendar\.ics$/, '');
    for (const [lang, heading, lesson] of [
      ['ko', '우리 스터디', /1강: /],
      ['en', 'Our study group', /Lesson 1: /],
    ] as const) {
      for (const [name, width, height] of [
        ['phone', 390, 844],
        ['desktop', 1280, 900],
      ] as const) {
        const context = await browser.newContext({ viewport: { width, height } });
        const tab = await context.newPage();
        const requested: string[] = [];
        const violations: string[] = [];
        tab.on('request', (request) => requested.push(request.url()));
        tab.on('console', (message) => {
          if (/Content Security Policy|Refused/.test(message.text())) violations.push(message.text());
        });
        const response = await tab.goto(`${page}?lang=${lang}`, { waitUntil: 'load' });
        expect(response?.status()).toBe(200);
        expect(await tab.locator('h1').textContent()).toBe(heading);
        expect(await tab.locator('html').getAttribute('lang')).toBe(lang);
        expect(await tab.locator('.lessons li').first().textContent()).toMatch(lesson);
        // Nothing wider than the screen: no sideways scrolling on a phone.
        const overflow = await tab.evaluate<number>(
          'document.documentElement.scrollWidth - window.innerWidth',
        );
        expect(overflow, `${lang} ${name}`).toBeLessThanOrEqual(0);
        // The stylesheet applied (its hash matched the policy): the progress bar is full width, not the default.
        const bar = await tab.locator('progress').boundingBox();
        // (main is at most 960 px wide, with 16 px padding each side.)
        expect(bar?.width ?? 0).toBeGreaterThan(Math.min(width, 960) * 0.8);
        // The calendar link and the language switch are there.
        expect(await tab.locator('nav a').count()).toBe(2);
        await tab.screenshot({ path: join(ARTIFACTS, `page-${lang}-${name}.png`), fullPage: true });
        expect(violations).toEqual([]);
        expect(requested.every((url) => url.startsWith('http://127.0.0.1:'))).toBe(true);
        await context.close();
      }
    }
  }, 60_000);
});
