/**
 * Mutant of solutions/06-ids-and-url-shortener/base62.ts: wrong-alphabet.
 *
 * The bug: the digits run a-z, A-Z, 0-9, the order the source's prose gives
 * ("a-z, A-Z, 0-9") while its code uses 0-9, A-Z, a-z. Codes still round-trip,
 * but 123456789 is no longer "8M0kX", codes from other implementations decode
 * to other ids, and fixed-width codes no longer sort like their numbers.
 * Source: seed 003, Design a URL Shortener, Key Components vs encode_base62().
 * @caughtBy uses the digits 0-9, then A-Z, then a-z: 61 is "z" and 123456789 is "8M0kX"
 */
/** the 62 digits, in ascending value: 0-9, then A-Z, then a-z */
export const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

const BASE = 62n;

/** each character's value by char code, -1 for a character outside the alphabet */
const VALUE_OF = new Int8Array(128).fill(-1);
for (let digit = 0; digit < ALPHABET.length; digit++) VALUE_OF[ALPHABET.charCodeAt(digit)] = digit;

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
    const char = code.charCodeAt(i);
    const digit = char < 128 ? (VALUE_OF[char] as number) : -1;
    if (digit < 0) {
      throw new RangeError(`"${code[i]}" at position ${i} of "${code}" is not a base62 digit`);
    }
    n = n * BASE + BigInt(digit);
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
