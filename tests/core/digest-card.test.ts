// The digest card as members see it: the renderer's output for a fixed week, held against the images committed under
// docs/ (also what the note shows), pixel by pixel with a tolerance for anti-aliasing differences between
// builds. ORCH_UPDATE_GOLDEN=1 rewrites them after an intended change to the card; look at them before committing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { CARD_HEIGHT, CARD_WIDTH, digestSvg, renderDigestCard } from '../../src/digest/digest-card.ts';
import type { DigestData } from '../../src/digest/digest-data.ts';
import { ROOT } from '../helpers/catalog.ts';

const DAY = 24 * 60 * 60 * 1000;
const MONDAY = Date.parse('2026-11-30T00:00:00+09:00');

/** A week of a study group: what the card for it must look like, in either language. */
function sampleWeek(lang: 'ko' | 'en'): DigestData {
  const ko = lang === 'ko';
  return {
    channelKey: 'slack:T1:C1',
    lang,
    timeZone: 'Asia/Seoul',
    week: { start: MONDAY, end: MONDAY + 7 * DAY },
    postedWeek: { start: MONDAY + 7 * DAY, end: MONDAY + 14 * DAY },
    tracks: [
      {
        id: 'basics',
        title: ko ? '컨테이너와 쿠버네티스 기초' : 'Containers and Kubernetes basics',
        posted: 6,
        total: 6,
      },
      {
        id: 'workloads',
        title: ko ? '워크로드와 네트워킹' : 'Workloads and networking',
        posted: 3,
        total: 8,
      },
      { id: 'mesh', title: ko ? '서비스 메시' : 'Service mesh', posted: 0, total: 7 },
      { id: 'observability', title: ko ? '관측 가능성' : 'Observability', posted: 0, total: 6 },
    ],
    lessonsPosted: [
      {
        number: 9,
        title: ko ? '디플로이먼트와 롤링 업데이트' : 'Deployments and rolling updates',
        postedAt: MONDAY + DAY,
        done: 7,
      },
    ],
    leaderboard: [
      { name: '김민수', points: 420, correct: 9, answered: 10 },
      { name: 'Jiyoung', points: 350, correct: 8, answered: 10 },
      { name: '박서연', points: 200, correct: 5, answered: 9 },
      { name: 'alex', points: 80, correct: 2, answered: 6 },
    ],
    hardest: [
      {
        question: ko ? 'etcd가 합의에 쓰는 알고리즘은?' : 'Which consensus algorithm does etcd use?',
        answered: 6,
        correct: 1,
      },
    ],
    improved: { name: 'Jiyoung', points: 350, gain: 200 },
    reviewsDue: 14,
    next: [
      {
        number: 10,
        title: ko ? '서비스와 인그레스' : 'Services and Ingress',
        at: MONDAY + 7 * DAY + 9 * 3_600_000,
      },
      {
        number: 11,
        title: ko ? '컨피그맵과 시크릿' : 'ConfigMaps and Secrets',
        at: MONDAY + 9 * DAY + 9 * 3_600_000,
      },
    ],
    holidays: [],
    roadmapDone: false,
  };
}

/** Pixels whose colour differs by more than `tolerance` in any channel, as a share of all pixels. */
function differing(a: PNG, b: PNG, tolerance = 24): number {
  let count = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    for (let c = 0; c < 3; c++) {
      if (Math.abs((a.data[i + c] as number) - (b.data[i + c] as number)) > tolerance) {
        count++;
        break;
      }
    }
  }
  return count / (a.width * a.height);
}

describe('the digest card', () => {
  for (const lang of ['ko', 'en'] as const) {
    it(`looks like docs/digest-card-${lang}.png: ${CARD_WIDTH}x${CARD_HEIGHT}, under 300 KB`, () => {
      const png = Buffer.from(renderDigestCard(sampleWeek(lang)));
      const golden = join(ROOT, 'docs', `digest-card-${lang}.png`);
      if (process.env.ORCH_UPDATE_GOLDEN === '1') writeFileSync(golden, png);
      const actual = PNG.sync.read(png);
      const expected = PNG.sync.read(readFileSync(golden));
      expect([actual.width, actual.height]).toEqual([CARD_WIDTH, CARD_HEIGHT]);
      expect([expected.width, expected.height]).toEqual([CARD_WIDTH, CARD_HEIGHT]);
      expect(differing(actual, expected)).toBeLessThan(0.005);
      expect(png.length).toBeLessThan(300 * 1024);
    });
  }

  it('a different week is a different picture: the comparison can fail', () => {
    const week = sampleWeek('ko');
    const other = PNG.sync.read(
      Buffer.from(renderDigestCard({ ...week, tracks: week.tracks.map((t) => ({ ...t, posted: t.total })) })),
    );
    const golden = PNG.sync.read(readFileSync(join(ROOT, 'docs', 'digest-card-ko.png')));
    expect(differing(other, golden)).toBeGreaterThan(0.005);
  });

  it('draws the data, escaped: a name with markup stays text, a long title is cut with an ellipsis', () => {
    const week = sampleWeek('en');
    const svg = digestSvg({
      ...week,
      leaderboard: [{ name: '<script>&"', points: 1, correct: 1, answered: 1 }],
      tracks: [{ id: 'x', title: 'A'.repeat(80), posted: 1, total: 2 }],
    });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&#60;script&#62;&#38;&#34;');
    expect(svg).toMatch(/A+…/);
  });
});
