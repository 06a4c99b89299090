import { isRecord } from "../../components/internal";
import { stringify } from "yaml";

/** A YAML file to write for one cluster stack. */
export interface ManifestFile {
    /** File name inside the stack's directory, e.g. `targetgroupbindings.yaml`. */
    name: string;
    text: string;
}

const SafeFileName = /^[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$/;

/**
 * File names for the keys of the cluster stack's `manifests` output
 * (`AttachmentManifests` of components/cluster-attachment): names GitOps
 * users recognise. Other keys become `<key in kebab-case>.yaml`.
 */
export const ManifestFileNames: Readonly<Record<string, string>> = {
    targetGroupBindings: "targetgroupbindings.yaml",
    namespaces: "namespaces.yaml",
    helmValues: "controller-values.yaml",
    chart: "controller-chart.yaml",
    crd: "crds.yaml",
    crds: "crds.yaml",
    admissionPolicy: "admission-policy.yaml",
};

/**
 * The files a cluster stack's `manifests` output describes, sorted by name.
 * Accepted shapes (the first that fits):
 * - `{ files: { "<name>.yaml": <YAML text | object | list of objects> } }`
 * - `{ "<name>.yaml": ... }`
 * - `{ <key>: ... }` (the `AttachmentManifests` shape): each key becomes a
 *   file named by `ManifestFileNames`; a map of Kubernetes objects (keyed by
 *   name or service) becomes one multi-document file in key order, and an
 *   empty map or list no file at all.
 * A list becomes a multi-document YAML file. Returns `undefined` when the
 * outputs have no `manifests`; throws on a file name that could escape the
 * output directory.
 */
export function manifestFiles(outputs: Record<string, unknown>): ManifestFile[] | undefined {
    const manifests = outputs.manifests;
    if (!isRecord(manifests)) {
        return undefined;
    }
    let entries: [string, unknown][];
    if (isRecord(manifests.files)) {
        entries = Object.entries(manifests.files);
    } else if (Object.keys(manifests).length > 0 && Object.keys(manifests).every(k => /\.ya?ml$/.test(k))) {
        entries = Object.entries(manifests);
    } else {
        entries = Object.keys(manifests)
            .sort()
            .map(k => {
                const value = manifests[k];
                const docs =
                    isRecord(value) && Object.keys(value).length > 0 && Object.values(value).every(isKubernetesObject)
                        ? Object.keys(value)
                              .sort()
                              .map(name => value[name])
                        : value;
                return [ManifestFileNames[k] ?? `${kebab(k)}.yaml`, docs];
            });
    }
    const files: ManifestFile[] = [];
    for (const [name, value] of entries) {
        if (
            value === undefined ||
            value === null ||
            (Array.isArray(value) && value.length === 0) ||
            (isRecord(value) && Object.keys(value).length === 0)
        ) {
            continue;
        }
        if (!SafeFileName.test(name)) {
            throw new Error(`manifests output: file name ${JSON.stringify(name)} is not a plain .yaml file name`);
        }
        if (files.some(f => f.name === name)) {
            throw new Error(`manifests output: two entries write ${JSON.stringify(name)}`);
        }
        files.push({ name, text: toYaml(value) });
    }
    return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function isKubernetesObject(value: unknown): boolean {
    return isRecord(value) && typeof value.apiVersion === "string" && typeof value.kind === "string";
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
