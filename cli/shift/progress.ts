/**
 * What a person watching the shift sees. On a terminal, the step in progress
 * is one live line, rewritten in place (step, weights, time left, 5xx and
 * p99 per cluster); events are lines above it. Piped, every event and every
 * bake sample is a plain line. Pure output: it only writes to the stream.
 */
export class Progress {
    private live = "";

    constructor(
        private readonly out: NodeJS.WritableStream,
        private readonly tty: boolean,
    ) {}

    /** A line that stays. */
    line(text: string): void {
        this.clear();
        this.out.write(`${text}\n`);
    }

    /** The live line: rewritten in place on a terminal; piped, written as a line when `plain` is set. */
    status(text: string, plain: boolean): void {
        if (this.tty) {
            this.live = text;
            this.out.write(`\r\x1b[2K${text}`);
        } else if (plain) {
            this.out.write(`${text}\n`);
        }
    }

    /** Removes the live line (terminal only). */
    clear(): void {
        if (this.tty && this.live !== "") {
            this.out.write("\r\x1b[2K");
            this.live = "";
        }
    }
}
