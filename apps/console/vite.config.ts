import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// base "./": every asset URL is relative to index.html, so the console works at /console/ and
// behind a reverse proxy that mounts the API under a path prefix (/switchboard/console/).
export default defineConfig({
  base: './',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
  server: { proxy: { '^/(?!console/)': 'http://127.0.0.1:3000' } },
});
