#!/usr/bin/env node
// Type-checks every code example users read: each ```ts block of README.md and docs/**/*.md, and
// each ```ts block under an `@example` tag in the doc comments of src/**/*.ts.
//
// Each block becomes its own ES module in a temporary directory ("type": "module", module node16,
// so top-level await is allowed, as in a user's ESM project). 'rx-orchestration' and
// 'rx-orchestration/testing' resolve through this package's `exports` to the BUILT package in
// dist/ (run `npm run build` first), exactly as a user's project would import it. One `tsc --noEmit`
// checks every block; each error is printed at the line of the markdown or source file it came from.
//
// A block whose info string is `ts ignore` (```ts ignore) is skipped: for fragments that cannot
// stand alone. Prefer complete examples.
//
// It also checks that every relative link of README.md and docs/ points at a file that exists
// and, with a #anchor, at a heading of that file; and that every repository path it names in
// backticks (`src/...`, `spec/...`, `demos/...`, ...) exists.
//
// Usage: node scripts/check-docs.js [--keep]   (--keep leaves the temporary directory for a look)
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, relative, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const NODE_MODULES = join(ROOT, 'node_modules');

/** Files under `dir` (relative to ROOT) whose name ends with `suffix`, sorted. */
function walk(dir, suffix) {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return walk(path, suffix);
      return entry.name.endsWith(suffix) ? [path] : [];
    })
    .sort();
}

const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/;

/**
 * Fenced blocks of markdown text: { line (1-based, first line of code), code, lang, info }.
 * `lineOf(i)` maps the i-th line of `lines` to its line in the original file.
 */
function fencedBlocks(lines, lineOf) {
  const blocks = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = FENCE_OPEN.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang, info] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length; j += 1) {
      const close = lines[j].trim();
      if (close.startsWith(fence[0].repeat(fence.length)) && /^[`~]+$/.test(close)) break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
    }
    blocks.push({ line: lineOf(i + 1), code: body.join('\n'), lang, info: info.trim() });
    i = j;
  }
  return blocks;
}

function markdownBlocks(file) {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  return fencedBlocks(lines, (i) => i + 1).map((block) => ({ ...block, file }));
}

/** The ```ts blocks that follow an `@example` tag inside the /** ... *\/ comments of a source file. */
function exampleBlocks(file) {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i += 1) {
    if (!/^\s*\/\*\*/.test(lines[i])) continue;
    const start = i;
    while (i < lines.length && !lines[i].includes('*/')) i += 1;
    const comment = lines.slice(start, i + 1).map((line) => line.replace(/^\s*(\/\*\*|\*\/|\*(?!\/) ?)/, '').replace(/\*\/\s*$/, ''));
    let inExample = false;
    const kept = comment.map((line) => {
      if (/^\s*@example\b/.test(line)) inExample = true;
      else if (/^\s*@\w+/.test(line)) inExample = false;
      return inExample ? line : '';
    });
    for (const block of fencedBlocks(kept, (k) => start + k + 1)) blocks.push({ ...block, file });
  }
  return blocks;
}

function markdownFiles() {
  return ['README.md', ...walk('docs', '.md')].filter((file) => existsSync(join(ROOT, file)));
}

function collect() {
  return [...markdownFiles().flatMap(markdownBlocks), ...walk('src', '.ts').flatMap(exampleBlocks)];
}

/** The anchors GitHub gives the headings of a markdown file (lowercase, punctuation dropped, - for spaces). */
function anchorsOf(file) {
  const seen = new Map();
  const anchors = new Set();
  let fence = false;
  for (const line of readFileSync(join(ROOT, file), 'utf8').split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const heading = !fence && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = heading[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Relative links of README.md and docs/ whose file or #anchor does not exist: "file:line: ..." each. */
function brokenLinks() {
  const broken = [];
  for (const file of markdownFiles()) {
    let fence = false;
    readFileSync(join(ROOT, file), 'utf8').split('\n').forEach((line, index) => {
      if (/^\s*(```|~~~)/.test(line)) fence = !fence;
      if (fence) return;
      for (const match of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1];
        if (/^[a-z]+:/i.test(target)) continue;
        const [path, anchor] = target.split('#');
        const linked = path ? relative(ROOT, resolve(ROOT, file, '..', path)) : file;
        if (!existsSync(join(ROOT, linked))) broken.push(`${file}:${index + 1}: link to a missing file: ${target}`);
        else if (anchor !== undefined && linked.endsWith('.md') && !anchorsOf(linked).has(anchor)) {
          broken.push(`${file}:${index + 1}: link to a missing heading: ${target}`);
        }
      }
      for (const match of line.matchAll(/`((?:src|spec|demos|scripts|bench|native|docs)\/[\w./-]+)`/g)) {
        if (!existsSync(join(ROOT, match[1]))) broken.push(`${file}:${index + 1}: names a path that does not exist: ${match[1]}`);
      }
    });
  }
  return broken;
}

/** A temporary ESM project that sees this package (by name) and its dependencies. */
function project(blocks) {
  const dir = mkdtempSync(join(tmpdir(), 'rxo-check-docs-'));
  mkdirSync(join(dir, 'node_modules'));
  for (const name of readdirSync(NODE_MODULES)) {
    if (name === 'rx-orchestration' || name.startsWith('.')) continue;
    symlinkSync(join(NODE_MODULES, name), join(dir, 'node_modules', name));
  }
  symlinkSync(ROOT, join(dir, 'node_modules', 'rx-orchestration'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'rxo-doc-examples', private: true, type: 'module' }));
  const files = blocks.map((block, index) => {
    const name = `${String(index).padStart(3, '0')}-${block.file.replace(/[^A-Za-z0-9]+/g, '_')}-L${block.line}.ts`;
    writeFileSync(join(dir, name), `${block.code}\n`);
    return name;
  });
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022', module: 'node16', moduleResolution: 'node16', lib: ['ES2022'], types: ['node'],
      strict: true, noEmit: true, skipLibCheck: true, moduleDetection: 'force', esModuleInterop: true,
    },
    files,
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  return { dir, files };
}

function main() {
  if (!existsSync(join(ROOT, 'dist', 'index.d.ts'))) {
    console.error('check-docs: dist/index.d.ts is missing: run `npm run build` first');
    return 2;
  }
  const all = collect();
  const blocks = all.filter((b) => b.lang === 'ts' || b.lang === 'typescript').filter((b) => !/\bignore\b/.test(b.info));
  const skipped = all.filter((b) => (b.lang === 'ts' || b.lang === 'typescript') && /\bignore\b/.test(b.info));
  const { dir, files } = project(blocks);
  const byName = new Map(files.map((name, index) => [name, blocks[index]]));
  const tsc = spawnSync(process.execPath, [join(NODE_MODULES, 'typescript', 'bin', 'tsc'), '-p', dir, '--pretty', 'false'], { encoding: 'utf8' });
  const errors = [];
  for (const line of `${tsc.stdout}${tsc.stderr}`.split('\n')) {
    if (!line.trim()) continue;
    const match = /^(.*?)\((\d+),(\d+)\): (error .*)$/.exec(line);
    const block = match && byName.get(relative(dir, resolve(dir, match[1])));
    if (block) errors.push(`${block.file}:${block.line + Number(match[2]) - 1}:${match[3]}: ${match[4]}`);
    else errors.push(line.startsWith(' ') && errors.length > 0 ? `  ${line.trim()}` : line);
  }
  if (process.argv.includes('--keep')) console.log(`check-docs: examples kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  for (const error of errors) console.log(error);
  const links = brokenLinks();
  for (const link of links) console.log(link);
  const where = `${new Set(blocks.map((b) => b.file)).size} files`;
  if (links.length > 0) console.log(`check-docs: ${links.length} broken links or paths`);
  const failed = tsc.status !== 0 || links.length > 0;
  console.log(`check-docs: ${blocks.length} examples from ${where} type-checked${skipped.length ? `, ${skipped.length} marked ignore` : ''}: ${failed ? `${errors.filter((e) => /: error /.test(e)).length} errors` : 'ok'}`);
  return failed ? 1 : 0;
}

process.exitCode = main();
