import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importLandscape, loadCatalog, QueryEngine } from '../../src/index.ts';
import { CATALOG_DIR, LANDSCAPE_FILE } from '../helpers/catalog.ts';

const text = readFileSync(LANDSCAPE_FILE, 'utf8');
const imported = importLandscape(text, 'cncf-landscape.yml');
if ('problems' in imported) throw new Error('the real landscape must import');

describe('the CNCF landscape importer on the real file', () => {
  it('reads every item of every subcategory', () => {
    expect(imported.items).toHaveLength(2413);
    expect(imported.categories).toBe(15);
    expect(imported.subcategories).toBe(80);
    expect(imported.skipped).toEqual([]);
  });

  it('gives every item a distinct id, even the names that appear twice', () => {
    const ids = imported.items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps maturity, links and trimmed descriptions', () => {
    const istio = imported.items.find((i) => i.name === 'Istio');
    expect(istio).toMatchObject({
      maturity: 'graduated',
      category: 'service-mesh',
      homepage: 'https://istio.io/',
    });
    for (const item of imported.items) {
      if (item.description !== undefined) expect(item.description).toBe(item.description.trim());
    }
  });

  it('lets curated tools take precedence over the same landscape project', async () => {
    const result = await loadCatalog(CATALOG_DIR, { landscape: imported.items });
    if (!result.ok) throw new Error('catalog must load');
    const tools = result.catalog.tools;
    expect(
      tools.filter(
        (t) => t.source === 'landscape' && ['Istio', 'minikube', 'Rancher Kubernetes'].includes(t.name),
      ),
    ).toHaveLength(0);
    expect(tools.filter((t) => t.source === 'curated')).toHaveLength(15);
    expect(tools.length).toBeGreaterThan(2350);
    const engine = new QueryEngine(result.catalog);
    expect(engine.answer('istio').toolIds[0]).toBe('istio');
    expect(engine.answer('rancher kubernetes').toolIds[0]).toBe('rancher');
    expect(engine.answer('prometheus')).toMatchObject({ intent: 'tool', toolIds: ['prometheus'] });
  });

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
