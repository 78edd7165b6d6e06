#!/usr/bin/env node
// The `sluice` command: checks the runtime, then runs the JavaScript built from src/ into dist/ (`npm ci` builds
// it through the `prepare` script; `npm run build` builds it again).
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(
    `sluice needs Node.js 24 or newer; this is ${process.version} (${process.execPath}).\n` +
      'After `npm ci` the project carries its own Node 24: run it as `npm start` or `npx sluice …`.\n',
  );
  process.exit(1);
}
try {
  await import('../dist/bin/sluice.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/bin/sluice.js')) {
    process.stderr.write('sluice is not built: run `npm ci` (or `npm run build`) first.\n');
    process.exit(1);
  }
  throw error;
}
