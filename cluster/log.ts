// Structured logs for operators (pino, JSON lines on stderr so stdout stays the human-facing view).

import { pino } from 'pino';

export const log = pino({ name: 'sectorwars', level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));
