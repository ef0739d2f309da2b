// The gateway on uWebSockets.js: ws://host:port/play (binary protobuf frames), GET /health.

import { Close } from './close-codes.js';
import type { Gateway } from './gateway.js';
import { loadNativeUws } from './native.js';
import type { Connection } from './session.js';

export interface ServerOptions {
  host?: string;
  port?: number; // 0 = any free port
  maxPayloadBytes?: number;
  maxConnectionsPerIp?: number;
  maxBackpressureBytes?: number;
  idleTimeoutSeconds?: number;
}

export interface RunningServer {
  port: number;
  close(): void;
}

interface WsData { ip: string; conn?: Connection; closed?: boolean }

export function startServer(gateway: Gateway, o: ServerOptions = {}): Promise<RunningServer> {
  const uws = loadNativeUws();
  const perIp = new Map<string, number>();
  const maxPerIp = o.maxConnectionsPerIp ?? 64;
  const maxPayload = o.maxPayloadBytes ?? 16 * 1024;
  const app = uws.App();
  app.ws<WsData>('/play', {
    compression: uws.DISABLED,
    // uWS drops oversized frames without a close frame; take up to 1 MiB and close politely with 1009 ourselves
    maxPayloadLength: Math.max(1024 * 1024, maxPayload * 2),
    idleTimeout: o.idleTimeoutSeconds ?? 60,
    maxBackpressure: o.maxBackpressureBytes ?? 16 * 1024 * 1024,
    closeOnBackpressureLimit: 0,
    sendPingsAutomatically: true,
    upgrade: (res, req, context) => {
      const ip = Buffer.from(res.getRemoteAddressAsText()).toString();
      const n = perIp.get(ip) ?? 0;
      if (n >= maxPerIp) {
        res.writeStatus('429 Too Many Requests').end('too many connections from this address');
        return;
      }
      perIp.set(ip, n + 1);
      res.upgrade<WsData>({ ip }, req.getHeader('sec-websocket-key'), req.getHeader('sec-websocket-protocol'), req.getHeader('sec-websocket-extensions'), context);
    },
    open: (ws) => {
      const data = ws.getUserData();
      const conn: Connection = {
        ip: data.ip,
        send: (bytes) => !data.closed && ws.send(bytes, true) !== 2,
        bufferedAmount: () => (data.closed ? 0 : ws.getBufferedAmount()),
        close: (code, reason) => { if (!data.closed) { data.closed = true; ws.end(code, reason); } },
      };
      data.conn = conn;
      gateway.onOpen(conn);
    },
    message: (ws, message, isBinary) => {
      const data = ws.getUserData();
      if (message.byteLength > maxPayload) { data.conn!.close(Close.TOO_BIG, `frames are limited to ${maxPayload} bytes`); return; }
      // uWS reuses the buffer after this callback: decode happens synchronously inside
      try { gateway.onMessage(data.conn!, message, isBinary); } catch { data.conn!.close(Close.PROTOCOL_VIOLATION, 'bad frame'); }
    },
    close: (ws) => {
      const data = ws.getUserData();
      data.closed = true;
      const n = (perIp.get(data.ip) ?? 1) - 1;
      if (n <= 0) perIp.delete(data.ip); else perIp.set(data.ip, n);
      if (data.conn) gateway.onClose(data.conn);
    },
  });
  app.get('/health', (res) => { res.end(JSON.stringify({ ok: true, ...gateway.stats })); });
  app.get('/metrics', (res) => {
    let aborted = false;
    res.onAborted(() => { aborted = true; });
    void gateway.metrics.registry.metrics().then((text) => {
      if (aborted) return;
      res.cork(() => res.writeHeader('content-type', gateway.metrics.registry.contentType).end(text));
    });
  });
  app.any('/*', (res) => { res.writeStatus('404 Not Found').end('connect a WebSocket to /play'); });
  return new Promise((resolve, reject) => {
    app.listen(o.host ?? '127.0.0.1', o.port ?? 0, (token) => {
      if (!token) { reject(new Error(`cannot listen on ${o.host ?? '127.0.0.1'}:${o.port ?? 0}`)); return; }
      resolve({ port: uws.us_socket_local_port(token), close: () => uws.us_listen_socket_close(token) });
    });
  });
}
