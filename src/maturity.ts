// The CNCF maturity levels: a field of every catalog tool (src/catalog/schema.ts) and the colour a reply's card may
// carry (src/reply/model.ts). Both read the list here, below them, so the Reply model needs nothing of the catalog.

/** CNCF maturity of a project; `none` for tools outside the CNCF (Rancher) or inside another project (minikube). */
export const MATURITY_LEVELS = ['graduated', 'incubating', 'sandbox', 'archived', 'none'] as const;

export type MaturityLevel = (typeof MATURITY_LEVELS)[number];
