// Every button the bot makes, one line an action: a new action is its own file in this folder and its line here
// (tests/architecture.test.ts holds that every file is listed). src/actions/registry.ts finds and runs them.

export { homeLessonDone } from './home-lesson-done.ts';
export { homeLessonOpen } from './home-lesson-open.ts';
export { lessonDone } from './lesson-done.ts';
export { lessonOpen } from './lesson-open.ts';
export { lessonQuiz } from './lesson-quiz.ts';
export { quizAnswer } from './quiz-answer.ts';
export { quizMe } from './quiz-me.ts';
export { quizPick } from './quiz-pick.ts';
export { quizReport } from './quiz-report.ts';
export { reviewAnswer } from './review-answer.ts';
export { reviewStart } from './review-start.ts';
export { settingsOpen } from './settings-open.ts';
