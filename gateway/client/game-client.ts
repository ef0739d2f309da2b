// A game client over a real WebSocket (the `ws` package): authenticates, joins, sends orders, and
// applies snapshots and deltas to its own copy of what it may see. Used by tests and the load driver.

import WebSocket from 'ws';
import { ClientMessage, decodeServer } from '../codec.js';

export interface UnitView { id: number; type: number; team: number; x: number; y: number; hull: number; shield: number; flags: number }
type Msg = Record<string, unknown> & { body?: string };

export class GameClient {
  readonly cells = new Map<number, Map<number, UnitView>>();
  turn = 0;
  welcome: Msg | null = null;
  readonly results: Msg[] = [];
  readonly errors: Msg[] = [];
  readonly events: Msg[] = [];
  readonly summaries: Msg[] = [];
  dilation = 1; // the sector's time-dilation factor, as last told
  readonly updates: { turn: number; bytes: number; latencyMs: number; snapshot: boolean }[] = [];
  closed: { code: number; reason: string } | null = null;
  desync = 0; // deltas whose base was not the turn we hold
  autoAck = true;
  private seq = 0;
  private cmdSeq = 0;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data: Buffer, isBinary: boolean) => { if (isBinary) this.onMessage(data); this.wake(); });
    ws.on('close', (code, reason) => { this.closed = { code, reason: reason.toString() }; this.wake(); });
    ws.on('error', () => { /* surfaced through close */ });
  }

  static connect(url: string): Promise<GameClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const c = new GameClient(ws);
      ws.once('open', () => resolve(c));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  send(body: Record<string, unknown>): void {
    this.ws.send(ClientMessage.encode(ClientMessage.fromObject({ seq: ++this.seq, ...body })).finish());
  }

  sendRaw(bytes: Uint8Array | string): void {
    this.ws.send(bytes);
  }

  hello(token: string): void { this.send({ hello: { token } }); }
  join(battleId: string, extra: Record<string, unknown> = {}): void { this.send({ join: { battleId, ...extra } }); }
  resume(sessionId: string, token: string): void { this.send({ resume: { sessionId, token, lastAckedTurn: this.turn } }); }

  /** Sends an order (e.g. `{ move: { scope: { units: [id] }, x, y } }`); returns the command id. */
  command(order: Record<string, unknown>, id = `c${++this.cmdSeq}`, turn = this.turn): string {
    this.send({ command: { id, turn, ...order } });
    return id;
  }

  /** Every unit in view, flattened over cells. */
  units(): Map<number, UnitView> {
    const out = new Map<number, UnitView>();
    for (const cell of this.cells.values()) for (const [id, u] of cell) out.set(id, u);
    return out;
  }

  async waitFor<T>(pred: () => T | undefined | null | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = pred();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((r) => { this.waiters.push(r); setTimeout(r, 50); });
    }
  }

  close(): void {
    this.ws.close();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private onMessage(data: Buffer): void {
    const m = decodeServer(data);
    switch (m.body) {
      case 'welcome': this.welcome = m.welcome as Msg; break;
      case 'snapshot': this.applySnapshot(m.snapshot as Msg, data.length); break;
      case 'delta': this.applyDelta(m.delta as Msg, data.length); break;
      case 'result': this.results.push(m.result as Msg); break;
      case 'events': this.events.push(m.events as Msg); break;
      case 'dilation': this.dilation = (m.dilation as Msg).factor as number; break;
      case 'error': this.errors.push(m.error as Msg); break;
      case 'summary': this.summaries.push(m.summary as Msg); break;
      default: break;
    }
  }

  private setCell(c: Msg, replace: boolean): void {
    let cell = this.cells.get(c.cell as number);
    if (!cell || replace) this.cells.set(c.cell as number, (cell = new Map()));
    for (const id of c.removed as number[]) cell.delete(id);
    for (const u of c.upserts as UnitView[]) cell.set(u.id, { id: u.id, type: u.type, team: u.team, x: u.x, y: u.y, hull: u.hull, shield: u.shield, flags: u.flags });
    const moved = c.moved as number[], mx = c.movedX as number[], my = c.movedY as number[];
    for (let i = 0; i < moved.length; i++) {
      const u = cell.get(moved[i]);
      if (u) { u.x = mx[i]; u.y = my[i]; } else this.desync++; // a move for a unit we do not hold
    }
  }

  /** Events, results and dilation ride snapshots and deltas (fields 8-10); comms and join refusals come alone. */
  private takeAlong(u: Msg): void {
    for (const e of u.events as Msg[]) this.events.push(e);
    for (const r of u.results as Msg[]) this.results.push(r);
    if (u.dilation) this.dilation = (u.dilation as Msg).factor as number;
  }

  private applySnapshot(s: Msg, bytes: number): void {
    this.takeAlong(s);
    this.cells.clear();
    for (const c of s.cells as Msg[]) this.setCell(c, true);
    this.turn = s.turn as number;
    this.updates.push({ turn: this.turn, bytes, latencyMs: Date.now() - (s.serverTimeMs as number), snapshot: true });
    if (this.autoAck) this.send({ ack: { turn: this.turn } });
  }

  private applyDelta(d: Msg, bytes: number): void {
    this.takeAlong(d);
    if (d.baseTurn !== this.turn) this.desync++;
    for (const c of d.cells as Msg[]) this.setCell(c, c.full as boolean);
    for (const cell of d.droppedCells as number[]) this.cells.delete(cell);
    this.turn = d.turn as number;
    this.updates.push({ turn: this.turn, bytes, latencyMs: Date.now() - (d.serverTimeMs as number), snapshot: false });
    if (this.autoAck) this.send({ ack: { turn: this.turn } });
  }
}

/** A client's view as comparable entries: id → [type | team << 8 | flags << 16, x, y, hull, shield]. */
export function entriesOf(units: Map<number, UnitView>): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const [id, u] of units) out.set(id, [u.type | (u.team << 8) | (u.flags << 16), u.x, u.y, u.hull, u.shield]);
  return out;
}
