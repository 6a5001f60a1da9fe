#!/usr/bin/env node
// The installed `fleetgate` command: loads the TypeScript CLI through tsx's loader. `npm start` and
// `npm run fleetgate` add MALLOC_MMAP_THRESHOLD_=1048576 and --max-semi-space-size=4 (README, "CLI"); a
// shebang cannot portably (BusyBox's env has no -S), so a service running this command sets them in its
// environment: MALLOC_MMAP_THRESHOLD_=1048576 NODE_OPTIONS=--max-semi-space-size=4.
import { register } from 'tsx/esm/api';

register();
await import('../src/main/cli.ts');
