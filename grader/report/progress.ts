import type { RunEvent } from "../run/events.ts";

/**
 * A line on a terminal that counts katas as their specs finish, so a grade of
 * many katas is not silent for half a minute. Nothing is written when stderr
 * is not a terminal (CI, a pipe): the report alone is the output there.
 */
export class ProgressLine {
  readonly #stream: NodeJS.WriteStream;
  readonly #started = performance.now();
  readonly #total: number;
  readonly #done = new Set<string>();
  #measured = 0;
  #shown = false;

  constructor(total: number, stream: NodeJS.WriteStream = process.stderr) {
    this.#total = total;
    this.#stream = stream;
  }

  get active(): boolean {
    return this.#stream.isTTY === true && this.#total > 1;
  }

  /** told of each event of the run */
  readonly onEvent = (event: RunEvent): void => {
    if (event.type !== "module-end") return;
    // a kata's spec ends twice when it passes: once for its behaviour, once for its load tests
    if (this.#done.has(event.outcome.kataId)) this.#measured++;
    else this.#done.add(event.outcome.kataId);
    this.#draw();
  };

  #draw(): void {
    if (!this.active) return;
    const seconds = ((performance.now() - this.#started) / 1000).toFixed(1);
    const measured = this.#measured > 0 ? `, ${this.#measured} measured against the reference` : "";
    this.#stream.write(`\r\u001b[2Kgrading: ${this.#done.size} of ${this.#total} checked${measured} · ${seconds} s`);
    this.#shown = true;
  }

  /** erases the line before the report is printed */
  clear(): void {
    if (this.#shown) this.#stream.write("\r\u001b[2K");
    this.#shown = false;
  }
}
