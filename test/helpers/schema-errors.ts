// What a piece of work that must be refused threw: the tests' one way to catch a SchemaError and read it.
import { SchemaError, SchemaErrors } from "../../generator/model/errors.js";

/** The SchemaErrors a build throws (one SchemaError or a SchemaErrors batch); fails when it throws nothing. */
export function errorsOf(build: () => unknown): SchemaError[] {
  try {
    build();
  } catch (error) {
    if (error instanceof SchemaErrors) return error.errors;
    if (error instanceof SchemaError) return [error];
    throw error;
  }
  throw new Error("expected the schema to be rejected, but it was accepted");
}

/** The one SchemaError `work` throws (generate's refusal of a migration); fails when it throws nothing. */
export function refusal(work: () => unknown): SchemaError {
  try {
    work();
  } catch (error) {
    if (error instanceof SchemaError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}
