// How numbers read in the bench's markdown: seconds, megabytes, ratios, sizes, table counts.
import type { Measurement } from "./measure.js";

export const seconds = (measurement: Measurement | undefined) =>
  measurement?.medianSeconds === undefined ? (measurement?.failed ? "failed" : "–") : `${measurement.medianSeconds.toFixed(2)} s`;
export const megabytes = (measurement: Measurement | undefined) => (measurement?.peakMb === undefined ? "–" : `${measurement.peakMb.toFixed(0)} MB`);
export const ratio = (numerator: number | undefined, denominator: number | undefined) =>
  numerator === undefined || denominator === undefined || denominator === 0 ? undefined : numerator / denominator;
export const times = (value: number | undefined, digits = 1) => (value === undefined ? "–" : `${value.toFixed(digits)}×`);
export const kilobytes = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`);
export const count = (tables: number) => tables.toLocaleString("en-US");
