import { withParticle } from './particles.ts';

/** The two languages every user-facing text exists in. */
export type Lang = 'ko' | 'en';

export const LANGS: readonly Lang[] = ['ko', 'en'];

/** True for a supported language code. */
export function isLang(value: unknown): value is Lang {
  return value === 'ko' || value === 'en';
}

// One entry per message, both languages side by side so a missing translation is a type error.
const MESSAGES = {
  'card.category': { en: 'Category', ko: '카테고리' },
  'card.maturity': { en: 'CNCF maturity', ko: 'CNCF 성숙도' },
  'card.aliases': { en: 'Also known as', ko: '다른 이름' },
  'card.concepts': { en: 'Key concepts', ko: '핵심 개념' },
  'card.useCases': { en: 'Typical use cases', ko: '주요 사용 사례' },
  'card.whenToPick': { en: 'When to pick it', ko: '언제 고르나요' },
  'card.firstStep': { en: 'First hands-on step', ko: '첫 실습' },
  'card.related': { en: 'Related', ko: '관련 도구' },
  'card.homepage': { en: 'Homepage', ko: '홈페이지' },
  'card.repository': { en: 'Repository', ko: '저장소' },
  'card.docs': { en: 'Docs', ko: '문서' },
  'card.landscapeSource': {
    en: 'From the CNCF landscape ({category} / {subcategory}); not in the curated study catalog.',
    ko: 'CNCF 랜드스케이프 항목이에요 ({category} / {subcategory}). 스터디 카탈로그에서 직접 다루는 도구는 아니에요.',
  },
  'card.noDescription': {
    en: 'The landscape has no description for this item; see its homepage.',
    ko: '랜드스케이프에 설명이 없는 항목이에요. 홈페이지를 참고해 주세요.',
  },
  'card.descriptionLang': {
    en: 'Description (from the landscape, in English)',
    ko: '설명 (랜드스케이프 원문, 영어)',
  },
  'maturity.graduated': { en: 'Graduated', ko: '졸업 (Graduated)' },
  'maturity.incubating': { en: 'Incubating', ko: '인큐베이팅 (Incubating)' },
  'maturity.sandbox': { en: 'Sandbox', ko: '샌드박스 (Sandbox)' },
  'maturity.archived': { en: 'Archived', ko: '보관됨 (Archived)' },
  'maturity.none': { en: 'Not a CNCF project', ko: 'CNCF 프로젝트 아님' },
  'category.heading': { en: 'Category: {name}', ko: '카테고리: {name}' },
  'category.count': {
    en: '{count#tool|tools} in this category.',
    ko: '이 카테고리에는 도구가 {count}개 있어요.',
  },
  'category.more': {
    en: '…and {count} more from the CNCF landscape.',
    ko: '…그리고 CNCF 랜드스케이프 항목이 {count}개 더 있어요.',
  },
  'category.hint': {
    en: 'Ask `/orch <tool>` for a card.',
    ko: '`/orch <도구 이름>`으로 자세히 볼 수 있어요.',
  },
  'compare.heading': { en: 'Compare: {names}', ko: '비교: {names}' },
  'compare.hint': {
    en: 'Ask `/orch <tool>` for the full card of either.',
    ko: '각 도구의 전체 카드는 `/orch <도구 이름>`으로 볼 수 있어요.',
  },
  'search.heading': { en: 'Tools matching "{query}"', ko: '"{query}"에 맞는 도구' },
  'notFound.heading': { en: 'Nothing found for "{query}"', ko: '"{query}"에 대한 결과가 없어요' },
  'notFound.didYouMean': { en: 'Did you mean {names}?', ko: '혹시 이걸 찾으셨나요? {names}' },
  'notFound.hint': {
    en: 'Try a tool name (`/orch istio`), a category (`/orch service mesh`) or `/orch help`.',
    ko: '도구 이름(`/orch 이스티오`), 카테고리(`/orch 서비스 메시`) 또는 `/orch 도움말`을 입력해 보세요.',
  },
  'help.heading': { en: 'orch: your orchestration study buddy', ko: 'orch: 오케스트레이션 스터디 도우미' },
  'help.intro': {
    en: 'Ask about a cloud-native tool in English or Korean. Typos and Korean spellings are fine.',
    ko: '클라우드 네이티브 도구를 한국어나 영어로 물어보세요. 오타나 한글 표기도 알아들어요.',
  },
  'help.lang': {
    en: 'Add `--lang en` or `--lang ko` to pick the answer language.',
    ko: '`--lang ko` 또는 `--lang en`으로 답할 언어를 고를 수 있어요.',
  },
  'categories.heading': { en: 'Categories', ko: '카테고리' },
  'error.apology': {
    en: 'Sorry, something went wrong while answering that. Please try again.',
    ko: '죄송해요, 답을 만드는 중에 문제가 생겼어요. 다시 시도해 주세요.',
  },
  'error.badLang': {
    en: 'Unknown language "{value}": use `ko` or `en`.',
    ko: '알 수 없는 언어예요: "{value}". `ko`나 `en`을 써 주세요.',
  },
  'error.unknownCommand': {
    en: 'Unknown command "{name}". See `/orch help`.',
    ko: '알 수 없는 명령어예요: "{name}". `/orch 도움말`을 확인해 주세요.',
  },
  'error.unknownOption': {
    en: 'Unknown option "{name}". The only option is `--lang ko|en`.',
    ko: '알 수 없는 옵션이에요: "{name}". 쓸 수 있는 옵션은 `--lang ko|en`뿐이에요.',
  },
  'error.tooLong': {
    en: 'That question is too long ({length#character|characters}; the limit is {max}).',
    ko: '질문이 너무 길어요. {max}자까지 받을 수 있는데 {length}자예요.',
  },
  'stage.theory': { en: 'Theory', ko: '이론' },
  'stage.hands-on': { en: 'Hands-on', ko: '실습' },
  'stage.project': { en: 'Project', ko: '프로젝트' },
  'stage.case-study': { en: 'Case study', ko: '사례 분석' },
  'lesson.heading': { en: 'Lesson {number}/{total}: {title}', ko: '{number}강: {title} (전체 {total}강)' },
  'lesson.track': { en: 'Track', ko: '트랙' },
  'lesson.stage': { en: 'Stage', ko: '단계' },
  'lesson.goal': { en: 'Goal', ko: '목표' },
  'lesson.points': { en: 'Key points', ko: '핵심 내용' },
  'lesson.commands': { en: 'Try it', ko: '직접 해 보기' },
  'lesson.tools': { en: 'Related tools', ko: '관련 도구' },
  'lesson.check': { en: 'Check yourself', ko: '스스로 확인하기' },
  'lesson.answerHint': {
    en: 'See the answer with `/orch lesson {number} answer`. Press Done when you have finished.',
    ko: '정답은 `/orch 레슨 {number} 정답`으로 볼 수 있어요. 다 했으면 완료를 눌러 주세요.',
  },
  'lesson.answer': { en: 'Answer', ko: '정답' },
  'lesson.done': { en: 'Done', ko: '완료' },
  'lesson.scheduled': { en: "Today's lesson", ko: '오늘의 레슨' },
  'lesson.outOfRange': {
    en: 'There is no lesson {value}: the roadmap has lessons 1 to {total}.',
    ko: '"{value}"에 해당하는 레슨이 없어요. 로드맵에는 1강부터 {total}강까지 있어요.',
  },
  'lesson.finished': {
    en: 'This channel has finished the roadmap: every lesson is posted ({total} in all). 🎉',
    ko: '이 채널은 로드맵을 모두 마쳤어요. 레슨 {total}개를 전부 올렸어요. 🎉',
  },
  'done.recorded': {
    en: 'Lesson {number} marked done. Streak: {streak#lesson|lessons}. Done so far: {done}/{total}.',
    ko: '{number}강을 완료로 기록했어요. 지금까지 레슨 {total}개 중 {done}개를 완료했고, 연속 학습은 {streak}개째예요.',
  },
  'done.already': {
    en: 'You had already marked lesson {number} done.',
    ko: '{number}강은 이미 완료로 기록되어 있어요.',
  },
  'roadmap.heading': { en: 'Study roadmap', ko: '스터디 로드맵' },
  'roadmap.progress': { en: 'Channel progress', ko: '채널 진도' },
  'roadmap.next': { en: 'Next: lesson {number}, {title}', ko: '다음 레슨: {number}강 {title}' },
  'roadmap.track': { en: '{marker} {title} (lessons {from}-{to})', ko: '{marker} {title} ({from}~{to}강)' },
  'roadmap.resources': { en: 'Recommended resources', ko: '추천 자료' },
  'roadmap.setDone': {
    en: 'The next lesson for this channel is now lesson {number}: {title}.',
    ko: '이 채널의 다음 레슨을 {number}강({title})으로 바꿨어요.',
  },
  'progress.heading': { en: 'Your progress in this channel', ko: '이 채널에서 내 진도' },
  'progress.done': { en: 'Lessons done', ko: '완료한 레슨' },
  'progress.streak': { en: 'Current streak', ko: '현재 연속 학습' },
  'progress.best': { en: 'Best streak', ko: '최고 연속 학습' },
  'progress.last': { en: 'Last done', ko: '마지막 완료' },
  'progress.none': { en: 'none yet', ko: '아직 없음' },
  'progress.lessons': { en: '{count#lesson|lessons} in a row', ko: '레슨 {count}개 연속' },
  'schedule.set': {
    en: 'Scheduled: {rule}. Lesson {lesson} comes next, on {next}.',
    ko: '일정을 정했어요: {rule}. 다음 레슨({lesson}강)은 {next}에 올라와요.',
  },
  'schedule.show': {
    en: 'Schedule: {rule}{paused}. Next: {next}. Holidays skipped: {holidays}.',
    ko: '일정: {rule}{paused}. 다음 게시: {next}. 공휴일 건너뛰기: {holidays}.',
  },
  'schedule.none': {
    en: 'This channel has no schedule. Example: `/orch schedule weekdays 09:00 Asia/Seoul`.',
    ko: '이 채널에는 일정이 없어요. 예: `/orch 일정 평일 09:00 Asia/Seoul`',
  },
  'schedule.pausedNote': { en: ' (paused)', ko: ' (일시정지 중)' },
  'schedule.paused': {
    en: 'Paused. Lessons resume with `/orch schedule resume`.',
    ko: '일시정지했어요. `/orch 일정 재개`로 다시 시작할 수 있어요.',
  },
  'schedule.resumed': {
    en: 'Resumed. Next lesson on {next}.',
    ko: '다시 시작했어요. 다음 레슨은 {next}에 올라와요.',
  },
  'schedule.off': {
    en: 'Schedule removed. Your place in the roadmap is kept.',
    ko: '일정을 지웠어요. 로드맵 진도는 그대로 남아 있어요.',
  },
  'schedule.holidaysOn': {
    en: 'Public holidays in {country} will be skipped; the lesson moves to the next scheduled day.',
    ko: '{country} 공휴일에는 레슨을 건너뛰고 다음 일정으로 미뤄요.',
  },
  'schedule.holidaysOff': { en: 'Holidays are no longer skipped.', ko: '이제 공휴일에도 레슨을 올려요.' },
  'schedule.off.none': { en: 'off', ko: '안 함' },
  'schedule.never': { en: 'not scheduled', ko: '예정 없음' },
  'schedule.bad': {
    en: 'I could not read that schedule ("{detail}"). Examples: `daily 21:30`, `weekdays 09:00 Asia/Seoul`, `mon,wed,fri 08:00`, `every day at 9pm`, or a cron expression such as `30 21 * * 1-5`. Nothing was changed.',
    ko: '일정을 이해하지 못했어요 ("{detail}"). `매일 21:30`, `평일 09:00 Asia/Seoul`, `월,수,금 08:00`, `매일 오후 9시`처럼 쓰거나 `30 21 * * 1-5` 같은 cron 식을 써 주세요. 아무것도 바꾸지 않았어요.',
  },
  'schedule.badZone': {
    en: 'Unknown time zone "{detail}". Use an IANA name such as `Asia/Seoul`, `Europe/Berlin` or `America/New_York`. Nothing was changed.',
    ko: '알 수 없는 시간대예요: "{detail}". `Asia/Seoul`, `Europe/Berlin`, `America/New_York` 같은 IANA 이름을 써 주세요. 아무것도 바꾸지 않았어요.',
  },
  'schedule.badCountry': {
    en: 'Unknown country code "{detail}". Use a two-letter code such as `KR`, `US` or `DE`, or `off`. Nothing was changed.',
    ko: '알 수 없는 국가 코드예요: "{detail}". `KR`, `US`, `DE` 같은 두 글자 코드나 `끄기`를 써 주세요. 아무것도 바꾸지 않았어요.',
  },
  'lang.set': { en: 'This channel now gets answers in English.', ko: '이 채널은 이제 한국어로 답해요.' },
  'lang.auto': {
    en: 'Language set back to automatic (Korean for Hangul questions).',
    ko: '언어를 자동으로 되돌렸어요. 한글로 물으면 한국어로 답해요.',
  },
  'lang.show': {
    en: 'Channel language: {lang}. Change it with `/orch lang ko|en|auto`.',
    ko: '이 채널의 언어는 {lang:이에요}. `/orch 언어 한국어|영어|자동`으로 바꿀 수 있어요.',
  },
  'lang.automatic': { en: 'automatic', ko: '자동' },
  'error.adminOnly': {
    en: 'Sorry, only channel admins can change {what}. Ask an admin, or use `/orch {command} show` to see the current setting.',
    ko: '죄송해요, {what} 변경은 채널 관리자만 할 수 있어요. 관리자에게 부탁하거나 `/orch {command} show`로 지금 설정을 확인해 주세요.',
  },
  'admin.only': {
    en: 'Sorry, only admins can reload the catalog. Nothing was changed.',
    ko: '죄송해요, 카탈로그 다시 읽기는 관리자만 할 수 있어요. 아무것도 바뀌지 않았어요.',
  },
  'admin.reloaded': {
    en: 'Catalog reloaded: {tools#tool|tools}, {lessons#lesson|lessons}, {questions#quiz question|quiz questions}.',
    ko: '카탈로그를 다시 읽었어요: 도구 {tools}개, 레슨 {lessons}개, 퀴즈 문제 {questions}개.',
  },
  'admin.rejected': {
    en: 'The catalog has {count#problem|problems}, so the last good catalog stays in service:\n{problems}',
    ko: '카탈로그에 문제가 {count}개 있어서 마지막 정상 카탈로그를 계속 써요:\n{problems}',
  },
  'admin.unavailable': {
    en: 'This process cannot reload the catalog.',
    ko: '이 프로세스는 카탈로그를 다시 읽을 수 없어요.',
  },
  'what.schedule': { en: 'the schedule', ko: '일정' },
  'what.lang': { en: 'the language', ko: '언어' },
  'what.position': { en: 'the roadmap position', ko: '로드맵 진도' },
  'error.unknownChoice': { en: 'That button is no longer active.', ko: '더 이상 쓸 수 없는 버튼이에요.' },
  'quiz.intro': {
    en: 'Quiz time! {count#question|questions} on {topic}, {seconds#second|seconds} each. Answer with the buttons; your first answer counts.',
    ko: '퀴즈 시작! {topic} 관련 {count}문제, 문제당 {seconds}초예요. 버튼으로 답해 주세요. 처음 누른 답만 인정돼요.',
  },
  'quiz.topicAll': { en: 'everything', ko: '전체 범위' },
  'quiz.topicImported': { en: 'the imported CNCF question set', ko: '가져온 CNCF 문제 세트' },
  'quiz.question': { en: 'Question {number}/{total}', ko: '문제 {number}/{total}' },
  'quiz.deadline': { en: '{seconds#second|seconds} to answer.', ko: '{seconds}초 안에 답해 주세요.' },
  'quiz.received': {
    en: 'Got it: you answered {option}. The answer is revealed when time is up.',
    ko: '{option:로} 답했어요. 시간이 끝나면 정답을 공개해요.',
  },
  'quiz.duplicate': {
    en: 'You already answered this question; only your first answer counts.',
    ko: '이미 답한 문제예요. 처음 낸 답만 인정돼요.',
  },
  'quiz.closed': { en: 'This question is closed.', ko: '이미 마감된 문제예요.' },
  'quiz.reveal': { en: 'Answer: {option}', ko: '정답: {option}' },
  'quiz.counts': { en: 'Answers', ko: '답 분포' },
  'quiz.right': { en: 'Right', ko: '정답자' },
  'quiz.nobodyRight': { en: 'nobody this time', ko: '이번엔 없어요' },
  'quiz.fastest': { en: 'Fastest: {name} ({seconds} s)', ko: '가장 빠른 정답: {name} ({seconds}초)' },
  'quiz.learnMore': { en: 'Learn more: `/orch {tool}`', ko: '더 알아보기: `/orch {tool}`' },
  'quiz.final': { en: 'Round over: scores', ko: '라운드 종료: 점수' },
  'quiz.stopped': {
    en: 'Round stopped by {name}. Scores so far:',
    ko: '라운드를 멈췄어요 (멈춘 사람: {name}). 지금까지 점수:',
  },
  'quiz.noScores': { en: 'Nobody answered.', ko: '아무도 답하지 않았어요.' },
  'quiz.scoreLine': {
    en: '{rank}. {name}: {points#point|points} ({correct}/{answered} right)',
    ko: '{rank}. {name}: {points}점 ({answered}문제 중 {correct}개 정답)',
  },
  'quiz.running': {
    en: 'A round is already running in this channel. `/orch quiz stop` ends it (the starter or an admin).',
    ko: '이 채널에서 이미 라운드가 진행 중이에요. 라운드를 시작한 사람이나 관리자가 `/orch 퀴즈 그만`으로 끝낼 수 있어요.',
  },
  'quiz.none': { en: 'No round is running in this channel.', ko: '이 채널에서 진행 중인 라운드가 없어요.' },
  'quiz.notStarter': {
    en: 'Only the member who started the round or an admin can stop it.',
    ko: '라운드를 시작한 사람이나 관리자만 멈출 수 있어요.',
  },
  'quiz.unknownTopic': {
    en: 'There is no quiz on "{topic}". Try a tool (`istio`), a category (`service mesh`), a roadmap track (`kubernetes-basics`) or `today`.',
    ko: '"{topic}" 주제의 퀴즈는 없어요. 도구(`이스티오`), 카테고리(`서비스 메시`), 로드맵 트랙(`kubernetes-basics`)이나 `오늘`로 해 보세요.',
  },
  'quiz.noQuestions': {
    en: 'There are no questions on that topic yet.',
    ko: '그 주제의 문제가 아직 없어요.',
  },
  'quiz.started': { en: 'Round started.', ko: '라운드를 시작했어요.' },
  'quiz.me': { en: 'Quiz me on this', ko: '이 레슨으로 퀴즈' },
  'quiz.abandoned': {
    en: 'This round had to be abandoned: the bot could not post its next step for several minutes. Scores so far:',
    ko: '몇 분 동안 다음 단계를 올리지 못해서 이 라운드를 중단했어요. 지금까지 점수:',
  },
  'leaderboard.all': { en: 'Leaderboard: all time', ko: '순위: 전체 기간' },
  'progress.quiz': { en: 'Quiz answers', ko: '퀴즈 기록' },
  'progress.quizValue': {
    en: '{correct}/{answered} right, {points#point|points}',
    ko: '{answered}문제 중 {correct}개 정답, {points}점',
  },
  'progress.reviews': { en: 'Reviews due', ko: '복습할 문제' },
  'progress.reviewsValue': { en: '{count} (`/orch review`)', ko: '{count}개 (`/orch 복습`)' },
  'review.heading': {
    en: 'Review: question {number} of {total} due',
    ko: '복습: 오늘 {total}문제 중 {number}번째',
  },
  'review.none': {
    en: 'Nothing to review right now. Missed quiz questions come back here on a spaced schedule.',
    ko: '지금 복습할 문제가 없어요. 퀴즈에서 틀린 문제는 간격을 두고 여기에 다시 나와요.',
  },
  'review.right': {
    en: 'Right! Next review of this one: {when}.',
    ko: '정답이에요! 이 문제는 {when}에 다시 볼게요.',
  },
  'review.wrong': {
    en: 'Not quite: the answer is {option}. {explanation} It comes back {when}.',
    ko: '아쉬워요. 정답은 {option:이에요}. {explanation} {when}에 다시 나와요.',
  },
  'error.unknownMenu': {
    en: 'That menu was not sent by this bot, so nothing happened.',
    ko: '이 봇이 보낸 메뉴가 아니라서 아무것도 하지 않았어요.',
  },
  'error.unknownForm': {
    en: 'That form was not sent by this bot, so nothing happened.',
    ko: '이 봇이 보낸 양식이 아니라서 아무것도 하지 않았어요.',
  },
  'error.incompleteRequest': {
    en: 'That request reached the bot incomplete, so nothing happened. Please try again.',
    ko: '요청이 불완전하게 도착해서 아무것도 하지 않았어요. 다시 시도해 주세요.',
  },
  // Leaderboard periods (calendar week and month in the channel's zone) and reply shortening (issue 12, section 6, 8)
  'leaderboard.thisWeek': { en: 'Leaderboard: this week', ko: '순위: 이번 주' },
  'leaderboard.thisMonth': { en: 'Leaderboard: this month', ko: '순위: 이번 달' },
  'leaderboard.resets': {
    en: 'Since {start}, resets in {in} ({at})',
    ko: '{start}부터 집계, {in} 뒤 초기화 ({at})',
  },
  'render.more': { en: '+{count} more: {names}', ko: '외 {count}개 더 있어요: {names}' },
  'render.cut': { en: '(shortened to fit)', ko: '(길어서 줄였어요)' },
  // The console: keys typed to press buttons, and the clock /time moved
  'console.nothingToPress': {
    en: 'Nothing to press: no message here has buttons yet. A number presses a button of the last message that has them.',
    ko: '누를 버튼이 없어요. 숫자를 입력하면 버튼이 있는 마지막 메시지의 버튼을 눌러요.',
  },
  'console.noSuchButton': {
    en: 'There is no button {number}: type a number from 1 to {last}.',
    ko: '{number}번 버튼은 없어요. 1부터 {last} 사이의 숫자를 입력해 주세요.',
  },
  'console.noQuestion': {
    en: 'No quiz question is open, so {letter} answers nothing. Start a round with /orch quiz.',
    ko: '지금 열린 퀴즈 문제가 없어요. 퀴즈는 `/orch 퀴즈`로 시작해요.',
  },
  'console.noSuchOption': {
    en: 'This question has no option {letter}: answer with A to {last}.',
    ko: '이 문제에는 {letter} 보기가 없어요. A부터 {last} 사이에서 골라 주세요.',
  },
  'console.clockAhead': {
    en: 'The console clock is {ahead} ahead of real time: it carries on from where /time left it, so nothing in the store is ever in its future.',
    ko: '콘솔 시계가 실제 시간보다 {ahead} 앞서 있어요. 저장된 기록이 시계보다 미래에 있지 않도록 `/time`으로 옮긴 시간에서 이어 가요.',
  },
  // Quiz receipts that say truly when the answer is revealed
  'quiz.receivedWaiting': {
    en: 'Got it: you answered {option}. The answer is revealed once everyone who played the earlier questions has answered, or when time is up.',
    ko: '{option:로} 답했어요. 앞 문제에 참여한 사람이 모두 답하거나 시간이 끝나면 정답을 공개해요.',
  },
  'quiz.receivedLast': {
    en: 'Got it: you answered {option}. Everyone has answered, so the answer is revealed now.',
    ko: '{option:로} 답했어요. 모두 답해서 바로 정답을 공개해요.',
  },
  // Help card, help topics and usage errors (issue 12: help that shows the whole product).
  'help.group.lookup': { en: 'Look up', ko: '찾아보기' },
  'help.group.study': { en: 'Study plan', ko: '스터디 계획' },
  'help.group.quiz': { en: 'Quizzes', ko: '퀴즈' },
  'help.group.settings': { en: 'Settings and help', ko: '설정과 도움말' },
  'help.topics': {
    en: 'Every form of a command: `/orch help <command>`, e.g. `/orch help schedule`.',
    ko: '명령어의 모든 사용법은 `/orch 도움말 <명령어>`로 볼 수 있어요. 예: `/orch 도움말 일정`.',
  },
  'help.topic.heading': { en: 'Help: {name}', ko: '도움말: {name}' },
  'help.topic.syntax': { en: 'Syntax', ko: '사용법' },
  'help.topic.example': { en: 'Example', ko: '예시' },
  'help.topic.names': { en: 'Names', ko: '부르는 이름' },
  'help.topic.who': { en: 'Who can use it', ko: '사용 권한' },
  'help.topic.everyone': { en: 'everyone', ko: '누구나 쓸 수 있어요' },
  'help.unknownTopic': {
    en: 'There is no command "{value}". Ask about one of: {topics}.',
    ko: '그런 명령어는 없어요 (받은 값: "{value}"). 이 중에서 골라 주세요: {topics}',
  },
  'usage.seeHelp': {
    en: 'Every form of it: `/orch help {command}`.',
    ko: '모든 사용법은 `/orch 도움말 {command}` 명령으로 볼 수 있어요.',
  },
  'usage.toolName': {
    en: 'Name a tool, e.g. `/orch tool envoy`.',
    ko: '도구 이름을 함께 써 주세요. 예: `/orch 도구 엔보이`',
  },
  'usage.compareNames': {
    en: 'Name the tools to compare, e.g. `/orch compare istio linkerd`.',
    ko: '비교할 도구 이름을 써 주세요. 예: `/orch 비교 이스티오 링커디`',
  },
  'usage.searchWords': {
    en: 'Say what the tool should do, e.g. `/orch search distributed key value store`.',
    ko: '찾는 기능을 함께 써 주세요. 예: `/orch 검색 분산 키 값 저장소`',
  },
  'usage.quizCount': {
    en: 'The number of questions must be {min} to {max}, not {value}. Nothing was started.',
    ko: '문제 수는 {min}~{max} 사이여야 해요 (받은 값: {value}). 라운드는 시작하지 않았어요.',
  },
  'usage.quizSeconds': {
    en: 'The time per question must be {min} to {max} seconds, not {value}. Nothing was started.',
    ko: '문제당 시간은 {min}~{max}초 사이여야 해요 (받은 값: {value}). 라운드는 시작하지 않았어요.',
  },
  'usage.lessonWhich': {
    en: 'Unknown lesson "{value}": give a lesson number (1 to {total}), `next`, or nothing for today\'s lesson.',
    ko: '어떤 레슨인지 알 수 없어요 (받은 값: "{value}"). 레슨 번호(1~{total})나 `다음`을 쓰고, 오늘의 레슨은 아무것도 붙이지 않으면 돼요.',
  },
  'usage.lessonWords': {
    en: 'Too many words for one lesson: "{value}". Give one lesson (a number or `next`), then `answer` if you want it.',
    ko: '레슨 하나에 단어가 너무 많아요 (받은 값: "{value}"). 레슨 하나(번호나 `다음`)를 쓰고, 필요하면 `정답`을 붙여 주세요.',
  },
  'usage.roadmapWord': {
    en: 'Unknown roadmap word "{value}": use `/orch roadmap` or `/orch roadmap set <lesson number>`.',
    ko: '로드맵 명령에서 알 수 없는 단어예요 (받은 값: "{value}"). `/orch 로드맵` 또는 `/orch 로드맵 설정 <레슨 번호>`를 써 주세요.',
  },
  'usage.roadmapNumber': {
    en: '`/orch roadmap set` takes one lesson number, 1 to {total}.',
    ko: '`/orch 로드맵 설정` 뒤에는 레슨 번호 하나(1~{total})만 써 주세요.',
  },
  'usage.scheduleExtra': {
    en: 'Unexpected words after the schedule command: "{value}". Nothing was changed.',
    ko: '일정 명령 뒤에 필요 없는 단어가 있어요 (받은 값: "{value}"). 아무것도 바꾸지 않았어요.',
  },
  'usage.holidays': {
    en: '`skip-holidays` takes one country code such as `KR` or `US`, or `off`. Nothing was changed.',
    ko: '`공휴일` 뒤에는 `KR`, `US` 같은 국가 코드 하나나 `off`를 써 주세요. 아무것도 바꾸지 않았어요.',
  },
  'usage.leaderboardPeriod': {
    en: 'Unknown period "{value}": use `week` (the default, from Monday 00:00), `month` or `all`.',
    ko: '기간은 `주간`(기본값, 월요일 0시부터), `월간`, `전체` 중에서 골라 주세요 (받은 값: "{value}").',
  },
  'usage.langValue': {
    en: 'Unknown language "{value}": use `ko`, `en` or `auto`. Nothing was changed.',
    ko: '언어는 `ko`, `en`, `auto` 중 하나만 쓸 수 있어요 (받은 값: "{value}"). 아무것도 바꾸지 않았어요.',
  },
  'usage.adminTask': {
    en: 'Unknown admin task "{value}": use `reload` (read the catalog files again) or `questions` (the questions held out of rounds).',
    ko: '관리 작업은 카탈로그 파일을 다시 읽는 `다시읽기`와 출제 보류 중인 문제를 보는 `문제`예요 (받은 값: "{value}").',
  },
  // Wording (issue 12 §7): texts that had English inside Korean replies.
  'schedule.tooFrequent': {
    en: 'That rule would post more than one lesson within an hour; a schedule posts at most once an hour. Nothing was changed.',
    ko: '한 시간에 레슨이 두 번 이상 올라오는 일정은 만들 수 없어요. 아무것도 바꾸지 않았어요.',
  },
  'person.self': { en: 'you', ko: '나' },
  'console.welcome': {
    en: 'orch console: try `/orch istio`, `이스티오`, `istio vs linkerd`, `/orch roadmap`, `/orch help`. `/time +1d` moves the clock; `/quit` leaves.',
    ko: 'orch 콘솔이에요. `/orch 이스티오`, `이스티오 링커디 비교`, `/orch 로드맵`, `/orch 도움말`을 입력해 보세요. `/time +1d`로 시계를 옮기고, `/quit`으로 나가요.',
  },
  'console.privateNote': { en: '(only you can see this)', ko: '(나에게만 보여요)' },
  'langName.ko': { en: 'Korean', ko: '한국어' },
  'langName.en': { en: 'English', ko: '영어' },
  // Issue 13, engine: advice, honest not-found, unknown side of a comparison, landscape categories
  'advice.heading': { en: 'Choosing: {name}', ko: '고르기: {name}' },
  'advice.roleHeading': { en: 'For that, try {names}', ko: '그 용도라면 {names:을} 써 보세요' },
  'advice.pick': { en: 'Pick it when', ko: '이럴 때 골라요' },
  'advice.landscapeMore': {
    en: 'Also in the CNCF landscape: {names}',
    ko: 'CNCF 랜드스케이프에도 있어요: {names}',
  },
  'advice.hint': {
    en: 'Ask `/orch compare <a> <b>` to put two side by side, or `/orch <tool>` for a card.',
    ko: '`/orch 비교 <도구1> <도구2>`로 나란히 보거나 `/orch <도구 이름>`으로 자세히 볼 수 있어요.',
  },
  'notFound.notCurated': {
    en: '{name} is not in the curated study catalog.',
    ko: '{name:은} 스터디 카탈로그에 없어요.',
  },
  'notFound.notInCatalog': { en: '{name} is not in the catalog.', ko: '{name:은} 카탈로그에 없어요.' },
  'notFound.closest': {
    en: 'Closest here: {names} (same kind of tool: {kind}).',
    ko: '여기서 가장 가까운 도구: {names} (같은 종류: {kind})',
  },
  'notFound.importHint': {
    en: 'An admin can add every CNCF landscape project with `orch catalog import-landscape <url>`.',
    ko: '관리자가 `orch catalog import-landscape <url>` 명령으로 CNCF 랜드스케이프의 모든 프로젝트를 추가할 수 있어요.',
  },
  'compare.missing': { en: '{name} is not in the catalog.', ko: '{name:은} 카탈로그에 없어요.' },
  'categories.landscapeHeading': {
    en: 'CNCF landscape categories ({count})',
    ko: 'CNCF 랜드스케이프 카테고리 ({count}개)',
  },
  // Concept cards (issue 13: concepts are first-class)
  'concept.otherName': { en: 'In Korean', ko: '영어 이름' },
  'concept.learnIn': { en: 'Learn it in', ko: '배우는 곳' },
  'concept.lessonLine': { en: 'Lesson {number}: {title}', ko: '{number}강 {title}' },
  'concept.openLesson': { en: 'Open lesson {number}', ko: '{number}강 열기' },
  'concept.tools': { en: 'Related tools', ko: '관련 도구' },
  'concept.related': { en: 'Concepts', ko: '관련 개념' },
  'concept.quizQuestion': { en: 'Which concept does this describe?', ko: '어떤 개념을 설명하는 걸까요?' },

  // Quiz rounds on the glossary's concepts (issue 13).
  'quiz.topicConcepts': { en: 'concepts', ko: '개념' },

  // Issue 14: buttons have a registry; a value no action reads is refused before anything runs
  'action.malformed': {
    en: 'That button was not made by this bot or its value is damaged, so nothing happened.',
    ko: '이 봇이 만든 버튼이 아니거나 버튼 값이 손상되어서 아무것도 하지 않았어요.',
  },

  // Issue 16 §1: threads keep the channel calm
  'thread.quizName': { en: 'Quiz: {topic}', ko: '퀴즈: {topic}' },
  'thread.lessonName': { en: 'Lesson {number}: {title}', ko: '{number}강 {title}' },
  'thread.lessonWelcome': {
    en: 'Talk about lesson {number} here. The check question and its answer:',
    ko: '{number}강 이야기는 여기서 나눠요. 확인 문제와 정답이에요.',
  },
  'quiz.summaryHeading': { en: 'Quiz on {topic}: round over', ko: '{topic} 퀴즈 라운드가 끝났어요' },
  'quiz.summaryWinner': {
    en: 'Winner: {name} with {points#point|points}',
    ko: '우승: {name} ({points}점)',
  },
  'quiz.summaryNoWinner': { en: 'Nobody scored this time.', ko: '이번에는 점수를 얻은 사람이 없어요.' },
  'quiz.summaryScores': { en: 'Scores', ko: '점수' },
  'quiz.summaryHardest': { en: 'Hardest question', ko: '가장 어려운 문제' },
  'quiz.summaryHardestValue': {
    en: '{question} ({correct} of {answered} right)',
    ko: '{question} ({answered}명 중 {correct}명 정답)',
  },
  'quiz.summaryThread': {
    en: 'The questions and reveals are in the thread.',
    ko: '문제와 정답 공개는 스레드에서 볼 수 있어요.',
  },
  'what.threads': { en: 'the thread setting', ko: '스레드 설정' },
  'settings.show': {
    en: 'Threads: {state}. Quiz rounds and scheduled lessons run in a thread under their first message when on.',
    ko: '스레드: {state}. 켜져 있으면 퀴즈 라운드와 일정에 따라 올라오는 레슨이 첫 메시지 아래 스레드에서 진행돼요.',
  },
  'settings.on': { en: 'on', ko: '켜짐' },
  'settings.off': { en: 'off', ko: '꺼짐' },
  'settings.threadsOn': {
    en: 'Quiz rounds and scheduled lessons in this channel now run in threads.',
    ko: '이제 이 채널의 퀴즈 라운드와 일정에 따른 레슨은 스레드에서 진행돼요.',
  },
  'settings.threadsOff': {
    en: 'Quiz rounds and scheduled lessons in this channel now post in the channel itself.',
    ko: '이제 이 채널의 퀴즈 라운드와 일정에 따른 레슨을 채널에 바로 올려요.',
  },
  'thread.doneReceipt': { en: '✅ {name} finished lesson {number}.', ko: '✅ {number}강 완료: {name}' },
  'usage.settingsValue': {
    en: 'Unknown setting "{value}": use `/orch settings threads on` or `/orch settings threads off`. Nothing was changed.',
    ko: '설정은 `/orch 설정 스레드 켜기` 또는 `/orch 설정 스레드 끄기`로 바꿔요 (받은 값: "{value}"). 아무것도 바꾸지 않았어요.',
  },
  // The settings form (issue 16 §3): `/orch settings`, its fields, the preview of the next posts, a submission.
  'what.settings': { en: 'the settings', ko: '설정' },
  'settings.quizSet': {
    en: 'Quiz rounds started without numbers now ask {count#question|questions} of {seconds#second|seconds} each.',
    ko: '이제 숫자 없이 시작한 라운드는 {count}문제를 문제당 {seconds}초씩 내요.',
  },
  'settingsForm.title': { en: 'Channel settings', ko: '채널 설정' },
  'settingsForm.submit': { en: 'Save', ko: '저장' },
  'settingsForm.none': { en: 'none', ko: '없음' },
  'settingsForm.paused': { en: 'paused', ko: '일시정지' },
  'settingsForm.rule': { en: 'Schedule', ko: '일정' },
  'settingsForm.ruleHint': {
    en: 'When lessons post: `weekdays 09:00`, `mon,wed,fri 08:00`, `평일 오전 9시`, cron `30 21 * * 1-5`. Empty: none.',
    ko: '레슨이 올라오는 때예요: `평일 09:00`, `월수금 오후 9시`, `weekdays 09:00`, 또는 cron 식 `30 21 * * 1-5`. 비우면 일정이 없어요.',
  },
  'settingsForm.rulePlaceholder': { en: 'weekdays 09:00', ko: '평일 09:00' },
  'settingsForm.ruleCommand': { en: '`/orch schedule <rule>`', ko: '`/orch 일정 <규칙>`' },
  'settingsForm.zone': { en: 'Time zone', ko: '시간대' },
  'settingsForm.zoneHint': {
    en: 'The zone the schedule is read in. Another zone: `/orch schedule <rule> <zone>`.',
    ko: '일정을 읽는 시간대예요. 목록에 없는 시간대는 `/orch 일정 <규칙> <시간대>`로 정해요.',
  },
  'settingsForm.zoneCommand': { en: '`/orch schedule <rule> <zone>`', ko: '`/orch 일정 <규칙> <시간대>`' },
  'settingsForm.holidays': { en: 'Skip holidays of', ko: '건너뛸 공휴일' },
  'settingsForm.holidaysHint': {
    en: "No lesson on this country's public holidays: a code such as `KR` or `US`. Empty: none skipped.",
    ko: '이 나라의 공휴일에는 레슨을 올리지 않아요: `KR`, `US` 같은 코드를 써요. 비우면 건너뛰지 않아요.',
  },
  'settingsForm.holidaysCommand': {
    en: '`/orch schedule skip-holidays <KR|US|…|off>`',
    ko: '`/orch 일정 공휴일 <KR|US|…|끄기>`',
  },
  'settingsForm.lang': { en: 'Language', ko: '언어' },
  'settingsForm.langHint': {
    en: 'The answer language; automatic answers Hangul in Korean.',
    ko: '답하는 언어예요. 자동이면 한글 질문에 한국어로 답해요.',
  },
  'settingsForm.langCommand': { en: '`/orch lang ko | en | auto`', ko: '`/orch 언어 ko | en | auto`' },
  'settingsForm.quiz': { en: 'Quiz defaults', ko: '퀴즈 기본값' },
  'settingsForm.quizHint': {
    en: 'A round started without numbers: questions ({countMin}–{countMax}) and seconds per question ({secondsMin}–{secondsMax}), such as `5 30`.',
    ko: '숫자 없이 시작한 라운드의 문제 수({countMin}~{countMax})와 문제당 초({secondsMin}~{secondsMax})예요. 예: `5 30`',
  },
  'settingsForm.quizCommand': {
    en: '`/orch settings quiz <questions> <seconds>`',
    ko: '`/orch 설정 퀴즈 <문제 수> <초>`',
  },
  'settingsForm.quizValue': {
    en: '{count#question|questions}, {seconds} s each',
    ko: '{count}문제, 문제당 {seconds}초',
  },
  'settingsForm.badQuiz': {
    en: 'Write two numbers: questions ({countMin}–{countMax}) and seconds per question ({secondsMin}–{secondsMax}), such as `5 30` (got "{value}"). Nothing was changed.',
    ko: '숫자 두 개를 써 주세요: 문제 수({countMin}~{countMax})와 문제당 초({secondsMin}~{secondsMax}), 예: `5 30` (받은 값: "{value}"). 아무것도 바꾸지 않았어요.',
  },
  'settingsForm.threads': { en: 'Threads', ko: '스레드' },
  'settingsForm.threadsHint': {
    en: 'Quiz rounds and scheduled lessons run in a thread under their first message when on.',
    ko: '켜져 있으면 퀴즈 라운드와 일정에 따른 레슨이 첫 메시지 아래 스레드에서 진행돼요.',
  },
  'settingsForm.threadsCommand': {
    en: '`/orch settings threads on | off`',
    ko: '`/orch 설정 스레드 켜기 | 끄기`',
  },
  'settingsForm.previewHeading': { en: 'The next {count} posts', ko: '다음 게시 {count}개' },
  'settingsForm.previewLine': { en: '{when} · lesson {number}: {title}', ko: '{when} · {number}강: {title}' },
  'settingsForm.previewNoSchedule': {
    en: 'No schedule: lessons are posted only when asked.',
    ko: '일정이 없어서 레슨은 요청할 때만 올라와요.',
  },
  'settingsForm.previewPaused': {
    en: 'The schedule is paused: nothing is posted until it is resumed.',
    ko: '일정이 일시정지되어 있어서 다시 시작할 때까지 아무것도 올라오지 않아요.',
  },
  'settingsForm.previewNone': {
    en: 'Nothing more to post: the roadmap is done, or the rule never fires.',
    ko: '더 올라올 레슨이 없어요. 로드맵을 마쳤거나 규칙이 맞는 때가 없어요.',
  },
  'settingsForm.adminNote': {
    en: 'Change these in the form, or with the commands beside them.',
    ko: '양식이나 옆에 적힌 명령으로 바꿀 수 있어요.',
  },
  'settingsForm.readOnly': {
    en: 'Only channel admins can change these.',
    ko: '설정 변경은 채널 관리자만 할 수 있어요.',
  },
  'settingsForm.fixFields': {
    en: 'Nothing was changed. Fix these fields and submit again:',
    ko: '아무것도 바꾸지 않았어요. 이 항목을 고쳐서 다시 제출해 주세요:',
  },
  'settingsForm.unchanged': {
    en: 'These are the settings already saved, so nothing changed.',
    ko: '이미 저장된 설정과 같아서 바뀐 것이 없어요.',
  },
  'settingsForm.stale': {
    en: 'The settings changed after this form was opened, so nothing was changed. Open `/orch settings` again to see them.',
    ko: '양식을 연 뒤에 설정이 바뀌어서 아무것도 바꾸지 않았어요. `/orch 설정`을 다시 열어 확인해 주세요.',
  },
  'settingsForm.saved': { en: 'Channel settings changed:', ko: '채널 설정을 바꿨어요:' },
  'settingsForm.savedPrivate': { en: 'Saved.', ko: '저장했어요.' },
  'settingsForm.expired': {
    en: 'The settings form could not open in time. Run `/orch settings` again; these are the settings now:',
    ko: '설정 양식을 제때 열지 못했어요. `/orch 설정`을 다시 실행해 주세요. 지금 설정은 이래요:',
  },

  // Issue 16 §2: a personal view (내 공부), Slack's App Home and Discord's `/orch me`
  'me.heading': { en: 'My study', ko: '내 공부' },
  'me.channel': { en: 'Channel {channel}', ko: '{channel} 채널' },
  'me.progress': {
    en: '{done} of {total} lessons done · streak {streak} (best {best})',
    ko: '레슨 {total}개 중 {done}개 완료 · 연속 학습 {streak} (최고 {best})',
  },
  'me.next': { en: 'Next: lesson {number}, {title}', ko: '다음: {number}강 {title}' },
  'me.caughtUp': {
    en: 'You have done every lesson posted here so far.',
    ko: '여기 올라온 레슨을 모두 완료했어요.',
  },
  'me.rank': { en: 'This week: #{rank} with {points#point|points}', ko: '이번 주 {rank}위 ({points}점)' },
  'me.unranked': { en: 'This week: no quiz points yet', ko: '이번 주 퀴즈 점수는 아직 없어요' },
  'me.open': { en: 'Open', ko: '열기' },
  'me.done': { en: 'Done', ko: '완료' },
  'me.settings': { en: 'Channel settings', ko: '채널 설정' },
  'me.reviews': { en: 'Reviews due: {count}', ko: '복습할 문제: {count}개' },
  'me.reviewsIn': { en: 'Reviews due in {space}: {count}', ko: '{space}에서 복습할 문제: {count}개' },
  'me.noReviews': { en: 'No reviews due right now.', ko: '지금 복습할 문제가 없어요.' },
  'me.startReview': { en: 'Start review', ko: '복습 시작' },
  'me.recent': { en: 'Recent quizzes', ko: '최근 퀴즈' },
  'me.result': {
    en: '{topic}: {correct} of {answered} right, {points#point|points} ({when})',
    ko: '{topic}: {answered}문제 중 {correct}개 정답, {points}점 ({when})',
  },
  'me.nothing': {
    en: 'No study channels yet: press Done on a lesson or answer a quiz, and the channel shows up here.',
    ko: '아직 공부한 채널이 없어요. 레슨에서 완료를 누르거나 퀴즈에 답하면 그 채널이 여기에 나와요.',
  },
  'me.moreChannels': {
    en: 'Channels you studied in longer ago are not shown.',
    ko: '오래전에 공부한 채널은 보여 주지 않았어요.',
  },
  'me.updated': { en: 'Updated {when}', ko: '{when}에 새로 고쳤어요' },
  'settings.heading': { en: 'Settings of channel {channel}', ko: '{channel} 채널 설정' },
  'settings.what': { en: 'the channel settings', ko: '채널 설정' },
  'error.personalOnly': {
    en: 'In a direct message only your personal commands work: me, review and tool. Use the others in a server channel.',
    ko: '개인 메시지에서는 내 공부, 복습, 도구 명령만 쓸 수 있어요. 다른 명령은 서버 채널에서 써 주세요.',
  },
  'quizPick.prompt': {
    en: 'Pick a topic for a round of {count#question|questions}, {seconds} s each, or type `/orch quiz <topic>`.',
    ko: '주제를 고르면 {count}문제, 문제당 {seconds}초인 라운드를 열어요. `/orch quiz <주제>`로 입력해도 돼요.',
  },
  'quizPick.placeholder': { en: 'Pick a quiz topic', ko: '퀴즈 주제 고르기' },
  'quizPick.groupGeneral': { en: 'General', ko: '일반' },
  'quizPick.groupTracks': { en: 'Roadmap tracks', ko: '로드맵 트랙' },
  'quizPick.groupCategories': { en: 'Categories', ko: '카테고리' },
  'quizPick.groupTools': { en: 'Tools', ko: '도구' },
  'quizPick.groupLessons': { en: 'Lessons', ko: '레슨' },
  'quizPick.all': { en: 'Everything', ko: '전체' },
  'quizPick.today': { en: "Today's lesson", ko: '오늘의 레슨' },
  'quizPick.concepts': { en: 'Concepts', ko: '개념' },
  'quizPick.imported': { en: 'Imported question set', ko: '가져온 문제 모음' },
  'quizPick.lesson': { en: 'Lesson {number}: {title}', ko: '{number}강: {title}' },
  'explain.heading': { en: 'Tools and concepts in this message', ko: '이 메시지에 나온 도구와 개념' },
  'explain.none': {
    en: 'This message names no tool or concept the catalog knows.',
    ko: '이 메시지에는 카탈로그에 있는 도구나 개념이 나오지 않아요.',
  },
  'explain.more': {
    en: 'For a full card: `/orch tool <name>`.',
    ko: '자세한 카드는 `/orch tool <이름>`으로 볼 수 있어요.',
  },
  'quizMe.heading': { en: 'Just for you: a round on {tools}', ko: '나만 보는 라운드: {tools}' },
  'quizMe.progress': { en: 'Question {number} of {total}', ko: '{total}문제 중 {number}번째' },
  'quizMe.right': { en: 'Right!', ko: '정답이에요!' },
  'quizMe.wrong': {
    en: 'Not quite: the answer is {option}. {explanation}',
    ko: '아쉬워요. 정답은 {option:이에요}. {explanation}',
  },
  'quizMe.done': {
    en: 'That was the round: {correct} of {total} right.',
    ko: '라운드가 끝났어요. {total}문제 중 {correct}문제를 맞혔어요.',
  },
  'quizMe.none': {
    en: 'This message names no catalog tool with questions to ask.',
    ko: '이 메시지에는 문제를 낼 수 있는 카탈로그 도구가 나오지 않아요.',
  },
  'compare.aspect': { en: 'Aspect', ko: '항목' },
  'calendar.name': { en: 'Study lessons', ko: '스터디 레슨 일정' },
  'calendar.about': {
    en: "This channel's roadmap lessons: the latest posted and the coming ones, at the times the schedule posts them (the channel's time zone: {zone}). Public holidays the channel skips have no lesson.",
    ko: '이 채널의 로드맵 레슨 일정이에요. 최근에 올라온 레슨과 앞으로 올라올 레슨을 올라오는 시간에 맞춰 보여 줘요(채널 시간대: {zone}). 쉬기로 한 공휴일에는 레슨이 없어요.',
  },
  'calendar.event': { en: 'Lesson {number}: {title}', ko: '{number}강: {title}' },
  'calendar.channel': { en: 'Channel', ko: '채널' },
  'calendar.adminOnly': {
    en: "Sorry, only channel admins can get the calendar's address: anyone who has it can see the schedule. Ask an admin to share it.",
    ko: '죄송해요, 캘린더 주소는 채널 관리자만 받을 수 있어요. 주소를 아는 사람은 누구나 일정을 볼 수 있거든요. 관리자에게 주소를 알려 달라고 해 주세요.',
  },
  'calendar.show': {
    en: "This channel's study page: {page}\nIts lesson calendar: {url}\nAnyone with these addresses can see the schedule and the leaderboards, so share them only with the group.",
    ko: '스터디 페이지: {page}\n레슨 캘린더: {url}\n주소를 아는 사람은 누구나 일정과 순위를 볼 수 있으니 스터디 멤버에게만 알려 주세요.',
  },
  'calendar.reset': {
    en: 'New addresses.\nThe study page: {page}\nThe lesson calendar: {url}\nThe old ones no longer open; a calendar subscribed to the old address needs removing and subscribing again with this one.',
    ko: '새 주소를 만들었어요.\n스터디 페이지: {page}\n레슨 캘린더: {url}\n예전 주소는 이제 열리지 않아요. 예전 주소로 구독했다면 그 캘린더를 지우고 새 주소로 다시 구독해 주세요.',
  },
  'calendar.howTo': {
    en: 'Add it in Google Calendar with `Other calendars` → `From URL`, in Calendar on a Mac with `File` → `New Calendar Subscription`, in Outlook with `Add calendar` → `Subscribe from web`. Depending on the app, changes show up after a few hours to a day.',
    ko: '구글 캘린더는 `다른 캘린더` → `URL로 추가`, 맥의 캘린더 앱은 `파일` → `새로운 캘린더 구독`, 아웃룩은 `캘린더 추가` → `웹에서 구독`에서 추가하면 돼요. 앱에 따라 몇 시간에서 하루쯤 지나야 새 내용이 보여요.',
  },
  'calendar.noSchedule': {
    en: 'This channel has no schedule yet, so the calendar is empty until one is set: `/orch schedule weekdays 09:00`.',
    ko: '이 채널에는 아직 일정이 없어서 캘린더가 비어 있어요. 일정을 정하면 채워져요: `/orch 일정 평일 09:00`',
  },
  'calendar.noServer': {
    en: 'Calendars are served by the bot on Slack or Discord (the server process); this console serves none.',
    ko: '캘린더는 슬랙이나 디스코드에서 돌아가는 봇(서버 프로세스)이 제공해요. 이 콘솔에서는 제공하지 않아요.',
  },
  'calendar.noPublicUrl': {
    en: "The bot's public address is not set, so there is no calendar address to give yet. Ask the bot's operator to set `ORCH_PUBLIC_URL`.",
    ko: '봇의 공개 주소가 아직 설정되지 않아서 캘린더 주소를 만들 수 없어요. 봇 운영자에게 `ORCH_PUBLIC_URL` 설정을 부탁해 주세요.',
  },
  'digest.heading': {
    en: 'Our week: {from} to {to}',
    ko: '주간 요약: {from} ~ {to}',
  },
  'digest.roadmap': { en: 'Roadmap', ko: '로드맵' },
  'digest.roadmapDone': {
    en: 'Every lesson of the roadmap is posted.',
    ko: '로드맵의 레슨이 모두 올라왔어요.',
  },
  'digest.lessons': { en: 'Lessons last week', ko: '지난주 레슨' },
  'digest.lessonLine': {
    en: 'Lesson {number}: {title}, Done by {done}',
    ko: '{number}강: {title}, {done}명 완료',
  },
  'digest.noLessons': { en: 'No lesson was posted last week.', ko: '지난주에는 올라온 레슨이 없어요.' },
  'digest.quiz': { en: 'Quiz leaderboard', ko: '퀴즈 순위' },
  'digest.scoreLine': {
    en: '{rank}. {name}: {points#point|points} ({correct} of {answered} right)',
    ko: '{rank}. {name}: {points}점 ({answered}문제 중 {correct}문제 정답)',
  },
  'digest.noQuiz': { en: 'Nobody played a quiz last week.', ko: '지난주에는 퀴즈를 푼 사람이 없어요.' },
  'digest.hardest': { en: 'Hardest questions', ko: '가장 어려웠던 문제' },
  'digest.hardLine': {
    en: '{question} ({correct} of {answered} answers right)',
    ko: '{question} (답 {answered}개 중 {correct}개 정답)',
  },
  'digest.improved': {
    en: 'Most improved: {name} ({gain#point|points} more than the week before)',
    ko: '점수가 가장 많이 오른 사람: {name} (그 전 주보다 {gain}점 더)',
  },
  'digest.reviews': {
    en: '{count#review is|reviews are} due this week across the group. `/orch review` shows yours.',
    ko: '이번 주에 스터디 전체가 할 복습은 {count}개예요. 내 복습은 `/orch 복습`으로 볼 수 있어요.',
  },
  'digest.cardReviews': { en: 'Reviews due this week: {count}', ko: '이번 주 복습 {count}개' },
  'digest.cardImproved': {
    en: 'Most improved: {name} (+{gain})',
    ko: '점수가 가장 많이 오른 사람: {name} (+{gain}점)',
  },
  'digest.noReviews': {
    en: 'No review is due this week.',
    ko: '이번 주에는 할 복습이 없어요.',
  },
  'digest.next': { en: 'This week', ko: '이번 주 레슨' },
  'digest.nextLine': {
    en: '{at} · Lesson {number}: {title}',
    ko: '{at} · {number}강: {title}',
  },
  'digest.noNext': { en: 'No lesson is scheduled this week.', ko: '이번 주에는 예정된 레슨이 없어요.' },
  'digest.holiday': { en: '{at}: no lesson ({name})', ko: '{at}: {name:이라} 쉬어요' },
  'digest.zone': { en: 'Times in {zone}.', ko: '시간은 {zone} 기준이에요.' },
  'digest.alt': {
    en: "Weekly digest card, the same as the message's text. Roadmap progress by track and last week's quiz leaderboard:",
    ko: '주간 요약 카드예요. 메시지 본문과 내용이 같아요. 트랙별 로드맵 진도와 지난주 퀴즈 순위:',
  },
  'weekday.0': { en: 'Sunday', ko: '일요일' },
  'weekday.1': { en: 'Monday', ko: '월요일' },
  'weekday.2': { en: 'Tuesday', ko: '화요일' },
  'weekday.3': { en: 'Wednesday', ko: '수요일' },
  'weekday.4': { en: 'Thursday', ko: '목요일' },
  'weekday.5': { en: 'Friday', ko: '금요일' },
  'weekday.6': { en: 'Saturday', ko: '토요일' },
  'digest.when': {
    en: 'The weekly digest is posted in the channel: {rule}.',
    ko: '주간 요약은 채널에 올라가요: {rule}',
  },
  'digest.whenOff': {
    en: 'The weekly digest is off. `/orch digest on` turns it back on.',
    ko: '주간 요약이 꺼져 있어요. `/orch 요약 켜기`로 다시 켤 수 있어요.',
  },
  'digest.set': {
    en: 'The weekly digest will be posted every {rule} (the channel time zone), with its card.',
    ko: '이제 주간 요약을 매주 {rule}(채널 시간대 기준)에 카드와 함께 올릴게요.',
  },
  'digest.turnedOff': {
    en: 'The weekly digest is off. `/orch digest on` turns it back on.',
    ko: '주간 요약을 껐어요. `/orch 요약 켜기`로 다시 켤 수 있어요.',
  },
  'digest.noSchedule': {
    en: 'This channel has no schedule, so there is no weekly digest yet. Set one first: `/orch schedule weekdays 09:00`.',
    ko: '이 채널에는 일정이 없어서 아직 주간 요약이 없어요. 먼저 일정을 정해 주세요: `/orch 일정 평일 09:00`',
  },
  'digest.adminOnly': {
    en: 'Sorry, only channel admins can change the weekly digest. `/orch digest` shows it to you.',
    ko: '죄송해요, 주간 요약 설정은 채널 관리자만 바꿀 수 있어요. 요약 내용은 `/orch 요약`으로 볼 수 있어요.',
  },
  'usage.digest': {
    en: 'I could not read "{value}": use `/orch digest mon 09:00`, `off` or `on`. Nothing was changed.',
    ko: '주간 요약 설정은 `/orch 요약 월 09:00`, `끄기`, `켜기` 중 하나로 써 주세요 (받은 값: "{value}"). 아무것도 바꾸지 않았어요.',
  },
  'page.title': { en: 'Our study group', ko: '우리 스터디' },
  'page.language': { en: 'English', ko: '한국어' },
  'page.calendar': { en: 'Calendar', ko: '캘린더' },
  'page.progress': { en: 'Progress', ko: '진도' },
  'page.progressLine': {
    en: '{posted} of {total} lessons posted ({share}%)',
    ko: '레슨 {total}개 중 {posted}개가 올라왔어요 ({share}%)',
  },
  'page.weekBoard': { en: 'This week', ko: '이번 주 순위' },
  'page.allBoard': { en: 'All time', ko: '전체 순위' },
  'page.noBoard': { en: 'No quiz played yet.', ko: '아직 푼 퀴즈가 없어요.' },
  'page.points': {
    en: '{points#point|points} ({correct} of {answered} right)',
    ko: '{points}점 ({answered}문제 중 {correct}문제 정답)',
  },
  'page.posted': { en: 'posted {at}', ko: '{at}에 올라왔어요' },
  'page.upcoming': { en: 'coming {at}', ko: '{at}에 올라와요' },
  'page.notScheduled': {
    en: 'not scheduled yet',
    ko: '일정 미정',
  },
  'page.holidays': {
    en: 'Holidays without a lesson',
    ko: '레슨을 쉬는 공휴일',
  },
  'page.skipped': { en: 'no lesson: {name}', ko: '{name:이라} 레슨이 없어요' },
  'page.digests': { en: 'Weekly digests', ko: '주간 요약 모음' },
  'page.noDigests': { en: 'No weekly digest yet.', ko: '아직 주간 요약이 없어요.' },
  'page.digestOf': {
    en: 'Weekly digest posted the week of {day}',
    ko: '{day}부터 시작하는 주에 올라온 주간 요약',
  },
  'page.footer': {
    en: 'Times in {zone}. This page is as of {at}; anyone with its address can see it.',
    ko: '시간은 {zone} 기준이에요. {at} 현재 내용이에요. 주소를 아는 사람은 누구나 이 페이지를 볼 수 있어요.',
  },
  'usage.calendar': {
    en: 'Unknown calendar option "{value}": use `/orch calendar` or `/orch calendar reset`. Nothing was changed.',
    ko: '캘린더 명령은 `/orch 캘린더` 또는 `/orch 캘린더 재발급`만 쓸 수 있어요 (받은 값: "{value}"). 아무것도 바꾸지 않았어요.',
  },
  'report.button': { en: '🚩 Report a problem', ko: '🚩 오류 신고' },
  'report.title': { en: 'Report this question', ko: '문제 오류 신고' },
  'report.submit': { en: 'Send report', ko: '신고하기' },
  'report.fallback': {
    en: 'The form could not open here, so pick what is wrong below.',
    ko: '여기서는 신고 양식을 열 수 없어서, 아래에서 이유를 골라 주세요.',
  },
  'report.pick': { en: 'What is wrong with it?', ko: '어떤 점이 잘못됐는지 골라 주세요.' },
  'report.reasonLabel': { en: 'What is wrong?', ko: '어떤 점이 잘못됐나요?' },
  'report.reasonHint': {
    en: 'Pick one: the answer is wrong, more than one answer fits, it is out of date, or it has a typo.',
    ko: '정답이 틀렸는지, 정답이 여러 개인지, 내용이 오래됐는지, 오타가 있는지 하나를 골라 주세요.',
  },
  'report.reason.wrong': { en: 'The answer is wrong', ko: '정답이 틀렸어요' },
  'report.reason.ambiguous': { en: 'More than one answer fits', ko: '정답이 여러 개예요' },
  'report.reason.outdated': { en: 'It is out of date', ko: '내용이 오래됐어요' },
  'report.reason.typo': { en: 'It has a typo', ko: '오타가 있어요' },
  'report.noteLabel': { en: 'Note (optional)', ko: '메모 (선택)' },
  'report.noteHint': {
    en: 'What should it say instead? Up to {max} characters.',
    ko: '어떻게 고치면 좋을지 적어 주세요. {max}자까지 쓸 수 있어요.',
  },
  'report.thanks': {
    en: 'Thanks for the report. The channel admins will see it. (Reason: {reason})',
    ko: '신고해 줘서 고마워요. 채널 관리자가 확인할 거예요. (이유: {reason})',
  },
  'report.pausedNow': {
    en: "Two members have reported it, so it is held out of this channel's rounds until an admin looks at it.",
    ko: '두 명이 신고해서 이 채널에서는 이 문제를 출제 보류했어요. 관리자가 확인할 때까지 라운드에 나오지 않아요.',
  },
  'report.unknown': {
    en: 'That question is not from a round in this channel. Nothing was reported.',
    ko: '이 채널의 라운드에서 나온 문제가 아니에요. 신고는 접수되지 않았어요.',
  },
  'report.notRevealed': {
    en: 'A question can be reported once its answer is revealed. Nothing was reported.',
    ko: '정답이 공개된 뒤에 신고할 수 있어요. 신고는 접수되지 않았어요.',
  },
  'admin.questionsHeading': { en: 'Questions held out of rounds', ko: '출제 보류 중인 문제' },
  'admin.questionsNone': {
    en: "No question is held out of this channel's rounds.",
    ko: '이 채널에서 출제 보류 중인 문제는 없어요.',
  },
  'admin.questionsRule': {
    en: 'A question is held out when two members report it, or when at least 20 players have answered it and fewer than 10% or more than 95% got it right.',
    ko: '두 명이 신고하거나, 20명 이상이 풀었는데 정답률이 10% 미만이거나 95%를 넘으면 출제 보류돼요.',
  },
  'admin.questionsReported': { en: 'Reported once, still asked', ko: '한 번 신고됐고 계속 출제 중인 문제' },
  'admin.questionWhy.reports': { en: 'reported by two members', ko: '두 명이 신고' },
  'admin.questionWhy.hard': { en: 'almost nobody gets it right', ko: '거의 아무도 못 맞히는 문제' },
  'admin.questionWhy.easy': { en: 'almost everybody gets it right', ko: '거의 모두 맞히는 문제' },
  'admin.questionRecord': {
    en: '{players#player|players}, {share}% right, median answer {median}',
    ko: '{players}명 풀이 · 정답률 {share}% · 답하는 데 걸린 시간 중앙값 {median}',
  },
  'admin.questionNoRecord': { en: 'no answers yet', ko: '아직 푼 사람이 없어요' },
  'admin.questionSeconds': { en: '{seconds} s', ko: '{seconds}초' },
  'admin.questionGenerated': { en: 'generated from the catalog', ko: '카탈로그에서 자동으로 만든 문제' },
  'admin.questionImported': { en: 'from the imported question set', ko: '가져온 문제 세트에 있는 문제' },
  'admin.questionGone': { en: 'no longer in the catalog', ko: '지금 카탈로그에는 없는 문제' },
  'admin.questionReportLine': { en: 'Report: {reason}', ko: '신고: {reason}' },
  'admin.questionsResume': {
    en: 'Fix a question in its file and it is asked again as soon as the catalog is reloaded. To ask one again as it is: `/orch admin questions resume <id>`.',
    ko: '문제 파일을 고치고 카탈로그를 다시 읽으면(`/orch 관리 다시읽기`) 바로 다시 출제돼요. 고치지 않고 그대로 출제하려면 `/orch 관리 문제 재개 <id>`를 입력해 주세요.',
  },
  'admin.questionResumed': {
    en: "Question `{id}` is asked in this channel's rounds again.",
    ko: '`{id}` 문제를 이 채널의 라운드에 다시 출제해요.',
  },
  'admin.questionNotHeld': {
    en: 'Question `{id}` is not held out in this channel. Nothing was changed.',
    ko: '`{id}` 문제는 이 채널에서 출제 보류 중이 아니에요. 아무것도 바꾸지 않았어요.',
  },
  'admin.questionsOnly': {
    en: 'Sorry, only channel admins can see and resume held-out questions. Nothing was changed.',
    ko: '죄송해요, 출제 보류 중인 문제를 보거나 다시 출제하는 건 채널 관리자만 할 수 있어요. 아무것도 바꾸지 않았어요.',
  },
  'pace.reviewDay': { en: 'Review day', ko: '복습하는 날' },
  'pace.reviewHeading': {
    en: 'Today we go over the last lessons instead of a new one',
    ko: '오늘은 새 레슨 대신 지난 레슨을 복습해요',
  },
  'pace.reviewWhy': {
    en: "Of {possible} possible Done presses on these lessons, active members made {done} ({share}%), under this channel's {percent}%. Active members are the {active} who pressed Done here in the last four weeks and are not on a pause.",
    ko: '활동 멤버 {active}명이 이 레슨들에서 누를 수 있는 완료 {possible}번 중 {done}번({share}%)만 눌러서, 이 채널 기준 {percent}%에 못 미쳤어요. 활동 멤버는 최근 4주 동안 여기서 완료를 누른 적이 있고 지금 일시정지 중이 아닌 멤버예요.',
  },
  'pace.reviewWhyOverride': {
    en: 'A channel admin made this slot a review day instead of a lesson.',
    ko: '채널 관리자가 이번 레슨 대신 복습하는 날로 정했어요.',
  },
  'pace.open': { en: 'Lesson {number}', ko: '{number}강 열기' },
  'pace.quiz': { en: 'Quiz on lesson {number}', ko: '{number}강 퀴즈' },
  'pace.nextLesson': {
    en: 'Lesson {number}, {title}, comes at the next slot.',
    ko: '다음 게시 때는 {number}강 {title:이} 올라와요.',
  },
  'pace.status': {
    en: 'Group pace is on: when active members have pressed Done on fewer than {percent}% of what they could on the last two lessons, the next slot is a review day instead of a new lesson (never two in a row).',
    ko: '진도 조절이 켜져 있어요. 활동 멤버가 최근 두 레슨에서 누를 수 있는 완료 중 {percent}% 미만만 누르면, 다음 게시 때는 새 레슨 대신 복습하는 날이 돼요(복습하는 날이 두 번 연속 오지는 않아요).',
  },
  'pace.statusOff': {
    en: 'Group pace is off: every slot posts the next lesson.',
    ko: '진도 조절이 꺼져 있어요. 게시할 때마다 다음 레슨이 올라와요.',
  },
  'pace.next.lesson': {
    en: 'The next slot posts a new lesson, whatever the rule says (once).',
    ko: '다음 게시 때는 이번 한 번만 규칙과 상관없이 새 레슨이 올라와요.',
  },
  'pace.next.review': {
    en: 'The next slot is a review day (once).',
    ko: '다음 게시 때는 이번 한 번만 복습하는 날이에요.',
  },
  'usage.pace': {
    en: 'Unknown pace option "{value}": use `/orch pace on`, `off`, a share such as `40%`, or `next lesson` / `next review`. Nothing was changed.',
    ko: '진도 조절은 `/orch 진도조절 켜기`, `끄기`, `40%` 같은 기준, `다음 레슨`이나 `다음 복습`으로 바꿀 수 있어요(받은 값: "{value}"). 아무것도 바꾸지 않았어요.',
  },
  'what.pace': { en: 'the group pace', ko: '진도 조절' },
  'pause.started': {
    en: 'Paused for {count#day|days}, until {at}. Lessons posted meanwhile will not break your streak, and your reviews wait for you. Back early? `/orch pause off`',
    ko: '{at}까지 {count}일 동안 일시정지했어요. 그동안 올라오는 레슨 때문에 연속 학습이 끊기지 않고, 복습도 그만큼 미뤄져요. 일찍 돌아오려면 `/orch 일시정지 끝`을 입력해 주세요.',
  },
  'pause.until': {
    en: 'You are paused until {at}. `/orch pause off` ends it now.',
    ko: '{at}까지 일시정지 중이에요. 지금 끝내려면 `/orch 일시정지 끝`을 입력해 주세요.',
  },
  'pause.none': {
    en: 'You are not paused here. `/orch pause 7d` pauses your study for a week.',
    ko: '여기서 일시정지 중이 아니에요. `/orch 일시정지 7일`로 일주일 동안 쉴 수 있어요.',
  },
  'pause.ended': {
    en: 'Welcome back: your pause has ended.',
    ko: '다시 돌아온 걸 환영해요! 일시정지를 끝냈어요.',
  },
  'usage.pause': {
    en: 'Unknown pause length "{value}": use days or weeks, such as `7d` or `2w`, up to {max} days, or `off`. Nothing was changed.',
    ko: '일시정지 기간은 `7일`, `2주`처럼 일 또는 주 단위로 최대 {max}일까지 정할 수 있어요(받은 값: "{value}"). 끝내려면 `끝`을 입력해 주세요. 아무것도 바꾸지 않았어요.',
  },
  'catchup.heading': { en: "Catching up: today's lessons", ko: '따라잡기: 오늘의 레슨' },
  'catchup.behind': {
    en: '{count#lesson|lessons} to go until you reach the group, at {perDay} a day.',
    ko: '그룹을 따라잡을 때까지 레슨 {count}개 남았어요. 지금은 하루 {perDay}개씩 받고 있어요.',
  },
  'catchup.eta': {
    en: 'At this pace you reach the group in about {days#day|days}.',
    ko: '이 속도면 {days}일쯤 뒤에 그룹을 따라잡아요.',
  },
  'catchup.noEta': {
    en: 'The group gets about {rate} lessons a day, so at {perDay} a day you will not catch up: try more a day.',
    ko: '그룹은 하루에 레슨을 약 {rate}개 받아서 하루 {perDay}개로는 따라잡을 수 없어요. 하루 개수를 늘려 보세요.',
  },
  'catchup.todayDone': {
    en: "That's today's lessons done. The next ones come tomorrow.",
    ko: '오늘의 따라잡기 레슨을 모두 완료했어요. 다음 레슨은 내일 보내 줘요.',
  },
  'catchup.reached': {
    en: 'You have caught up with the group: from now on you get each lesson with everyone.',
    ko: '그룹을 따라잡았어요. 이제부터는 모두와 함께 레슨을 받아요.',
  },
  'catchup.notBehind': {
    en: 'You are with the group: there is nothing to catch up on.',
    ko: '그룹과 같은 진도예요. 따라잡을 레슨이 없어요.',
  },
  'catchup.offer': {
    en: 'You are {count#lesson|lessons} behind the group. `/orch catchup 2/day` sends you the ones you missed privately, at most 2 a day, until you reach the group.',
    ko: '그룹보다 레슨 {count}개 뒤처져 있어요. `/orch 따라잡기 하루 2개`를 입력하면 놓친 레슨을 그룹을 따라잡을 때까지 하루 최대 2개씩 나만 볼 수 있게 보내 줘요.',
  },
  'catchup.ended': { en: 'Catch-up ended.', ko: '따라잡기를 끝냈어요.' },
  'catchup.notOn': { en: 'You are not catching up here.', ko: '여기서 따라잡기 중이 아니에요.' },
  'usage.catchup': {
    en: 'Unknown catch-up pace "{value}": use a number of lessons a day from 1 to {max}, such as `2/day`, or `off`. Nothing was changed.',
    ko: '따라잡기는 `하루 2개`처럼 하루 1개부터 {max}개까지 정하거나 `끝`으로 끝낼 수 있어요(받은 값: "{value}"). 아무것도 바꾸지 않았어요.',
  },
  'me.behind': {
    en: 'You are {count#lesson|lessons} behind the group. `/orch catchup 2/day` catches you up.',
    ko: '그룹보다 레슨 {count}개 뒤처져 있어요. `/orch 따라잡기 하루 2개`로 따라잡을 수 있어요.',
  },
  'catchup.done': { en: 'Done: lesson {number}', ko: '{number}강 완료' },
  'me.catchingUp': {
    en: 'Catching up with the group, {perDay} a day: {count#lesson|lessons} to go (`/orch catchup`)',
    ko: '하루 {perDay}개씩 그룹을 따라잡는 중이에요. 레슨 {count}개 남았어요(`/orch 따라잡기`).',
  },
  'me.paused': { en: 'Paused until {at}', ko: '{at}까지 일시정지 중이에요' },
  'group.alone': {
    en: 'This channel is on its own. `/orch group code` gives an admin a code for another channel (Slack or Discord) to join it.',
    ko: '이 채널은 다른 채널과 한 그룹이 아니에요. 관리자는 `/orch 그룹 코드`로 다른 채널이 참여할 코드를 받을 수 있어요.',
  },
  'group.members': {
    en: "This channel's group: {channels}. They share the schedule, the roadmap place and the group pace, and each lesson is posted once in each.",
    ko: '이 채널과 한 그룹인 채널: {channels}. 일정, 로드맵 위치, 진도 조절을 함께 쓰고, 레슨은 채널마다 한 번씩 올라와요.',
  },
  'group.code': {
    en: 'Join code: `{code}` (one use, for 10 minutes). An admin of the other channel types `/orch group join {code}` there.',
    ko: '참여 코드: `{code}`(10분 안에 한 번만 쓸 수 있어요). 다른 채널의 관리자가 그 채널에서 `/orch 그룹 참여 {code}` 명령을 입력하면 돼요.',
  },
  'group.tooManyCodes': {
    en: 'This group has had {max} codes in the last hour; try again later. Nothing was changed.',
    ko: '이 그룹은 지난 한 시간 동안 코드를 {max}번 받았어요. 잠시 뒤에 다시 해 주세요. 아무것도 바꾸지 않았어요.',
  },
  'group.joined': {
    en: "Joined: this channel now follows the group's schedule and roadmap place.",
    ko: '참여했어요. 이제 이 채널도 그룹의 일정과 로드맵 위치를 따라가요.',
  },
  'group.left': {
    en: 'This channel left its group. It keeps its schedule and everything done here.',
    ko: '이 채널이 그룹에서 나왔어요. 일정과 여기서 한 기록은 그대로 남아요.',
  },
  'group.unknownCode': {
    en: 'That code is not one this bot gave. Nothing was changed.',
    ko: '이 봇이 준 코드가 아니에요. 아무것도 바꾸지 않았어요.',
  },
  'group.expiredCode': {
    en: 'That code has expired (codes last 10 minutes). Ask for a new one with `/orch group code`. Nothing was changed.',
    ko: '코드가 만료됐어요(코드는 10분 동안만 쓸 수 있어요). `/orch 그룹 코드`로 새 코드를 받아 주세요. 아무것도 바꾸지 않았어요.',
  },
  'group.usedCode': {
    en: 'That code was already used. Ask for a new one with `/orch group code`. Nothing was changed.',
    ko: '이미 쓴 코드예요. `/orch 그룹 코드`로 새 코드를 받아 주세요. 아무것도 바꾸지 않았어요.',
  },
  'group.sameGroup': {
    en: 'This channel is already in that group. Nothing was changed.',
    ko: '이 채널은 이미 그 그룹에 있어요. 아무것도 바꾸지 않았어요.',
  },
  'group.alreadyGrouped': {
    en: 'This channel is in a group already; `/orch group leave` first. Nothing was changed.',
    ko: '이 채널은 이미 다른 그룹에 있어요. 먼저 `/orch 그룹 나가기`를 입력해 주세요. 아무것도 바꾸지 않았어요.',
  },
  'group.throttled': {
    en: 'Too many wrong codes from this channel; try again in 10 minutes. Nothing was changed.',
    ko: '이 채널에서 잘못된 코드가 너무 많이 들어왔어요. 10분 뒤에 다시 해 주세요. 아무것도 바꾸지 않았어요.',
  },
  'usage.group': {
    en: 'Unknown group option "{value}": use `/orch group`, `group code`, `group join <code>` or `group leave`. Nothing was changed.',
    ko: '그룹 명령은 `/orch 그룹`, `그룹 코드`, `그룹 참여 <코드>`, `그룹 나가기`예요(받은 값: "{value}"). 아무것도 바꾸지 않았어요.',
  },
  'what.group': { en: "the channel's group", ko: '채널의 그룹' },
  'link.code': {
    en: 'Link code: `{code}` (one use, for 10 minutes). Type `/orch link {code}` as yourself in a channel of this study group on the other platform, and your Done marks, streak, reviews and quiz points there and here become one record.',
    ko: '계정 연결 코드: `{code}`(10분 안에 한 번만 쓸 수 있어요). 다른 플랫폼에 있는 이 그룹의 채널에서 본인 계정으로 `/orch 연결 {code}` 명령을 입력하면 양쪽의 완료 표시, 연속 학습, 복습, 퀴즈 점수가 하나의 기록으로 묶여요.',
  },
  'link.alone': {
    en: 'This channel is not in a study group with another channel yet, so there is no account to link here. Once an admin joins the two channels (`/orch group`), `/orch link` gives you a code.',
    ko: '이 채널은 아직 다른 채널과 한 그룹이 아니라서 연결할 계정이 없어요. 관리자가 두 채널을 한 그룹으로 묶으면(`/orch 그룹`) `/orch 연결`로 코드를 받을 수 있어요.',
  },
  'link.tooManyCodes': {
    en: 'You have had {max} link codes in the last hour; try again later. Nothing was changed.',
    ko: '지난 한 시간 동안 계정 연결 코드를 {max}번 받았어요. 잠시 뒤에 다시 해 주세요. 아무것도 바꾸지 않았어요.',
  },
  'link.linked': {
    en: 'Linked: {keys}. Your Done marks, streak, reviews and quiz points now count as one. `/orch link off` undoes it, and each side keeps what was earned there.',
    ko: '계정을 연결했어요: {keys}. 이제 완료 표시, 연속 학습, 복습, 퀴즈 점수를 하나로 묶어서 보여 줘요. `/orch 연결 끊기`로 되돌릴 수 있고, 그때도 양쪽에서 쌓은 기록은 각자 그대로 남아요.',
  },
  'link.status': {
    en: 'Linked accounts: {keys}. `/orch link off` undoes it; each side keeps what was earned there.',
    ko: '연결된 계정: {keys}. `/orch 연결 끊기`로 연결을 끊을 수 있고, 끊어도 양쪽에서 쌓은 기록은 각자 그대로 남아요.',
  },
  'link.unlinked': {
    en: 'Unlinked. Each side keeps the Done marks, reviews and quiz points earned there.',
    ko: '계정 연결을 끊었어요. 양쪽에서 쌓은 완료 표시, 복습, 퀴즈 점수는 각자 그대로 남아요.',
  },
  'link.notLinked': {
    en: 'This account is not linked to another. `/orch link` gives you a code to link it.',
    ko: '이 계정은 다른 계정과 연결되어 있지 않아요. `/orch 연결`로 코드를 받을 수 있어요.',
  },
  'link.unknown': {
    en: 'That code is not one this bot gave. Nothing was changed.',
    ko: '이 봇이 준 코드가 아니에요. 아무것도 바꾸지 않았어요.',
  },
  'link.expired': {
    en: 'That code has expired (codes last 10 minutes). Get a new one with `/orch link` on the other side. Nothing was changed.',
    ko: '코드가 만료됐어요(코드는 10분 동안만 쓸 수 있어요). 다른 쪽에서 `/orch 연결`로 새 코드를 받아 주세요. 아무것도 바꾸지 않았어요.',
  },
  'link.used': {
    en: 'That code was already used. Get a new one with `/orch link` on the other side. Nothing was changed.',
    ko: '이미 쓴 코드예요. 다른 쪽에서 `/orch 연결`로 새 코드를 받아 주세요. 아무것도 바꾸지 않았어요.',
  },
  'link.same': {
    en: 'That code is from this same account, or one already linked to it. Nothing was changed.',
    ko: '이 계정에서 받은 코드이거나, 이 계정과 이미 연결된 계정의 코드예요. 아무것도 바꾸지 않았어요.',
  },
  'link.elsewhere': {
    en: "That code is from a channel outside this channel's study group. Accounts link only between channels an admin of each put in one group (`/orch group`). Nothing was changed.",
    ko: '이 채널과 한 그룹이 아닌 채널의 코드예요. 계정 연결은 관리자가 한 그룹으로 묶은 채널 사이에서만 할 수 있어요(`/orch 그룹`). 아무것도 바꾸지 않았어요.',
  },
  'link.space': {
    en: 'That code is from an account in this same workspace or server, or one linked to an account here. One person links one account per workspace or server. Nothing was changed.',
    ko: '이 워크스페이스나 서버에 있는 계정, 또는 그 계정과 연결된 계정의 코드예요. 워크스페이스나 서버마다 계정 하나만 연결할 수 있어요. 아무것도 바꾸지 않았어요.',
  },
  'link.taken': {
    en: 'This account is linked to another already; `/orch link off` first. Nothing was changed.',
    ko: '이 계정은 이미 다른 계정과 연결되어 있어요. 먼저 `/orch 연결 끊기`를 입력해 주세요. 아무것도 바꾸지 않았어요.',
  },
  'link.throttled': {
    en: 'Too many wrong codes from you; try again in 10 minutes. Nothing was changed.',
    ko: '잘못된 코드를 너무 많이 입력했어요. 10분 뒤에 다시 해 주세요. 아무것도 바꾸지 않았어요.',
  },
  'usage.link': {
    en: 'Unknown link option "{value}": use `/orch link`, `link <code>` or `link off`. Nothing was changed.',
    ko: '계정 연결 명령은 `/orch 연결`, `연결 <코드>`, `연결 끊기`예요(받은 값: "{value}"). 아무것도 바꾸지 않았어요.',
  },
} as const satisfies Record<string, Record<Lang, string>>;

/** A message key. */
export type MessageKey = keyof typeof MESSAGES;

/** Every message key, in table order (for tests that read every message). */
export const MESSAGE_KEYS = Object.keys(MESSAGES) as MessageKey[];

/**
 * The display name an adapter gives the person at its own keyboard (the console): rendered as "나" or "you" in the
 * reader's language wherever a message names someone. A private-use character keeps it from clashing with a real
 * name, and PostgreSQL stores it as text (unlike a NUL).
 */
export const SELF_NAME = '\u{E000}self';

/** A stored display name as a reader sees it: SELF_NAME becomes "나" or "you"; use it for names shown outside t(). */
export function displayNameIn(name: string, lang: Lang): string {
  return name === SELF_NAME ? MESSAGES['person.self'][lang] : name;
}

// {name}, {name:은} (the value followed by the particle that fits it), {count#lesson|lessons} (the number followed by
// the word in the plural form English needs for it).
const PLACEHOLDER = /\{(\w+)(?::([^{}#|]+)|#([^{}|]+)\|([^{}]+))?\}/g;
const englishPlural = new Intl.PluralRules('en');

/** Looks a message up and fills its placeholders: `{name}`, `{name:은}` and `{count#item|items}`. */
export function t(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  const template: string = MESSAGES[key][lang];
  // Most messages are labels without a placeholder; they need no regex pass (a tool card uses dozens).
  if (!template.includes('{')) return template;
  return template.replace(
    PLACEHOLDER,
    (whole, name: string, particle?: string, one?: string, other?: string) => {
      if (!(name in vars)) return whole;
      const raw = vars[name] as string | number;
      const value = typeof raw === 'string' ? displayNameIn(raw, lang) : String(raw);
      if (particle !== undefined) return withParticle(value, particle);
      if (one !== undefined && other !== undefined) {
        const singular = typeof raw === 'number' && englishPlural.select(raw) === 'one';
        return `${value} ${singular ? one : other}`;
      }
      return value;
    },
  );
}
