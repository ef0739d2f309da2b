// A minimal progress bar on stderr for long CLI runs (only when stderr is a terminal).

export class ProgressBar {
  private last = -1;
  constructor(private readonly total: number, private readonly label: string, private readonly out = process.stderr) {}

  update(done: number): void {
    if (!this.out.isTTY) return;
    const pct = Math.floor((done / this.total) * 100);
    if (pct === this.last) return;
    this.last = pct;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    this.out.write(`\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${pct}% (${done}/${this.total})`);
  }

  finish(): void {
    if (this.out.isTTY && this.last >= 0) this.out.write('\n');
  }
}
