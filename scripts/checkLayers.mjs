// The floor plan's check (docs/architecture.md): no file-level import cycle in src/, no import
// into an area the plan does not allow, and no import from a folder to one on its own floor or
// above. Usage: node scripts/checkLayers.mjs [--root DIR] [--plan FILE] [--json]
// Exits 0 when the plan holds, 1 with one line per violation otherwise, 2 on a bad plan.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The fenced blocks of the plan: `areas` (who may import whom) and `floors` (top floor first). */
export function parsePlan(markdown) {
  const block = (name) => {
    const m = markdown.match(new RegExp('```' + name + '\\n([\\s\\S]*?)```'));
    if (!m) throw new Error(`the plan has no \`\`\`${name} block`);
    return m[1].split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
  };
  const areas = new Map();
  for (const line of block('areas')) {
    const [name, rest] = line.split(':');
    areas.set(name.trim(), new Set(rest.split(',').map((s) => s.trim()).filter(Boolean)));
  }
  // floor index per folder: 0 is the top floor; a line of several folders is one floor.
  const floors = new Map();
  block('floors').forEach((line, i) => {
    for (const folder of line.split(/\s+/)) floors.set(folder.replace(/:$/, ''), i);
  });
  return { areas, floors };
}

/** Relative module specifiers a TypeScript file imports (static, re-exports, import(), require()). */
export function importSpecifiers(source) {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const out = [];
  const patterns = [/\bfrom\s*'([^']+)'/g, /\bimport\s*'([^']+)'/g, /\bimport\(\s*'([^']+)'\s*\)/g, /\brequire\(\s*'([^']+)'\s*\)/g];
  for (const re of patterns) for (const m of code.matchAll(re)) if (m[1].startsWith('.')) out.push(m[1]);
  return out;
}

/** The TypeScript sources under `dir` (declarations left out); checkSafeText.mjs walks the same. */
export function tsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [full] : [];
  });
}

function resolveImport(fromFile, spec) {
  const base = path.resolve(path.dirname(fromFile), spec);
  for (const candidate of [base + '.ts', path.join(base, 'index.ts'), base.replace(/\.js$/, '.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** The import graph of every .ts file below `root`: file → files it imports (paths relative to root). */
export function importGraph(root) {
  const graph = new Map();
  for (const file of tsFiles(root)) {
    const targets = [];
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
      const target = resolveImport(file, spec);
      if (target && target.startsWith(root + path.sep)) targets.push(path.relative(root, target));
    }
    graph.set(path.relative(root, file), [...new Set(targets)]);
  }
  return graph;
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
export function cycles(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

const folderOf = (file) => path.dirname(file).split(path.sep).join('/');
const areaOf = (folder) => folder.split('/')[0];

/** Every way the graph breaks the plan, one readable line each (empty when it holds). */
export function violations(graph, plan) {
  const out = [];
  const unplaced = new Set();
  const floorOf = (folder) => {
    if (!plan.floors.has(folder)) unplaced.add(folder);
    return plan.floors.get(folder);
  };
  for (const [file, targets] of graph) {
    const from = folderOf(file);
    const fromFloor = floorOf(from);
    for (const target of targets) {
      const to = folderOf(target);
      if (from === to) continue;
      const [a, b] = [areaOf(from), areaOf(to)];
      if (a !== b) {
        if (!plan.areas.get(a)?.has(b)) out.push(`area: src/${file} imports src/${target} (${a} may import ${[...(plan.areas.get(a) ?? [])].join(', ') || 'no other area'})`);
        continue;
      }
      const toFloor = floorOf(to);
      if (fromFloor === undefined || toFloor === undefined) continue;
      if (toFloor === fromFloor) out.push(`floor: src/${file} imports src/${target} (${from} and ${to} share a floor)`);
      else if (toFloor < fromFloor) out.push(`upward: src/${file} imports src/${target} (${to} is above ${from})`);
    }
  }
  for (const folder of [...unplaced].sort()) out.push(`unplaced: src/${folder} has no floor in the plan`);
  for (const component of cycles(graph)) out.push(`cycle: ${component.map((f) => `src/${f}`).join(' → ')}`);
  return out;
}

async function main(argv) {
  const arg = (name, fallback) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : fallback;
  };
  const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
  const root = path.resolve(arg('--root', path.join(repo, 'src')));
  const planFile = path.resolve(arg('--plan', path.join(repo, 'docs', 'architecture.md')));
  let plan;
  try {
    plan = parsePlan(readFileSync(planFile, 'utf8'));
  } catch (e) {
    console.error(`checkLayers: cannot read the plan ${planFile}: ${e.message}`);
    return 2;
  }
  const graph = importGraph(root);
  const found = violations(graph, plan);
  const edges = [...graph.values()].reduce((n, t) => n + t.length, 0);
  if (argv.includes('--json')) console.log(JSON.stringify({ files: graph.size, imports: edges, violations: found }, null, 2));
  else if (found.length === 0) console.log(`checkLayers: ${graph.size} files, ${edges} imports: no cycle, no upward import`);
  else console.error(`checkLayers: ${found.length} breaks of the floor plan (docs/architecture.md)\n${found.join('\n')}`);
  return found.length === 0 ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await main(process.argv.slice(2));
