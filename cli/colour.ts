/** Whether to colour output written to `stream`: a terminal, and `NO_COLOR` unset or empty. */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
    return Boolean(stream.isTTY) && !env.NO_COLOR;
}

/** SGR codes (on, off) of the styles `plan` uses (the doctor has its own, by check status). */
export const Styles = {
    yellow: ["\u001b[33m", "\u001b[39m"],
    dim: ["\u001b[2m", "\u001b[22m"],
    bold: ["\u001b[1m", "\u001b[22m"],
} as const;

/** `text` in a style. */
export function paint(style: keyof typeof Styles, text: string): string {
    return `${Styles[style][0]}${text}${Styles[style][1]}`;
}
