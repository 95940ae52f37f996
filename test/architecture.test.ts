/**
 * The shape of src/ as rules a change cannot quietly break: the import graph has no cycle;
 * src/core never imports src/store (it speaks to the database through core/store's interface);
 * the watch screen and feeds (src/tui, src/watch) and src/format never import src/cli;
 * better-sqlite3 and raw `.sqlite` connection handles stay inside src/store; command specs load
 * their code only when they run and never import each other; a file past 400 lines says why.
 *
 * Imports are read from the source text: static imports and re-exports (type-only ones too,
 * so a cycle through types counts) and dynamic import() calls.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

interface Edge {
  to: string;
  /** `import type …` / `export type … from`: erased at run time. */
  typeOnly: boolean;
  dynamic: boolean;
}

interface SourceFile {
  /** Path relative to the repository, with forward slashes. */
  path: string;
  text: string;
  imports: Edge[];
  /** Bare specifiers (packages). */
  packages: string[];
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return walk(p);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Comments out, strings kept: specifiers live in strings. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const STATIC = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'"`;]*?\s+from\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function resolveSpecifier(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), `${base}.ts`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // try the next form
    }
  }
  return null;
}

function load(): Map<string, SourceFile> {
  const files = new Map<string, SourceFile>();
  for (const abs of walk(SRC)) {
    const text = readFileSync(abs, 'utf8');
    const code = stripComments(text);
    const imports: Edge[] = [];
    const packages: string[] = [];
    const add = (spec: string, typeOnly: boolean, dynamic: boolean) => {
      const target = resolveSpecifier(abs, spec);
      if (target) imports.push({ to: relative(ROOT, target).split('\\').join('/'), typeOnly, dynamic });
      else if (!spec.startsWith('.')) packages.push(spec);
      else throw new Error(`${relative(ROOT, abs)}: cannot resolve ${spec}`);
    };
    for (const m of code.matchAll(STATIC)) add(m[3], Boolean(m[2]), false);
    for (const m of code.matchAll(DYNAMIC)) add(m[1], false, true);
    const path = relative(ROOT, abs).split('\\').join('/');
    files.set(path, { path, text, imports, packages });
  }
  return files;
}

const files = load();
const inDir = (path: string, dir: string) => path.startsWith(`src/${dir}/`);

/** Every cycle's files, found by a depth-first walk (each cycle reported once per entry point). */
function cycles(graph: Map<string, SourceFile>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const e of graph.get(node)?.imports ?? []) {
      const s = state.get(e.to);
      if (s === 'open') found.push([...stack.slice(stack.indexOf(e.to)), e.to]);
      else if (s === undefined) visit(e.to);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe('architecture of src/', () => {
  it('reads a real graph (sanity: the parser finds the imports it must)', () => {
    expect(files.size).toBeGreaterThan(100);
    const main = files.get('src/cli/main.ts')!;
    expect(main.imports.map((e) => e.to)).toContain('src/cli/commands/query.ts');
    const spec = files.get('src/cli/commands/query.ts')!;
    expect(spec.imports.some((e) => e.dynamic && e.to === 'src/cli/query/stats.ts')).toBe(true);
    expect(files.get('src/store/sqlite/open.ts')!.packages).toContain('better-sqlite3');
  });

  it('has no import cycle', () => {
    expect(cycles(files).map((c) => c.join(' → '))).toEqual([]);
  });

  it('src/core never imports src/store, src/jobs or src/cli', () => {
    const bad = [...files.values()]
      .filter((f) => inDir(f.path, 'core'))
      .flatMap((f) => f.imports.filter((e) => inDir(e.to, 'store') || inDir(e.to, 'jobs') || inDir(e.to, 'cli')).map((e) => `${f.path} → ${e.to}`));
    expect(bad).toEqual([]);
  });

  it('src/store never imports src/cli or src/jobs', () => {
    const bad = [...files.values()]
      .filter((f) => inDir(f.path, 'store'))
      .flatMap((f) => f.imports.filter((e) => inDir(e.to, 'cli') || inDir(e.to, 'jobs')).map((e) => `${f.path} → ${e.to}`));
    expect(bad).toEqual([]);
  });

  it('src/tui, src/watch and src/format never import src/cli (commands use them, not the other way)', () => {
    const bad = [...files.values()]
      .filter((f) => inDir(f.path, 'tui') || inDir(f.path, 'watch') || inDir(f.path, 'format'))
      .flatMap((f) => f.imports.filter((e) => inDir(e.to, 'cli')).map((e) => `${f.path} → ${e.to}`));
    expect(bad).toEqual([]);
  });

  it('better-sqlite3 and raw .sqlite handles stay inside src/store', () => {
    const outside = [...files.values()].filter((f) => !inDir(f.path, 'store'));
    const imports = outside.filter((f) => f.packages.includes('better-sqlite3')).map((f) => f.path);
    const handles = outside.filter((f) => /\.sqlite\b(?!['"`])/.test(stripComments(f.text))).map((f) => f.path);
    expect({ imports, handles }).toEqual({ imports: [], handles: [] });
  });

  it('command specs load their code only when they run, and never import each other', () => {
    const bad: string[] = [];
    for (const f of files.values()) {
      if (!inDir(f.path, 'cli/commands')) continue;
      for (const e of f.imports) {
        if (inDir(e.to, 'cli/commands') && !e.to.endsWith('/types.ts')) bad.push(`${f.path} → ${e.to} (another command)`);
        const heavy = inDir(e.to, 'cli/actions') || inDir(e.to, 'cli/shared') || (inDir(e.to, 'cli/query') && !e.to.endsWith('/names.ts'));
        if (heavy && !e.dynamic && !e.typeOnly) bad.push(`${f.path} → ${e.to} (load it in the action)`);
        if ((inDir(e.to, 'store') || inDir(e.to, 'jobs')) && !e.dynamic && !e.typeOnly) bad.push(`${f.path} → ${e.to} (load it in the action)`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('a file over 400 lines says why in its header comment', () => {
    const long = [...files.values()]
      .filter((f) => f.text.split('\n').length > 400)
      .filter((f) => {
        const header = /^\s*\/\*\*?([\s\S]*?)\*\//.exec(f.text)?.[1] ?? '';
        return !/longer than 400 lines because|over 400 lines because/i.test(header);
      })
      .map((f) => `${f.path} (${f.text.split('\n').length} lines)`);
    expect(long).toEqual([]);
  });
});
