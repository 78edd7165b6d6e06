// Enforces the layering of docs/architecture.md: every import in src/ points upwards in the layer list
// (model ← errors ← config ← tls ← store ← identity ← api ← controller ← agent ← providers ← cli ← bin), plus
// the explicit bans (providers never import store or api; the CLI talks to the API over HTTP only), and the
// dashboard (dashboard/, a browser app) imports nothing outside its own folder: it too uses the APIs over HTTP.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const SRC = path.resolve(import.meta.dirname, '../../src');
const DASHBOARD = path.resolve(import.meta.dirname, '../../dashboard');
const LAYERS = [
  'model',
  'errors',
  'config',
  'tls',
  'store',
  'identity',
  'api',
  'controller',
  'agent',
  'providers',
  'cli',
  'bin',
];
const BANNED: Record<string, string[]> = {
  model: LAYERS.filter((l) => l !== 'model'),
  providers: ['store', 'api', 'identity', 'controller', 'agent'],
  cli: ['store', 'identity', 'api', 'controller', 'agent', 'providers'],
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

function layerOf(file: string): string {
  const first = path.relative(SRC, file).split(path.sep)[0];
  return first.replace(/\.ts$/, '');
}

function relativeImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:import|export)[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)];
  return specs.map((m) => m[1] ?? m[2]).filter((spec) => spec.startsWith('.'));
}

const edges = sourceFiles(SRC).flatMap((file) =>
  relativeImports(file).map((spec) => ({
    file: path.relative(SRC, file),
    from: layerOf(file),
    to: layerOf(path.resolve(path.dirname(file), spec)),
    spec,
  })),
);

describe('import rules', () => {
  it('finds the source tree and its imports', () => {
    assert.ok(edges.length > 20, 'expected to parse the imports of src/');
  });

  it('only lets a layer import itself or the layers above it', () => {
    const upward = edges.filter((e) => LAYERS.indexOf(e.to) > LAYERS.indexOf(e.from));
    assert.deepEqual(
      upward.map((e) => `${e.file} imports ${e.spec}`),
      [],
    );
  });

  it('keeps the model free of our other code, providers off the store and API, and the CLI on HTTP', () => {
    const banned = edges.filter((e) => BANNED[e.from]?.includes(e.to));
    assert.deepEqual(
      banned.map((e) => `${e.file} imports ${e.spec}`),
      [],
    );
  });

  it('names the .ts file in every relative import (Node strips types; tsc rewrites them to .js in dist)', () => {
    const bare = edges.filter((e) => !e.spec.endsWith('.ts'));
    assert.deepEqual(
      bare.map((e) => `${e.file} imports ${e.spec}`),
      [],
    );
  });

  it('keeps the dashboard to its own folder: no import reaches into src/ or anywhere else in the repository', () => {
    const files = sourceFiles(path.join(DASHBOARD, 'src'));
    assert.ok(files.length > 5, 'expected to find the dashboard sources');
    const outside = files.flatMap((file) =>
      relativeImports(file)
        .filter((spec) => !path.resolve(path.dirname(file), spec).startsWith(DASHBOARD + path.sep))
        .map((spec) => `${path.relative(DASHBOARD, file)} imports ${spec}`),
    );
    assert.deepEqual(outside, []);
  });

  it('declares no TypeScript enum or namespace', () => {
    const offenders = sourceFiles(SRC).filter((file) =>
      /^\s*(export\s+)?(const\s+)?(enum|namespace)\s+\w+/m.test(fs.readFileSync(file, 'utf8')),
    );
    assert.deepEqual(
      offenders.map((f) => path.relative(SRC, f)),
      [],
    );
  });
});
