import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The UI's tsconfig has browser types only; Vite runs this file in Node, where `process` exists.
declare const process: { readonly env: Readonly<Record<string, string | undefined>> };

const pathOf = (url: URL): string => decodeURIComponent(url.pathname);
const uiRoot = pathOf(new URL('.', import.meta.url));
const repoRoot = pathOf(new URL('..', import.meta.url));
// `vite` (dev mode) proxies the API to a running server; SHEAF_URL says where it listens.
const server = process.env.SHEAF_URL ?? 'http://127.0.0.1:4000';

/**
 * The labeling UI: built into labeling-ui/dist, which the server serves at `/`. The UI shares
 * the annotation and label-schema types with the core (type-only imports from ../core), so the
 * dev server may read files above this folder.
 */
export default defineConfig({
  root: uiRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed file names under assets/: the server caches them forever and index.html never.
    assetsDir: 'assets',
    sourcemap: true,
  },
  server: {
    fs: { allow: [repoRoot] },
    proxy: { '/graphql': server, '/v1': server },
  },
});
