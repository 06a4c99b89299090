import { createHash } from "crypto";

/**
 * The Kubernetes cluster behind a planned stack's provider, as far as the
 * objects that exist before the program runs matter: namespaces and
 * CustomResourceDefinitions. Writes are answered the way pulumi-kubernetes
 * (4.29 and later, server-side apply mode) answers them:
 * - a plain resource is created client-side (`await.Creation`, the
 *   `client.Create` branch): an object that exists fails with the API's
 *   AlreadyExists, wrapped in the provider's message;
 * - a `*Patch` resource is server-side applied (`client.Patch` with
 *   `ApplyPatchType`): it creates an absent object and updates an existing
 *   one, and fails with a field conflict when another field manager owns a
 *   field it sets differently, unless `pulumi.com/patchForce` is "true";
 * - a patch without `metadata.name` is refused by the provider's Check.
 */

/** The name of the controller's TargetGroupBinding CRD. */
export const TargetGroupBindingCrdName = "targetgroupbindings.elbv2.k8s.aws";

/** What a write needs of the registration (see `ResourceRequest` in fake-cloud.ts). */
export interface KubernetesWrite {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

/** The fake cloud's answer to a registration: the resource's ID and its state. */
interface Answer {
    id: string;
    state: Record<string, unknown>;
}

/** The kinds modelled, by the resource type of their plain and patch resources. */
const Kinds: Record<string, { kind: "namespaces" | "crds"; patch: boolean }> = {
    "kubernetes:core/v1:Namespace": { kind: "namespaces", patch: false },
    "kubernetes:core/v1:NamespacePatch": { kind: "namespaces", patch: true },
    "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition": { kind: "crds", patch: false },
    "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinitionPatch": { kind: "crds", patch: true },
};

/** The API's name of each kind's resource, as its errors print it. */
const ApiResource = { namespaces: "namespaces", crds: "customresourcedefinitions.apiextensions.k8s.io" } as const;

/** The annotation that forces a patch over other field managers' fields. */
const PatchForce = "pulumi.com/patchForce";

export class KubernetesCluster {
    /** Namespaces that exist; undefined: unknown (reads succeed, creates succeed). */
    private namespaces: Set<string> | undefined;
    /** CRDs that exist, and whether another field manager owns them. */
    private readonly crds = new Map<string, { foreign: boolean }>();

    constructor(namespaces: string[] | undefined, crds: string[] | undefined) {
        this.namespaces = namespaces === undefined ? undefined : new Set(namespaces);
        for (const name of crds ?? []) {
            this.crds.set(name, { foreign: true });
        }
    }

    /** An existing cluster was looked up: these CRDs are taken to be there, installed by someone else. */
    assumeExisting(crds: string[]): void {
        for (const name of crds) {
            if (!this.crds.has(name)) {
                this.crds.set(name, { foreign: true });
            }
        }
    }

    /** Whether a read of the namespace finds it. */
    hasNamespace(name: string): boolean {
        return this.namespaces === undefined || this.namespaces.has(name);
    }

    /** A plain create or a patch of a namespace or a CRD, answered as the provider does (see the module comment). */
    write({ type, name, inputs }: KubernetesWrite): Answer {
        const { kind, patch } = Kinds[type];
        const metadata = (inputs.metadata ?? {}) as { name?: unknown; annotations?: Record<string, unknown> };
        const objectName = typeof metadata.name === "string" ? metadata.name : "";
        if (patch && objectName === "") {
            throw new Error(`${type}::${name}: patch resources require the \`.metadata.name\` field to be set`);
        }
        const exists = kind === "namespaces" ? this.namespaces?.has(objectName) === true : this.crds.has(objectName);
        if (exists && !patch) {
            throw new Error(notCreated(type, name, `${ApiResource[kind]} "${objectName}" already exists\n\n${AlreadyExistsAdvice}`));
        }
        if (exists && kind === "crds" && this.crds.get(objectName)!.foreign && metadata.annotations?.[PatchForce] !== "true") {
            throw new Error(notCreated(type, name, conflict(`${type}::${name}`)));
        }
        if (kind === "namespaces") {
            this.namespaces?.add(objectName);
        } else {
            this.crds.set(objectName, { foreign: false });
        }
        return { id: objectName || name, state: { ...inputs } };
    }
}

/**
 * What the provider adds to an AlreadyExists error of a create
 * (provider/pkg/await/await.go, `Creation`), in short.
 */
const AlreadyExistsAdvice =
    "The resource already exists in the cluster. To manage fields of an existing resource without owning its " +
    "lifecycle use a Patch resource (e.g. NamespacePatch); to adopt it, `pulumi import`; or set upsertExistingObjects on the provider.";

/** The provider's wrapping of a failed create (provider/pkg/provider/provider.go, `Create`); mocks do not see the URN, so type::name stands in. */
function notCreated(type: string, name: string, cause: string): string {
    return `resource "${type}::${name}" was not successfully created by the Kubernetes API server: ${cause}`;
}

/** A server-side apply conflict on a CRD another field manager (Helm) applied with other content, as `handleSSAErr` reports it. */
function conflict(resource: string): string {
    const manager = `pulumi-kubernetes-${createHash("sha256").update(resource).digest("hex").slice(0, 8)}`;
    return (
        "server-side apply field conflict detected, see https://www.pulumi.com/registry/packages/kubernetes/how-to-guides/" +
        "managing-resources-with-server-side-apply/#handle-field-conflicts-on-existing-resources for troubleshooting help\n" +
        `The resource managed by field manager "${manager}" had an apply conflict: Apply failed with 1 conflict: ` +
        'conflict with "helm" using apiextensions.k8s.io/v1: .spec.versions'
    );
}
