/**
 * The house rules of docs/design.md §1 that a compiler does not check, checked on the source itself
 * (parsed with TypeScript, so comments never count): what each folder may import, that only the
 * composition root constructs adapters, and that SQL is written in core/sql alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

interface Source {
  /** Path relative to the repository, `/`-separated. */
  readonly path: string;
  readonly file: ts.SourceFile;
}

function sources(folder: string): Source[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
    );
  return walk(join(ROOT, folder)).map((abs) => ({
    path: relative(ROOT, abs).split(sep).join('/'),
    file: ts.createSourceFile(abs, readFileSync(abs, 'utf8'), ts.ScriptTarget.Latest, true),
  }));
}

function visit(file: ts.SourceFile, fn: (node: ts.Node) => void): void {
  const walk = (node: ts.Node): void => {
    fn(node);
    ts.forEachChild(node, walk);
  };
  walk(file);
}

/** Every module specifier: static imports and exports, `import()` and `import type`. */
function imports(file: ts.SourceFile): string[] {
  const found: string[] = [];
  visit(file, (node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) found.push(arg.text);
    }
  });
  return found;
}

/** `file` resolved against the importing file, as a repository path (for relative specifiers). */
function resolved(from: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  const parts = from.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return parts.join('/');
}

/** Locations of nodes matching `test`, as `path:line  text`. */
function findings(files: readonly Source[], test: (node: ts.Node, source: Source) => boolean): string[] {
  const out: string[] = [];
  for (const source of files) {
    visit(source.file, (node) => {
      if (!test(node, source)) return;
      const { line } = source.file.getLineAndCharacterOfPosition(node.getStart(source.file));
      out.push(`${source.path}:${line + 1}  ${node.getText(source.file).slice(0, 80)}`);
    });
  }
  return out;
}

const functions = sources('functions');
const production = [...functions, ...sources('infra')];
const under = (folder: string) => functions.filter((s) => s.path.startsWith(`functions/${folder}/`));

function forbiddenImports(files: readonly Source[], forbidden: (target: string) => boolean): string[] {
  return files.flatMap((s) =>
    imports(s.file)
      .filter((spec) => forbidden(resolved(s.path, spec)))
      .map((spec) => `${s.path} imports ${spec}`),
  );
}

describe('functions/core is pure', () => {
  it('imports no SDK, no DuckDB, no file system, and nothing outside core', () => {
    const bad = forbiddenImports(under('core'), (target) =>
      /^(@aws-sdk\/|@aws-lambda-powertools\/|@duckdb\/|node:fs|fs$|fs\/|node:child_process|node:os)/.test(target)
        ? true
        : target.startsWith('functions/') && !target.startsWith('functions/core/'),
    );
    expect(bad).toEqual([]);
  });

  it('never reads process.env (or anything of process)', () => {
    const bad = findings(under('core'), (node) => ts.isIdentifier(node) && node.text === 'process');
    expect(bad).toEqual([]);
  });
});

describe('who may import whom', () => {
  it('adapters import core only (no wiring, CLI, Lambda or demo)', () => {
    expect(forbiddenImports(under('adapters'), (t) => /^functions\/(wiring|cli|nightly|demo)\//.test(t))).toEqual([]);
  });

  it('the demo does not import the CLI, and nothing but the CLI imports the CLI', () => {
    const outsideCli = functions.filter((s) => !s.path.startsWith('functions/cli/'));
    expect(forbiddenImports(outsideCli, (t) => t.startsWith('functions/cli/'))).toEqual([]);
  });

  it('the Lambda handler does not import the CLI or the demo', () => {
    expect(forbiddenImports(under('nightly'), (t) => /^functions\/(cli|demo)\//.test(t))).toEqual([]);
  });
});

describe('the composition root', () => {
  const ADAPTERS = [
    'AthenaEngine',
    'DuckDbEngine',
    'LocalResultStore',
    'S3ResultStore',
    'LocalNotifier',
    'SnsNotifier',
    'AthenaState',
    'DuckDbState',
  ];
  const constructs = (node: ts.Node): boolean => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) return ADAPTERS.includes(node.expression.text);
    // The static factories: DuckDbEngine.open, S3ResultStore.fromUri.
    return (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ts.isIdentifier(node.expression.expression) &&
      ADAPTERS.includes(node.expression.expression.text)
    );
  };

  it('is the only place that constructs an engine, a store or a notifier', () => {
    // An adapter may build its own parts (the engine its state, the S3 store in its factory).
    const outside = production.filter((s) => !s.path.startsWith('functions/wiring/') && !s.path.startsWith('functions/adapters/'));
    expect(findings(outside, constructs)).toEqual([]);
    const adapterFindings = findings(under('adapters'), constructs);
    expect(adapterFindings.map((f) => f.split(':')[0])).toEqual(
      expect.arrayContaining(['functions/adapters/athena-engine.ts', 'functions/adapters/duckdb-engine.ts']),
    );
    expect(adapterFindings.every((f) => /new (AthenaState|DuckDbState|DuckDbEngine|S3ResultStore)\(/.test(f))).toBe(true);
  });
});

describe('SQL lives in functions/core/sql', () => {
  // A keyword that starts a statement or a clause, or a DuckDB table function, in a string of code.
  const SQL =
    /\b(SELECT\s+(\*|DISTINCT|[a-z_"(])|UNLOAD\s*\(|COPY\s*\(|CREATE\s+(OR\s+REPLACE\s+|TEMP\s+)?(VIEW|TABLE)|INSERT\s+INTO|GROUP\s+BY|WHERE\s+["a-z(]|read_parquet\(|read_json\()/;
  const text = (node: ts.Node): string | undefined =>
    ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node) ? node.text : undefined;

  it('no string of code outside it holds SQL (tests and the benchmark aside)', () => {
    const outside = production.filter((s) => !s.path.startsWith('functions/core/sql/'));
    expect(findings(outside, (node) => SQL.test(text(node) ?? ''))).toEqual([]);
  });

  it('the check sees SQL where there is some', () => {
    expect(findings(under('core/sql'), (node) => SQL.test(text(node) ?? '')).length).toBeGreaterThan(20);
  });
});

describe('what `nsm` loads', () => {
  /** Specifiers a module loads when it is loaded: static imports and re-exports, not `import type` or `import()`. */
  function staticImports(file: ts.SourceFile): string[] {
    const found: string[] = [];
    for (const node of file.statements) {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const clause = node.importClause;
        const typeOnly =
          clause?.isTypeOnly ||
          (clause &&
            !clause.name &&
            clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly));
        if (!typeOnly) found.push(node.moduleSpecifier.text);
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) {
        found.push(node.moduleSpecifier.text);
      }
    }
    return found;
  }

  const byPath = new Map(functions.map((s) => [s.path.replace(/\.ts$/, ''), s]));

  /** Every package a module loads, following relative static imports through the repository. */
  function packagesLoadedBy(start: string): Set<string> {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const walk = (path: string): void => {
      if (seen.has(path)) return;
      seen.add(path);
      const source = byPath.get(path) ?? byPath.get(`${path}/index`);
      if (!source) return;
      for (const spec of staticImports(source.file)) {
        if (spec.startsWith('.')) walk(resolved(source.path, spec));
        else packages.add(spec);
      }
    };
    walk(start);
    return packages;
  }

  const heavy = (packages: Set<string>) => [...packages].filter((p) => /^(@aws-sdk\/|@duckdb\/)/.test(p));

  it('its start-up (every command module) loads neither the AWS SDK nor DuckDB: commands import them when run', () => {
    expect(heavy(packagesLoadedBy('functions/cli/main'))).toEqual([]);
  });

  it("a local lake's `nsm init` (profile-lake) loads DuckDB but not the AWS SDK", () => {
    const loaded = heavy(packagesLoadedBy('functions/wiring/profile-lake'));
    expect(loaded).toContain('@duckdb/node-api');
    expect(loaded.filter((p) => p.startsWith('@aws-sdk/'))).toEqual([]);
    // The walk follows imports far enough to see the SDK where it is loaded.
    expect(heavy(packagesLoadedBy('functions/wiring/profile-s3-lake'))).toEqual(
      expect.arrayContaining(['@aws-sdk/client-s3', '@duckdb/node-api']),
    );
  });
});
