// Prometheus metrics for operators (GET /metrics on the gateway's port).

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly sessions = new Gauge({ name: 'sectorwars_gateway_sessions', help: 'Sessions held (connected or within their resume grace period)', registers: [this.registry] });
  readonly connections = new Gauge({ name: 'sectorwars_gateway_connections', help: 'Open WebSocket connections', registers: [this.registry] });
  readonly messagesSent = new Counter({ name: 'sectorwars_gateway_messages_sent_total', help: 'Messages sent to clients', registers: [this.registry] });
  readonly bytesSent = new Counter({ name: 'sectorwars_gateway_bytes_sent_total', help: 'Bytes sent to clients', registers: [this.registry] });
  readonly commands = new Counter({ name: 'sectorwars_gateway_commands_total', help: 'Client commands by outcome and reason', labelNames: ['stage', 'outcome', 'reason'] as const, registers: [this.registry] });
  readonly closes = new Counter({ name: 'sectorwars_gateway_closes_total', help: 'Connections closed by the gateway, by close code', labelNames: ['code'] as const, registers: [this.registry] });
  readonly skipped = new Counter({ name: 'sectorwars_gateway_updates_skipped_total', help: 'Updates skipped because a client was backed up', registers: [this.registry] });
  readonly fanout = new Histogram({ name: 'sectorwars_gateway_fanout_seconds', help: 'Time to build and send one turn to every client', buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25], registers: [this.registry] });
  readonly turn = new Gauge({ name: 'sectorwars_sector_turn', help: 'Last turn published by the sector', registers: [this.registry] });
  readonly dilation = new Gauge({ name: 'sectorwars_sector_time_dilation', help: 'Game seconds per real second (1 = real time, floor 0.1)', registers: [this.registry] });

  constructor(defaults = true) {
    if (defaults) collectDefaultMetrics({ register: this.registry, prefix: 'sectorwars_' });
  }
}
