// Builds the dashboard (`vite build dashboard`, run by `npm run build`): preact's JSX runtime, served by the
// API under /dashboard/ (src/api/dashboard/routes.ts), into dist/dashboard with hashed asset names.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/dashboard/',
  // Vite 8 compiles TypeScript and JSX with Oxc (its esbuild options map onto these): automatic runtime
  // importing from preact/jsx-runtime, as tsconfig.json's jsxImportSource says for the type checker.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../dist/dashboard',
    emptyOutDir: true,
    // No inlined data: URLs and no module-preload polyfill script, so `default-src 'self'` holds.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
