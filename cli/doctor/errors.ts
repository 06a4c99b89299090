/**
 * The doctor could not run at all (bad arguments, unreadable or malformed
 * outputs file, no credentials). The command prints the message as one line
 * and exits 2; it never shows a stack trace for these.
 */
export class DoctorError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "DoctorError";
    }
}
