// Lookup texts that the reply cache cannot answer. A bench that sends `/orch istio` over and over measures the cache
// (issue 15 found the Slack bench 100% cache hits and the Discord one 20 distinct keys), so the benches also rotate
// over the landscape's names and over queries nobody asked before: typos, questions around a name, and words that
// name nothing. Deterministic, so two runs send the same texts.
import { seededRandom } from '../../src/quiz/random.ts';

/** A typo a member makes: two neighbouring letters swapped in the middle of the word. */
function typo(name: string): string {
  if (name.length < 4) return `${name}x`;
  const i = Math.floor(name.length / 2) - 1;
  return `${name.slice(0, i)}${name[i + 1]}${name[i]}${name.slice(i + 2)}`;
}

/**
 * `count` lookup texts cycling through `names` in a shuffled order, each name in one of four forms (as it is, with a
 * typo, in a question, or replaced by a made-up word with a serial number that names nothing), the form moving on
 * from pass to pass. No text repeats within `4 * names.length` texts, so with more names than the cache holds (512)
 * a rotation is all misses.
 */
export function rotatingLookups(names: readonly string[], count: number, seed = 15): string[] {
  const random = seededRandom(seed);
  const order = [...new Set(names.map((n) => n.trim()).filter((n) => n !== ''))];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as string, order[i] as string];
  }
  if (order.length === 0) return [];
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    const name = order[i % order.length] as string;
    const pass = Math.floor(i / order.length);
    const forms = [name, typo(name), `what is ${name} used for`, `zqv${i}x frobnicator`];
    out.push(forms[(i + pass) % forms.length] as string);
  }
  return out;
}
