import { stringify } from "yaml";

/** A YAML file to write for one cluster stack. */
export interface ManifestFile {
    /** File name inside the stack's directory, e.g. `targetgroupbindings.yaml`. */
    name: string;
    text: string;
}

const SafeFileName = /^[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$/;

/**
 * The files a cluster stack's `manifests` output describes, sorted by name.
 * Accepted shapes (the first that fits):
 * - `{ files: { "<name>.yaml": <YAML text | object | list of objects> } }`
 * - `{ "<name>.yaml": ... }`
 * - `{ <key>: ... }`: each key becomes `<key in kebab-case>.yaml`.
 * A list becomes a multi-document YAML file. Returns `undefined` when the
 * outputs have no `manifests`; throws on a file name that could escape the
 * output directory.
 */
export function manifestFiles(outputs: Record<string, unknown>): ManifestFile[] | undefined {
    const manifests = outputs.manifests;
    if (!isObject(manifests)) {
        return undefined;
    }
    let entries: [string, unknown][];
    if (isObject(manifests.files)) {
        entries = Object.entries(manifests.files);
    } else if (Object.keys(manifests).length > 0 && Object.keys(manifests).every(k => /\.ya?ml$/.test(k))) {
        entries = Object.entries(manifests);
    } else {
        entries = Object.entries(manifests).map(([k, v]) => [`${kebab(k)}.yaml`, v]);
    }
    const files: ManifestFile[] = [];
    for (const [name, value] of entries) {
        if (value === undefined || value === null) {
            continue;
        }
        if (!SafeFileName.test(name)) {
            throw new Error(`manifests output: file name ${JSON.stringify(name)} is not a plain .yaml file name`);
        }
        files.push({ name, text: toYaml(value) });
    }
    return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** YAML text of a manifest value: text as given, an object as one document, a list as several. */
export function toYaml(value: unknown): string {
    if (typeof value === "string") {
        return value.endsWith("\n") ? value : `${value}\n`;
    }
    if (Array.isArray(value)) {
        return value.map(doc => stringify(doc, { sortMapEntries: false, lineWidth: 0 })).join("---\n");
    }
    return stringify(value, { lineWidth: 0 });
}

function kebab(key: string): string {
    return key.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
