// TypeScript declarations as source text, written exactly as prettier (printWidth 120) prints them, so that
// `generate` needs neither ts-morph nor prettier to write the types. Only the few shapes generated modules use are
// written here, with the two line breaks they need (a long union alias, a long function signature). A block this
// module cannot vouch for (a line still too long, or type text a user wrote) is passed to prettier by
// render-types.ts; test/types/typescript-text.test.ts holds every shape to prettier's output.

export const printWidth = 120;

export interface Member {
  name: string;
  type: string;
  optional?: boolean;
  /** The JSDoc text, lines separated by "\n". */
  docs?: string;
}

/**
 * A property name as prettier prints it: bare when it is a JavaScript identifier name (`Straße` too), otherwise a
 * string (`"order id"`, `'say "hi"'`). Any table or column name SQLite accepts is a property here.
 */
export function propertyKey(name: string): string {
  return isIdentifierName(name) ? name : stringLiteral(name);
}

/** `row.name`, or `row["order id"]` when the name is not an identifier. */
export function propertyAccess(object: string, name: string): string {
  return isIdentifierName(name) ? `${object}.${name}` : `${object}[${stringLiteral(name)}]`;
}

function isIdentifierName(name: string): boolean {
  return /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u.test(name);
}

/** A string literal as prettier prints it: double quotes, unless the text holds more double than single quotes. */
export function stringLiteral(text: string): string {
  const doubles = text.split('"').length - 1;
  const singles = text.split("'").length - 1;
  const quote = doubles > singles ? "'" : '"';
  return `${quote}${text.replaceAll("\\", "\\\\").replaceAll(quote, `\\${quote}`)}${quote}`;
}

/** `/** text *\/` on one line, or one ` * line` a line: how generated JSDoc is printed. */
export function docComment(text: string | undefined, indent = ""): string[] {
  if (text === undefined) return [];
  const lines = text.split("\n");
  if (lines.length === 1) return [`${indent}/** ${lines[0]} */`];
  return [`${indent}/**`, ...lines.map((line) => (line === "" ? `${indent} *` : `${indent} * ${line}`)), `${indent} */`];
}

export function interfaceDeclaration(name: string, members: readonly Member[], docs?: string): string {
  if (members.length === 0) return [...docComment(docs), `export interface ${name} {}`].join("\n");
  const body = members.flatMap((member) => [...docComment(member.docs, "  "), `  ${propertyKey(member.name)}${member.optional ? "?" : ""}: ${member.type};`]);
  return [...docComment(docs), `export interface ${name} {`, ...body, "}"].join("\n");
}

/**
 * `export type Name = A | B;`; when longer than the print width, the union on the next line, indented; when that
 * is too long as well, one `| A` a line.
 */
export function typeAliasDeclaration(name: string, union: readonly string[], docs?: string): string {
  const head = `export type ${name} =`;
  const oneLine = `${head} ${union.join(" | ")};`;
  const nextLine = `  ${union.join(" | ")};`;
  const lines =
    oneLine.length <= printWidth || union.length < 2
      ? [oneLine]
      : nextLine.length <= printWidth
        ? [head, nextLine]
        : [head, ...union.map((member, index) => `  | ${member}${index === union.length - 1 ? ";" : ""}`)];
  return [...docComment(docs), ...lines].join("\n");
}

/** `export const name = z.object({ … }) satisfies …;` with one property a line (prettier keeps an object broken). */
export function objectConstDeclaration(
  name: string,
  call: string,
  properties: readonly { name: string; value: string }[],
  tail: string,
  docs?: string,
): string {
  return [
    ...docComment(docs),
    `export const ${name} = ${call}({`,
    ...properties.map((property) => `  ${propertyKey(property.name)}: ${property.value},`),
    `})${tail};`,
  ].join("\n");
}

/**
 * A function of one parameter whose body is one statement; the parameter goes on its own line when the signature is
 * too long. (Prettier breaks a return type that is an object literal instead: that line is left to prettier.)
 */
export function functionDeclaration(name: string, parameter: string, returnType: string, statement: string, docs?: string): string {
  const oneLine = `export function ${name}(${parameter}): ${returnType} {`;
  const head =
    oneLine.length <= printWidth || isObjectLiteralType(returnType) ? [oneLine] : [`export function ${name}(`, `  ${parameter},`, `): ${returnType} {`];
  return [...docComment(docs), ...head, `  ${statement}`, "}"].join("\n");
}

/** `{ a: string }`, not `{ a: string }[]` nor `{ a: string } | null`. */
function isObjectLiteralType(type: string): boolean {
  if (!type.startsWith("{")) return false;
  let depth = 0;
  for (let position = 0; position < type.length; position++) {
    if (type[position] === "{") depth++;
    else if (type[position] === "}" && --depth === 0) return position === type.length - 1;
  }
  return false;
}

/** Whether prettier would print this text as it is, as far as this module can tell: no code line too long. */
export function fitsPrintWidth(text: string): boolean {
  return text.split("\n").every((line) => line.length <= printWidth || /^\s*(\/\*\*|\*)/.test(line));
}

/**
 * Whether type text written by a user (a JSON column's `tsType`) is already in prettier's form: names, generics
 * and arrays, unions, double-quoted strings and one-line object types, spaced as prettier spaces them. Anything
 * else (parentheses, functions, odd spacing) sends its block to prettier.
 */
export function isPrettierTypeText(text: string): boolean {
  let position = 0;
  const take = (token: string): boolean => {
    if (!text.startsWith(token, position)) return false;
    position += token.length;
    return true;
  };
  const takeMatch = (pattern: RegExp): boolean => {
    const match = pattern.exec(text.slice(position));
    if (!match) return false;
    position += match[0].length;
    return true;
  };
  const word = () => takeMatch(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*/);
  const union = (): boolean => {
    if (!member()) return false;
    while (take(" | ")) if (!member()) return false;
    return true;
  };
  const member = (): boolean => {
    if (!atom()) return false;
    while (take("[]"));
    return true;
  };
  const atom = (): boolean => {
    if (takeMatch(/^"[\w .:/-]*"/) || takeMatch(/^\d+/)) return true;
    if (take("{ ")) {
      do {
        if (!word()) return false;
        take("?");
        if (!take(": ") || !union()) return false;
      } while (take("; "));
      return take(" }");
    }
    if (!word()) return false;
    if (take("<")) {
      do if (!union()) return false;
      while (take(", "));
      return take(">");
    }
    return true;
  };
  return union() && position === text.length;
}
