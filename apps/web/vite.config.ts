import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The web UI, built into dist/ and served by the server at `/` (apps/server/src/http/web-ui.ts).
 * `npm run dev -w apps/web` serves it with hot reload and sends `/api` to a local server.
 */
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
  server: { proxy: { '/api': process.env.VIGIL_DEV_API ?? 'http://127.0.0.1:8080' } },
});
