/**
 * A small promise pool: at most `limit` tasks run at once, in submission
 * order. Every AWS and Kubernetes call of a doctor run goes through one pool,
 * so `--concurrency` bounds the whole run, not each phase.
 */
export class Pool {
    private active = 0;
    private readonly waiting: Array<() => void> = [];
    private started = 0;
    private finished = 0;
    private readonly listeners: Array<(done: number, total: number) => void> = [];

    constructor(readonly limit: number) {
        if (!Number.isInteger(limit) || limit < 1) {
            throw new RangeError(`pool limit must be a positive integer, got ${limit}`);
        }
    }

    /** Runs `task` when a slot is free; resolves or rejects with it. */
    async run<T>(task: () => Promise<T>): Promise<T> {
        this.started += 1;
        this.emit();
        if (this.active >= this.limit) {
            await new Promise<void>(resolve => this.waiting.push(resolve));
        }
        this.active += 1;
        try {
            return await task();
        } finally {
            this.active -= 1;
            this.finished += 1;
            this.emit();
            const next = this.waiting.shift();
            if (next) {
                next();
            }
        }
    }

    /** Called with (finished, submitted) whenever either changes. */
    onProgress(listener: (done: number, total: number) => void): void {
        this.listeners.push(listener);
    }

    /** How many tasks ran to completion (or failed) so far. */
    get done(): number {
        return this.finished;
    }

    private emit(): void {
        for (const listener of this.listeners) {
            listener(this.finished, this.started);
        }
    }
}

/** Maps `items` through `fn` on the pool, keeping order. */
export function mapPool<T, R>(pool: Pool, items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
    return Promise.all(items.map(item => pool.run(() => fn(item))));
}
