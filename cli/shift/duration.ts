/**
 * Durations on the command line: one or more `<integer><unit>` parts, units
 * `ms`, `s`, `m`, `h` (`5m`, `30s`, `1m30s`, `500ms`). Pure.
 */

const Units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const Whole = /^(?:\d+(?:ms|s|m|h))+$/;
const Part = /(\d+)(ms|s|m|h)/g;

/** The longest duration any option takes: one day. */
export const MaxDurationMs = 24 * 3_600_000;

/** Milliseconds of a duration such as `5m`; `undefined` when the text is not one (or longer than a day). */
export function parseDuration(text: string): number | undefined {
    if (!Whole.test(text)) {
        return undefined;
    }
    let total = 0;
    for (const m of text.matchAll(Part)) {
        total += Number(m[1]) * Units[m[2]];
    }
    return total <= MaxDurationMs ? total : undefined;
}

/** A duration as people read it: `5m`, `1m30s`, `45s`, `1h`, `250ms`, `0s`. */
export function formatDuration(ms: number): string {
    if (ms <= 0) {
        return "0s";
    }
    if (ms < 1_000) {
        return `${Math.round(ms)}ms`;
    }
    let seconds = Math.round(ms / 1_000);
    const h = Math.floor(seconds / 3_600);
    seconds -= h * 3_600;
    const m = Math.floor(seconds / 60);
    seconds -= m * 60;
    return [h > 0 ? `${h}h` : "", m > 0 ? `${m}m` : "", seconds > 0 ? `${seconds}s` : ""].join("") || "0s";
}
