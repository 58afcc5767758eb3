import { serveInProcess } from '../apiserver/in-process.js';
import { Backend } from '../store/backend.js';
import { Mvcc } from '../store/mvcc.js';
import { apiConformance } from './api.conformance.js';
import { ApiClient } from './client.js';

// The HTTP client against the API served in process; sim/ runs the same suite on its in-process client.
apiConformance('ApiClient over HTTP', async () => {
  const store = await Mvcc.open({ backend: await Backend.open() });
  const api = await serveInProcess({ store, historySize: 5 });
  return {
    client: new ApiClient({ server: api.url }),
    async close() {
      await api.close();
      await store.close();
    },
  };
});
