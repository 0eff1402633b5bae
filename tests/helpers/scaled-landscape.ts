import type { LandscapeTool } from '../../src/testing.ts';

// Words a product name grows by in the real landscape ("Grafana Cloud", "Harbor Operator", "Argo CD Enterprise").
const QUALIFIERS = ['Cloud', 'Operator', 'Enterprise', 'Edge'];

/**
 * The landscape grown `scale` times, the way a landscape grows: copy 0 is the landscape itself; each further copy
 * holds, for every item, a new product of the same subcategory. Odd copies name it as a vendor edition of the item
 * ("Harbor Cloud"), even copies as a new name blended from the start of the item's name and the end of another's
 * ("Kuberkerd"), so no two items share a name and nothing a dedupe would collapse. Each copy takes its description
 * from another item of the same subcategory, so descriptions repeat as vendors' pitches do, but never beside the
 * same name. A copy has a homepage of its own and no repository, as the catalog drops an item that shares a curated
 * tool's repository or name.
 */
export function scaledLandscape(items: readonly LandscapeTool[], scale: number): LandscapeTool[] {
  const bySubcategory = new Map<string, LandscapeTool[]>();
  for (const item of items) {
    const list = bySubcategory.get(item.category) ?? [];
    list.push(item);
    bySubcategory.set(item.category, list);
  }
  const out: LandscapeTool[] = [...items];
  const names = new Set(items.map((i) => i.name.toLowerCase()));
  for (let copy = 1; copy < scale; copy++) {
    items.forEach((item, n) => {
      const peers = bySubcategory.get(item.category) ?? [item];
      const peer = peers[(peers.indexOf(item) + copy) % peers.length] ?? item;
      let name =
        copy % 2 === 1
          ? `${item.name} ${QUALIFIERS[(copy - 1) / 2] ?? `Edition ${copy}`}`
          : blend(item.name, (items[(n * 31 + copy * 97) % items.length] ?? item).name);
      for (let k = 2; names.has(name.toLowerCase()); k++) name = `${name} ${k}`;
      names.add(name.toLowerCase());
      const id = `${item.id}-x${copy}`;
      const { homepage: _h, repository: _r, description: _d, ...rest } = item;
      out.push({
        ...rest,
        id,
        name,
        homepage: `https://example.org/${id}`,
        ...(peer.description ? { description: peer.description } : {}),
      });
    });
  }
  return out;
}

/** The first half of one name and the second half of another's first word: "Kubernetes" + "Linkerd" = "Kuberkerd". */
function blend(a: string, b: string): string {
  const head = [...(a.split(' ')[0] ?? a)];
  const tail = [...(b.split(' ')[0] ?? b)];
  return (
    head.slice(0, Math.max(2, Math.ceil(head.length / 2))).join('') +
    tail.slice(Math.floor(tail.length / 2)).join('')
  );
}
