// Vite builds ui/ into static files that aggregator/build.rs embeds in the binary.
// `PHAROS_URL=http://127.0.0.1:9700 npm run dev` serves the UI with live reload and sends the API
// calls to a running aggregator (for working on the UI without rebuilding the binary).
import { defineConfig } from 'vite';

const target = process.env.PHAROS_URL || 'http://127.0.0.1:9700';

export default defineConfig({
  build: {
    assetsDir: 'assets',
    // CodeMirror and its PromQL grammar are most of the bundle; one file keeps the request count
    // low and the limit quiet.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: { '/api': target, '/federate': target, '/-/': target },
  },
});
