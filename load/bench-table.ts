// Writes one benchmark's table into docs/benchmarks.md between its own markers, keeping the others.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function writeBenchmarkSection(name: string, markdown: string, file = 'docs/benchmarks.md'): void {
  const begin = `<!-- bench:${name}:begin -->`, end = `<!-- bench:${name}:end -->`;
  let doc = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\nWritten by the `npm run bench:*` scripts; each section is replaced by its own script.\n';
  const block = `${begin}\n${markdown.trim()}\n${end}`;
  const i = doc.indexOf(begin), j = doc.indexOf(end);
  doc = i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, doc);
}

export function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
