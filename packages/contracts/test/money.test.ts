// Money is exact: text in, integer cents inside, text with two decimals out. No float ever holds an
// amount, so a float that is not exactly a two-decimal amount (0.1 + 0.2) must be refused, not rounded.
import { describe, expect, it } from "vitest";
import {
  MAX_AMOUNT_CENTS,
  ZAmountInputSchema,
  ZMoneySchema,
  centsToMoney,
  formatMoney,
  moneyToCents,
} from "../src/index.ts";

describe("moneyToCents", () => {
  it.each([
    ["0", 0n],
    ["0.00", 0n],
    ["0.01", 1n],
    ["0.1", 10n],
    ["0.10", 10n],
    ["12.5", 1250n],
    ["12.50", 1250n],
    ["100", 10000n],
    ["100.0", 10000n],
    ["1000000000.00", MAX_AMOUNT_CENTS],
    // Twelve digits before the point parse; the schemas apply the upper bound.
    ["999999999999.99", 99_999_999_999_999n],
  ])("%s → %s", (text, cents) => {
    expect(moneyToCents(text)).toBe(cents);
  });

  it("is exact where floats are not", () => {
    expect(moneyToCents("0.1") + moneyToCents("0.2")).toBe(moneyToCents("0.3"));
    expect(moneyToCents("999999999999.99") + 1n).toBe(100_000_000_000_000n);
  });

  it.each([
    "",
    "-1",
    "-0.01",
    "+1",
    "01",
    "00.5",
    "1.",
    ".5",
    "1.234",
    "1.001",
    "1e3",
    "1E3",
    "0x10",
    " 1",
    "1 ",
    "1,50",
    "1_000",
    "Infinity",
    "NaN",
    "abc",
    "٣", // Arabic-Indic digit three
    "1000000000000", // thirteen digits
  ])("refuses %j", (text) => {
    expect(() => moneyToCents(text)).toThrow(RangeError);
  });
});

describe("centsToMoney", () => {
  it.each([
    [0n, "0.00"],
    [1n, "0.01"],
    [5n, "0.05"],
    [10n, "0.10"],
    [99n, "0.99"],
    [100n, "1.00"],
    [1250n, "12.50"],
    [-1n, "-0.01"],
    [-5n, "-0.05"],
    [-1250n, "-12.50"],
    [MAX_AMOUNT_CENTS, "1000000000.00"],
    [10n ** 30n + 7n, "10000000000000000000000000000.07"],
  ])("%s → %s", (cents, text) => {
    expect(centsToMoney(cents)).toBe(text);
  });

  it("round-trips with moneyToCents", () => {
    for (const text of ["0.00", "0.01", "0.99", "1.00", "12.34", "999999999999.99"]) {
      expect(centsToMoney(moneyToCents(text))).toBe(text);
    }
    for (let cents = 0n; cents < 1000n; cents += 7n) expect(moneyToCents(centsToMoney(cents))).toBe(cents);
  });

  it("gives text that ZMoneySchema accepts", () => {
    for (const cents of [0n, 1n, -1n, 1250n, -1250n, MAX_AMOUNT_CENTS]) {
      expect(ZMoneySchema.safeParse(centsToMoney(cents)).success).toBe(true);
    }
  });
});

describe("formatMoney", () => {
  it.each([
    ["12.5", "12.50"],
    ["12.50", "12.50"],
    ["100", "100.00"],
    ["100.0", "100.00"],
    ["0", "0.00"],
    ["0.1", "0.10"],
    ["-12.5", "-12.50"],
    ["-0.01", "-0.01"],
    ["-0", "0.00"],
    ["-0.00", "0.00"],
  ])("%s → %s", (text, formatted) => {
    expect(formatMoney(text)).toBe(formatted);
  });

  it.each(["", "-", "--1", "+1", "1.234", "-1.234", "1e3", "abc", " 12"])("refuses %j", (text) => {
    expect(() => formatMoney(text)).toThrow(RangeError);
  });
});

describe("ZAmountInputSchema", () => {
  const parse = (value: unknown) => ZAmountInputSchema.safeParse(value);

  it.each([
    ["number 12.5", 12.5, "12.50"],
    ["number 100", 100, "100.00"],
    ["number 0.01", 0.01, "0.01"],
    ["number 0.29", 0.29, "0.29"],
    ["number 1.1", 1.1, "1.10"],
    ["number 1e9 (the maximum)", 1e9, "1000000000.00"],
    ['string "12.50"', "12.50", "12.50"],
    ['string "12.5"', "12.5", "12.50"],
    ['string "100.0"', "100.0", "100.00"],
    ['string "100"', "100", "100.00"],
    ['string "0.01" (the minimum)', "0.01", "0.01"],
    ['string "1000000000.00" (the maximum)', "1000000000.00", "1000000000.00"],
    ['string "999999999.99"', "999999999.99", "999999999.99"],
    ["string with surrounding whitespace", "  12.5\n", "12.50"],
  ])("accepts %s → %s", (_label, value, expected) => {
    const result = parse(value);
    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
    expect(result.data).toBe(expected);
  });

  it.each([
    ["0.1 + 0.2 as a number", 0.1 + 0.2],
    ["1.005 as a number", 1.005],
    ["12.345 as a number", 12.345],
    ["0", 0],
    ["-0", -0],
    ["a negative number", -1],
    ["-0.01 as a number", -0.01],
    ["1e-7", 1e-7],
    ["the smallest double", 5e-324],
    ["1e21 (prints with an exponent)", 1e21],
    ["above the maximum as a number", 1_000_000_000.01],
    ["2^53 + 1", 2 ** 53 + 1],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ['"0"', "0"],
    ['"0.00"', "0.00"],
    ['"-1"', "-1"],
    ['"-0.01"', "-0.01"],
    ['"+5"', "+5"],
    ['"1.234"', "1.234"],
    ['"1e3"', "1e3"],
    ['"1E3"', "1E3"],
    ['"0x10"', "0x10"],
    ['"00.5"', "00.5"],
    ['"01"', "01"],
    ['"1."', "1."],
    ['".5"', ".5"],
    ['"1,50"', "1,50"],
    ['"1 000"', "1 000"],
    ['"1_000"', "1_000"],
    ['"abc"', "abc"],
    ['""', ""],
    ['"   "', "   "],
    ['"1000000000.01" (above the maximum)', "1000000000.01"],
    ['"999999999999" (twelve digits, above the maximum)', "999999999999"],
    ['"9999999999999" (thirteen digits)', "9999999999999"],
    ['"Infinity"', "Infinity"],
    ["null", null],
    ["undefined", undefined],
    ["true", true],
    ["an array", ["12.50"]],
    ["an object", { amount: "12.50" }],
    ["a bigint", 1250n],
  ])("refuses %s", (_label, value) => {
    const result = parse(value);
    expect(result.success, `accepted ${String(value)} as ${String(result.data)}`).toBe(false);
    for (const issue of result.error!.issues) expect(typeof issue.message).toBe("string");
  });

  it("says why: the format, or the bounds", () => {
    expect(parse("1.234").error!.issues[0]!.message).toMatch(/two decimals/);
    expect(parse(0.1 + 0.2).error!.issues[0]!.message).toMatch(/two decimals/);
    expect(parse("0").error!.issues[0]!.message).toMatch(/greater than 0/);
    expect(parse("1000000000.01").error!.issues[0]!.message).toMatch(/at most 1000000000\.00/);
  });

  it("always outputs what ZMoneySchema accepts", () => {
    for (const value of [1, 1.5, "2", "2.5", "2.55", 1e9]) {
      expect(ZMoneySchema.parse(ZAmountInputSchema.parse(value))).toMatch(/^[0-9]+\.[0-9]{2}$/);
    }
  });
});

describe("ZMoneySchema", () => {
  it.each(["0.00", "12.50", "-12.50", "1000000000.00"])("accepts %s", (text) => {
    expect(ZMoneySchema.safeParse(text).success).toBe(true);
  });
  it.each(["12.5", "12", "12.500", "1e3", "", " 12.50", 12.5])("refuses %j", (value) => {
    expect(ZMoneySchema.safeParse(value).success).toBe(false);
  });
});
