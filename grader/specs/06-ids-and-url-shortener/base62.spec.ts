import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/06-ids-and-url-shortener/base62";
import * as reference from "#ref/06-ids-and-url-shortener/base62";
import { compareLoad, expectThrows, kataOf, loadTest, prop, random, seedFor } from "#spec";
import chapter from "../../../chapters/06-ids-and-url-shortener/chapter.ts";
import { expectRangeErrorNaming } from "./_errors.ts";

const { budgets } = kataOf(chapter, "06-ids-and-url-shortener", "base62");
const { encode, decode } = learner;

const KEYSPACE_7 = 62n ** 7n;

/** expects encode(value, width) to be `code`, naming the call in the message */
function expectCode(value: bigint | number, width: number | undefined, code: string): void {
  const call = width === undefined ? `encode(${value})` : `encode(${value}, ${width})`;
  expect(width === undefined ? encode(value) : encode(value, width), call).toBe(code);
}

/** expects decode(code) to be `value`, naming the call in the message */
function expectValue(code: string, value: bigint): void {
  expect(decode(code), `decode("${code}")`).toBe(value);
}
const below = (limit: bigint) => fc.bigInt({ min: 0n, max: limit - 1n });

describe("encoding", () => {
  it('encodes 0 as "0", not as an empty string', () => {
    expectCode(0, undefined, "0");
    expectCode(0n, undefined, "0");
  });

  it('uses the digits 0-9, then A-Z, then a-z: 61 is "z" and 123456789 is "8M0kX"', () => {
    for (const [value, code] of [
      [9, "9"],
      [10, "A"],
      [35, "Z"],
      [36, "a"],
      [61, "z"],
      [62, "10"],
      [123_456_789, "8M0kX"],
    ] as const) {
      expectCode(value, undefined, code);
    }
  });

  it("accepts a bigint or a safe integer and gives the same code for both", () => {
    expectCode(3_521_614_606_207, undefined, "zzzzzzz");
    expectCode(3_521_614_606_207n, undefined, "zzzzzzz");
    expectCode(Number.MAX_SAFE_INTEGER, undefined, "fFgnDxSe7");
    expectCode(BigInt(Number.MAX_SAFE_INTEGER), undefined, "fFgnDxSe7");
  });

  it("round-trips ids above 2^53 exactly, where a double loses digits", () => {
    expectCode(2n ** 53n + 1n, undefined, "fFgnDxSe9");
    expectValue("fFgnDxSe9", 2n ** 53n + 1n);
    expectCode(2n ** 64n - 1n, undefined, "LygHa16AHYF");
    expectValue("LygHa16AHYF", 2n ** 64n - 1n);
  });

  it("rejects a negative, fractional, unsafe or non-finite value with a RangeError", () => {
    // MAX_SAFE_INTEGER + 1 is 2^53, the first number that stands for more than one integer
    for (const value of [-1, -1n, 1.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectThrows(() => encode(value), RangeError, `encode(${value})`);
    }
  });
});

describe("fixed width", () => {
  it("pads to the requested width with leading zeros", () => {
    expectCode(0, 7, "0000000");
    expectCode(1, 7, "0000001");
    expectCode(123_456_789n, 7, "008M0kX");
    expectCode(KEYSPACE_7 - 1n, 7, "zzzzzzz");
    expectCode(61, 1, "z");
  });

  it("refuses a value too large for the width, rather than lengthen the code", () => {
    expectThrows(() => encode(KEYSPACE_7, 7), RangeError, `encode(62^7 = ${KEYSPACE_7}, 7)`);
    expectThrows(() => encode(62, 1), RangeError, "encode(62, 1)");
  });

  it("rejects a width that is not a positive integer with a RangeError", () => {
    for (const width of [0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectThrows(() => encode(5, width), RangeError, `encode(5, ${width})`);
    }
  });
});

describe("decoding", () => {
  it('reads leading zeros as padding: "0000001" is 1', () => {
    expectValue("0000001", 1n);
    expectValue("0000000", 0n);
    expectValue("0", 0n);
    expectValue("008M0kX", 123_456_789n);
  });

  it("rejects a code with a character outside the alphabet, naming the character", () => {
    for (const [code, bad] of [
      ["ab-c", "-"],
      ["abc d", " "],
      ["8M0kX=", "="],
      ["caf\u00e9", "\u00e9"],
      ["a_b", "_"],
    ] as const) {
      expectRangeErrorNaming(() => decode(code), bad, `decode("${code}")`);
    }
  });

  it("rejects an empty code with a RangeError", () => {
    expectThrows(() => decode(""), RangeError, 'decode("")');
  });
});

/** base 62 by the definition: digit i of n is ⌊n ÷ 62^i⌋ mod 62, written most significant first */
function byDefinition(n: bigint): string {
  const digits: string[] = [];
  for (let power = 1n; digits.length === 0 || power <= n; power *= 62n) {
    digits.unshift(reference.ALPHABET[Number((n / power) % 62n)] as string);
  }
  return digits.join("");
}

describe("properties", () => {
  prop("writes every integer below 2^128 in base 62, most significant digit first", below(2n ** 128n), (n) => {
    expect(encode(n), `encode(${n})`).toBe(byDefinition(n));
  });

  prop("round-trips every integer below 2^128: decode(encode(n)) is n", below(2n ** 128n), (n) => {
    expect(decode(encode(n)), `decode(encode(${n}))`).toBe(n);
  });

  prop("the shortest code has no leading zero and ⌊log62 n⌋ + 1 characters", below(2n ** 96n), (n) => {
    const code = encode(n);
    let digits = 1;
    for (let rest = n / 62n; rest > 0n; rest /= 62n) digits++;
    expect(code.length, `length of encode(${n})`).toBe(digits);
    if (n > 0n) expect(code[0], `first character of encode(${n})`).not.toBe("0");
  });

  prop(
    "fixed-width codes sort as strings in the same order as their numbers",
    fc.tuple(below(KEYSPACE_7), below(KEYSPACE_7)),
    ([a, b]) => {
      const [x, y] = [encode(a, 7), encode(b, 7)];
      expect(x.length, `the length of encode(${a}, 7), "${x}"`).toBe(7);
      expect(Math.sign(x < y ? -1 : x > y ? 1 : 0), `"${x}" vs "${y}" for ${a} vs ${b}`).toBe(Math.sign(Number(a - b)));
      expect(decode(x), `decode("${x}")`).toBe(a);
    },
  );

  prop(
    "encode(decode(code)) gives back any code without leading zeros",
    fc.string({ unit: fc.constantFrom(...reference.ALPHABET), minLength: 1, maxLength: 12 }),
    (code) => {
      const trimmed = code.replace(/^0+(?=.)/, "");
      expect(encode(decode(code)), `encode(decode("${code}"))`).toBe(trimmed);
    },
  );
});

describe("performance against the reference", () => {
  type Codec = { encode: typeof reference.encode; decode: typeof reference.decode };

  loadTest("keeps pace with the reference: 100k 7-character codes encoded and decoded", budgets, () => {
    const rng = random(seedFor("base62 load"));
    const ops = 100_000;
    const values = Array.from({ length: ops }, () => BigInt(Math.floor(rng.float() * Number(KEYSPACE_7))));
    const codes = values.map((v) => reference.encode(v, 7));
    const result = compareLoad<Codec>({
      learner: () => ({ encode: learner.encode, decode: learner.decode }),
      reference: () => ({ encode: reference.encode, decode: reference.decode }),
      ops,
      // batches of 4,000 codes, a millisecond or more: shorter ones make p99 a measure of the scheduler
      batches: 25,
      run: (codec, from, to) => {
        let right = 0;
        for (let i = from; i < to; i++) {
          if (codec.encode(values[i] as bigint, 7) === codes[i]) right++;
          if (codec.decode(codes[i] as string) === values[i]) right++;
        }
        return right;
      },
      // every code and value is fixed by the contract: each call must give the reference's answer
      answers: { what: "encodes and decodes that gave the reference's answer" },
    });
    return result;
  });
});
