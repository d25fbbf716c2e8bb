/**
 * Team codes: 6 characters from an alphabet without look-alikes (no 0/O,
 * 1/I/L, 5/S, 2/Z, 8/B), easy to read aloud across a table: 25^6 ~ 2.4e8
 * codes; the caller retries collisions.
 */
export const TEAM_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679";
export const TEAM_CODE = /^[ACDEFGHJKMNPQRTUVWXY34679]{6}$/;

export function newTeamCode(random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  const alphabet = TEAM_CODE_ALPHABET;
  let code = "";
  // Rejection sampling keeps every character equally likely.
  const limit = 256 - (256 % alphabet.length);
  while (code.length < 6) {
    for (const byte of random(12)) {
      if (byte < limit && code.length < 6) code += alphabet[byte % alphabet.length];
    }
  }
  return code;
}
