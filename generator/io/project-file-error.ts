// Beside the files it is about (control-files.js) rather than beside SchemaError in model/, which is part of the
// generator fingerprint that stamps generated files: this error has nothing to do with what they contain.
/**
 * A file d1-schema keeps in the project root for itself (the lock, the write journal) in a state it cannot act on.
 * The CLI prints it like a SchemaError (exit 2, no stack): the file, the problem, and how to fix it.
 */
export class ProjectFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly hint: string,
  ) {
    super(`${[file, problem].filter(Boolean).join(" ")}\n  fix: ${hint}`);
    this.name = "ProjectFileError";
  }
}
