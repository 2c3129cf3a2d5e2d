import { ZUuidSchema } from "@shop/contracts";
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { ZDaySchema, ZProviderNumberSchema, pageSearch, param, searchParam, sortSearch } from "./list.ts";
import { parseSearch, stringifySearch } from "./search-params.ts";

// Lists' schemas are built from these pieces (features/*/api/get-*.ts).
const ZProductsSearchSchema = z.object({
  ...pageSearch,
  q: searchParam,
  ...sortSearch(["createdAt", "title", "price"]),
});
const ZTransactionsSearchSchema = z.object({
  ...pageSearch,
  kind: param(z.enum(["credit", "purchase", "refund", "adjustment"])),
  user: param(ZUuidSchema),
  tx: param(ZProviderNumberSchema),
  from: param(ZDaySchema),
});

describe("the URL's search parameters", () => {
  test("are plain text both ways, absent and empty values left out", () => {
    expect(stringifySearch({ q: "tea", page: 2, tx: "123", cursor: undefined, deleted: "" })).toBe(
      "?q=tea&page=2&tx=123",
    );
    expect(stringifySearch({})).toBe("");
    expect(parseSearch("?q=green+tea&tx=123")).toEqual({ q: "green tea", tx: "123" });
  });

  test("a list's schema types what it accepts and drops what it does not", () => {
    expect(ZProductsSearchSchema.parse(parseSearch("?size=50&page=3&sort=price&order=asc&q=%20tea%20"))).toEqual({
      size: 50,
      page: 3,
      sort: "price",
      order: "asc",
      q: "tea",
    });
    // A page size the list does not offer, an unknown sort, a broken cursor: each reads as absent.
    expect(ZProductsSearchSchema.parse(parseSearch("?size=7&sort=colour&cursor=a%20b&page=0&fromEnd=0"))).toEqual({});
    // The last page, and a page counted back from it.
    expect(ZProductsSearchSchema.parse(parseSearch("?cursor=last"))).toEqual({ cursor: "last" });
    expect(ZProductsSearchSchema.parse(parseSearch("?cursor=abc_-1&fromEnd=2"))).toEqual({
      cursor: "abc_-1",
      fromEnd: 2,
    });
    expect(ZTransactionsSearchSchema.parse(parseSearch("?user=not-a-uuid&tx=12x&from=2026-13-01&kind=gift"))).toEqual(
      {},
    );
  });
});
