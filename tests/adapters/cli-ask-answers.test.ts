import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FIXTURE_LANDSCAPE_FILE,
  LANDSCAPE_FILE,
  ROOT,
  SHARED_DATA_NOTE,
  skipWithoutSharedData,
} from '../helpers/catalog.ts';

// The wrong answers listed at the top of issue 13, asked as a user would: a real `orch` process, a fresh data folder,
// and where the example needs it the landscape imported by `orch catalog import-landscape` first.
const PROCESS_TIMEOUT_MS = 120_000;

interface Answer {
  intent: string;
  toolIds: string[];
  categoryId: string | null;
  suggestions: string[];
  missing?: string[];
  text: string;
}

function orch(
  args: string[],
  data: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'adapters/console/bin.mjs'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ORCH_DATA_DIR: data },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), PROCESS_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function ask(question: string, data: string, lang?: 'ko' | 'en'): Promise<Answer> {
  const run = await orch(['ask', question, '--json', ...(lang ? ['--lang', lang] : [])], data);
  expect(run.stderr, question).toBe('');
  expect(run.code, question).toBe(0);
  return JSON.parse(run.stdout.trim()) as Answer;
}

/** A data folder with the landscape imported from `file`, as an admin would. */
async function withLandscape(file: string): Promise<string> {
  const data = await mkdtemp(join(tmpdir(), 'orch-ask-landscape-'));
  const run = await orch(['catalog', 'import-landscape', file], data);
  expect(run.code, run.stderr).toBe(0);
  return data;
}

const SLOW = 15 * 60_000;

describe('issue 13 table: the curated catalog answers through `orch ask --json`', () => {
  it(
    'answers concept questions with no unrelated tool, and advice questions with the category and when to pick each',
    async () => {
      const data = await mkdtemp(join(tmpdir(), 'orch-ask-curated-'));
      // A concept card is another part's job; here the answer must not be a confident wrong tool.
      for (const q of ['파드가 뭐야', '쿠버네티스 pod가 뭐야']) {
        const a = await ask(q, data);
        expect(
          a.toolIds.filter((id) => id !== 'kubernetes'),
          q,
        ).toEqual([]);
      }
      for (const q of ['which service mesh should I use?', '서비스 메시 뭐 써야 돼?']) {
        const a = await ask(q, data);
        expect(a, q).toMatchObject({ intent: 'advice', categoryId: 'service-mesh' });
        expect([...a.toolIds].sort(), q).toEqual(['istio', 'linkerd']);
      }
      const mesh = await ask('which service mesh should I use?', data, 'en');
      expect(mesh.text).toContain('Pick it when');
      for (const q of ['which ingress controller should I use', '인그레스 컨트롤러 뭐 쓰지?']) {
        const a = await ask(q, data);
        expect(a.intent, q).toBe('advice');
        expect(a.toolIds[0], q).toBe('contour');
        expect(a.toolIds, q).not.toContain('knative');
        expect(a.toolIds, q).not.toContain('karmada');
      }
      expect(await ask('로컬에서 쿠버네티스 연습하려면 뭐 써?', data)).toMatchObject({
        intent: 'advice',
        toolIds: ['minikube'],
      });
      expect(await ask('what should I use as a state store?', data)).toMatchObject({
        intent: 'advice',
        toolIds: ['etcd'],
      });
    },
    SLOW,
  );

  it(
    'says a known project is not in the curated catalog, names the closest with a reason, and how to import',
    async () => {
      const data = await mkdtemp(join(tmpdir(), 'orch-ask-curated-'));
      const prometheus = await ask('prometheus', data, 'en');
      expect(prometheus).toMatchObject({ intent: 'not_found', toolIds: [], missing: ['Prometheus'] });
      expect(prometheus.suggestions).toEqual([]);
      expect(prometheus.text).toContain('Prometheus is not in the curated study catalog.');
      expect(prometheus.text).toContain('orch catalog import-landscape <url>');
      const swarm = await ask('docker swarm', data, 'en');
      expect(swarm).toMatchObject({ intent: 'not_found', toolIds: [], missing: ['Docker Swarm'] });
      expect(swarm.suggestions[0]).toBe('kubernetes');
      expect(swarm.text).toContain('same kind of tool: Scheduling & Orchestration');
      const korean = await ask('도커 스웜', data);
      expect(korean).toMatchObject({ intent: 'not_found', missing: ['Docker Swarm'] });
      expect(korean.text).toContain('도커 스웜은 스터디 카탈로그에 없어요.');
      const compared = await ask('쿠버네티스랑 도커 스웜 차이', data);
      expect(compared).toMatchObject({
        intent: 'compare',
        toolIds: ['kubernetes'],
        missing: ['Docker Swarm'],
      });
      expect(compared.text).toContain('도커 스웜은 카탈로그에 없어요.');
      const versus = await ask('istio vs docker swarm', data, 'en');
      expect(versus).toMatchObject({ intent: 'compare', toolIds: ['istio'], missing: ['Docker Swarm'] });
      expect(versus.text).toContain('Docker Swarm is not in the catalog.');
    },
    SLOW,
  );

  it(
    'ranks the described tool first for the seed catalog’s own descriptions',
    async () => {
      const data = await mkdtemp(join(tmpdir(), 'orch-ask-curated-'));
      const cases: [string, string][] = [
        ['provision cloud resources from kubernetes', 'crossplane'],
        ['로컬 클러스터 구축', 'minikube'],
        ['클러스터 설정 정보 저장', 'etcd'],
        ['컨테이너 자동 배포와 스케일링', 'kubernetes'],
        ['sidecar proxy', 'envoy'],
      ];
      for (const [q, tool] of cases) expect((await ask(q, data)).toolIds[0], q).toBe(tool);
    },
    SLOW,
  );
});

describe('issue 13 table: after importing the landscape fixture', () => {
  it(
    'finds landscape projects by the names a study group uses, Korean included',
    async () => {
      const data = await withLandscape(FIXTURE_LANDSCAPE_FILE);
      expect(await ask('argo cd', data)).toMatchObject({ intent: 'tool', toolIds: ['argo'] });
      expect(await ask('헬름', data)).toMatchObject({ intent: 'tool', toolIds: ['helm'] });
      expect(await ask('프로메테우스', data)).toMatchObject({ intent: 'tool', toolIds: ['prometheus'] });
      const categories = await ask('category', data, 'en');
      expect(categories.text).toContain('CNCF landscape categories');
      expect(categories.text).toContain('Observability');
    },
    SLOW,
  );
});

describe.skipIf(skipWithoutSharedData('issue 13 table over the full landscape'))(
  `issue 13 table: after importing the full landscape${SHARED_DATA_NOTE}`,
  () => {
    it(
      'keeps curated tools first in did-you-mean and search, and knows Korean names of landscape projects',
      async () => {
        const data = await withLandscape(LANDSCAPE_FILE);
        expect((await ask('ist', data)).suggestions[0]).toBe('istio');
        expect((await ask('kara', data)).suggestions[0]).toBe('karmada');
        expect((await ask('distributed key value store', data)).toolIds[0]).toBe('etcd');
        expect(await ask('argo cd', data)).toMatchObject({ intent: 'tool', toolIds: ['argo'] });
        expect(await ask('헬름', data)).toMatchObject({ intent: 'tool', toolIds: ['helm'] });
        expect(await ask('프로메테우스', data)).toMatchObject({ intent: 'tool', toolIds: ['prometheus'] });
        expect(await ask('도커 스웜', data)).toMatchObject({ intent: 'tool', toolIds: ['docker-swarm'] });
        expect(await ask('카프카', data)).toMatchObject({ intent: 'tool', toolIds: ['kafka'] });
      },
      SLOW,
    );
  },
);
