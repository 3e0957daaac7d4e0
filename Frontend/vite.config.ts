import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// `npm run dev` serves the page with hot reload and sends everything else to a running `npm start` server,
// which holds the session and reaches the backend (DEV_SERVER_URL, default http://localhost:8080).
const devServer = process.env.DEV_SERVER_URL ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    // The CSP forbids inline scripts and styles: keep every asset an external file.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/api': devServer,
      '/session': devServer,
      '/mcp': devServer,
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'client',
          // Pure logic runs in Node; files that need a DOM say so with "@vitest-environment jsdom" (it is slow to start).
          environment: 'node',
          include: ['src/**/*.test.{ts,tsx}'],
        },
      },
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.js'],
        },
      },
    ],
  },
});
