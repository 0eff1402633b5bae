import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CATALOG_DIR } from '../helpers/catalog.ts';

/**
 * Facts the catalog once got wrong or let go stale, checked against the upstream docs (issue 13, content fixes).
 * Each check reads the YAML as written, so a later edit that brings an old claim back fails here.
 */

interface Found {
  where: string;
  text: string;
}

async function yamlOf(file: string): Promise<unknown> {
  return parse(await readFile(join(CATALOG_DIR, file), 'utf8'));
}

/** Every catalog file, relative to catalog/. */
async function catalogFiles(): Promise<string[]> {
  const files = ['roadmap.yaml', 'categories.yaml'];
  for (const dir of ['tools', 'quizzes'])
    for (const f of (await readdir(join(CATALOG_DIR, dir))).filter((n) => n.endsWith('.yaml')).sort())
      files.push(`${dir}/${f}`);
  return files;
}

/** Every string in the catalog with where it sits, so a check can name the offending place. */
async function allTexts(): Promise<Found[]> {
  const out: Found[] = [];
  const walk = (value: unknown, where: string): void => {
    if (typeof value === 'string') out.push({ where, text: value });
    else if (Array.isArray(value))
      value.forEach((v, i) => {
        walk(v, `${where}.${i}`);
      });
    else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) walk(v, `${where}.${k}`);
  };
  for (const file of await catalogFiles()) walk(await yamlOf(file), file);
  return out;
}

interface Lesson {
  id: string;
  points: { en: string[]; ko: string[] };
  commands: string[];
  links: { title: string; url: string }[];
}

async function lesson(id: string): Promise<Lesson> {
  const { tracks } = (await yamlOf('roadmap.yaml')) as { tracks: { lessons: Lesson[] }[] };
  const found = tracks.flatMap((t) => t.lessons).find((l) => l.id === id);
  if (!found) throw new Error(`no lesson ${id}`);
  return found;
}

describe('Linkerd needs the Gateway API CRDs before its own (2.18 and later)', () => {
  it('says so in the tool card first step, before linkerd install --crds, in both languages', async () => {
    const { firstStep } = (await yamlOf('tools/linkerd.yaml')) as {
      firstStep: { text: { en: string; ko: string } };
    };
    for (const text of [firstStep.text.en, firstStep.text.ko]) {
      const gateway = text.indexOf('gateway-api');
      expect(gateway, text).toBeGreaterThan(-1);
      expect(gateway, text).toBeLessThan(text.indexOf('linkerd install --crds |'));
    }
  });

  it('installs them first in the lesson commands and says why in its points', async () => {
    const l = await lesson('linkerd-mesh');
    const gateway = l.commands.findIndex(
      (c) => c.includes('gateway-api') && c.includes('standard-install.yaml'),
    );
    expect(gateway).toBeGreaterThan(-1);
    expect(gateway).toBeLessThan(l.commands.indexOf('linkerd install --crds | kubectl apply -f -'));
    expect(l.points.en.some((p) => p.includes('2.18') && p.includes('Gateway API'))).toBe(true);
    expect(l.points.ko.some((p) => p.includes('2.18') && p.includes('Gateway API'))).toBe(true);
  });
});

interface Question {
  id: string;
  question: { en: string; ko: string };
  options: { en: string; ko: string }[];
  answer: number;
  explanation: { en: string; ko: string };
}

async function questions(): Promise<(Question & { file: string })[]> {
  const out: (Question & { file: string })[] = [];
  for (const file of (await catalogFiles()).filter((f) => f.startsWith('quizzes/')))
    for (const q of ((await yamlOf(file)) as { questions: Question[] }).questions) out.push({ ...q, file });
  return out;
}

const NGINX = /ingress-nginx|nginx ingress|ingress addon|addons enable ingress|--addons=ingress/i;

describe('ingress-nginx was retired in March 2026, so the course teaches a maintained controller', () => {
  it('runs no example against the nginx class or the ingress addon', async () => {
    const offenders = (await allTexts()).filter(
      (t) =>
        /--class=nginx|ingressClassName: nginx|addons enable ingress(?!-)|--addons=ingress(?!-)/.test(
          t.text,
        ) &&
        // A quiz may name the addon to ask about it; lessons and tool cards are where examples live.
        !t.where.startsWith('quizzes/'),
    );
    expect(offenders).toEqual([]);
  });

  it('shows Contour as the Ingress lesson main path and says why, in both languages', async () => {
    for (const id of ['k8s-ingress', 'minikube-addons']) {
      const l = await lesson(id);
      expect(
        l.commands.some((c) => c.includes('projectcontour.io/quickstart')),
        id,
      ).toBe(true);
      expect(
        l.points.en.some((p) => p.includes('ingress-nginx') && p.includes('retired in March 2026')),
        id,
      ).toBe(true);
      expect(
        l.points.ko.some((p) => p.includes('ingress-nginx') && p.includes('2026년 3월에 은퇴')),
        id,
      ).toBe(true);
      expect(l.links.map((k) => k.url)).toContain(
        'https://kubernetes.io/blog/2025/11/11/ingress-nginx-retirement/',
      );
      // The kubernetes.io minikube-ingress task page was removed with the retirement.
      expect(l.links.map((k) => k.url).filter((u) => u.includes('ingress-minikube'))).toEqual([]);
    }
    expect((await lesson('k8s-ingress')).commands).toContain(
      'kubectl create ingress web --class=contour --rule="web.example.com/*=web:80"',
    );
  });

  it('says it is retired wherever a tool card or a right answer brings ingress-nginx up', async () => {
    const offenders: string[] = [];
    for (const q of await questions()) {
      const presented = [q.question.en, q.options[q.answer]?.en ?? '', q.explanation.en].some((t) =>
        NGINX.test(t),
      );
      if (presented && !(/retired/.test(q.explanation.en) && /은퇴/.test(q.explanation.ko)))
        offenders.push(q.id);
    }
    const minikube = (await allTexts()).filter((t) => t.where.startsWith('tools/') && NGINX.test(t.text));
    for (const t of minikube) if (!/retired|은퇴/.test(t.text)) offenders.push(t.where);
    expect(offenders).toEqual([]);
  });
});
