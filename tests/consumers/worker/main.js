// The page starts a module worker (bundled by Vite) that does the whole flow; the page only shows the outcome.
import { runPage } from './flow.js';

runPage(
  (endpoint) =>
    new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
      worker.onmessage = ({ data }) => (data.ok ? resolve(data.result) : reject(new Error(data.error)));
      worker.onerror = (event) => reject(new Error(`worker error: ${event.message}`));
      worker.postMessage({ endpoint });
    }),
);
