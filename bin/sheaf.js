#!/usr/bin/env node
// The `sheaf` command. Sheaf runs its TypeScript sources directly: tsx is registered as a
// loader first, so `npx sheaf …` works right after `npm install`, without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
