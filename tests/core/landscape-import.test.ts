import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../src/catalog/landscape-snapshot.ts';
import { importLandscape, loadCatalog } from '../../src/index.ts';
import { type LandscapeTool, QueryEngine } from '../../src/testing.ts';
import {
  CATALOG_DIR,
  FIXTURE_LANDSCAPE_FILE,
  LANDSCAPE_FILE,
  SHARED_DATA_NOTE,
  skipWithoutSharedData,
} from '../helpers/catalog.ts';

function imported(file: string, label: string) {
  const result = importLandscape(readFileSync(file, 'utf8'), label);
  if ('problems' in result) throw new Error(`${label} must import: ${JSON.stringify(result.problems)}`);
  return result;
}

const byName = (items: LandscapeTool[], name: string) => items.filter((i) => i.name === name);

describe('the CNCF landscape importer on our fixture (tests/fixtures/cncf/landscape.yml)', () => {
  const fixture = imported(FIXTURE_LANDSCAPE_FILE, 'landscape.yml');

  it('reads every named item, counts named categories and subcategories, and reports the nameless with their line', () => {
    expect(fixture.items).toHaveLength(51);
    expect(fixture.categories).toBe(10);
    expect(fixture.subcategories).toBe(25);
    expect(fixture.skipped).toEqual([
      { file: 'landscape.yml', line: 401, message: 'item without a name in "Unusual Items"' },
      { file: 'landscape.yml', line: 404, message: 'item without a name in "Unusual Items"' },
      { file: 'landscape.yml', line: 408, message: 'subcategory without a name in "Fixture Oddities"' },
      { file: 'landscape.yml', line: 415, message: 'category without a name' },
    ]);
  });

  it('reads items that start with "- name:" and have no marker key', () => {
    expect(byName(fixture.items, 'KubeReport')[0]).toMatchObject({
      id: 'kubereport',
      landscapeCategory: 'Observability and Analysis',
      landscapeSubcategory: 'Observability',
      repository: 'https://github.com/kubesuiteorg/kubereport',
    });
    expect(byName(fixture.items, 'Volcano Engine APMPlus')).toHaveLength(1);
  });

  it('gives every item a distinct id: a repeated name gets its subcategory, then a number', () => {
    const ids = fixture.items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(byName(fixture.items, 'k0rdent').map((i) => i.id)).toEqual([
      'k0rdent',
      'k0rdent-certified-kubernetes-distribution',
    ]);
    expect(byName(fixture.items, 'MockServer').map((i) => i.id)).toEqual([
      'mockserver',
      'mockserver-chaos-engineering',
    ]);
    // Two subcategories named "Observability" (in different categories) slug the same.
    expect(byName(fixture.items, 'DeepFlow').map((i) => [i.id, i.category])).toEqual([
      ['deepflow', 'observability'],
      ['deepflow-observability', 'observability'],
    ]);
    expect(fixture.items.filter((i) => i.name.toLowerCase() === 'famous tool').map((i) => i.id)).toEqual([
      'famous-tool',
      'famous-tool-unusual-items',
      'famous-tool-2',
    ]);
    // A name with no letter or digit has no slug of its own.
    expect(byName(fixture.items, '—')[0]?.id).toMatch(/^item-\d+$/);
  });

  it('keeps the four CNCF maturities and calls anything else "none"', () => {
    const maturity = (name: string) => byName(fixture.items, name)[0]?.maturity;
    expect(maturity('Istio')).toBe('graduated');
    expect(maturity('Karmada')).toBe('incubating');
    expect(maturity('Kubewarden')).toBe('sandbox');
    expect(maturity('DevStream')).toBe('archived');
    expect(maturity('Ansible')).toBe('none');
    expect(maturity('Famous Tool')).toBe('none');
  });

  it('takes the description, else extra.summary_use_case, trimmed and on one line; blank or null is none', () => {
    const description = (name: string) => byName(fixture.items, name)[0]?.description;
    expect(description('Trivy')).toBe('Scans images and clusters for known vulnerabilities.');
    expect(description('Kubewarden')).toBe('Admission policies written in WebAssembly.');
    expect(description('Harbor')).toBe('Stores, signs and scans the images a cluster pulls.');
    expect(description('Jaeger')).toBe('Follows one request across many services.');
    expect(description('KubeReport')).toBe("Writes reports on a cluster's workloads and resource use.");
    for (const name of ['DevStream', 'Volcano Kthena', 'Plain Tool', 'Envoy'])
      expect(description(name), name).toBeUndefined();
    for (const item of fixture.items)
      if (item.description !== undefined) expect(item.description).toMatch(/^\S(.*\S)?$/);
  });

  it('keeps web links only', () => {
    expect(byName(fixture.items, 'Istio')[0]).toMatchObject({
      homepage: 'https://istio.io/',
      repository: 'https://github.com/istio/istio',
    });
    const plain = byName(fixture.items, 'Plain Tool')[0];
    expect(plain).toBeDefined();
    expect(plain).not.toHaveProperty('homepage');
    expect(plain).not.toHaveProperty('repository');
  });

  it('keeps any Unicode in names and descriptions, with odd spaces made plain', () => {
    const wide = fixture.items.find((i) => i.id === 'wide-tool-one');
    expect(wide?.name).toBe('Ｗｉｄｅ Tool\u2011One');
    expect(wide?.description).toBe('Hangul and kanji: 쿠버네티스 クバネティス， fine.');
    expect(byName(fixture.items, 'Ænix (member)')[0]?.id).toBe('ænix-member');
    expect(byName(fixture.items, 'Elastisys Welkin® based on Kubespray')).toHaveLength(1);
  });

  it('lets curated tools take precedence over the same landscape project', async () => {
    const result = await loadCatalog(CATALOG_DIR, { landscape: fixture.items });
    if (!result.ok) throw new Error('catalog must load');
    const tools = result.catalog.tools;
    // Every curated tool is in the fixture, under its landscape name ("Rancher Kubernetes" is curated "Rancher").
    expect(tools.filter((t) => t.source === 'curated')).toHaveLength(15);
    // 15 curated + every fixture item - the 15 fixture items the curated tools cover.
    expect(tools).toHaveLength(fixture.items.length);
    expect(
      tools.filter(
        (t) => t.source === 'landscape' && ['Istio', 'minikube', 'Rancher Kubernetes'].includes(t.name),
      ),
    ).toHaveLength(0);
    const engine = new QueryEngine(result.catalog);
    expect(engine.answer('istio').toolIds[0]).toBe('istio');
    expect(engine.answer('rancher kubernetes').toolIds[0]).toBe('rancher');
    expect(engine.answer('prometheus')).toMatchObject({ intent: 'tool', toolIds: ['prometheus'] });
  });
});

describe('the CNCF landscape importer on small inputs', () => {
  it('survives items without a marker key and empty item lists', () => {
    const sample = [
      'landscape:',
      '  - category:',
      '    name: Odd',
      '    subcategories:',
      '      - subcategory:',
      '        name: Empty',
      '        items:',
      '      - subcategory:',
      '        name: Mixed',
      '        items:',
      '          - name: No Marker',
      '            homepage_url: https://example.org/',
      '            description: "  padded  "',
      '          - item:',
      '            name: "Ｆｕｌｌ\u00a0Width"',
      '            description:',
      '          - item:',
      '            homepage_url: https://nameless.example/',
    ].join('\n');
    const result = importLandscape(sample, 'sample.yml');
    if ('problems' in result) throw new Error('sample must import');
    expect(result.items.map((i) => [i.name, i.description])).toEqual([
      ['No Marker', 'padded'],
      ['Ｆｕｌｌ Width', undefined],
    ]);
    expect(result.skipped).toEqual([
      { file: 'sample.yml', line: 17, message: 'item without a name in "Mixed"' },
    ]);
  });

  it('refuses a file that is not a landscape', () => {
    const result = importLandscape('quiz:\n  questions: []\n', 'games.yml');
    expect(result).toEqual({
      problems: [
        { file: 'games.yml', line: 1, message: 'expected a top-level "landscape:" list of categories' },
      ],
    });
  });
});

describe('the landscape snapshot read back at start (parseSnapshot)', () => {
  const item = {
    source: 'landscape',
    id: 'flux',
    name: 'Flux',
    category: 'landscape-continuous-delivery',
    maturity: 'graduated',
    homepage: 'https://fluxcd.io',
    landscapeCategory: 'App Definition and Development',
    landscapeSubcategory: 'Continuous Integration & Delivery',
  };
  const snapshot = (items: unknown[]) =>
    JSON.stringify({ format: 'orch-landscape/1', source: 'test', importedAt: '2026-01-01', items });

  it('keeps the fields of each item and drops anything else in the file', () => {
    const parsed = parseSnapshot(snapshot([{ ...item, stars: 9, description: 'GitOps' }]), 'landscape.json');
    expect(parsed).toEqual({ items: [{ ...item, description: 'GitOps' }] });
  });

  it('refuses an item with a missing, empty or wrong field, naming the item and the field', () => {
    const problem = (bad: unknown) => parseSnapshot(snapshot([item, bad]), 'landscape.json');
    expect(problem({ ...item, maturity: 'famous' })).toEqual({
      problem:
        'landscape.json: item 1 has a bad maturity (expected one of graduated, incubating, sandbox, archived, none)',
    });
    expect(problem({ ...item, name: '' })).toEqual({
      problem: 'landscape.json: item 1 has a bad name (expected a non-empty string)',
    });
    expect(problem({ ...item, homepage: 7 })).toEqual({
      problem: 'landscape.json: item 1 has a bad homepage (expected a string)',
    });
    expect(problem({ ...item, source: 'curated' })).toEqual({
      problem: 'landscape.json: item 1 has a bad source (expected "landscape")',
    });
    expect(problem(['flux'])).toEqual({
      problem: 'landscape.json: item 1 has a bad item (expected an object)',
    });
    const { landscapeSubcategory: _, ...withoutSubcategory } = item;
    expect(problem(withoutSubcategory)).toEqual({
      problem: 'landscape.json: item 1 has a bad landscapeSubcategory (expected a string)',
    });
  });

  it('refuses text that is not a snapshot', () => {
    expect(parseSnapshot('null', 'landscape.json')).toEqual({
      problem: 'landscape.json: not an orch landscape snapshot; re-run "orch catalog import-landscape"',
    });
    expect(parseSnapshot('{"format":', 'landscape.json')).toMatchObject({
      problem: expect.stringMatching(/^landscape\.json: not valid JSON/),
    });
  });
});

const FULL = 'the CNCF landscape importer on the full public file (../shared/data/cncf-landscape.yml)';
describe.skipIf(skipWithoutSharedData(FULL))(`${FULL}${SHARED_DATA_NOTE}`, () => {
  // Read inside the suite, so a skipped suite never touches the missing file.
  const full = () => imported(LANDSCAPE_FILE, 'cncf-landscape.yml');

  it('reads every item of every subcategory, each with a distinct id', () => {
    const { items, categories, subcategories, skipped } = full();
    expect(items).toHaveLength(2413);
    expect(categories).toBe(15);
    expect(subcategories).toBe(80);
    expect(skipped).toEqual([]);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    expect(byName(items, 'Istio')[0]).toMatchObject({
      maturity: 'graduated',
      category: 'service-mesh',
      homepage: 'https://istio.io/',
    });
    for (const item of items)
      if (item.description !== undefined) expect(item.description).toBe(item.description.trim());
  });

  it('merges under the curated catalog, which takes precedence', async () => {
    const result = await loadCatalog(CATALOG_DIR, { landscape: full().items });
    if (!result.ok) throw new Error('catalog must load');
    const tools = result.catalog.tools;
    expect(tools.filter((t) => t.source === 'curated')).toHaveLength(15);
    expect(tools.length).toBeGreaterThan(2350);
    const engine = new QueryEngine(result.catalog);
    expect(engine.answer('rancher kubernetes').toolIds[0]).toBe('rancher');
    expect(engine.answer('prometheus')).toMatchObject({ intent: 'tool', toolIds: ['prometheus'] });
  });
});
