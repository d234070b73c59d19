/** A timestamp column as ISO 8601 text: node-postgres gives a Date, PGlite may give a string. */
export function isoDate(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}
