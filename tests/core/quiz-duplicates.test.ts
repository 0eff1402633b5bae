import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CATALOG_DIR } from '../helpers/catalog.ts';

/**
 * Two questions that test the same fact with the same right answer make a quiz feel repetitive and let a group
 * score twice for one thing learned. The measure is lexical: normalised English tokens (lower case, stop words
 * dropped, plural and -ed/-ing endings cut) compared with the Jaccard index.
 *
 * Thresholds, set from the catalog itself (issue 13):
 * - question text alone ≥ 0.5. The one pair found this way before the clean-up scored 0.60; the highest pair
 *   left scores 0.44 (the incubating and the graduated maturity questions, which ask opposite things).
 * - question plus its right answer ≥ 0.38. Every pair removed as the same fact with the same answer scored
 *   0.39 to 0.60 (etcd contents, Airbnb's canary upgrade and topology, gRPC over a ClusterIP Service); the
 *   highest pair left scores 0.36, the same maturity pair.
 * Paraphrases with no words in common (two "Ingress without a controller" questions scored 0.15) are beyond a
 * lexical check; those were found by reading, lesson by lesson.
 */
const QUESTION_LIMIT = 0.5;
const QUESTION_AND_ANSWER_LIMIT = 0.38;

interface Question {
  id: string;
  question: { en: string };
  options: { en: string }[];
  answer: number;
}

const STOP = new Set(
  'a an the of to in on for is are what which does do you your it its and or with by at from that this be can how why when where who into as s'.split(
    ' ',
  ),
);

function tokens(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .replace(/[^a-z0-9\s]/g, ' ')
      .split(/\s+/)
      .filter((w) => w !== '' && !STOP.has(w))
      .map((w) => w.replace(/(ing|ed|es|s)$/, '')),
  );
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

function nearDuplicates(questions: Question[]): string[] {
  const found: string[] = [];
  const withAnswer = (q: Question) => `${q.question.en} ${q.options[q.answer]?.en ?? ''}`;
  for (let i = 0; i < questions.length; i++)
    for (let j = i + 1; j < questions.length; j++) {
      const a = questions[i] as Question;
      const b = questions[j] as Question;
      const q = jaccard(tokens(a.question.en), tokens(b.question.en));
      const qa = jaccard(tokens(withAnswer(a)), tokens(withAnswer(b)));
      if (q >= QUESTION_LIMIT || qa >= QUESTION_AND_ANSWER_LIMIT)
        found.push(`${a.id} ~ ${b.id} (question ${q.toFixed(2)}, with answer ${qa.toFixed(2)})`);
    }
  return found;
}

async function catalogQuestions(): Promise<Question[]> {
  const dir = join(CATALOG_DIR, 'quizzes');
  const out: Question[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort())
    out.push(...(parse(await readFile(join(dir, file), 'utf8')) as { questions: Question[] }).questions);
  return out;
}

const q = (id: string, question: string, answer: string): Question => ({
  id,
  question: { en: question },
  options: [{ en: answer }],
  answer: 0,
});

describe('quiz questions are not near-duplicates', () => {
  it('flags pairs the catalog used to have, and keeps questions that only share a topic apart', () => {
    expect(
      nearDuplicates([
        q(
          'etcd-kubernetes-data',
          'What does a Kubernetes cluster keep in etcd?',
          'Its API objects, such as Pods, Deployments, ConfigMaps and Secrets',
        ),
        q(
          'k8s-arch-etcd-contents',
          'What does etcd hold in a Kubernetes cluster?',
          'The cluster state: every API object, such as Pods, Services, ConfigMaps and Secrets',
        ),
      ]),
    ).toHaveLength(1);
    expect(
      nearDuplicates([
        q(
          'grpc-clusterip-load-balancing',
          'Behind an ordinary ClusterIP Service with five replicas, all calls from one gRPC client end up on the same Pod. Why?',
          'The Service balances connections, and gRPC reuses one long-lived connection',
        ),
        q(
          'k8s-lb-grpc-single-pod',
          'A gRPC client calls a ClusterIP Service backed by 5 Pods, but every call lands on the same Pod. Why?',
          'kube-proxy balances per connection, and the client reuses one long-lived HTTP/2 connection',
        ),
      ]),
    ).toHaveLength(1);
    expect(
      nearDuplicates([
        q(
          'etcd-quorum-loss',
          'Two members of a three-member etcd cluster go down at the same time. What happens?',
          'The cluster stops accepting writes until a majority of members is back',
        ),
        q(
          'etcd-even-member-count',
          'A team grows its etcd cluster from 3 to 4 members to be safer. How many member failures can the 4-member cluster survive?',
          '1, the same as with 3 members',
        ),
      ]),
    ).toEqual([]);
  });

  it(`has no pair at or above ${QUESTION_LIMIT} (question) or ${QUESTION_AND_ANSWER_LIMIT} (question with its right answer)`, async () => {
    expect(nearDuplicates(await catalogQuestions())).toEqual([]);
  });
});
