/** A small seeded generator (mulberry32), so a round's question choice can be replayed in tests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A shuffled copy (Fisher–Yates). */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * A shuffled copy in which heavier items tend to come first (Efraimidis–Spirakis: each item's key is u^(1/w), largest
 * first), so taking the first n draws n without repeats, each in proportion to its weight among those left.
 * Weights must be positive.
 */
export function weightedShuffle<T>(
  items: readonly T[],
  weight: (item: T) => number,
  random: () => number,
): T[] {
  return items
    .map((item) => ({ item, key: Math.log(random() || Number.MIN_VALUE) / weight(item) }))
    .sort((a, b) => b.key - a.key)
    .map((x) => x.item);
}
