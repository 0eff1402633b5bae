/**
 * Strings (names, or their keystroke jamo forms) in a trie packed into typed arrays, searched for every string
 * within a few edits of a probe. The search walks the trie once with one row of the edit-distance table per depth,
 * and leaves a branch as soon as every cell of its row exceeds the allowed edits or no string below it has a length
 * the probe could be a typo of. What it visits grows with the names that begin (or, searched backward, end) like the
 * probe, far slower than the catalog: eight times the landscape's names cost the typo set 2.5 times the nodes
 * (tests/core/name-trie.test.ts), where the scan of every name sharing a bigram or a length grew with the catalog
 * (issue 15).
 */
class PackedTrie {
  static visits = 0;
  /** Work space shared by every search (searches are synchronous): the table's rows and the walk's stack. */
  private static rows: Int32Array = new Int32Array(1024);
  private static stack: Int32Array = new Int32Array(1024);
  /** Per node: its code point, first child and next sibling (-1 for none). Node 0 is the root. */
  private readonly char: Int32Array;
  private readonly firstChild: Int32Array;
  private readonly nextSibling: Int32Array;
  /** Per node, the shortest and longest string ending at it or below it, in code points. */
  private readonly minLength: Uint16Array;
  private readonly maxLength: Uint16Array;
  /** Per node, the values of the strings ending exactly there: `values[ends[n]..ends[n + 1])`. */
  private readonly ends: Uint32Array;
  private readonly values: Uint32Array;

  /** `strings[i]` is stored with the value `values[i]`; one string may carry several values. */
  constructor(strings: readonly string[], values: readonly number[]) {
    const char = [0];
    const firstChild = [-1];
    const nextSibling = [-1];
    const minLength = [0xffff];
    const maxLength = [0];
    const endsAt: number[][] = [[]];
    for (const [i, text] of strings.entries()) {
      const points = codePoints(text);
      const length = Math.min(points.length, 0xffff);
      let node = 0;
      minLength[0] = Math.min(minLength[0] as number, length);
      maxLength[0] = Math.max(maxLength[0] as number, length);
      for (const point of points) {
        let child = firstChild[node] as number;
        let last = -1;
        while (child >= 0 && char[child] !== point) {
          last = child;
          child = nextSibling[child] as number;
        }
        if (child < 0) {
          child = char.length;
          char.push(point);
          firstChild.push(-1);
          nextSibling.push(-1);
          minLength.push(0xffff);
          maxLength.push(0);
          endsAt.push([]);
          if (last < 0) firstChild[node] = child;
          else nextSibling[last] = child;
        }
        node = child;
        minLength[node] = Math.min(minLength[node] as number, length);
        maxLength[node] = Math.max(maxLength[node] as number, length);
      }
      (endsAt[node] as number[]).push(values[i] as number);
    }
    this.char = Int32Array.from(char);
    this.firstChild = Int32Array.from(firstChild);
    this.nextSibling = Int32Array.from(nextSibling);
    this.minLength = Uint16Array.from(minLength);
    this.maxLength = Uint16Array.from(maxLength);
    this.ends = new Uint32Array(endsAt.length + 1);
    let total = 0;
    for (const [n, list] of endsAt.entries()) {
      this.ends[n] = total;
      total += list.length;
    }
    this.ends[endsAt.length] = total;
    this.values = new Uint32Array(total);
    let at = 0;
    for (const list of endsAt) for (const value of list) this.values[at++] = value;
  }

  /**
   * Calls `found(value, distance)` for every stored string within `max` optimal-string-alignment edits of `probe`
   * (insertions, deletions, substitutions and adjacent transpositions cost 1, as in edit-distance.ts).
   */
  within(
    q: readonly number[],
    max: number,
    found: (value: number, distance: number) => void,
    lock: { column: number; budget: number } = { column: 0, budget: max },
  ): void {
    const length = q.length;
    const { char, firstChild, nextSibling, minLength, maxLength, ends, values } = this;
    const shortest = length - max;
    const longest = length + max;
    if (max < 0 || (minLength[0] as number) > longest || (maxLength[0] as number) < shortest) return;
    const width = length + 1;
    const tooFar = max + 1;
    // rows[d * width + j]: the distance between the first d letters of the path and the first j of the probe.
    const depthLimit = longest;
    const rows = buffer(PackedTrie.rows, (depthLimit + 1) * width);
    PackedTrie.rows = rows;
    for (let j = 0; j <= length; j++) rows[j] = j;
    // An empty string stored is as far from the probe as the probe is long.
    if (length <= max)
      for (let i = ends[0] as number; i < (ends[1] as number); i++) found(values[i] as number, length);
    const path = new Int32Array(depthLimit + 1);
    // Until a path has matched the probe's first `lock.column` letters within `lock.budget` edits, it is cut as
    // soon as no cell up to that column is within the budget: unlocked[d] says the path to depth d has.
    const column = lock.column;
    const budget = lock.budget;
    const unlocked = new Uint8Array(depthLimit + 1);
    unlocked[0] = column === 0 && budget >= 0 ? 1 : 0;
    // Depth-first, with an explicit stack of (node, depth); a child is pushed only when some name below it has a
    // length the probe could be a typo of.
    const stack = buffer(PackedTrie.stack, 2 * (char.length + 1));
    PackedTrie.stack = stack;
    let top = 0;
    for (let c = firstChild[0] as number; c >= 0; c = nextSibling[c] as number) {
      if ((maxLength[c] as number) < shortest || (minLength[c] as number) > longest) continue;
      stack[top++] = c;
      stack[top++] = 1;
    }
    while (top > 0) {
      const depth = stack[--top] as number;
      const node = stack[--top] as number;
      PackedTrie.visits++;
      const point = char[node] as number;
      path[depth] = point;
      const previous = depth > 1 ? (path[depth - 1] as number) : -1;
      const row = depth * width;
      const above = row - width;
      const twoAbove = above - width;
      // Cells further than `max` from the diagonal exceed `max` whatever follows: only the band is computed.
      const from = Math.max(1, depth - max);
      const to = Math.min(length, depth + max);
      rows[row] = depth;
      if (from > 1) rows[row + from - 1] = tooFar;
      let best = depth <= max ? depth : tooFar;
      let left = rows[row + from - 1] as number;
      for (let j = from; j <= to; j++) {
        const letter = q[j - 1] as number;
        let value = (rows[above + j - 1] as number) + (letter === point ? 0 : 1);
        const up = (rows[above + j] as number) + 1;
        if (up < value) value = up;
        if (left + 1 < value) value = left + 1;
        if (letter === previous && j > 1 && q[j - 2] === point) {
          const swapped = (rows[twoAbove + j - 2] as number) + 1;
          if (swapped < value) value = swapped;
        }
        if (value > tooFar) value = tooFar;
        rows[row + j] = value;
        left = value;
        if (value < best) best = value;
      }
      if (to < length) rows[row + to + 1] = tooFar;
      if (best > max) continue;
      let open = unlocked[depth - 1] === 1;
      if (!open) {
        let lockedBest = tooFar;
        const last = Math.min(to, column);
        for (let j = from - 1; j <= last; j++)
          if ((rows[row + j] as number) < lockedBest) lockedBest = rows[row + j] as number;
        if (lockedBest > budget) continue;
        open = column <= to && (rows[row + column] as number) <= budget;
      }
      unlocked[depth] = open ? 1 : 0;
      if (depth >= shortest) {
        // Here depth + max >= length, so the last cell lies in the band.
        const distance = rows[row + length] as number;
        if (distance <= max)
          for (let i = ends[node] as number, end = ends[node + 1] as number; i < end; i++)
            found(values[i] as number, distance);
      }
      if (depth >= depthLimit) continue;
      for (let c = firstChild[node] as number; c >= 0; c = nextSibling[c] as number) {
        if ((maxLength[c] as number) < shortest || (minLength[c] as number) > longest) continue;
        stack[top++] = c;
        stack[top++] = depth + 1;
      }
    }
  }
}

/**
 * NameTrie's search, run as two: an alignment within k edits of the probe has at most ⌊(k + 1) / 2⌋ of them on one
 * side of the probe's middle (a transposition across the middle counted on both), so one trie of the names is
 * searched with the probe's first half held to that budget, and one of the reversed names with the reversed probe's
 * first half (the second half) held to it. Near the root, where every short prefix is within k edits of something,
 * the smaller budget cuts most branches; the distance found is still the whole one.
 */
export class NameTrie {
  private readonly forward: PackedTrie;
  private readonly backward: PackedTrie;

  /** Nodes visited by searches since the last reset, for the bench and tests that check the work stays bounded. */
  static get visits(): number {
    return PackedTrie.visits;
  }
  static set visits(value: number) {
    PackedTrie.visits = value;
  }

  constructor(strings: readonly string[], values: readonly number[]) {
    this.forward = new PackedTrie(strings, values);
    this.backward = new PackedTrie(
      strings.map((s) => [...s].reverse().join('')),
      values,
    );
  }

  /**
   * Calls `found(value, distance)` once for every stored string within `max` optimal-string-alignment edits of
   * `probe` (insertions, deletions, substitutions and adjacent transpositions cost 1, as in edit-distance.ts).
   */
  within(probe: string, max: number, found: (value: number, distance: number) => void): void {
    const q = codePoints(probe);
    const budget = Math.floor((max + 1) / 2);
    if (budget >= max) {
      this.forward.within(q, max, found);
      return;
    }
    const half = Math.ceil(q.length / 2);
    const seen = new Set<number>();
    const once = (value: number, distance: number): void => {
      if (seen.has(value)) return;
      seen.add(value);
      found(value, distance);
    };
    this.forward.within(q, max, once, { column: half, budget });
    this.backward.within([...q].reverse(), max, once, { column: q.length - half, budget });
  }
}

/** `current` when it holds `size` numbers, else a new array that does (contents need not be kept). */
function buffer(current: Int32Array, size: number): Int32Array {
  return current.length >= size ? current : new Int32Array(Math.max(size, current.length * 2));
}

function codePoints(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(ch.codePointAt(0) as number);
  return out;
}
