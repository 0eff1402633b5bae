/**
 * Lists of small integers (entry or document numbers, each with an optional count) under string keys, packed into
 * two typed arrays once built. Over the full landscape an index holds tens of thousands of postings; as one object
 * or array slot each they cost tens of bytes apiece and keep the garbage collector busy, packed they cost six.
 * A list is read by its slot: `values[i]` and `counts[i]` for `start(slot) <= i < end(slot)`.
 */
export class PackedPostings {
  private readonly slots: Map<string, number>;
  private readonly offsets: Uint32Array;
  readonly values: Uint32Array;
  /** How often each value occurred under its key (1 for a key added once per value). */
  readonly counts: Uint16Array;

  private constructor(
    slots: Map<string, number>,
    offsets: Uint32Array,
    values: Uint32Array,
    counts: Uint16Array,
  ) {
    this.slots = slots;
    this.offsets = offsets;
    this.values = values;
    this.counts = counts;
  }

  /** Packs lists built as `[value, count, value, count, ...]` per key, values in increasing order. */
  static pack(lists: ReadonlyMap<string, readonly number[]>): PackedPostings {
    let total = 0;
    for (const list of lists.values()) total += list.length / 2;
    const slots = new Map<string, number>();
    const offsets = new Uint32Array(lists.size + 1);
    const values = new Uint32Array(total);
    const counts = new Uint16Array(total);
    let at = 0;
    for (const [key, list] of lists) {
      offsets[slots.size] = at;
      slots.set(key, slots.size);
      for (let i = 0; i < list.length; i += 2) {
        values[at] = list[i] ?? 0;
        counts[at] = Math.min(list[i + 1] ?? 0, 0xffff);
        at++;
      }
    }
    offsets[slots.size] = at;
    return new PackedPostings(slots, offsets, values, counts);
  }

  /** The key's slot, or -1 when nothing was added under it. */
  slot(key: string): number {
    return this.slots.get(key) ?? -1;
  }

  start(slot: number): number {
    return this.offsets[slot] ?? 0;
  }

  end(slot: number): number {
    return this.offsets[slot + 1] ?? 0;
  }

  /** How many values the key has. */
  size(key: string): number {
    const slot = this.slot(key);
    return slot < 0 ? 0 : this.end(slot) - this.start(slot);
  }
}

/** Collects postings; `add` with the same key and value in a row counts it again rather than adding it twice. */
export class PostingsBuilder {
  private readonly lists = new Map<string, number[]>();

  add(key: string, value: number, count = 1): void {
    const list = this.lists.get(key);
    if (!list) {
      this.lists.set(key, [value, count]);
    } else if (list[list.length - 2] === value) {
      list[list.length - 1] = (list[list.length - 1] ?? 0) + count;
    } else {
      list.push(value, count);
    }
  }

  build(): PackedPostings {
    return PackedPostings.pack(this.lists);
  }
}
