import { isUnresolved, withUnresolvedShownAs } from "./unresolved";

/**
 * Pulumi's Node.js runtime reports an error that carries this brand (what
 * `pulumi.RunError.isInstance` looks for) as its message alone: no "unhandled
 * exception" banner, no stack trace, and the language host prints nothing
 * more. Branding instead of extending `RunError` keeps this module free of
 * the Pulumi SDK. tests/component/engine-run.test.ts runs a stack program as
 * the engine does and reads what it prints.
 */
const RunErrorBrand = "__pulumiRunError";

/**
 * Marks an input error as expected, so `pulumi up` / `preview` print only its
 * message, and makes `util.inspect` show its stack as it is. The runtime also
 * inspects every uncaught error, in colour; on Node 20 colouring a stack frame
 * of @pulumi/pulumi's source-mapped files (`node_modules/@pulumi/resource.ts`)
 * loops until the string overflows, about 30 s and 3 GB before the program
 * exits. A custom inspection skips that.
 */
function markAsRunError(error: Error): void {
    Object.defineProperty(error, RunErrorBrand, { value: true, enumerable: false });
    Object.defineProperty(error, Symbol.for("nodejs.util.inspect.custom"), {
        value: () => error.stack ?? `${error.name}: ${error.message}`,
        enumerable: false,
    });
}

/**
 * The one error type for bad input. It carries the config or argument path
 * (`clusters.blue.weight`), the value received and what is allowed, so every
 * message reads the same way wherever it is raised.
 */
export class ConfigError extends Error {
    /** Dotted path of the offending value, e.g. `services.web.healthCheck.timeout`. */
    readonly path: string;
    /** The value that was received (as given, before any defaulting). */
    readonly value: unknown;
    /** What would have been accepted, in words. */
    readonly allowed: string;

    constructor(path: string, value: unknown, allowed: string) {
        super(`${path}: got ${describeValue(value)}; ${allowed}`);
        this.name = "ConfigError";
        this.path = path;
        this.value = value;
        this.allowed = allowed;
        markAsRunError(this);
    }
}

/**
 * Several input errors found in one pass. Validation collects them all so a
 * user fixes the config once, not once per `pulumi up`.
 */
export class ConfigErrors extends Error {
    readonly errors: readonly ConfigError[];

    constructor(errors: readonly ConfigError[]) {
        super(
            errors.length === 1
                ? errors[0].message
                : `${errors.length} configuration errors:\n${errors.map(e => `  - ${e.message}`).join("\n")}`,
        );
        this.name = "ConfigErrors";
        this.errors = errors;
        markAsRunError(this);
    }
}

/**
 * A secret received where a message would show the value: the message shows
 * `description` instead (its length, what is wrong with it), never the value.
 */
export class Redacted {
    constructor(readonly description: string) {}
}

/**
 * Renders a received value compactly for an error message; a value known
 * only later (an Output) reads `an Output`, a `Redacted` secret its description.
 */
export function describeValue(value: unknown): string {
    if (value === undefined) {
        return "nothing";
    }
    if (value instanceof Redacted) {
        return value.description;
    }
    if (isUnresolved(value)) {
        return "an Output";
    }
    value = withUnresolvedShownAs(value, "<Output>");
    if (typeof value === "string") {
        return JSON.stringify(value);
    }
    try {
        const text = JSON.stringify(value);
        if (text === undefined) {
            return String(value);
        }
        return text.length > 120 ? `${text.slice(0, 117)}...` : text;
    } catch {
        return String(value);
    }
}

/**
 * Collects errors while validating, then throws them together. `check`
 * records a failure and returns false so callers can skip dependent checks.
 */
export class Problems {
    private readonly found: ConfigError[] = [];

    add(path: string, value: unknown, allowed: string): false {
        this.found.push(new ConfigError(path, value, allowed));
        return false;
    }

    check(ok: boolean, path: string, value: unknown, allowed: string): boolean {
        return ok ? true : this.add(path, value, allowed);
    }

    get count(): number {
        return this.found.length;
    }

    /** The errors collected so far, in the order found. */
    get errors(): readonly ConfigError[] {
        return [...this.found];
    }

    /** Throws every collected error at once (or nothing when none). */
    throwIfAny(): void {
        if (this.found.length > 0) {
            throw new ConfigErrors(this.found);
        }
    }
}

/**
 * Keeps an error's message as it was thrown. The Pulumi SDK prefixes
 * `error serializing property "<key>": ` to the message of an error that
 * fails an Output's apply, once for every resource input the same error
 * reaches, which buries the config path under the property names of a dozen
 * resources. For an input error that message is what the user fixes: the
 * prefixes are dropped (the error object stays the same one, which the SDK's
 * reporting relies on). `util.inspect` shows its stack as it is, as for
 * `ConfigError` (see `markAsRunError`).
 */
export function withFixedMessage<E extends Error>(error: E): E {
    const message = error.message;
    Object.defineProperty(error, "message", { get: () => message, set: () => undefined, enumerable: false, configurable: true });
    Object.defineProperty(error, Symbol.for("nodejs.util.inspect.custom"), {
        value: () => error.stack ?? `${error.name}: ${message}`,
        enumerable: false,
    });
    return error;
}
