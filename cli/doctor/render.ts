import { CheckResult, Report, Status } from "./report";

// The same rule for every command: see cli/colour.ts.
export { useColor } from "../colour";

const Codes: Record<Status | "dim" | "bold", [string, string]> = {
    pass: ["\u001b[32m", "\u001b[39m"],
    warn: ["\u001b[33m", "\u001b[39m"],
    fail: ["\u001b[31m", "\u001b[39m"],
    error: ["\u001b[35m", "\u001b[39m"],
    dim: ["\u001b[2m", "\u001b[22m"],
    bold: ["\u001b[1m", "\u001b[22m"],
};

/**
 * Renders the human report: one line per check, a fix line under each
 * warn, fail and error, a summary, and the reads that failed (if any).
 */
export function renderHuman(report: Report, header: string, color: boolean): string {
    const paint = (style: keyof typeof Codes, text: string): string => (color ? `${Codes[style][0]}${text}${Codes[style][1]}` : text);
    const width = Math.max(0, ...report.checks.map(c => c.id.length));
    // `ERROR` is one letter wider than the others: the column widens only when one is shown.
    const labelWidth = report.checks.some(c => c.status === "error") ? 5 : 4;
    const lines = [paint("bold", header), ""];
    for (const check of report.checks) {
        lines.push(renderLine(check, labelWidth, width, paint));
        if (check.status !== "pass" && check.hint) {
            lines.push(`${" ".repeat(labelWidth + width + 4)}${paint("dim", "fix:")} ${check.hint}`);
        }
    }
    const { pass, warn, fail, error } = report.summary;
    lines.push("");
    lines.push(
        `${paint("bold", "Summary:")} ${paint("pass", `${pass} pass`)}, ${paint("warn", `${warn} warn`)}, ${paint("fail", `${fail} fail`)}` +
            (error > 0 ? `, ${paint("error", `${error} error`)} (could not check)` : ""),
    );
    if (report.failedReads.length > 0) {
        lines.push("", `${paint("bold", "Failed reads:")} ${report.failedReads.length}; the checks marked ERROR needed them`);
        for (const r of report.failedReads) {
            lines.push(`  ${r.call}${r.subject ? ` ${shortenArns(r.subject)}` : ""}: ${r.error}`);
        }
    }
    return `${lines.join("\n")}\n`;
}

function renderLine(
    check: CheckResult,
    labelWidth: number,
    width: number,
    paint: (style: keyof typeof Codes, text: string) => string,
): string {
    const label = check.status.toUpperCase().padEnd(labelWidth);
    return `${paint(check.status, label)}  ${check.id.padEnd(width)}  ${shortenArns(check.subject)}: ${check.message}`;
}

/**
 * Drops the `arn:aws:<service>:<region>:<account>:` prefix of ELB and IAM
 * ARNs in human output (`targetgroup/blue-web/0123...`); JSON keeps them whole.
 */
export function shortenArns(text: string): string {
    return text.replace(/arn:aws[\w-]*:elasticloadbalancing:[\w-]+:\d{12}:/g, "").replace(/arn:aws[\w-]*:iam::(\d{12}):/g, "$1:");
}

/** The `--json` document, exactly `{ checks, summary, failedReads }`. */
export function renderJson(report: Report): string {
    const doc: Report = {
        checks: report.checks.map(c => ({ id: c.id, status: c.status, subject: c.subject, message: c.message, hint: c.hint })),
        summary: { pass: report.summary.pass, warn: report.summary.warn, fail: report.summary.fail, error: report.summary.error },
        failedReads: report.failedReads.map(r => ({ call: r.call, subject: r.subject, error: r.error })),
    };
    return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * A one-line progress counter on a terminal (`\r`-rewritten, cleared at the
 * end); nothing at all when the stream is not a terminal.
 */
export class Progress {
    private last = 0;
    private shown = false;

    constructor(
        private readonly stream: NodeJS.WritableStream & { isTTY?: boolean },
        private readonly enabled: boolean,
    ) {}

    /** Updates the counter; redraws at most every 50 ms. */
    update(done: number, total: number): void {
        if (!this.enabled) {
            return;
        }
        const now = Date.now();
        if (now - this.last < 50 && done < total) {
            return;
        }
        this.last = now;
        this.shown = true;
        this.stream.write(`\r\u001b[2Kchecking the fleet: ${done}/${total} calls`);
    }

    /** Erases the counter line. */
    clear(): void {
        if (this.enabled && this.shown) {
            this.stream.write("\r\u001b[2K");
            this.shown = false;
        }
    }
}
