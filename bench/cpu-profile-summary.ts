// Reads the .cpuprofile files V8 writes under --cpu-prof (one per process) and prints, per process, the
// functions with the most self and inclusive time: `node bench/cpu-profile-summary.ts <dir> [top=25]`.
// Format: https://chromedevtools.github.io/devtools-protocol/tot/Profiler/#type-Profile
import fs from 'node:fs';
import path from 'node:path';

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
export type FunctionTime = { name: string; self: number; inclusive: number };

const label = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^file:\/\//, '').replace(/^.*\/(src|dist|node_modules)\//, '$1/');
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
};

/** Self and inclusive time (ms) per function; a function recursing counts once per sample. */
export function summarize(profile: Profile): FunctionTime[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const sampleTime = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    sampleTime.set(id, (sampleTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const times = new Map<string, FunctionTime>();
  const entry = (name: string) => {
    const known = times.get(name);
    if (known) return known;
    const fresh = { name, self: 0, inclusive: 0 };
    times.set(name, fresh);
    return fresh;
  };
  for (const [id, ms] of sampleTime) {
    entry(label(byId.get(id) as ProfileNode)).self += ms;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = label(byId.get(at) as ProfileNode);
      if (seen.has(name)) continue;
      seen.add(name);
      entry(name).inclusive += ms;
    }
  }
  return [...times.values()];
}

function print(file: string, top: number): void {
  const figures = summarize(JSON.parse(fs.readFileSync(file, 'utf8')) as Profile);
  const total = figures.reduce((sum, f) => sum + f.self, 0);
  const idle = figures.filter((f) => /^\((idle|program|garbage collector)\)/.test(f.name));
  console.log(`\n${path.basename(file)}: ${total.toFixed(0)} ms sampled`);
  for (const f of idle) console.log(`  ${f.name.split(' ')[0]}: ${f.self.toFixed(0)} ms`);
  const rows = (key: 'self' | 'inclusive') =>
    [...figures]
      .filter((f) => !f.name.startsWith('('))
      .sort((a, b) => b[key] - a[key])
      .slice(0, top);
  for (const key of ['self', 'inclusive'] as const) {
    console.log(`  by ${key} time:`);
    for (const f of rows(key)) {
      console.log(`    ${f[key].toFixed(1).padStart(9)} ms  ${f.name}`);
    }
  }
}

if (import.meta.main) {
  const [dir, top = '25'] = process.argv.slice(2);
  if (!dir) throw new Error('usage: node bench/cpu-profile-summary.ts <dir with .cpuprofile files> [top]');
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.cpuprofile'))) {
    print(path.join(dir, name), Number(top));
  }
}
