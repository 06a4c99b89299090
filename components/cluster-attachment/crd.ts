/**
 * The TargetGroupBinding CustomResourceDefinition the attachment applies
 * when `manageCrd` is on: the document the pinned chart ships, vendored as a
 * file (crds/targetgroupbindings.yaml, its source and version in the file's
 * header) so that `pulumi up` and the offline plan need no network access
 * and the CRD always matches the pinned chart. The file is read once, when
 * this module loads, from the package's root (the same path from the
 * sources, from dist/ and from an installed copy: package.json `files`
 * ships it), and checked: a file that is not that CRD for the pinned chart
 * stops the package from loading rather than reaching a cluster.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { packageRoot } from "../internal/package-root";
import { isRecord } from "../internal/read";
import { TargetGroupBindingApiVersion, TargetGroupBindingKind } from "./manifests";
import { ControllerChart } from "./versions";

/**
 * The pulumi-kubernetes annotation that forces a server-side apply of a
 * patch resource (create and update) over fields another field manager owns.
 */
export const PatchForceAnnotation = "pulumi.com/patchForce";

/** The vendored CRD file, relative to the package's root. */
export const TargetGroupBindingCrdFile = "components/cluster-attachment/crds/targetgroupbindings.yaml";

/** An OpenAPI v3 schema of the CRD, as far as this package reads it; the rest of each schema object is kept as vendored. */
export interface CrdSchema {
    type?: string;
    description?: string;
    properties?: Record<string, CrdSchema>;
    required?: string[];
    items?: CrdSchema;
    additionalProperties?: boolean | CrdSchema;
    [keyword: string]: unknown;
}

/** One version of the CRD: every version has a schema with `spec` properties (checked when the file loads). */
export interface CrdVersion {
    name: string;
    served: boolean;
    storage: boolean;
    schema: {
        openAPIV3Schema: CrdSchema & {
            properties: Record<string, CrdSchema> & { spec: CrdSchema & { properties: Record<string, CrdSchema> } };
        };
    };
    [field: string]: unknown;
}

/** The TargetGroupBinding CustomResourceDefinition document. */
export interface CustomResourceDefinition {
    apiVersion: string;
    kind: string;
    metadata: { name: string; annotations?: Record<string, string> };
    spec: {
        group: string;
        names: { kind: string; listKind: string; plural: string; singular: string };
        scope: string;
        versions: CrdVersion[];
    };
}

/** Where the vendored document comes from: the `# key: value` fields that end the file's header. */
export interface VendoredSource {
    /** The repository the document is taken from. */
    source: string;
    commit: string;
    /** The file in that repository at that commit. */
    path: string;
    /** The Helm chart that ships it, its repository and version, and the controller version the chart runs. */
    chart: string;
    chartRepository: string;
    chartVersion: string;
    appVersion: string;
    license: string;
}

/** The vendored file, read: its source, the document exactly as vendored (from its `---` line), and the document parsed. */
export interface VendoredCrd {
    source: VendoredSource;
    document: string;
    crd: CustomResourceDefinition;
}

/** The header field names, in the order the file lists them. */
const SourceFields: Record<string, keyof VendoredSource> = {
    source: "source",
    commit: "commit",
    path: "path",
    chart: "chart",
    "chart-repository": "chartRepository",
    "chart-version": "chartVersion",
    "app-version": "appVersion",
    license: "license",
};

/**
 * The fields of the header's last paragraph (after its last bare `#` line):
 * one `# key: value` per line, every field of `VendoredSource` present.
 */
function sourceFields(header: string, problems: string[]): VendoredSource {
    const lines = header.split("\n").filter(line => line !== "");
    const notComment = lines.find(line => !line.startsWith("#"));
    if (notComment !== undefined) {
        problems.push(`the header has a line that is not a comment: ${JSON.stringify(notComment)}`);
    }
    const fields: Partial<VendoredSource> = {};
    for (const line of lines.slice(lines.lastIndexOf("#") + 1)) {
        const m = /^# ([a-z-]+): (\S.*)$/.exec(line);
        const key = m === null ? undefined : SourceFields[m[1]];
        if (m === null || key === undefined || fields[key] !== undefined) {
            problems.push(
                `the header's field line ${JSON.stringify(line)} is not one "# <field>: <value>" of ${Object.keys(SourceFields).join(", ")}`,
            );
        } else {
            fields[key] = m[2];
        }
    }
    const missing = Object.entries(SourceFields)
        .filter(([, key]) => fields[key] === undefined)
        .map(([name]) => name);
    if (missing.length > 0) {
        problems.push(`the header lacks the field(s) ${missing.join(", ")}`);
    }
    return fields as VendoredSource;
}

/** The chart the header names must be the pinned one (versions.ts). */
function pinnedChartProblems(source: VendoredSource): string[] {
    const expected: [string, string | undefined, string][] = [
        ["chart", source.chart, ControllerChart.name],
        ["chart-repository", source.chartRepository, ControllerChart.repository],
        ["chart-version", source.chartVersion, ControllerChart.version],
        ["app-version", source.appVersion, ControllerChart.appVersion],
    ];
    return expected
        .filter(([, got, want]) => got !== undefined && got !== want)
        .map(
            ([field, got, want]) =>
                `the header's ${field} is ${JSON.stringify(got)}, but the pinned chart's is ${JSON.stringify(want)} (versions.ts)`,
        );
}

/** A version's schema with `spec` properties, which the manifests and the tests read. */
function hasSpecSchema(version: Record<string, unknown>): boolean {
    const schema = isRecord(version.schema) && isRecord(version.schema.openAPIV3Schema) ? version.schema.openAPIV3Schema : undefined;
    const spec = schema !== undefined && isRecord(schema.properties) ? schema.properties.spec : undefined;
    return isRecord(spec) && isRecord(spec.properties);
}

/**
 * What the component relies on: the TargetGroupBinding CRD of the group
 * its bindings use, whose storage version (served) is the one the
 * manifests emit, every version with a `spec` schema.
 */
function crdProblems(doc: unknown): string[] {
    if (
        !isRecord(doc) ||
        !isRecord(doc.metadata) ||
        !isRecord(doc.spec) ||
        !isRecord(doc.spec.names) ||
        !Array.isArray(doc.spec.versions)
    ) {
        return ["the document is not a CustomResourceDefinition (metadata, spec.names and spec.versions expected)"];
    }
    const [group, version] = TargetGroupBindingApiVersion.split("/");
    const expected: [string, unknown, unknown][] = [
        ["apiVersion", doc.apiVersion, "apiextensions.k8s.io/v1"],
        ["kind", doc.kind, "CustomResourceDefinition"],
        ["metadata.name", doc.metadata.name, `targetgroupbindings.${group}`],
        ["spec.group", doc.spec.group, group],
        ["spec.names.kind", doc.spec.names.kind, TargetGroupBindingKind],
        ["spec.scope", doc.spec.scope, "Namespaced"],
    ];
    const problems = expected
        .filter(([, got, want]) => got !== want)
        .map(([at, got, want]) => `${at} is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    const versions = doc.spec.versions.filter(isRecord);
    const storage = versions.filter(v => v.storage === true).map(v => v.name);
    if (storage.length !== 1 || storage[0] !== version || !versions.some(v => v.name === version && v.served === true)) {
        problems.push(`spec.versions: expected ${version} served and the one storage version (storage: ${JSON.stringify(storage)})`);
    }
    const withoutSchema = doc.spec.versions.filter(v => !isRecord(v) || !hasSpecSchema(v)).map(v => (isRecord(v) ? v.name : v));
    if (withoutSchema.length > 0) {
        problems.push(`spec.versions ${JSON.stringify(withoutSchema)} have no openAPIV3Schema with spec properties`);
    }
    return problems;
}

/**
 * Reads the vendored CRD file: a header of `#` comments ending in the
 * source fields, then the document from its `---` line. Throws, naming
 * the file and every problem, unless it is the TargetGroupBinding CRD the
 * component relies on, vendored from the pinned chart.
 */
export function readVendoredCrd(text: string, file: string = TargetGroupBindingCrdFile): VendoredCrd {
    const start = /^---$/m.exec(text)?.index;
    if (start === undefined) {
        throw new Error(`${file}: no "---" line starts the vendored document`);
    }
    const problems: string[] = [];
    const source = sourceFields(text.slice(0, start), problems);
    problems.push(...pinnedChartProblems(source));
    const document = text.slice(start);
    let parsed: unknown;
    try {
        parsed = parse(document);
    } catch (e) {
        throw new Error(`${file}: the vendored document is not one YAML document: ${(e as Error).message}`);
    }
    problems.push(...crdProblems(parsed));
    if (problems.length > 0) {
        throw new Error(`${file} is not the TargetGroupBinding CRD of the pinned chart: ${problems.join("; ")}`);
    }
    return { source, document, crd: parsed as CustomResourceDefinition };
}

const vendored = readVendoredCrd(fs.readFileSync(path.join(packageRoot(), TargetGroupBindingCrdFile), "utf8"));

/** The TargetGroupBinding CRD of the pinned chart, as vendored (crds/targetgroupbindings.yaml). */
export const TargetGroupBindingCrd: CustomResourceDefinition = vendored.crd;

/** The chart version the vendored CRD comes from (its header's `chart-version`): the pinned `ControllerChart.version`. */
export const TargetGroupBindingCrdVersion: string = vendored.source.chartVersion;
