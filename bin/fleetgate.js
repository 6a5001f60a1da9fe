#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=1048576 node --max-semi-space-size=4
// The installed `fleetgate` command: loads the TypeScript CLI through tsx's loader. It runs with the
// environment and Node flags of package.json's start script (a test keeps them the same; why they are
// there: docs/benchmarks.md, "Memory"): glibc's allocator returns large blocks (scrypt's 16 MiB per
// token request, in libuv's threads) instead of keeping them, and a young generation of 4 MiB
// semi-spaces instead of 16 keeps the server about 40 MiB smaller for a few per cent of CPU.
import { register } from 'tsx/esm/api';

register();
await import('../src/main/cli.ts');
