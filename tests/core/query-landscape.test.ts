import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { particleFor } from '../../src/i18n/particles.ts';
import { importLandscape, loadCatalog } from '../../src/index.ts';
import { KNOWN_PROJECTS } from '../../src/query/landscape-ko-aliases.ts';
import { QueryEngine } from '../../src/testing.ts';
import {
  CATALOG_DIR,
  FIXTURE_LANDSCAPE_FILE,
  LANDSCAPE_FILE,
  SHARED_DATA_NOTE,
  skipWithoutSharedData,
} from '../helpers/catalog.ts';

async function engineWith(file: string): Promise<QueryEngine> {
  const imported = importLandscape(readFileSync(file, 'utf8'), file);
  if ('problems' in imported) throw new Error(JSON.stringify(imported.problems));
  const load = await loadCatalog(CATALOG_DIR, { landscape: imported.items });
  if (!load.ok) throw new Error(JSON.stringify(load.problems));
  return new QueryEngine(load.catalog);
}

describe('curated precedence and Korean names over the landscape fixture', async () => {
  const engine = await engineWith(FIXTURE_LANDSCAPE_FILE);

  it('finds landscape projects by the Korean and short names we wrote for them', () => {
    for (const [q, id] of <[string, string][]>[
      ['헬름', 'helm'],
      ['프로메테우스가 뭐야', 'prometheus'],
      ['아르고 CD', 'argo'],
      ['argocd', 'argo'],
      ['예거', 'jaeger'],
      ['하버', 'harbor'],
    ])
      expect(engine.answer(q), q).toMatchObject({ intent: 'tool', toolIds: [id] });
  });

  it('completes a half-typed Korean name of a landscape project, curated names first', () => {
    expect(engine.complete('헬').map((c) => c.value)).toEqual(['helm']);
    const typed = engine.complete('e').map((c) => c.value);
    expect(typed.slice(0, 3)).toEqual(['emissary-ingress', 'envoy', 'etcd']);
  });

  it('lists a category with curated tools first, then CNCF projects by maturity', () => {
    const observability = engine.answer('observability');
    expect(observability.intent).toBe('category');
    const maturities = observability.toolIds.map((id) => engine.catalog.toolById.get(id)?.maturity);
    const order = ['graduated', 'incubating', 'sandbox', 'none', 'archived'];
    const ranks = maturities.map((m) => order.indexOf(m ?? 'none'));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('lets the landscape answer what the curated catalog lacks, and says "not in the catalog" for the rest', () => {
    expect(engine.answer('docker swarm')).toMatchObject({ intent: 'not_found', missing: ['Docker Swarm'] });
  });
});

describe('the Korean particle after a name', () => {
  it('follows the last sound', () => {
    expect(
      ['도커 스웜', '헬름', 'Helm', 'Kafka', 'Prometheus', '카프카'].map((name) => particleFor(name, '은')),
    ).toEqual(['은', '은', '은', '는', '는', '는']);
  });
});

describe.skipIf(skipWithoutSharedData('curated precedence over the full landscape'))(
  `curated precedence over the full landscape${SHARED_DATA_NOTE}`,
  async () => {
    const engine = await engineWith(LANDSCAPE_FILE);

    it('maps every name of our table to an item the landscape has', () => {
      const names = new Set(engine.catalog.tools.map((t) => t.name));
      expect(KNOWN_PROJECTS.length).toBeGreaterThanOrEqual(150);
      expect(KNOWN_PROJECTS.filter((p) => !names.has(p.name)).map((p) => p.name)).toEqual([]);
    });

    it('suggests curated names first, ranks curated tools first, and completes curated names first', () => {
      expect(engine.answer('ist').suggestions[0]).toBe('istio');
      expect(engine.answer('kara').suggestions[0]).toBe('karmada');
      expect(engine.answer('distributed key value store').toolIds[0]).toBe('etcd');
      expect(engine.search('distributed key value store').toolIds[0]).toBe('etcd');
      expect(engine.complete('ist')[0]?.value).toBe('istio');
      expect(engine.complete('kara')[0]?.value).toBe('karmada');
      expect(engine.answer('sidecar proxy').toolIds[0]).toBe('envoy');
    });

    it('ranks items whose name or category matches above marketing text', () => {
      // "Argo CD" once found a vendor's paragraph that mentions it; now the name table and the landscape's own
      // placement decide, and a graduated project leads its peers.
      expect(engine.answer('argo cd').toolIds).toEqual(['argo']);
      // PipeCD's own one-liner is "GitOps style continuous delivery platform": a fair first; Argo is beside it.
      expect(engine.answer('gitops continuous delivery').toolIds.slice(0, 2)).toContain('argo');
      expect(engine.answer('metrics monitoring').toolIds[0]).toBe('prometheus');
    });

    it('knows Korean names of landscape projects, Docker Swarm and Kafka included', () => {
      for (const [q, id] of <[string, string][]>[
        ['헬름', 'helm'],
        ['프로메테우스', 'prometheus'],
        ['아르고 CD', 'argo'],
        ['그라파나', 'grafana'],
        ['카프카', 'kafka'],
        ['도커 스웜', 'docker-swarm'],
      ])
        expect(engine.answer(q), q).toMatchObject({ intent: 'tool', toolIds: [id] });
    });

    it('knows the Korean names added for the 150 best-known projects', () => {
      for (const [q, id] of <[string, string][]>[
        ['키클록', 'keycloak'],
        ['쿠브엣지', 'kubeedge'],
        ['드래곤플라이', 'dragonfly'],
        ['로키', 'grafana-loki'],
        ['엘라스틱서치', 'elastic'],
        ['칼리코', 'project-calico'],
        ['오픈시프트', 'red-hat-openshift'],
        ['주키퍼', 'apache-zookeeper'],
        ['핀포인트', 'pinpoint'],
        ['깃허브 액션', 'github-actions'],
      ])
        expect(engine.answer(q), q).toMatchObject({ intent: 'tool', toolIds: [id] });
    });
  },
);
