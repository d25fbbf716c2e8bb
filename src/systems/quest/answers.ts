/**
 * Puzzle answers are typed on phones outdoors: case, spacing, punctuation
 * and accents must not decide a riddle. Both the author's answers and the
 * submission go through the same fold, so "  Bjørvika!" matches "bjorvika".
 */

// Letters that NFKD does not decompose into base + mark (ø, æ, ß, ...).
const FOLD: Readonly<Record<string, string>> = {
  ø: "o", æ: "ae", œ: "oe", ß: "ss", đ: "d", ð: "d", þ: "th", ł: "l", ı: "i", ŧ: "t", ħ: "h",
};

/**
 * Lowercase letters and digits only. NFKD splits "é" into "e" + a combining
 * mark (and full-width "ｆ" into "f"); the final filter drops the marks along
 * with punctuation and spaces.
 */
export function normalizeAnswer(text: string): string {
  return text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[øæœßđðþłıŧħ]/g, (ch) => FOLD[ch] ?? ch)
    .replace(/[^\p{L}\p{N}]/gu, "");
}

/** True when `submitted` matches one of `answers` after normalization. */
export function matchesAnswer(submitted: string, answers: readonly string[]): boolean {
  const given = normalizeAnswer(submitted);
  if (given === "") return false;
  return answers.some((answer) => normalizeAnswer(answer) === given);
}
