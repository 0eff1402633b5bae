import { questionVersion, UNVERSIONED } from '../store/question-version.ts';
import type {
  QuestionPauseReason,
  QuestionRecord,
  QuestionStanding,
  RoundQuestion,
  Store,
} from '../store/store.ts';

/**
 * When a question stops being asked in a channel. Two members (not one member twice) is the smallest number that is
 * more than one person's opinion; a share right under 10% or over 95% of at least 20 players says the question
 * measures nothing (a trick, a typo in the answer, or a giveaway), and 20 keeps a small group's bad day from pausing it.
 */
export const PAUSE_RULES = { reporters: 2, minPlayers: 20, tooHard: 0.1, tooEasy: 0.95 } as const;

/** The share answered right a round prefers: a question most get right but not all (configurable). */
export interface TargetShare {
  low: number;
  high: number;
}
export const DEFAULT_TARGET_SHARE: TargetShare = { low: 0.6, high: 0.8 };

/** How many players a question's share needs before a round prefers or avoids it by that share. */
const EVIDENCE_PLAYERS = 5;
/** Weights of a question in round selection: in the target band, unknown yet, and furthest out (never zero). */
const WEIGHT_IN_BAND = 4;
const WEIGHT_UNKNOWN = 2.5;
const WEIGHT_FLOOR = 1;
/** How far outside the band (as a share) a question falls to the floor weight. */
const WEIGHT_FALLOFF = 0.3;

/** Why a question with this record should pause, or null; reports first, since people said why. */
export function pauseReasonOf(
  standing: Pick<QuestionStanding, 'players' | 'correct'>,
  reporters: number,
): QuestionPauseReason | null {
  if (reporters >= PAUSE_RULES.reporters) return 'reports';
  if (standing.players < PAUSE_RULES.minPlayers) return null;
  const share = standing.correct / standing.players;
  if (share < PAUSE_RULES.tooHard) return 'hard';
  if (share > PAUSE_RULES.tooEasy) return 'easy';
  return null;
}

/** A question's weight in round selection, from its record in the channel (see the constants above). */
export function selectionWeight(
  record: Pick<QuestionRecord, 'players' | 'correct'> | undefined,
  target: TargetShare,
): number {
  if (!record || record.players < EVIDENCE_PLAYERS) return WEIGHT_UNKNOWN;
  const share = record.correct / record.players;
  const off = share < target.low ? target.low - share : share > target.high ? share - target.high : 0;
  if (off === 0) return WEIGHT_IN_BAND;
  return WEIGHT_FLOOR + (WEIGHT_IN_BAND - WEIGHT_FLOOR) * Math.max(0, 1 - off / WEIGHT_FALLOFF);
}

/** What a round start knows about a channel's questions: which are paused, and how to weigh the others. */
export interface QuestionPreference {
  paused(question: RoundQuestion): boolean;
  weight(question: RoundQuestion): number;
}

/**
 * Reads a channel's question records and pauses once per round start. A pause holds for the version it was about:
 * a fixed question (a new version) is asked again, with a record of its own.
 */
export async function channelPreference(
  store: Store,
  channelKey: string,
  target: TargetShare,
): Promise<QuestionPreference> {
  const [records, pauses] = await Promise.all([
    store.questionRecords(channelKey),
    store.questionPauses(channelKey),
  ]);
  const paused = new Map<string, Set<string>>();
  for (const p of pauses) {
    if (p.status !== 'paused') continue;
    const versions = paused.get(p.questionId) ?? new Set<string>();
    versions.add(p.version);
    paused.set(p.questionId, versions);
  }
  const byQuestion = new Map<string, QuestionRecord[]>();
  for (const r of records) byQuestion.set(r.questionId, [...(byQuestion.get(r.questionId) ?? []), r]);
  const versionOf = new WeakMap<RoundQuestion, string>();
  const version = (q: RoundQuestion): string => {
    let v = versionOf.get(q);
    if (v === undefined) {
      v = questionVersion(q);
      versionOf.set(q, v);
    }
    return v;
  };
  return {
    paused(q) {
      const versions = paused.get(q.questionId);
      return versions?.has(version(q)) ?? false;
    },
    weight(q) {
      const rows = byQuestion.get(q.questionId);
      if (!rows) return selectionWeight(undefined, target);
      // A fixed question (a version with no record yet) is weighed as unknown; one not asked since versions
      // existed, by its answers from before.
      const v = version(q);
      return selectionWeight(
        rows.find((r) => r.version === v) ?? rows.find((r) => r.version === UNVERSIONED),
        target,
      );
    },
  };
}

/**
 * Pauses a question in a channel when its record or its reports say so (see PAUSE_RULES); the reason when this call
 * paused it, null when it stays (or was already paused, or an admin resumed this version, which a rule never
 * overrules). Called after a reveal and after a report.
 */
export async function pauseIfDue(
  store: Store,
  channelKey: string,
  question: RoundQuestion,
  now: number,
): Promise<QuestionPauseReason | null> {
  const version = questionVersion(question);
  // Read after the caller's write committed: of two members reporting at once, the later read sees both reports.
  const standing = await store.questionStanding(channelKey, question.questionId, version);
  const reason = pauseReasonOf(standing, standing.reporters);
  if (!reason) return null;
  const paused = await store.pauseQuestion({
    channelKey,
    questionId: question.questionId,
    version,
    reason,
    pausedAt: now,
  });
  return paused ? reason : null;
}
