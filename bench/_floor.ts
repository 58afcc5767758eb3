import { parseArgs } from 'node:util';
import { floorServer } from './floor-server.js';

/** `node dist/bench/_floor.js store|proxy --port P [--store URL]`: a floor of floor-server.ts as its own process. */
const { positionals, values } = parseArgs({ allowPositionals: true, options: { port: { type: 'string' }, store: { type: 'string' } } });
const mode = positionals[0];
const port = Number(values.port);
if ((mode !== 'store' && mode !== 'proxy') || !(port > 0) || (mode === 'proxy' && !values.store)) {
  process.stderr.write('usage: _floor.js store --port P | proxy --port P --store URL\n');
  process.exit(2);
}
const floor = floorServer(mode, values.store);
floor.server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => void floor.close().then(() => process.exit(0)));
