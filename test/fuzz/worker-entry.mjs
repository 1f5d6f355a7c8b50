// The worker thread's entry point: plain JavaScript that teaches this thread TypeScript (tsx),
// then loads the worker itself, so the fuzzer runs kitei's source as it is, without a build.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
