/**
 * Kata: base62 codes (difficulty 1, about 30 minutes)
 * Read:  chapters/06-ids-and-url-shortener/README.md#from-a-number-to-a-short-code-base62
 * Grade: npm run grade -- base62
 * Hint:  npm run hint -- base62 (one more hint each time you ask)
 *
 * Turn ids into the short codes of a URL shortener, and back.
 * - [ ] encode(value) writes a non-negative integer in base 62 with the digits
 *       of ALPHABET: 0-9, then A-Z, then a-z (61 is "z", 62 is "10",
 *       123456789 is "8M0kX"). The shortest code, "0" for zero.
 * - [ ] value may be a bigint of any size, or a number that is a safe integer.
 *       Ids above 2^53 must come out exact: do the arithmetic in bigint.
 * - [ ] encode(value, width) gives exactly `width` characters, padded with
 *       leading "0"s ("0000001"). A value too large for the width (62^width or
 *       more) is a RangeError, not a longer code: the keyspace is used up.
 * - [ ] decode(code) gives the bigint back; leading "0"s are padding.
 * - [ ] RangeError for: a negative, fractional, unsafe or non-finite value; a
 *       width that is not a positive integer; an empty code; a character that
 *       is not in the alphabet (the message names the character).
 * - [ ] Fixed-width codes then sort as strings in the order of their numbers.
 */
import { todo } from "#kit";

/** the 62 digits, in ascending value: 0-9, then A-Z, then a-z */
export const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * The code of a non-negative integer: a bigint, or a number that is a safe
 * integer. Without a width, the shortest code ("0" for zero); with one,
 * exactly `width` characters, padded with leading "0"s.
 * Throws a RangeError for a negative, fractional or unsafe value, a width that
 * is not a positive integer, and a value too large for the width.
 */
export function encode(value: bigint | number, width?: number): string {
  // TODO: check the value and width, then take base-62 digits off the bottom with % and / on a bigint.
  return todo("encode", value, width);
}

/**
 * The integer a code stands for. Leading "0"s are padding: "0000001" is 1.
 * Throws a RangeError for an empty code or a character outside the alphabet.
 */
export function decode(code: string): bigint {
  // TODO: n = n × 62 + the value of each character, left to right; refuse characters outside ALPHABET.
  return todo("decode", code);
}
