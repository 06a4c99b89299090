/**
 * Typed readers: one small function per kind of value (a string matching a
 * pattern, an integer in a range, a boolean, one of a closed set, a list, a
 * map keyed by name, an object with known keys), each giving the typed value
 * (its default applied) or recording a `ConfigError` that names the path,
 * the value received and what is allowed. The validate modules declare the
 * arguments they check with them.
 *
 * A reader returns `undefined` only when it recorded a problem, or when the
 * value is absent and optional, or when it is an `Input` known only later
 * (see `input`). Pure: no Pulumi runtime; a Pulumi Output is recognised by
 * its brand.
 */
import { dataMap, own } from "./data";
import { Problems, Redacted } from "./errors";
import { containsUnresolved, isUnresolved } from "./unresolved";

export { containsUnresolved, isUnresolved };

/** Reads one value at `path`: the typed value, or `undefined` after recording what is wrong (or when absent and optional). */
export type Reader<T> = (p: Problems, path: string, value: unknown) => T | undefined;

/** What a value that must be known when the program runs says when it is an Output. */
export const KnownNow =
    "expected a plain value, known when the program runs (not an Output): it is checked before any resource is registered";

/** A plain object (not a list, not an Output). */
export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) && !isUnresolved(value);
}

/** Joins a config path and a key, quoting keys that are not plain identifiers. */
export function join(path: string, key: string | number): string {
    if (typeof key === "number") {
        return `${path}[${key}]`;
    }
    const plain = /^[A-Za-z0-9_-]+$/.test(key);
    const segment = plain ? key : JSON.stringify(key);
    return path ? (plain ? `${path}.${segment}` : `${path}[${segment}]`) : segment;
}

/**
 * A reader of values that pass `test`; anything else is recorded with
 * `allowed` (a text, or a function of the value received). An Output is
 * refused with `KnownNow`.
 */
export function check<T>(test: (value: unknown) => value is T, allowed: string | ((value: unknown) => string)): Reader<T> {
    return (p, path, value) => {
        if (test(value)) {
            return value;
        }
        p.add(path, value, isUnresolved(value) ? KnownNow : typeof allowed === "string" ? allowed : allowed(value));
        return undefined;
    };
}

/** A string matching `pattern`. */
export function text(pattern: RegExp, allowed: string): Reader<string> {
    return check((v): v is string => typeof v === "string" && pattern.test(v), allowed);
}

export function isIntIn(value: unknown, min: number, max: number): value is number {
    return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

/** An integer from `min` to `max`: `expected <what> from <min> to <max>`. */
export function integer(min: number, max: number, what = "an integer"): Reader<number> {
    return check((v): v is number => isIntIn(v, min, max), `expected ${what} from ${min} to ${max}`);
}

/** `true` or `false`. */
export const trueOrFalse: Reader<boolean> = check((v): v is boolean => typeof v === "boolean", "expected true or false");

/** One of a closed set of strings. */
export function oneOf<T extends string>(values: readonly T[]): Reader<T> {
    return check((v): v is T => values.some(x => x === v), `expected one of ${values.map(x => JSON.stringify(x)).join(", ")}`);
}

/** Absent is fine (`undefined`); present must pass `reader`. */
export function optional<T>(reader: Reader<T>): Reader<T | undefined> {
    return (p, path, value) => (value === undefined ? undefined : reader(p, path, value));
}

/** Absent gives `fallback`; present must pass `reader`. */
export function withDefault<T>(reader: Reader<T>, fallback: T): Reader<T> {
    return (p, path, value) => (value === undefined ? fallback : reader(p, path, value));
}

/**
 * `null` read as absent (YAML reads `weight:` without a value as `null`):
 * for the values whose absence means their default.
 */
export function nullAsAbsent<T>(reader: Reader<T>): Reader<T> {
    return (p, path, value) => reader(p, path, value === null ? undefined : value);
}

/**
 * An argument typed `Input<T>`: read now when it is known, left for later
 * (`undefined`, nothing recorded) when it is or holds an Output. The
 * component reads it again, with the same reader, once it resolves.
 */
export function input<T>(reader: Reader<T>): Reader<T> {
    return (p, path, value) => (containsUnresolved(value) ? undefined : reader(p, path, value));
}

/** How a refused secret is shown in a message: its length or its kind, never its value. */
export function redacted(value: unknown): Redacted {
    if (typeof value === "string") {
        return new Redacted(`a secret of ${value.length} character${value.length === 1 ? "" : "s"}`);
    }
    if (isUnresolved(value)) {
        return new Redacted("an Output");
    }
    const kind = value === null ? "null" : Array.isArray(value) ? "a list" : typeof value === "object" ? "an object" : `a ${typeof value}`;
    return new Redacted(`a secret that is ${kind}, not a string`);
}

/**
 * A secret string matching `pattern`, typed `Input<string>`: read now when
 * known, left for later (as `input` does) when it is an Output. A refused one
 * is shown by its length, never its value; `why` may say more than
 * `allowed` about what is wrong with it.
 */
export function secretText(pattern: RegExp, allowed: string, why: (value: string) => string | undefined = () => undefined): Reader<string> {
    return (p, path, value) => {
        if (containsUnresolved(value)) {
            return undefined;
        }
        if (typeof value === "string" && pattern.test(value)) {
            return value;
        }
        p.add(path, redacted(value), (typeof value === "string" ? why(value) : undefined) ?? allowed);
        return undefined;
    };
}

export interface ListOptions<T> {
    /** What to say when the value is not a list. */
    notList: string;
    /** Refuse a repeated item (compared by this key when given), at the repeat's index. */
    unique?: boolean | ((item: T) => string);
}

/**
 * A list whose items pass `item`, each checked at `path[i]`. Gives the
 * items when every one passed; a refused item (or a repeat) refuses the
 * list, after every item is checked.
 */
export function list<T>(item: Reader<T>, options: ListOptions<T>): Reader<T[]> {
    return (p, path, value) => {
        if (!Array.isArray(value)) {
            p.add(path, value, isUnresolved(value) ? KnownNow : options.notList);
            return undefined;
        }
        const out: T[] = [];
        const seen = new Set<string>();
        value.forEach((raw, i) => {
            const read = item(p, join(path, i), raw);
            if (read === undefined) {
                return;
            }
            const key = typeof options.unique === "function" ? options.unique(read) : JSON.stringify(read);
            if (
                options.unique !== undefined &&
                options.unique !== false &&
                !p.check(!seen.has(key), join(path, i), raw, "expected no duplicates")
            ) {
                return;
            }
            seen.add(key);
            out.push(read);
        });
        return out.length === value.length ? out : undefined;
    };
}

/** A list read by `reader` that must have at least one item; an empty one is refused with `allowed`. */
export function nonEmpty<T>(reader: Reader<T[]>, allowed: string): Reader<T[]> {
    return (p, path, value) => (Array.isArray(value) && value.length === 0 ? void p.add(path, value, allowed) : reader(p, path, value));
}

export interface MapOptions {
    /** What to say when the value is not an object (or, with `nonEmpty`, has no entry). */
    notMap: string;
    /** Refuse an empty map with `notMap`. */
    nonEmpty?: boolean;
    /** Keys must match this, else `<path>.<key>: got "<key>"; <allowed>`. */
    key?: { pattern: RegExp; allowed: string };
}

/**
 * A map keyed by name, each entry read with `entry` (given its key) at
 * `path.<key>`. Gives the entries whose key and value passed (the others
 * recorded), so one bad entry does not hide the problems of the rest, as a
 * data map (components/internal/data.ts): a key such as `constructor` is
 * an entry like any other.
 */
export function map<T>(entry: (key: string) => Reader<T>, options: MapOptions): Reader<Record<string, T>> {
    return (p, path, value) => {
        if (!isRecord(value) || (options.nonEmpty === true && Object.keys(value).length === 0)) {
            p.add(path, value, isUnresolved(value) ? KnownNow : options.notMap);
            return undefined;
        }
        const out = dataMap<T>();
        for (const [key, raw] of Object.entries(value)) {
            const at = join(path, key);
            const keyOk = options.key === undefined || p.check(options.key.pattern.test(key), at, key, options.key.allowed);
            const read = entry(key)(p, at, raw);
            if (keyOk && read !== undefined) {
                out[key] = read;
            }
        }
        return out;
    };
}

/** The readers of an object's fields, one per known key: the one declaration of its shape. */
export type Fields<T> = { [K in keyof T]-?: Reader<T[K]> };

/** What reading an object gave: the fields that passed, and the whole object when every one did. */
export interface ObjectRead<T> {
    /** The fields whose readers passed (absent ones stay absent). */
    fields: Partial<T>;
    /** The object, when every field passed. */
    whole?: T;
}

/**
 * Reads an object with the keys of `fields` (another key is refused as
 * unknown, before the known ones are read, unless `otherKeys` allows it),
 * each at `path.<key>`. Gives what passed, so a check that spans some fields
 * can run when those passed though another did not; `undefined` when the
 * value is not an object. A field that gave a value passed even when
 * something inside it was recorded (an unknown key, a refused map entry).
 */
export function objectFields<T>(
    notObject: string,
    fields: Fields<T>,
    options: { otherKeys?: "refused" | "allowed" } = {},
): (p: Problems, path: string, value: unknown) => ObjectRead<T> | undefined {
    const keys = knownKeys(fields);
    return (p, path, value) => {
        if (!isRecord(value)) {
            p.add(path, value, isUnresolved(value) ? KnownNow : notObject);
            return undefined;
        }
        if (options.otherKeys !== "allowed") {
            checkKnownKeys(p, path, value, keys.map(String));
        }
        const read: Partial<T> = {};
        const passed = new Set<keyof T>();
        for (const key of keys) {
            const before = p.count;
            const field = fields[key](p, join(path, String(key)), own(value, String(key)));
            if (field !== undefined) {
                // Absent stays absent, so layers of settings spread over each other key by key.
                read[key] = field;
            }
            if (field !== undefined || p.count === before) {
                passed.add(key);
            }
        }
        return { fields: read, whole: allPassed(read, passed, keys) ? read : undefined };
    };
}

/**
 * An object with the keys of `fields`, read as `objectFields` does. Gives
 * the object when every field passed; a refused field gives `undefined` for
 * the whole, and the checks that span its fields are the caller's to skip.
 */
export function object<T>(notObject: string, fields: Fields<T>, options: { otherKeys?: "refused" | "allowed" } = {}): Reader<T> {
    const read = objectFields(notObject, fields, options);
    return (p, path, value) => read(p, path, value)?.whole;
}

/** The keys of a declaration, in their order. */
export function knownKeys<T extends object>(declaration: T): (keyof T)[] {
    return Reflect.ownKeys(declaration).filter((k): k is keyof T & string => typeof k === "string");
}

/**
 * Whether every field's reader passed: then each field holds what its
 * reader gave (a `T[K]`), so the object is a `T`.
 */
function allPassed<T>(read: Partial<T>, passed: Set<keyof T>, keys: (keyof T)[]): read is T {
    return keys.every(k => passed.has(k));
}

/** Records every key of `value` that is not among `known`: unknown keys are usually typos. */
export function checkKnownKeys(p: Problems, path: string, value: Record<string, unknown>, known: readonly string[]): void {
    for (const key of Object.keys(value)) {
        if (!known.includes(key)) {
            p.add(join(path, key), value[key], `unknown key; expected one of ${known.join(", ")}`);
        }
    }
}

/**
 * The keys of an interface as a runtime list, from an object literal with
 * exactly its keys (`{ a: true, b: true }`): the compiler refuses a missing
 * or extra key, so the list never drifts from the interface.
 */
export function keysOf<T>(declaration: { [K in keyof Required<T>]: true }): (keyof T & string)[] {
    return knownKeys(declaration).filter((k): k is keyof T & string => typeof k === "string");
}

/**
 * What a reader gave for a required value, once the problems are thrown: a
 * reader gives `undefined` for a required value only after recording why.
 */
export function orThrow<T>(p: Problems, value: T | undefined): T {
    p.throwIfAny();
    if (value === undefined) {
        throw new Error("a reader gave no value and recorded no problem");
    }
    return value;
}

/** Reads `value` with `reader` into fresh problems and throws them all at once; for values known only at deployment. */
export function readOrThrow<T>(reader: Reader<T>, path: string, value: unknown): T | undefined {
    const p = new Problems();
    const read = reader(p, path, value);
    p.throwIfAny();
    return read;
}
