/**
 * Offline check that a statement is valid for Athena engine v3: Trino SQL checked by
 * dt-sql-parser's TrinoSQL, plus Athena's own UNLOAD, whose documented form
 * (https://docs.aws.amazon.com/athena/latest/ug/unload.html) is
 * `UNLOAD (SELECT …) TO 's3://bucket/folder/' WITH ( property_name = 'expression' [, …] )`:
 * the wrapper is matched exactly and the SELECT inside goes to the Trino parser.
 */
import { TrinoSQL } from 'dt-sql-parser';

const UNLOAD =
  /^UNLOAD \(\n([\s\S]*)\n\) TO 's3:\/\/[a-z0-9.-]+\/[^']*\/' WITH \((\s*[a-z_]+ = '[A-Za-z0-9_]+'\s*(,\s*[a-z_]+ = '[A-Za-z0-9_]+'\s*)*)\)$/;

/** The problems found (empty when valid). */
export function athenaSqlProblems(sql: string, parser = new TrinoSQL()): string[] {
  if (/^\s*UNLOAD\b/i.test(sql)) {
    const m = UNLOAD.exec(sql);
    if (!m) return ["UNLOAD wrapper does not match Athena's UNLOAD (SELECT …) TO 's3://…/' WITH (…) form"];
    return parser.validate(m[1]!).map((e) => e.message);
  }
  return parser.validate(sql).map((e) => e.message);
}
