/**
 * Mutant of solutions/06-ids-and-url-shortener/base62.ts: accepts-any-character.
 *
 * The bug: decode looks each character up with ALPHABET.indexOf and uses the
 * result as it is. Python's str.index raises for a missing character; JS's
 * indexOf returns -1, so "ab-c" silently decodes to some id and a mistyped or
 * forged link redirects somewhere instead of giving a 404.
 * Source: a port of seed 003's decode_base62() (CHARSET.index(char)).
 * @caughtBy rejects a code with a character outside the alphabet, naming the character
 */
/** the 62 digits, in ascending value: 0-9, then A-Z, then a-z */
export const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const BASE = 62n;

/**
 * The code of a non-negative integer: a bigint, or a number that is a safe
 * integer. Without a width, the shortest code ("0" for zero); with one,
 * exactly `width` characters, padded with leading "0"s.
 * Throws a RangeError for a negative, fractional or unsafe value, a width that
 * is not a positive integer, and a value too large for the width.
 */
export function encode(value: bigint | number, width?: number): string {
  let n = toBigInt(value);
  if (width !== undefined && !(Number.isSafeInteger(width) && width > 0)) {
    throw new RangeError(`width must be a positive integer, got ${width}`);
  }
  const digits: string[] = [];
  do {
    digits.push(ALPHABET[Number(n % BASE)] as string);
    n /= BASE;
  } while (n > 0n);
  const code = digits.reverse().join("");
  if (width === undefined) return code;
  if (code.length > width) {
    throw new RangeError(`${value} needs ${code.length} characters, more than the width of ${width}`);
  }
  return code.padStart(width, ALPHABET[0]);
}

/**
 * The integer a code stands for. Leading "0"s are padding: "0000001" is 1.
 * Throws a RangeError for an empty code or a character outside the alphabet.
 */
export function decode(code: string): bigint {
  if (code.length === 0) throw new RangeError("an empty string is not a code");
  let n = 0n;
  for (let i = 0; i < code.length; i++) {
    n = n * BASE + BigInt(ALPHABET.indexOf(code[i] as string));
  }
  return n;
}

function toBigInt(value: bigint | number): bigint {
  if (typeof value === "bigint") {
    if (value < 0n) throw new RangeError(`a code stands for a non-negative integer, got ${value}`);
    return value;
  }
  // above 2^53 a number has already lost its low digits: the caller must pass a bigint
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`expected a non-negative safe integer or a bigint, got ${value}`);
  }
  return BigInt(value);
}
