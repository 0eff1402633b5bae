import { randomUUID } from 'node:crypto';
import type { Catalog } from '../catalog/model.ts';
import { platformOf } from '../channel-key.ts';
import { UserError } from '../errors.ts';
import { type Lang, t } from '../i18n/messages.ts';
import type { Clock, Logger, Metrics, Poster } from '../ports.ts';
import type { QueryEngine } from '../query/engine.ts';
import { privateText, type Reply } from '../reply/model.ts';
import { neutralizeMentions } from '../reply/safe-text.ts';
import type { QuizRound, QuizRoundQuestion, Store } from '../store/store.ts';
import { AnswerBatcher } from './answer-batcher.ts';
import type { QuestionBank, QuizTopic } from './bank.ts';
import { channelPreference, DEFAULT_TARGET_SHARE, pauseIfDue, type TargetShare } from './question-health.ts';
import {
  optionLetter,
  type QuestionOutcome,
  questionReply,
  revealReply,
  scoreboardReply,
  summaryReply,
} from './quiz-replies.ts';
import { seededRandom } from './random.ts';
import { recordReviews } from './review.ts';
import { roundState } from './round-states.ts';
import { pointsFor } from './scoring.ts';

/** What an answer needs of an open question, cached per process. */
interface OpenQuestion {
  round: QuizRound;
  question: QuizRoundQuestion;
  /** Earlier players still to answer; null when nobody played before (only the deadline reveals). */
  waiting: Promise<Set<string> | null> | null;
  /** A press took the last earlier player out: the early reveal is under way. */
  closing?: boolean;
}

/** Timer functions, injected so tests drive deadlines with `tick()` instead of waiting. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** What the quiz service needs. */
export interface QuizServiceOptions {
  store: Store;
  catalog: Catalog;
  engine: QueryEngine;
  bank: QuestionBank;
  poster: Poster;
  clock: Clock;
  logger: Logger;
  timers?: Timers;
  /** Counts answers for operators. */
  metrics?: Metrics;
  /** The platforms this process posts to; rounds in other platforms' channels are left to their processes. */
  platforms?: readonly string[];
  /**
   * Waits before each retry of a round's step that failed (a post the platform refused, the store unreachable);
   * when the last retry fails too, the round is abandoned with a message.
   */
  retryDelaysMs?: readonly number[];
  /** How often running rounds are swept for due steps after `resume()` (a step another process left behind). */
  sweepMs?: number;
  random?: () => number;
  /** The share answered right a round prefers its questions to have (60–80% unless configured). */
  targetShare?: TargetShare;
}

/** A request to start a round. */
export interface StartRequest {
  channelKey: string;
  userId: string;
  lang: Lang;
  topic: QuizTopic;
  count: number;
  seconds: number;
  /**
   * A channel message to run the round in the thread of (a lesson's "quiz me", or a thread the round was asked for
   * in), when the channel runs rounds in threads; otherwise the round's announcement becomes the thread's anchor.
   */
  anchorId?: string;
}

/** An answer button press: the option picked for a question of a round (src/actions/quiz-answer.ts reads them). */
export interface AnswerRequest {
  channelKey: string;
  userId: string;
  displayName: string;
  roundId: string;
  /** The question's place in the round, from 0. */
  index: number;
  /** The option picked, from 0. */
  option: number;
  lang: Lang;
  /** When the platform's event reached us (stamped at the ack): judged against the deadline, not when processed. */
  receivedAt: number;
  /** Resolves once the adapter delivered this press's receipt: an early reveal waits for it, so the receipt is first. */
  delivered?: Promise<void>;
}

/** About 9 minutes in all: long enough for a platform hiccup or a database failover, short enough to free the channel. */
const DEFAULT_RETRY_DELAYS = [2_000, 5_000, 15_000, 30_000, 60_000, 120_000, 300_000];

/** The longest a deadline reveal waits for clicks being recorded. */
const RECORDING_WAIT_MS = 10_000;

/** The longest an early reveal waits for the receipt of the press that closed the question to be delivered. */
const RECEIPT_WAIT_MS = 5_000;

/** A round whose last step failed: how often, and the timer of its next attempt. */
interface Retry {
  attempts: number;
  dueAt: number;
  handle: unknown;
}

function topicName(topic: QuizTopic, lang: Lang): string {
  switch (topic.kind) {
    case 'all':
      return t(lang, 'quiz.topicAll');
    case 'imported':
      return t(lang, 'quiz.topicImported');
    case 'concepts':
      return t(lang, 'quiz.topicConcepts');
    case 'tool':
      return topic.name;
    case 'lesson':
      return `${topic.number}. ${topic.name[lang]}`;
    default:
      return topic.name[lang];
  }
}

/**
 * Runs quiz rounds. All state lives in the store, so any process can continue a round: answers are recorded only
 * while their question is open (first answer per member, enforced by the store), each question is closed exactly
 * once (whoever closes it posts the reveal and the next question), and `resume()` re-arms deadlines after a restart.
 */
export class QuizService {
  private readonly timers: Timers;
  private readonly armed = new Map<string, unknown>();
  private readonly random: () => number;
  /**
   * Per open question, what an answer needs that never changes once it is posted (the round, the question, its
   * times) and who is still to answer for an early reveal. A burst of a thousand clicks then costs one insert
   * each instead of a handful of reads, and the early-reveal check no longer rereads every answer per click.
   * Another process's answers are not seen here, which only delays an early reveal; the deadline still holds.
   */
  private readonly open = new Map<string, Promise<OpenQuestion | null>>();
  /** Answers arriving in the same turn of the event loop are written in one transaction (group commit). */
  private readonly batcher: AnswerBatcher;
  /**
   * The steps of each round run one after another in this process (a deadline, an early reveal, a retry and the
   * sweep may all reach for the same round), so two of them never post the same step at once.
   */
  private readonly lanes = new Map<string, Promise<void>>();
  /** Rounds backing off after a failed step. Only the backoff is kept here; what to do next is in the store. */
  private readonly retries = new Map<string, Retry>();
  private readonly retryDelays: readonly number[];
  /**
   * Clicks being recorded per question. A deadline reveal waits for them, so that the clicks that arrived in time
   * and are already in this process are in the reveal and its "fastest". (One still queued in an adapter counts
   * when it gets here, by its arrival time, but misses the reveal.)
   */
  private readonly recording = new Map<string, { count: number; done: Promise<void>; end: () => void }>();
  /** Early reveals waiting for the receipt of the press that closed their question; a drain waits for them. */
  private readonly revealing = new Set<Promise<void>>();
  private sweeping: Promise<void> | undefined;
  private sweepHandle: unknown;
  private closed = false;

  constructor(private readonly options: QuizServiceOptions) {
    this.timers = options.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    };
    this.random = options.random ?? seededRandom(Date.now());
    this.batcher = new AnswerBatcher(options.store);
    this.retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS;
  }

  private now(): number {
    return this.options.clock.now().getTime();
  }

  /** Starts a round and posts its first question; throws a UserError when the channel cannot start one now. */
  async start(request: StartRequest): Promise<QuizRound> {
    const { store, bank } = this.options;
    const now = this.now();
    // One round at a time is the only limit: a round that ended or was stopped frees the channel at once.
    if (await store.runningRound(request.channelKey)) throw new UserError('quiz.running');
    const preference = await channelPreference(
      store,
      request.channelKey,
      this.options.targetShare ?? DEFAULT_TARGET_SHARE,
    );
    const questions = bank.pick(request.topic, request.count, this.random, preference);
    if (questions.length === 0) throw new UserError('quiz.noQuestions');
    const anchor = request.anchorId ? await this.threadOn(request, request.anchorId) : null;
    const round: QuizRound = {
      id: randomUUID(),
      channelKey: request.channelKey,
      startedBy: request.userId,
      topic: topicName(request.topic, request.lang),
      lang: request.lang,
      secondsPerQuestion: request.seconds,
      questionCount: questions.length,
      status: 'running',
      current: 0,
      createdAt: now,
      finishedAt: null,
      threadAnchor: anchor,
    };
    if (!(await store.createRound(round, questions))) throw new UserError('quiz.running');
    // A failed first post is retried like any later step: the round exists now, and only a retry or its
    // abandonment frees the channel again.
    await this.drive(round, async () => {
      await this.ask(await this.postIntro(round), 0);
    });
    return round;
  }

  /** Whether rounds in this channel run in threads: the channel's setting (on unless turned off) where posts can thread. */
  private async threadsOn(channelKey: string): Promise<boolean> {
    if (!this.options.poster.startThread) return false;
    return (await this.options.store.getChannel(channelKey))?.threads ?? true;
  }

  /**
   * The anchor a round asked for on a message runs under, once its thread is open: null when the channel does not
   * use threads or the platform refuses this one (no permission, the message is gone), and the round is announced
   * in the channel as any other.
   */
  private async threadOn(request: StartRequest, anchorId: string): Promise<string | null> {
    const { poster, logger } = this.options;
    if (!poster.startThread || !(await this.threadsOn(request.channelKey))) return null;
    const name = t(request.lang, 'thread.quizName', { topic: topicName(request.topic, request.lang) });
    try {
      return (await poster.startThread(request.channelKey, anchorId, name)) ? anchorId : null;
    } catch (error) {
      logger.warn(
        { err: error, channel: request.channelKey },
        'quiz thread refused; the round runs in the channel',
      );
      return null;
    }
  }

  /**
   * Posts the round's announcement and, in a channel with threads, opens the thread the rest of the round runs in,
   * under the announcement; a round started on a message (a lesson's "quiz me") opens that message's thread instead.
   * Every step is idempotent (the post by its key, the thread per message, the anchor first-write-wins), so a retry
   * after a crash anywhere in here finds the same message and opens no second thread. Returns the round with its
   * anchor.
   */
  private async postIntro(round: QuizRound): Promise<QuizRound> {
    const { poster, store } = this.options;
    const name = t(round.lang, 'thread.quizName', { topic: round.topic });
    const intro: Reply = {
      visibility: 'channel',
      blocks: [
        {
          type: 'text',
          text: t(round.lang, 'quiz.intro', {
            count: round.questionCount,
            topic: round.topic,
            seconds: round.secondsPerQuestion,
          }),
        },
      ],
    };
    // A round with an anchor already runs in that message's thread: the message it was started on (a lesson, whose
    // own text announces it, so no intro is posted), or its announcement, posted before a restart. Opening the
    // thread again is a no-op, and posting nothing here is what keeps the announcement from being repeated.
    if (round.threadAnchor && poster.startThread) {
      await poster.startThread(round.channelKey, round.threadAnchor, name);
      return round;
    }
    const posted = await poster.post(round.channelKey, intro, `quiz:${round.id}:intro`);
    if (!poster.startThread || !(await this.threadsOn(round.channelKey))) return round;
    // Refused for good (no permission): the round plays in the channel, as before threads.
    if (!(await poster.startThread(round.channelKey, posted.messageId, name))) return round;
    return { ...round, threadAnchor: await store.setRoundThread(round.id, posted.messageId) };
  }

  /** A post of the round, into its thread when it has one. */
  private inRound(round: QuizRound, reply: Reply): Reply {
    return round.threadAnchor ? { ...reply, thread: { anchorId: round.threadAnchor } } : reply;
  }

  /**
   * Records a button press; the private reply says whether it counted and when the answer is revealed. When this
   * press is the last one awaited, the question is revealed early, after the reply has reached the member (or,
   * when the adapter cannot tell, after this turn of the event loop): the receipt comes first, and the press is
   * never held up by the channel posts of the reveal and the next question.
   */
  async answer(request: AnswerRequest): Promise<Reply> {
    const { index } = request;
    const key = this.timerKey(request.roundId, index);
    this.beginRecording(key);
    let recorded: { round: QuizRound; option: number } | Reply;
    try {
      recorded = await this.record(request);
    } finally {
      this.endRecording(key);
    }
    if (!('round' in recorded)) return recorded;
    const { round } = recorded;
    // The answer is stored; a failure to check for an early reveal is left to the deadline, not told the member.
    const reveal = await this.revealAfterPress(round, index, request.userId).catch((error: unknown) => {
      this.options.logger.warn({ err: error, round: round.id }, 'quiz early reveal check failed');
      return 'deadline' as const;
    });
    const option = optionLetter(recorded.option);
    if (reveal === 'deadline') return privateText(t(request.lang, 'quiz.received', { option }));
    if (reveal === 'waiting') return privateText(t(request.lang, 'quiz.receivedWaiting', { option }));
    if (reveal === 'closes') this.revealAfter(request.delivered, round, index);
    return privateText(t(request.lang, 'quiz.receivedLast', { option }));
  }

  /** Reveals a question early once `delivered` resolves (at most RECEIPT_WAIT_MS), in the round's lane. */
  private revealAfter(delivered: Promise<void> | undefined, round: QuizRound, index: number): void {
    let handle: unknown;
    const ready = delivered
      ? Promise.race([
          delivered.catch(() => undefined),
          new Promise<void>((resolve) => {
            handle = this.timers.setTimeout(resolve, RECEIPT_WAIT_MS);
          }),
        ])
      : new Promise<void>((resolve) => setImmediate(resolve));
    const reveal = ready.then(() => {
      this.timers.clearTimeout(handle);
      return this.drive(round, () => this.closeQuestion(round, index));
    });
    this.revealing.add(reveal);
    void reveal.finally(() => this.revealing.delete(reveal));
  }

  private beginRecording(key: string): void {
    let entry = this.recording.get(key);
    if (!entry) {
      let end = (): void => undefined;
      const done = new Promise<void>((resolve) => {
        end = resolve;
      });
      entry = { count: 0, done, end };
      this.recording.set(key, entry);
    }
    entry.count++;
  }

  private endRecording(key: string): void {
    const entry = this.recording.get(key);
    if (!entry || --entry.count > 0) return;
    this.recording.delete(key);
    entry.end();
  }

  /**
   * Resolves once the clicks on a question that are being recorded now are stored or refused, or after
   * `maxMs` (a flood of late clicks must not hold the reveal up for long).
   */
  private async recorded(key: string, maxMs: number): Promise<void> {
    const entry = this.recording.get(key);
    if (!entry) return;
    let handle: unknown;
    await Promise.race([
      entry.done,
      new Promise<void>((resolve) => {
        handle = this.timers.setTimeout(resolve, maxMs);
      }),
    ]);
    this.timers.clearTimeout(handle);
  }

  /** Judges and stores one click: the round and option when it counted, else the reply that says why not. */
  private async record(request: AnswerRequest): Promise<{ round: QuizRound; option: number } | Reply> {
    const { roundId, index, option } = request;
    const known = roundId && Number.isInteger(index) ? await this.openQuestion(roundId, index) : null;
    const round = known?.round;
    const question = known?.question;
    if (
      !round ||
      round.channelKey !== request.channelKey ||
      !question ||
      !Number.isInteger(option) ||
      option < 0 ||
      option >= question.question.options.length
    ) {
      this.options.metrics?.quizAnswer('unknown');
      return privateText(t(request.lang, 'error.unknownChoice'));
    }
    const now = this.now();
    const postedAt = question.postedAt ?? now;
    // A click is judged by when it reached us, not by when a burst let us get to it: the store compares this time
    // with the deadline, and the points and "fastest" count from it. It cannot be later than now (a clock ahead of
    // ours) nor earlier than the question (its buttons did not exist before).
    const arrivedAt = Math.max(postedAt, Math.min(request.receivedAt, now));
    const correct = option === question.question.answer;
    const outcome = await this.batcher.add({
      roundId: round.id,
      index,
      userId: request.userId,
      displayName: request.displayName,
      option,
      answeredAt: arrivedAt,
      correct,
      points: pointsFor(correct, arrivedAt, postedAt, question.deadlineAt ?? now),
    });
    this.options.metrics?.quizAnswer(outcome === 'duplicate' || outcome === 'closed' ? outcome : 'counted');
    if (outcome === 'duplicate') return privateText(t(request.lang, 'quiz.duplicate'));
    if (outcome === 'closed') return privateText(t(request.lang, 'quiz.closed'));
    return { round, option };
  }

  /** Stops the channel's round: the starter or an admin. Posts the scores so far. */
  async stop(
    channelKey: string,
    userId: string,
    isAdmin: () => Promise<boolean>,
    lang: Lang,
    displayName: string,
  ): Promise<Reply> {
    const { store } = this.options;
    const round = await store.runningRound(channelKey);
    if (!round) throw new UserError('quiz.none');
    if (round.startedBy !== userId && !(await isAdmin())) throw new UserError('quiz.notStarter');
    if (!(await store.finishRound(round.id, 'stopped', this.now()))) throw new UserError('quiz.none');
    this.disarm(round.id, round.current);
    this.forget(round.id);
    const scores = await store.roundScores(round.id);
    return scoreboardReply(t(lang, 'quiz.stopped', { name: neutralizeMentions(displayName) }), scores, lang);
  }

  /**
   * Brings every running round forward from the step it is at: a passed deadline is revealed, a reveal, question
   * or final board that failed is posted again. Rounds backing off after a failure wait for their retry. Runs at
   * start-up, every `sweepMs` after it, and when a test moved the clock; calls during a sweep share it.
   */
  tick(): Promise<void> {
    this.sweeping ??= this.sweep().finally(() => {
      this.sweeping = undefined;
    });
    return this.sweeping;
  }

  private async sweep(): Promise<void> {
    const platforms = this.options.platforms;
    const now = this.now();
    for (const round of await this.options.store.runningRounds()) {
      // Another process runs that platform and carries its rounds on; posting from here could only fail.
      if (platforms && !platforms.includes(platformOf(round.channelKey))) continue;
      if ((this.retries.get(round.id)?.dueAt ?? 0) > now) continue;
      await this.drive(round, () => this.continue(round));
    }
  }

  /**
   * Re-arms deadlines of running rounds after a start-up (deadlines that passed while down are revealed at once),
   * then sweeps them periodically, so a round another process left behind (it died, or its retries ran into an
   * outage) is carried on here.
   */
  async resume(): Promise<void> {
    this.closed = false;
    try {
      await this.tick();
    } finally {
      this.armSweep();
    }
  }

  private armSweep(): void {
    if (this.closed || this.sweepHandle !== undefined) return;
    this.sweepHandle = this.timers.setTimeout(() => {
      this.tick()
        .catch((error: unknown) => this.options.logger.error({ err: error }, 'quiz sweep failed'))
        .finally(() => {
          this.sweepHandle = undefined;
          this.armSweep();
        });
    }, this.options.sweepMs ?? 60_000);
  }

  /** Cancels every pending timer (shutdown). Deadlines live in the store, so the next process re-arms them. */
  close(): void {
    this.closed = true;
    for (const handle of this.armed.values()) this.timers.clearTimeout(handle);
    this.armed.clear();
    for (const retry of this.retries.values()) this.timers.clearTimeout(retry.handle);
    this.retries.clear();
    if (this.sweepHandle !== undefined) this.timers.clearTimeout(this.sweepHandle);
    this.sweepHandle = undefined;
  }

  /**
   * Resolves when every answer accepted so far is stored and the round steps under way (a reveal being posted, a
   * sweep) have ended: a graceful shutdown waits for it before closing the store.
   */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.revealing]);
    await Promise.allSettled([this.sweeping, ...this.lanes.values()]);
    await this.batcher.idle();
  }

  /** Uses a reloaded catalog for new rounds; running rounds keep the questions they were started with. */
  useCatalog(catalog: Catalog, engine: QueryEngine, bank: QuestionBank): void {
    Object.assign(this.options, { catalog, engine, bank });
  }

  /**
   * Runs a step of a round after the steps already queued for it. A step that fails leaves the store where
   * `continue()` picks it up, so it is retried with backoff from there; after the last retry the round is abandoned.
   */
  private drive(round: QuizRound, step: () => Promise<void>): Promise<void> {
    const run = (this.lanes.get(round.id) ?? Promise.resolve()).then(async () => {
      try {
        await step();
        this.forget(round.id);
      } catch (error) {
        await this.failed(round, error);
      }
    });
    this.lanes.set(round.id, run);
    void run.finally(() => {
      if (this.lanes.get(round.id) === run) this.lanes.delete(round.id);
    });
    return run;
  }

  /** Drops a round's backoff: its step went through, or it ended. */
  private forget(roundId: string): void {
    const retry = this.retries.get(roundId);
    if (retry) this.timers.clearTimeout(retry.handle);
    this.retries.delete(roundId);
  }

  private async failed(round: QuizRound, error: unknown): Promise<void> {
    const { logger } = this.options;
    const retry = this.retries.get(round.id) ?? { attempts: 0, dueAt: 0, handle: undefined };
    this.retries.set(round.id, retry);
    this.timers.clearTimeout(retry.handle);
    retry.attempts++;
    let delay = this.retryDelays[retry.attempts - 1];
    if (delay === undefined) {
      try {
        await this.abandon(round, error);
        return;
      } catch (abandonError) {
        // Nothing can be written or posted right now: keep trying (the step itself first, it may go through now).
        logger.error({ err: abandonError, round: round.id }, 'quiz round could not be abandoned');
        delay = this.retryDelays[this.retryDelays.length - 1] ?? 60_000;
      }
    }
    logger.warn(
      { err: error, round: round.id, channel: round.channelKey, attempt: retry.attempts, retryInMs: delay },
      'quiz step failed; retrying',
    );
    if (this.closed) return;
    retry.dueAt = this.now() + delay;
    retry.handle = this.timers.setTimeout(() => {
      retry.handle = undefined;
      void this.drive(round, async () => {
        const current = await this.options.store.getRound(round.id);
        if (current?.status === 'running') await this.continue(current);
      });
    }, delay);
  }

  /** Ends a round whose steps kept failing, with a message in its channel, so the channel can play again. */
  private async abandon(round: QuizRound, error: unknown): Promise<void> {
    const { store, poster, logger } = this.options;
    for (let index = 0; index < round.questionCount; index++) this.disarm(round.id, index);
    this.forget(round.id);
    if (!(await store.finishRound(round.id, 'stopped', this.now()))) return;
    logger.error({ err: error, round: round.id, channel: round.channelKey }, 'quiz round abandoned');
    try {
      const scores = await store.roundScores(round.id);
      await poster.post(
        round.channelKey,
        scoreboardReply(t(round.lang, 'quiz.abandoned'), scores, round.lang),
        `quiz:${round.id}:abandoned`,
      );
    } catch (postError) {
      // The round is over either way; what failed its steps most likely fails this post too.
      logger.error({ err: postError, round: round.id }, 'quiz abandonment message failed');
    }
  }

  /** Brings a running round forward from whatever step it stopped at. */
  private async continue(round: QuizRound): Promise<void> {
    const asked = round.current < round.questionCount;
    const question = asked ? await this.options.store.roundQuestion(round.id, round.current) : null;
    // A question the store does not have can be neither posted nor revealed.
    if (asked && !question) return;
    switch (roundState(round, question)) {
      case 'asking':
        return this.ask(round.current === 0 ? await this.postIntro(round) : round, round.current);
      case 'open':
        if ((question?.deadlineAt ?? 0) <= this.now()) return this.closeQuestion(round, round.current, true);
        return this.arm(round, round.current, question?.deadlineAt ?? this.now());
      case 'revealed':
        return this.afterReveal(round, round.current);
      case 'finalBoard':
        // Every question was revealed and the reviews recorded; the final board is what is left.
        return this.finish(round);
      case 'finished':
      case 'stopped':
        return;
    }
  }

  private timerKey(roundId: string, index: number): string {
    return `${roundId}:${index}`;
  }

  private arm(round: QuizRound, index: number, deadlineAt: number): void {
    const key = this.timerKey(round.id, index);
    if (this.armed.has(key)) return;
    const handle = this.timers.setTimeout(
      () => {
        this.armed.delete(key);
        void this.drive(round, () => this.closeQuestion(round, index, true));
      },
      Math.max(0, deadlineAt - this.now()),
    );
    this.armed.set(key, handle);
  }

  private disarm(roundId: string, index: number): void {
    const key = this.timerKey(roundId, index);
    const handle = this.armed.get(key);
    if (handle !== undefined) this.timers.clearTimeout(handle);
    this.armed.delete(key);
  }

  /** Posts question `index` (idempotent per round and index) and arms its deadline. */
  private async ask(round: QuizRound, index: number): Promise<void> {
    const { store, poster } = this.options;
    const question = await store.roundQuestion(round.id, index);
    if (!question) return;
    const postedAt = this.now();
    const deadlineAt = postedAt + round.secondsPerQuestion * 1000;
    const reply = questionReply(
      round.id,
      index,
      round.questionCount,
      question.question,
      round.secondsPerQuestion,
      round.lang,
    );
    const posted = await poster.post(
      round.channelKey,
      this.inRound(round, reply),
      `quiz:${round.id}:${index}:question`,
    );
    await store.markQuestionPosted(round.id, index, posted.messageId, postedAt, deadlineAt);
    const stored = await store.roundQuestion(round.id, index);
    this.arm(round, index, stored?.deadlineAt ?? deadlineAt);
  }

  /**
   * The cached facts of a posted question, loaded from the store once (any process may have posted it). The promise
   * itself is cached, so a burst of clicks arriving together shares one load.
   */
  private openQuestion(roundId: string, index: number): Promise<OpenQuestion | null> {
    const key = this.timerKey(roundId, index);
    const cached = this.open.get(key);
    if (cached) return cached;
    const { store } = this.options;
    const loading = (async () => {
      const round = await store.getRound(roundId);
      const question = round ? await store.roundQuestion(roundId, index) : null;
      if (!round || !question) return null;
      return { round, question, waiting: null };
    })();
    this.open.set(key, loading);
    // Only a posted question's times are final; anything else is looked up again next time.
    loading.then(
      (entry) => {
        if (entry?.question.postedAt == null) this.open.delete(key);
      },
      () => this.open.delete(key),
    );
    return loading;
  }

  /**
   * When the question is revealed now that `userId` answered: at the `deadline` only (the first question, which
   * nobody played before), once the earlier players still `waiting` have answered, or now: this press `closes` it
   * (it took the last one out), or it came after the press that did (`closing`).
   */
  private async revealAfterPress(
    round: QuizRound,
    index: number,
    userId: string,
  ): Promise<'deadline' | 'waiting' | 'closes' | 'closing'> {
    const { store } = this.options;
    const entry = await this.open.get(this.timerKey(round.id, index));
    if (!entry) return 'deadline';
    entry.waiting ??= (async () => {
      const players = await store.participantsBefore(round.id, index);
      const answered = new Set((await store.answers(round.id, index)).map((a) => a.userId));
      // No earlier players (the first question): nobody to wait for, so only the deadline reveals.
      return players.length === 0 ? null : new Set(players.filter((p) => !answered.has(p)));
    })();
    const waitingFor = await entry.waiting;
    if (!waitingFor) return 'deadline';
    if (entry.closing) return 'closing';
    waitingFor.delete(userId);
    if (waitingFor.size > 0) return 'waiting';
    entry.closing = true;
    return 'closes';
  }

  /**
   * Closes a question exactly once (across processes), then reveals it and moves on. At the deadline, the clicks
   * this process is still recording go first: under a burst they arrived in time but are processed after it.
   */
  private async closeQuestion(round: QuizRound, index: number, atDeadline = false): Promise<void> {
    const { store } = this.options;
    this.disarm(round.id, index);
    if (atDeadline) await this.recorded(this.timerKey(round.id, index), RECORDING_WAIT_MS);
    this.open.delete(this.timerKey(round.id, index));
    const current = await store.getRound(round.id);
    if (current?.status !== 'running' || current.current !== index) return;
    if (!(await store.revealQuestion(round.id, index, this.now()))) return;
    await this.afterReveal(current, index);
  }

  /** Posts the reveal and the next question or the final scores. Safe to repeat: every post has its own key. */
  private async afterReveal(round: QuizRound, index: number): Promise<void> {
    const { store, poster, catalog } = this.options;
    const question = await store.roundQuestion(round.id, index);
    if (!question) return;
    const answers = await store.answers(round.id, index);
    const toolName = question.question.toolId
      ? (catalog.toolById.get(question.question.toolId)?.name ?? null)
      : null;
    const replaces = question.messageId
      ? { channelKey: round.channelKey, messageId: question.messageId }
      : undefined;
    const reveal = revealReply(
      round.id,
      index,
      round.questionCount,
      question.question,
      answers,
      question.postedAt ?? 0,
      round.lang,
      replaces,
      toolName,
    );
    await poster.post(round.channelKey, this.inRound(round, reveal), `quiz:${round.id}:${index}:reveal`);
    // Another process (or this one, resumed after a restart) may reach this point for the same question. Only the
    // caller that moves the round on records the reviews and continues, so a missed question counts once. A crash
    // between the move and the reviews loses that question's reviews; the round itself carries on. After the last
    // question the round moves past it (current = questionCount) and stays running until its final board is
    // posted, so a failed board is retried from the store like any other step.
    if (!(await store.advanceRound(round.id, index + 1))) return;
    await recordReviews(store, round, question.question, answers, this.now());
    // The round goes on whatever the question's record says: a store error here is logged, not a stalled round.
    try {
      const paused = await pauseIfDue(store, round.channelKey, question.question, this.now());
      if (paused)
        this.options.logger.info(
          { channel: round.channelKey, question: question.question.questionId, reason: paused },
          'question paused',
        );
    } catch (error) {
      this.options.logger.warn({ channel: round.channelKey, err: error }, 'question record check failed');
    }
    const next = { ...round, current: index + 1 };
    if (next.current < round.questionCount) await this.ask(next, next.current);
    else await this.finish(next);
  }

  /**
   * Posts the final board (idempotent per round) and, for a round in a thread, one summary back in the channel
   * (the winner, the top scores and the hardest question), then ends the round.
   */
  private async finish(round: QuizRound): Promise<void> {
    const { store, poster } = this.options;
    const scores = await store.roundScores(round.id);
    await poster.post(
      round.channelKey,
      this.inRound(round, scoreboardReply(t(round.lang, 'quiz.final'), scores, round.lang)),
      `quiz:${round.id}:final`,
    );
    if (round.threadAnchor) {
      const questions: QuestionOutcome[] = [];
      for (let index = 0; index < round.questionCount; index++) {
        const question = await store.roundQuestion(round.id, index);
        if (!question) continue;
        const answers = await store.answers(round.id, index);
        questions.push({
          question,
          correct: answers.filter((a) => a.correct).length,
          answered: answers.length,
        });
      }
      await poster.post(round.channelKey, summaryReply(round, scores, questions), `quiz:${round.id}:summary`);
    }
    await store.finishRound(round.id, 'finished', this.now());
  }
}
