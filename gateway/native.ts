// uWebSockets.js, insisting on the native binary. The package silently falls back to a slow
// JavaScript shim when its binary does not load; we refuse to start on that shim.

import { createRequire } from 'node:module';
import type * as UWS from 'uWebSockets.js';

const require = createRequire(import.meta.url);

export class NativeUwsMissing extends Error {}

export function loadNativeUws(): typeof UWS {
  if (/^(1|true)$/i.test(process.env.UWS_USE_FALLBACK ?? '')) {
    throw new NativeUwsMissing('UWS_USE_FALLBACK is set: refusing to run on the JavaScript fallback of uWebSockets.js');
  }
  const binary = `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`;
  try {
    require(`uWebSockets.js/binaries/${binary}`);
  } catch (err) {
    throw new NativeUwsMissing(`the native uWebSockets.js binary ${binary} does not load on Node ${process.version} (${(err as Error).message}); the JavaScript fallback is too slow to serve games — use Node 20 on glibc Linux x64`);
  }
  const uws = require('uWebSockets.js') as typeof UWS & { getParts?: unknown; SSLApp?: unknown };
  // the fallback lacks these native-only exports
  if (typeof uws.getParts !== 'function' || typeof uws.SSLApp !== 'function') {
    throw new NativeUwsMissing('uWebSockets.js loaded its JavaScript fallback instead of the native binary');
  }
  return uws;
}
