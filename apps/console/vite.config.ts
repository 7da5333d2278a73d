import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API routes the console calls; `npm run dev -w apps/console` proxies them to a local API.
const API_ROUTES = [
  '/me',
  '/overview',
  '/plugins',
  '/calls',
  '/connections',
  '/webhook-logs',
  '/sync-runs',
  '/backfills',
];
const api = process.env.SWITCHBOARD_API ?? 'http://127.0.0.1:3000';

// base "./": every asset URL is relative to index.html, so the console works at /console/ and
// behind a reverse proxy that mounts the API under a path prefix (/switchboard/console/).
export default defineConfig({
  base: './',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
  server: { proxy: Object.fromEntries(API_ROUTES.map((route) => [route, api])) },
});
