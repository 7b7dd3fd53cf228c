// The one SQL lexer every reader of SQL here uses (the statement splitter, the CREATE parser, comparison keys): its
// pieces cover the text exactly, quoted names lose their quotes, and what the text ends inside is marked.
import { describe, expect, it } from "vitest";
import { foldWhiteSpace, scanSql, tokenize } from "../../generator/model/sql-lexer.js";

describe("the SQL lexer", () => {
  const sql =
    "CREATE TABLE \"a\"\"b\" ( -- the key;\n  [x;y] TEXT DEFAULT 'it''s; fine' /* c; */, z BLOB DEFAULT x'00', n REAL DEFAULT -.5e3, j TEXT CHECK (j ->> '$.a' <> 1));";

  it("cuts the text into pieces that cover it exactly", () => {
    const pieces = scanSql(sql);
    expect(pieces.map((piece) => sql.slice(piece.start, piece.end)).join("")).toBe(sql);
    expect(pieces.every((piece, at) => piece.start === (at === 0 ? 0 : pieces[at - 1].end))).toBe(true);
    expect(pieces.filter((piece) => piece.type === "comment").map((piece) => sql.slice(piece.start, piece.end))).toEqual(["-- the key;\n", "/* c; */"]);
  });

  it("reads names, strings, blobs, numbers and operators as SQLite does", () => {
    const tokens = tokenize(sql);
    expect(tokens.filter((token) => token.type === "quoted").map((token) => token.value)).toEqual(['a"b', "x;y"]);
    expect(tokens.filter((token) => token.type === "string").map((token) => token.text)).toEqual(["'it''s; fine'", "'$.a'"]);
    expect(tokens.filter((token) => token.type === "blob" || token.type === "number").map((token) => token.text)).toEqual(["x'00'", ".5e3", "1"]);
    expect(tokens.filter((token) => token.text === ";")).toHaveLength(1);
    expect(tokens.some((token) => token.text === "->>")).toBe(true);
    expect(foldWhiteSpace("lower( hex(x) )  /* why */ ||\n 'a'")).toBe("lower(hex(x)) || 'a'");
  });

  it("marks what the text ends inside", () => {
    const last = (text: string) => scanSql(text).at(-1)!;
    expect(last("SELECT 'open").unterminated).toBe(true);
    expect(last('SELECT "open').unterminated).toBe(true);
    expect(last("SELECT [open").unterminated).toBe(true);
    expect(last("SELECT 1 /* open").unterminated).toBe(true);
    expect(last("SELECT 1 -- a line comment may end the text").unterminated).toBeUndefined();
  });
});
