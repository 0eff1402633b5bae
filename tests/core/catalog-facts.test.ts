import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CATALOG_DIR, catalogFiles } from '../helpers/catalog.ts';

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

describe('deprecations and facts checked against the upstream docs', () => {
  it('uses kubectl autoscale --cpu=50%, not --cpu-percent (deprecated since kubectl 1.34)', async () => {
    expect((await allTexts()).filter((t) => t.text.includes('--cpu-percent=')).map((t) => t.where)).toEqual(
      [],
    );
    expect((await lesson('k8s-hpa')).commands).toContain(
      'kubectl autoscale deployment php-apache --cpu=50% --min=1 --max=10',
    );
  });

  it('offers no hyperkit driver without saying it is deprecated', async () => {
    const offenders = (await allTexts()).filter(
      (t) => /hyperkit/i.test(t.text) && !/deprecated|지원 중단/.test(t.text),
    );
    expect(offenders).toEqual([]);
  });

  it('lists IPVS only as deprecated (kube-proxy, since 1.35), apart from wrong options', async () => {
    const offenders = (await allTexts()).filter(
      (t) => /IPVS/.test(t.text) && !/deprecated|지원 중단/.test(t.text) && !/\.options\.\d+\./.test(t.where),
    );
    // A right answer is an option too: it must not present IPVS as a current mode either.
    for (const q of await questions()) {
      const right = q.options[q.answer];
      if (right && /IPVS/.test(right.en)) offenders.push({ where: `${q.file} ${q.id}`, text: right.en });
    }
    expect(offenders).toEqual([]);
  });

  it('points Emissary to emissary-ingress.dev and installs it the 4.x way (CRD chart, then the chart, from ghcr.io)', async () => {
    const texts = await allTexts();
    expect(
      texts.filter((t) => /getambassador\.io\/docs|app\.getambassador\.io|datawire/.test(t.text)),
    ).toEqual([]);
    const tool = (await yamlOf('tools/emissary-ingress.yaml')) as {
      docs: string;
      firstStep: { command: string };
    };
    expect(tool.docs).toMatch(/^https:\/\/emissary-ingress\.dev\//);
    expect(tool.firstStep.command).toMatch(
      /oci:\/\/ghcr\.io\/emissary-ingress\/emissary-crds-chart --version=4\./,
    );
    const l = await lesson('emissary-ingress-gateway');
    const crds = l.commands.findIndex((c) => c.includes('emissary-crds-chart'));
    const chart = l.commands.findIndex((c) => c.includes('oci://ghcr.io/emissary-ingress/emissary-ingress '));
    expect(crds).toBeGreaterThan(-1);
    expect(chart).toBeGreaterThan(crds);
    expect(l.links.some((k) => k.url.startsWith('https://emissary-ingress.dev/'))).toBe(true);
  });

  it('calls K3s a CNCF sandbox project wherever it says whose distribution it is', async () => {
    // K3s was started by Rancher but has been a CNCF sandbox project since 2020, not a SUSE or Rancher product.
    const offenders = (await allTexts()).filter(
      (t) =>
        /K3s/.test(t.text) &&
        /distributions? from Rancher|Rancher가 만든|SUSE's[^.]*K3s|SUSE의[^.]*K3s/.test(t.text) &&
        !/sandbox|샌드박스/.test(t.text),
    );
    expect(offenders).toEqual([]);
  });

  it('never calls ztunnel an Envoy: wherever ztunnel is described, it is the Rust proxy', async () => {
    const offenders = (await allTexts()).filter(
      (t) =>
        /ztunnel/.test(t.text) &&
        /Envoy/.test(t.text) &&
        !/Rust/.test(t.text) &&
        !/\.options\.\d+\./.test(t.where),
    );
    expect(offenders).toEqual([]);
  });

  it('gives Minikube the memory Istio recommends (16 GB, 4 CPUs) in the Istio lesson and tool card', async () => {
    const l = await lesson('istio-install');
    expect(l.commands).toContain('minikube start --memory=16384 --cpus=4');
    expect(l.points.en.join(' ')).not.toMatch(/8 GB/);
    expect(l.points.ko.join(' ')).not.toMatch(/8GB/);
    const { firstStep } = (await yamlOf('tools/istio.yaml')) as {
      firstStep: { text: { en: string; ko: string } };
    };
    expect(firstStep.text.en).toContain('--memory=16384');
    expect(firstStep.text.ko).toContain('--memory=16384');
  });

  it('says a bad Corefile edit keeps the old config until the Pods restart (reload plugin)', async () => {
    const l = await lesson('coredns-corefile');
    expect(
      l.points.en.some((p) => /reload/.test(p) && /keeps the old config/.test(p) && /restart/.test(p)),
    ).toBe(true);
    expect(l.points.ko.some((p) => /reload/.test(p) && /이전 설정을 유지/.test(p) && /재시작/.test(p))).toBe(
      true,
    );
    expect(l.points.en.join(' ')).not.toMatch(/broken Corefile breaks DNS for the whole cluster/);
  });
});

/** Every English text with its Korean counterpart: `{ en, ko }` pairs, and lists paired item by item. */
async function bilingualPairs(): Promise<{ where: string; en: string; ko: string }[]> {
  const out: { where: string; en: string; ko: string }[] = [];
  const walk = (value: unknown, where: string): void => {
    if (Array.isArray(value))
      value.forEach((v, i) => {
        walk(v, `${where}.${i}`);
      });
    else if (value !== null && typeof value === 'object') {
      const { en, ko } = value as { en?: unknown; ko?: unknown };
      if (typeof en === 'string' && typeof ko === 'string') out.push({ where, en, ko });
      else if (Array.isArray(en) && Array.isArray(ko))
        en.forEach((e, i) => {
          if (typeof e === 'string' && typeof ko[i] === 'string')
            out.push({ where: `${where}.${i}`, en: e, ko: ko[i] });
        });
      for (const [k, v] of Object.entries(value)) walk(v, `${where}.${k}`);
    }
  };
  for (const file of await catalogFiles()) walk(await yamlOf(file), file);
  return out;
}

describe('Korean terms: one word per concept (issue 13)', () => {
  it('renders reconcile as 조정 and coordination as 조율, and 조정 means nothing else', async () => {
    const offenders: string[] = [];
    for (const { where, en, ko } of await bilingualPairs()) {
      if (/reconcil/i.test(en) && (!/조정/.test(ko) || /조율|코디네이션/.test(ko)))
        offenders.push(`${where}: ${ko}`);
      if (/coordinat/i.test(en) && (!/조율/.test(ko) || /조정|코디네이션/.test(ko)))
        offenders.push(`${where}: ${ko}`);
      if (!/reconcil/i.test(en) && /조정/.test(ko)) offenders.push(`${where}: 조정 without reconcile: ${ko}`);
    }
    expect(offenders).toEqual([]);
  });

  it('writes no 코디네이션 and no bare English reconcile in Korean prose (an old spelling may stay as a search alias)', async () => {
    const offenders = (await allTexts()).filter(
      (t) =>
        /[가-힣]/.test(t.text) &&
        !/\.aliases\.\d+$/.test(t.where) &&
        // A gloss in brackets after the Korean term, as in 조정(reconcile), is how a term is introduced.
        (/코디네이션/.test(t.text) || /(?<!\()reconcil/.test(t.text)),
    );
    expect(offenders).toEqual([]);
  });
});
