/**
 * Dice formulas: parse and roll `NdM`, `dM`, `d%`, constants, several signed
 * terms (`2d6+1d4-1`) and keep/drop suffixes (`4d6kh3`, `4d6dl1`, advantage
 * `2d20kh1`, disadvantage `2d20kl1`; `k` alone means `kh`, a missing count
 * means 1). Case-insensitive; whitespace may sit between tokens but not
 * inside a number.
 *
 * Errors are values (never throws) because the formula comes straight from a
 * player and a bad one must become a clean BAD_FORMULA reply, not a crash.
 * Randomness is injected so a room's log replays to the same rolls.
 */

/** Bounds keep one roll cheap to compute and small on the wire. */
export const DICE_LIMITS = {
  maxFormulaLength: 100,
  maxTerms: 20,
  maxDicePerTerm: 100,
  maxDiceTotal: 200,
  minSides: 2,
  maxSides: 1000,
  maxConstant: 10_000,
} as const;

export type KeepMode = "kh" | "kl";

/** One dice term as parsed, before rolling. */
export interface DiceTermSpec {
  sign: 1 | -1;
  count: number;
  sides: number;
  /** Which dice count towards the total; null keeps all. `dl`/`dh` are stored as their `kh`/`kl` twin. */
  keep: KeepMode | null;
  keepCount: number;
  /** The term as canonically written, without sign (e.g. `1d20`, `4d6dl1`). */
  notation: string;
}

export interface ParsedFormula {
  /** Canonical spelling: lower case, no spaces, implicit counts written out (`d20 + 5` -> `1d20+5`). */
  formula: string;
  dice: DiceTermSpec[];
  /** Sum of the signed constant terms. */
  modifier: number;
}

/** One rolled dice term, as it appears on the wire (snake_case like the seed). */
export interface DiceTermResult {
  notation: string;
  sign: 1 | -1;
  count: number;
  sides: number;
  keep: KeepMode | null;
  keep_count: number;
  /** Every die, in the order rolled. */
  rolls: number[];
  /** The dice that count, in roll order. */
  kept: number[];
  /** The dice a keep/drop suffix discarded, in roll order. */
  dropped: number[];
  /** sign * sum(kept). */
  subtotal: number;
}

/**
 * The seed's roll shape `{formula, result, rolls, modifier}` plus detail:
 * `rolls` holds every die of every term (so old clients show all dice),
 * `kept`/`dropped` say which of them counted, `terms` breaks it down.
 */
export interface DiceRoll {
  formula: string;
  result: number;
  rolls: number[];
  kept: number[];
  dropped: number[];
  modifier: number;
  terms: DiceTermResult[];
}

export interface DiceError {
  ok: false;
  code: "BAD_FORMULA";
  message: string;
}

export type ParseOutcome = ({ ok: true } & ParsedFormula) | DiceError;
export type RollOutcome = { ok: true; roll: DiceRoll } | DiceError;

const bad = (message: string): DiceError => ({ ok: false, code: "BAD_FORMULA", message });

interface NumberToken {
  /** Digits as written, for messages: `999999999999` must not print as 1e+12. */
  text: string;
  value: number;
}

/** Parses a formula without rolling it. */
export function parseDiceFormula(input: string): ParseOutcome {
  if (input.length > DICE_LIMITS.maxFormulaLength) {
    return bad(`formula is too long (${input.length} > ${DICE_LIMITS.maxFormulaLength} characters)`);
  }
  if (input.trim() === "") return bad("formula is empty");

  let pos = 0;
  const at = (i: number): string => (input[i] ?? "").toLowerCase();
  const skipSpace = (): void => {
    while (pos < input.length && /\s/.test(input[pos] ?? "")) pos++;
  };
  const unexpected = (): DiceError =>
    pos >= input.length
      ? bad("formula ends too early (expected a number or dice)")
      : bad(`unexpected character ${JSON.stringify(input[pos])} at position ${pos + 1}`);
  const readNumber = (): NumberToken | null => {
    const start = pos;
    while (/[0-9]/.test(at(pos))) pos++;
    if (pos === start) return null;
    const text = input.slice(start, pos);
    return { text, value: Number(text) };
  };

  const dice: DiceTermSpec[] = [];
  let modifier = 0;
  let terms = 0;
  let diceTotal = 0;
  const canonical: string[] = [];

  skipSpace();
  while (pos < input.length) {
    let sign: 1 | -1 = 1;
    const op = at(pos);
    if (op === "+" || op === "-") {
      sign = op === "-" ? -1 : 1;
      pos++;
      skipSpace();
    } else if (terms > 0) {
      return bad(`expected '+' or '-' at position ${pos + 1}, found ${JSON.stringify(input[pos])}`);
    }

    terms++;

    const count = readNumber();
    skipSpace();
    if (at(pos) !== "d") {
      if (!count) return unexpected();
      if (count.value > DICE_LIMITS.maxConstant) {
        return bad(`modifier too large (${count.text} > ${DICE_LIMITS.maxConstant})`);
      }
      modifier += sign * count.value;
      canonical.push(`${sign < 0 ? "-" : "+"}${count.value}`);
      skipSpace();
      continue;
    }

    pos++; // the 'd'
    skipSpace();
    let sides: NumberToken | null;
    if (at(pos) === "%") {
      pos++;
      sides = { text: "%", value: 100 };
    } else {
      sides = readNumber();
      if (!sides) {
        return pos >= input.length
          ? bad("missing number of sides after 'd'")
          : bad(`expected the number of sides after 'd' at position ${pos + 1}`);
      }
    }

    const n = count ?? { text: "1", value: 1 };
    if (n.value > DICE_LIMITS.maxDicePerTerm) return bad(`too many dice (${n.text} > ${DICE_LIMITS.maxDicePerTerm})`);
    if (n.value < 1) return bad(`a dice term needs at least 1 die (got ${n.text}d${sides.text})`);
    if (sides.value < DICE_LIMITS.minSides || sides.value > DICE_LIMITS.maxSides) {
      return bad(`dice must have ${DICE_LIMITS.minSides} to ${DICE_LIMITS.maxSides} sides (got d${sides.text})`);
    }

    skipSpace();
    let keep: KeepMode | null = null;
    let keepCount = n.value;
    let suffix = "";
    const a = at(pos);
    const b = at(pos + 1);
    if (a === "k" || (a === "d" && (b === "h" || b === "l"))) {
      const drop = a === "d";
      // `k` alone means keep-highest, like most VTTs.
      const which: "h" | "l" = b === "l" ? "l" : "h";
      pos += b === "h" || b === "l" ? 2 : 1;
      skipSpace();
      const k = readNumber() ?? { text: "1", value: 1 };
      if (k.value < 1) return bad(`${drop ? "drop" : "keep"} count must be at least 1 (got ${k.text})`);
      if (drop) {
        if (k.value >= n.value) return bad(`cannot drop ${k.text} of ${n.value} dice`);
        // Dropping the lowest k is keeping the highest n-k, and vice versa.
        keep = which === "l" ? "kh" : "kl";
        keepCount = n.value - k.value;
      } else {
        if (k.value > n.value) return bad(`cannot keep ${k.text} of ${n.value} dice`);
        keep = which === "h" ? "kh" : "kl";
        keepCount = k.value;
      }
      suffix = `${drop ? "d" : "k"}${which}${k.value}`;
    }

    diceTotal += n.value;
    const notation = `${n.value}d${sides.value}${suffix}`;
    dice.push({ sign, count: n.value, sides: sides.value, keep, keepCount, notation });
    canonical.push(`${sign < 0 ? "-" : "+"}${notation}`);
    skipSpace();
  }

  // Counted after the whole (<= 100 character) formula so the message gives the real totals.
  if (terms > DICE_LIMITS.maxTerms) return bad(`too many terms (${terms} > ${DICE_LIMITS.maxTerms})`);
  if (diceTotal > DICE_LIMITS.maxDiceTotal) {
    return bad(`too many dice in total (${diceTotal} > ${DICE_LIMITS.maxDiceTotal})`);
  }
  if (dice.length === 0) return bad("formula has no dice (e.g. 1d20+5)");
  const joined = canonical.join("");
  return { ok: true, formula: joined.startsWith("+") ? joined.slice(1) : joined, dice, modifier };
}

/** One die from a [0,1) source; clamped so a misbehaving source cannot yield 0 or sides+1. */
export function rollDie(sides: number, random: () => number): number {
  const r = random();
  const u = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1 - Number.EPSILON) : 0;
  return 1 + Math.floor(u * sides);
}

/** Indices of the dice that count: highest/lowest first, earlier die wins a tie. */
function keptIndices(rolls: readonly number[], keep: KeepMode | null, keepCount: number): Set<number> {
  const order = rolls.map((_, i) => i);
  if (keep === null) return new Set(order);
  order.sort((i, j) => {
    const a = rolls[i] ?? 0;
    const b = rolls[j] ?? 0;
    return (keep === "kh" ? b - a : a - b) || i - j;
  });
  return new Set(order.slice(0, keepCount));
}

/** Parses and rolls `formula`, drawing each die from `random` in term order. */
export function rollDice(formula: string, random: () => number): RollOutcome {
  const parsed = parseDiceFormula(formula);
  if (!parsed.ok) return parsed;

  const terms: DiceTermResult[] = parsed.dice.map((spec) => {
    const rolls = Array.from({ length: spec.count }, () => rollDie(spec.sides, random));
    const keepSet = keptIndices(rolls, spec.keep, spec.keepCount);
    const kept = rolls.filter((_, i) => keepSet.has(i));
    const dropped = rolls.filter((_, i) => !keepSet.has(i));
    return {
      notation: spec.notation,
      sign: spec.sign,
      count: spec.count,
      sides: spec.sides,
      keep: spec.keep,
      keep_count: spec.keepCount,
      rolls,
      kept,
      dropped,
      subtotal: spec.sign * kept.reduce((s, v) => s + v, 0),
    };
  });

  return {
    ok: true,
    roll: {
      formula: parsed.formula,
      result: terms.reduce((s, t) => s + t.subtotal, 0) + parsed.modifier,
      rolls: terms.flatMap((t) => t.rolls),
      kept: terms.flatMap((t) => t.kept),
      dropped: terms.flatMap((t) => t.dropped),
      modifier: parsed.modifier,
      terms,
    },
  };
}
