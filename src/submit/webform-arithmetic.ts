/**
 * Simple arithmetic questions that sites ask instead of a CAPTCHA: "3 + 13 =" next to a small
 * box (Divi), "What is 7 plus 2?" as a label, "Are you human? 4 + 5 =" (WordPress anti-spam
 * add-ons). A person answers them, so the shopper does too. Only a sum, difference or
 * product of two small whole numbers, in digits or (English, Spanish, French, German,
 * Portuguese) words, counts; image or puzzle CAPTCHAs stay blocked.
 */

const WORDS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20,
  cero: 0, uno: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10,
  zéro: 0, un: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, sept: 7, huit: 8, neuf: 9, dix: 10,
  null: 0, eins: 1, zwei: 2, drei: 3, vier: 4, fünf: 5, funf: 5, sechs: 6, sieben: 7, acht: 8, neun: 9, zehn: 10,
  um: 1, dois: 2, três: 3, quatro: 4, sete: 7, oito: 8, nove: 9, dez: 10,
};
const NUMBER = `(\\d{1,3}|${Object.keys(WORDS).map((w) => w.normalize('NFD').replace(/[\u0300-\u036f]/g, '')).filter((w, i, all) => all.indexOf(w) === i).join('|')})`;
const OPERATOR = '(\\+|-|\u2212|\u2013|x|\u00d7|\\*|plus|minus|times|mas|menos|por|moins|fois|mal|und|mais|vezes)';

/**
 * "a op b", then "=", "?" or the end of the text. Shared with the in-page scripts (as source),
 * so the CAPTCHA check and the filler agree on what counts as a question.
 */
export const SUM_QUESTION_SOURCE = `(?:^|[^\\d\\w])${NUMBER}\\s*${OPERATOR}\\s*${NUMBER}\\s*(=|\\?|$)`;
const SUM_QUESTION = new RegExp(SUM_QUESTION_SOURCE);

/** Words that say a box is a human check, in the five languages. */
const HUMAN_CHECK = /captcha|human|robot|\bbot\b|spam|security|math|\bsum\b|quiz|verif|solve|humano|seguridad|suma|resultado|humain|securite|calcul|mensch|sicherheit|rechen|ergebnis|seguranca|soma|conta/;

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

const valueOf = (token: string): number => (/^\d+$/.test(token) ? Number(token) : (WORDS[token] ?? Number.NaN));

/**
 * The answer to the arithmetic question in `text`, or undefined. A question must end with
 * "=" or "?", or the control must say it is a human check (`context`: its name, id, label),
 * so a phone example "555-0101" or a range "1-10" is never taken for one.
 */
export function solveSumQuestion(text: string, context = ''): number | undefined {
  const t = fold(text);
  if (!t || t.length > 160) return undefined;
  const m = SUM_QUESTION.exec(t);
  if (!m) return undefined;
  const [, left, op, right, end] = m as unknown as [string, string, string, string, string];
  if (!end && !HUMAN_CHECK.test(fold(`${context} ${text}`))) return undefined;
  const a = valueOf(left);
  const b = valueOf(right);
  if (Number.isNaN(a) || Number.isNaN(b)) return undefined;
  if (/^(\+|plus|mas|und|mais)$/.test(op)) return a + b;
  if (/^(-|\u2212|\u2013|minus|menos|moins)$/.test(op)) return a - b;
  return a * b;
}

/**
 * Words that make a text box a question put to tell people from bots (Contact Form 7's
 * `[quiz]`, named quiz-NNN; "security question", "anti-spam", "are you human?"), in the five
 * languages, read from its name, id, label, placeholder and the text before it (normalised:
 * lower case, no accents, - and _ as spaces).
 */
const QUIZ_WORDS =
  /\bquiz\b|captcha|\banti ?spam\b|\bspam (?:check|question|protection|filter|test)\b|\bsecurity (?:question|check)\b|\bhuman (?:check|test|verification|question)\b|\bare you (?:a )?human\b|\bnot a (?:ro)?bot\b|\bprove (?:that )?you(?: are|re| re) (?:a )?human\b|pregunta (?:de seguridad|anti ?spam)|\beres humano\b|question (?:de securite|anti ?spam)|\betes vous (?:un )?humain\b|sicherheitsfrage|spamschutz|\bbist du ein mensch\b|pergunta (?:de seguranca|anti ?spam)|\bvoce e humano\b/;

/** The box asks a human-check question (see QUIZ_WORDS); `text` is its normalised name, id and wording. */
export function isQuizText(text: string): boolean {
  return QUIZ_WORDS.test(text);
}

const key = (s: string) => fold(s).replace(/[^\p{L}\p{N} ]+/gu, ' ').replace(/\s+/g, ' ').trim();

/**
 * The entry point's configured answer (`answers:` question → answer) to the question a box
 * asks: the configured words appear together, in that order, in the box's question (case, accents and punctuation aside).
 */
export function configuredAnswer(question: string, answers: Record<string, string> | undefined): string | undefined {
  if (!answers) return undefined;
  const q = ` ${key(question)} `;
  for (const [asked, answer] of Object.entries(answers)) {
    const k = key(asked);
    if (k && q.includes(` ${k} `)) return answer;
  }
  return undefined;
}
