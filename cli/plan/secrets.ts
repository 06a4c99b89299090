import * as pulumi from "@pulumi/pulumi";
import { HiddenSecret } from "../../components/internal";

/** What a plan prints in place of a secret value. */
export const SecretText = HiddenSecret;

// The wire form of a secret in deserialized resource properties
// (`specialSigKey` / `specialSecretSig` of @pulumi/pulumi/runtime/rpc).
const SigKey = "4dabf18193072939515e22adb298388d";
const SecretSig = "1b47061264138c4ac30d75fd1eb44270";

/** A path into a JSON value: object keys and array indexes. */
export type ValuePath = readonly (string | number)[];

/** A value in the wire form of a secret, as a resource's state holds one (the fake cloud answers secret outputs so). */
export function secretMarker(value: unknown): Record<string, unknown> {
    return { [SigKey]: SecretSig, value };
}

/** True for a deserialized secret property `{ <sig>: <secret sig>, value }`. */
export function isSecretMarker(value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SigKey] === SecretSig;
}

/**
 * A copy of a JSON-like value with every secret marker replaced by
 * `"[secret]"`, every value at one of `secretPaths` likewise, and object keys
 * sorted so the rendering is the same on every run.
 */
export function redact(value: unknown, secretPaths: readonly ValuePath[] = []): unknown {
    return walk(value, [], secretPaths);
}

function walk(value: unknown, at: (string | number)[], secretPaths: readonly ValuePath[]): unknown {
    if (secretPaths.some(p => samePath(p, at)) || isSecretMarker(value)) {
        return SecretText;
    }
    if (Array.isArray(value)) {
        return value.map((v, i) => walk(v, [...at, i], secretPaths));
    }
    if (typeof value === "object" && value !== null) {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(value).sort()) {
            const v = (value as Record<string, unknown>)[k];
            if (v !== undefined) {
                out[k] = walk(v, [...at, k], secretPaths);
            }
        }
        return out;
    }
    return value;
}

function samePath(a: ValuePath, b: ValuePath): boolean {
    return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Finds the paths of secret `Output`s in a program's raw result (before the
 * runtime flattens it into plain stack outputs and loses the secret flag).
 */
export async function findSecretPaths(value: unknown): Promise<ValuePath[]> {
    const found: ValuePath[] = [];
    const seen = new Set<object>();
    const visit = async (v: unknown, at: (string | number)[]): Promise<void> => {
        if (v === null || (typeof v !== "object" && typeof v !== "function")) {
            return;
        }
        if (seen.has(v as object)) {
            return;
        }
        seen.add(v as object);
        if (pulumi.Output.isInstance(v)) {
            if (await pulumi.isSecret(v)) {
                found.push(at);
                return;
            }
            await visit(await (v as unknown as { promise(): Promise<unknown> }).promise(), at);
            return;
        }
        if (v instanceof Promise) {
            await visit(await v, at);
            return;
        }
        if (pulumi.Resource.isInstance(v)) {
            return;
        }
        if (Array.isArray(v)) {
            for (let i = 0; i < v.length; i++) {
                await visit(v[i], [...at, i]);
            }
            return;
        }
        if (typeof v === "object") {
            for (const k of Object.keys(v as object)) {
                await visit((v as Record<string, unknown>)[k], [...at, k]);
            }
        }
    };
    await visit(value, []);
    return found;
}
