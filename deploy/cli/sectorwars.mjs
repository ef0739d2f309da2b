#!/usr/bin/env node
// `npx sectorwars …`: loads the TypeScript CLI through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
