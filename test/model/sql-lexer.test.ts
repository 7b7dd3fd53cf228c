// The one SQL lexer every reader of SQL here uses (the statement splitter, the CREATE parser, comparison keys): its
// pieces cover the text exactly, quoted names lose their quotes, and what the text ends inside is marked.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foldWhiteSpace, scanSql, splitSqlStatements, tokenize } from "../../generator/model/sql-lexer.js";

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

/** The statements as the pieces make them: what splitSqlStatements must give, written the plain way. */
function statementsByPieces(sql: string): string[] | undefined {
  const statements: string[] = [];
  let current = "";
  for (const piece of scanSql(sql)) {
    if (piece.unterminated) return undefined;
    if (piece.type === "comment") current += " ";
    else if (piece.type === "punct" && sql[piece.start] === ";") {
      if (current.trim()) statements.push(current.trim());
      current = "";
    } else current += sql.slice(piece.start, piece.end);
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}

describe("splitting SQL into statements", () => {
  it("cuts where the pieces have a `;`, with comments as spaces", () => {
    const sample = "CREATE TABLE \"a\"\"b\" ( -- the key;\n  [x;y] TEXT DEFAULT 'it''s; fine' /* c; */, z BLOB DEFAULT x'00');\nSELECT `q;``r`;";
    expect(splitSqlStatements(sample)).toEqual(statementsByPieces(sample));
    expect(splitSqlStatements(sample)).toHaveLength(2);
    expect(splitSqlStatements("SELECT 1; -- a; b\nSELECT 'x;y' /* ; */ ;; SELECT [a;b]")).toEqual(["SELECT 1", "SELECT 'x;y'", "SELECT [a;b]"]);
    expect(splitSqlStatements("SELECT 'never ends;")).toBeUndefined();
    expect(splitSqlStatements("SELECT 1 /* never ends")).toBeUndefined();
    expect(splitSqlStatements("SELECT 1 -- to the end, no newline")).toEqual(["SELECT 1"]);
  });

  it("agrees with the pieces on random text made of what decides where a statement ends", () => {
    const fragments = [
      ";",
      "'",
      "''",
      '"',
      '""',
      "`",
      "[",
      "]",
      "--",
      "-",
      "/*",
      "*/",
      "/",
      "*",
      "\n",
      " ",
      "x'",
      "X",
      "a",
      "1e-",
      "5",
      "->>",
      "$",
      "é",
      "\u00a0",
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 40 }), (parts) => {
        const text = parts.join("");
        expect(splitSqlStatements(text)).toEqual(statementsByPieces(text));
      }),
      { numRuns: 3000 },
    );
  });

  it("agrees with the pieces on every migration and squash in the repository", () => {
    const files = ["../../migrations", "../../test"].flatMap((folder) => {
      const root = path.join(import.meta.dirname, folder);
      return readdirSync(root, { recursive: true, encoding: "utf8" })
        .filter((file) => file.endsWith(".sql"))
        .map((file) => path.join(root, file));
    });
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      expect(splitSqlStatements(text), file).toEqual(statementsByPieces(text));
    }
  });
});
