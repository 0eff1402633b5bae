/**
 * Strings (names, or their keystroke jamo forms) in a trie packed into typed arrays, searched for every string
 * within a few edits of a probe. The search walks the trie once with one row of the edit-distance table per depth,
 * and leaves a branch as soon as every cell of its row exceeds the allowed edits or no string below it has a length
 * the probe could be a typo of. What it visits depends on the probe and on how many names share their first few
 * letters, not on the number of names: a typo lookup costs about the same over 2,000 names as over 20,000, where a
 * scan of candidates sharing a bigram or a length grew with the catalog (issue 15).
 */
export class NameTrie {
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
  within(probe: string, max: number, found: (value: number, distance: number) => void): void {
    const q = codePoints(probe);
    const length = q.length;
    if (max < 0 || (this.minLength[0] as number) > length + max) return;
    const width = length + 1;
    const tooFar = max + 1;
    // rows[d * width + j]: the distance between the first d letters of the path and the first j of the probe.
    const depthLimit = length + max;
    const rows = new Int32Array((depthLimit + 1) * width);
    for (let j = 0; j <= length; j++) rows[j] = j;
    const path = new Int32Array(depthLimit + 1);
    // Depth-first over children, with an explicit stack of (node, depth).
    const stack: number[] = [];
    for (let c = this.firstChild[0] as number; c >= 0; c = this.nextSibling[c] as number) stack.push(c, 1);
    while (stack.length > 0) {
      const depth = stack.pop() as number;
      const node = stack.pop() as number;
      if ((this.maxLength[node] as number) < length - max || (this.minLength[node] as number) > length + max)
        continue;
      const point = this.char[node] as number;
      path[depth] = point;
      const row = depth * width;
      const above = row - width;
      const twoAbove = above - width;
      // Cells further than `max` from the diagonal exceed `max` whatever follows: only the band is computed.
      const from = Math.max(1, depth - max);
      const to = Math.min(length, depth + max);
      rows[row] = depth;
      if (from > 1) rows[row + from - 1] = tooFar;
      let best = depth <= max ? depth : tooFar;
      for (let j = from; j <= to; j++) {
        const cost = q[j - 1] === point ? 0 : 1;
        let value = Math.min(
          (rows[above + j] as number) + 1,
          (rows[row + j - 1] as number) + 1,
          (rows[above + j - 1] as number) + cost,
        );
        if (depth > 1 && j > 1 && q[j - 1] === path[depth - 1] && q[j - 2] === point)
          value = Math.min(value, (rows[twoAbove + j - 2] as number) + 1);
        if (value > tooFar) value = tooFar;
        rows[row + j] = value;
        if (value < best) best = value;
      }
      if (to < length) rows[row + to + 1] = tooFar;
      if (best > max) continue;
      if (depth >= length - max && depth <= length + max) {
        // Here depth + max >= length, so the last cell lies in the band.
        const distance = rows[row + length] as number;
        if (distance <= max)
          for (let i = this.ends[node] as number, end = this.ends[node + 1] as number; i < end; i++)
            found(this.values[i] as number, distance);
      }
      if (depth >= depthLimit) continue;
      for (let c = this.firstChild[node] as number; c >= 0; c = this.nextSibling[c] as number)
        stack.push(c, depth + 1);
    }
  }
}

function codePoints(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(ch.codePointAt(0) as number);
  return out;
}
