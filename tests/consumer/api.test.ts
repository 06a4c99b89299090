import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import * as main from "../../components";
import * as internal from "../../components/internal";
import * as sdk from "../../components/internal/sdk";

// The package's entries, pinned name by name: a name added to or removed
// from an entry fails here until this list and docs/api.md say so too.

const root = path.resolve(__dirname, "..", "..");

/** The files of the three entries (the package main, `shared-alb/internal`, the stack programs' SDK entry). */
const Entries = {
    main: "components/index.ts",
    internal: "components/internal/index.ts",
    sdk: "components/internal/sdk.ts",
} as const;
type Entry = keyof typeof Entries;

/** What each entry exports: runtime names (`Object.keys(require(entry))`) and names that are types only. */
const Pinned: Record<Entry, { values: string[]; types: string[] }> = {
    main: {
        values: [
            "ClusterAttachment",
            "ConfigError",
            "ConfigErrors",
            "DesyncMitigationMode",
            "IpAddressType",
            "SecurityGroupMode",
            "SharedAlb",
            "TargetProtocol",
            "TargetType",
            "deployedAllocationOf",
            "fromEksCluster",
            "readDeployedAllocation",
        ],
        types: [
            "AccessLogsArgs",
            "AdmissionPolicyObjects",
            "AttachmentManifests",
            "BindingArgs",
            "BindingOutput",
            "ClusterArgs",
            "ClusterAttachmentArgs",
            "ClusterNetworkArgs",
            "ClusterOutputs",
            "ClusterTargetGroupArgs",
            "ControllerArgs",
            "ControllerChartRef",
            "DeployedAllocationArgs",
            "EksClusterInputs",
            "EksClusterLike",
            "HealthCheckArgs",
            "KubernetesObject",
            "LoadBalancerArgs",
            "LoadBalancerOutputs",
            "NamedExpression",
            "NetworkOutputs",
            "NetworkStackOutputs",
            "NetworkingPeer",
            "NetworkingPort",
            "PreviewArgs",
            "PreviewOutputs",
            "ResourceListArgs",
            "ResourceRequirementsArgs",
            "ServiceAccountRef",
            "ServiceArgs",
            "ServiceOutputs",
            "ServiceOverrideArgs",
            "SharedAlbArgs",
            "StickinessArgs",
            "TargetGroupBindingObject",
            "TargetGroupBindingSpec",
            "TargetGroupOutputs",
            "ValidatingAdmissionPolicyBindingSpec",
            "ValidatingAdmissionPolicySpec",
            "Validation",
            "VpcSharingArgs",
            "VpcSharingOutputs",
        ],
    },
    internal: {
        values: [
            "AccountIdPattern",
            "AdditionalPolicyName",
            "AdmissionPolicyMinKubernetes",
            "AdmissionPolicyNeeds",
            "AllowedText",
            "ArnAllowed",
            "CidrPattern",
            "ClusterNamePattern",
            "ConfigError",
            "ConfigErrors",
            "ControllerPolicyName",
            "DocumentError",
            "DocumentLimits",
            "ExternalIdAllowed",
            "ExternalIdPattern",
            "ForbiddenActionPatterns",
            "HiddenSecret",
            "IrsaAudience",
            "KeyPattern",
            "ListenerArnPattern",
            "LoadBalancerArnPattern",
            "MaxCrossAccountClusterName",
            "NetworkCredentialsFix",
            "NodePortRange",
            "OidcProviderArnPattern",
            "Problems",
            "PulumiSignatureKey",
            "RegionPattern",
            "RegistrarPolicyName",
            "SecurityGroupIdPattern",
            "SecurityGroupMode",
            "SecurityGroupModes",
            "TargetGroupArnPattern",
            "VpcIdPattern",
            "accountId",
            "accountRootArn",
            "albTargetPorts",
            "arn",
            "arnPartition",
            "bindingArgs",
            "check",
            "checkCredentialsAccount",
            "checkListener",
            "conditionsMatch",
            "controllerArgs",
            "controllerPermissionsPolicy",
            "dataMap",
            "hasOwn",
            "integer",
            "isRecord",
            "join",
            "list",
            "map",
            "matchesPlainRequests",
            "nonEmpty",
            "normalizeIssuer",
            "nullAsAbsent",
            "object",
            "objectFields",
            "oidcProviderArn",
            "oneOf",
            "optional",
            "orThrow",
            "overlapRequests",
            "own",
            "parseJsonData",
            "parseRoleArn",
            "partitionOf",
            "planSharedAlbArgs",
            "refuseReservedKeys",
            "registrarPermissions",
            "requiredNamespaces",
            "roleArn",
            "routeRequest",
            "ruleValues",
            "securityGroupArn",
            "securityGroupId",
            "servesAdmissionPolicy",
            "shownExternalId",
            "subnetId",
            "tagsUpTo",
            "targetGroupArn",
            "text",
            "toData",
            "trueOrFalse",
            "withDefault",
            "witnessRequests",
        ],
        types: [
            "ActionInput",
            "AttachmentPlan",
            "BindingArgs",
            "ClusterAttachmentArgs",
            "ClusterInputArgs",
            "ClusterOutputs",
            "ConditionInput",
            "ControllerArgs",
            "FleetPlan",
            "ListenerInput",
            "NetworkOutputs",
            "PolicyDocument",
            "Reader",
            "RuleInput",
            "RuleValues",
            "ServiceOutputs",
            "TargetGroupOutputs",
            "WitnessRequest",
        ],
    },
    sdk: { values: ["aws", "k8s", "ownStackName", "planAttachment"], types: [] },
};

/** The public names the internal entry carries for SDK-free code: the main entry's own. */
const Shared = {
    values: ["ConfigError", "ConfigErrors", "SecurityGroupMode"],
    types: [
        "BindingArgs",
        "ClusterAttachmentArgs",
        "ClusterOutputs",
        "ControllerArgs",
        "NetworkOutputs",
        "ServiceOutputs",
        "TargetGroupOutputs",
    ],
};

/** The entries' exports as the compiler sees them (the declarations users get), and the checker to follow them. */
interface Compiled {
    checker: ts.TypeChecker;
    exports: Record<Entry, ts.Symbol[]>;
}

function compile(): Compiled {
    const config = ts.getParsedCommandLineOfConfigFile(
        path.join(root, "tsconfig.json"),
        {},
        {
            ...ts.sys,
            onUnRecoverableConfigFileDiagnostic: d => {
                throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
            },
        },
    )!;
    const files = Object.values(Entries).map(f => path.join(root, f));
    const program = ts.createProgram(files, { ...config.options, noEmit: true, incremental: false });
    const checker = program.getTypeChecker();
    const exportsOf = (file: string): ts.Symbol[] =>
        checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(path.join(root, file))!)!);
    return { checker, exports: { main: exportsOf(Entries.main), internal: exportsOf(Entries.internal), sdk: exportsOf(Entries.sdk) } };
}

/** The declared symbol behind an export (through `export { x } from`). */
function declared(checker: ts.TypeChecker, s: ts.Symbol): ts.Symbol {
    return s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
}

function split(checker: ts.TypeChecker, symbols: ts.Symbol[]): { values: string[]; types: string[] } {
    const isValue = (s: ts.Symbol) => (declared(checker, s).flags & ts.SymbolFlags.Value) !== 0;
    return {
        values: symbols
            .filter(isValue)
            .map(s => s.name)
            .sort(),
        types: symbols
            .filter(s => !isValue(s))
            .map(s => s.name)
            .sort(),
    };
}

/**
 * The types of this package a public declaration refers to and the main
 * entry does not export, each with the exports that refer to it: what a user
 * would see in a signature and could not name. Class members marked private
 * or protected and function bodies are not part of the declarations.
 */
function unnamedTypes(compiled: Compiled): Record<string, string[]> {
    const { checker } = compiled;
    const exported = new Set(compiled.exports.main.map(s => declared(checker, s)));
    const found: Record<string, Set<string>> = {};
    const visit = (node: ts.Node, from: string): void => {
        if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node)) {
            const name = ts.isTypeReferenceNode(node) ? node.typeName : node.expression;
            const symbol = checker.getSymbolAtLocation(ts.isQualifiedName(name) ? name.right : name);
            const target = symbol && declared(checker, symbol);
            const file = target?.declarations?.[0]?.getSourceFile().fileName;
            if (
                target &&
                file &&
                path.relative(root, file).startsWith(`components${path.sep}`) &&
                !exported.has(target) &&
                !(target.flags & ts.SymbolFlags.TypeParameter)
            ) {
                (found[target.name] ??= new Set()).add(from);
            }
        }
        ts.forEachChild(node, child => visit(child, from));
    };
    const signature = (node: ts.SignatureDeclaration, from: string) => {
        node.parameters.forEach(p => visit(p, from));
        if (node.type) {
            visit(node.type, from);
        }
    };
    for (const s of compiled.exports.main) {
        for (const d of declared(checker, s).declarations ?? []) {
            if (ts.isClassDeclaration(d)) {
                d.heritageClauses?.forEach(h => visit(h, s.name));
                const hidden = (m: ts.ClassElement) =>
                    (ts.getCombinedModifierFlags(m as ts.Declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0 ||
                    (m.name !== undefined && ts.isPrivateIdentifier(m.name));
                for (const m of d.members.filter(m => !hidden(m))) {
                    if (ts.isPropertyDeclaration(m)) {
                        visit(m.type ?? m, s.name);
                    } else if (
                        ts.isMethodDeclaration(m) ||
                        ts.isConstructorDeclaration(m) ||
                        ts.isGetAccessorDeclaration(m) ||
                        ts.isSetAccessorDeclaration(m)
                    ) {
                        signature(m, s.name);
                    }
                }
            } else if (ts.isFunctionDeclaration(d)) {
                signature(d, s.name);
            } else if (ts.isVariableDeclaration(d)) {
                visit(d.type ?? d.name, s.name);
            } else {
                visit(d, s.name);
            }
        }
    }
    return Object.fromEntries(Object.entries(found).map(([name, from]) => [name, [...from].sort()]));
}

/** The names docs/api.md lists under an entry's heading: the first column of its tables, in backticks. */
function documented(heading: string): string[] {
    const doc = fs.readFileSync(path.join(root, "docs", "api.md"), "utf8");
    const start = doc.indexOf(`\n## ${heading}\n`);
    expect(start, `docs/api.md: ## ${heading}`).to.be.greaterThan(-1);
    const end = doc.indexOf("\n## ", start + 1);
    const section = doc.slice(start, end === -1 ? undefined : end);
    return [...section.matchAll(/^\| ([^|]+) \|/gm)]
        .map(m => m[1])
        .filter(cell => cell.startsWith("`"))
        .flatMap(cell => [...cell.matchAll(/`([A-Za-z0-9]+)`/g)].map(m => m[1]))
        .sort();
}

describe("the package's entries (docs/api.md)", function () {
    // The compiler reads the components' declarations and the SDKs' typings.
    this.timeout(180_000);
    let compiled: Compiled;

    before(() => {
        compiled = compile();
    });

    it("the main entry's runtime names are exactly the public ones, as are the other entries'", () => {
        expect(Object.keys(main).sort()).to.deep.equal(Pinned.main.values);
        expect(Object.keys(internal).sort()).to.deep.equal(Pinned.internal.values);
        expect(Object.keys(sdk).sort()).to.deep.equal(Pinned.sdk.values);
    });

    it("each entry declares exactly its pinned values and types", () => {
        for (const entry of Object.keys(Entries) as Entry[]) {
            expect(split(compiled.checker, compiled.exports[entry]), entry).to.deep.equal(Pinned[entry]);
        }
    });

    it("the public names the internal entry carries are the main entry's own objects and types", () => {
        const shared = (kind: "values" | "types") => Pinned.internal[kind].filter(n => Pinned.main[kind].includes(n));
        expect({ values: shared("values"), types: shared("types") }).to.deep.equal(Shared);
        for (const name of Shared.values) {
            expect((internal as Record<string, unknown>)[name], name).to.equal((main as Record<string, unknown>)[name]);
        }
        const byName = (entry: Entry) => new Map(compiled.exports[entry].map(s => [s.name, declared(compiled.checker, s)]));
        const [ours, theirs] = [byName("internal"), byName("main")];
        for (const name of Shared.types) {
            expect(ours.get(name), name).to.equal(theirs.get(name));
        }
    });

    it("exports every type of this package that a public declaration refers to, so users can name what they see", () => {
        expect(unnamedTypes(compiled)).to.deep.equal({});
    });

    it("the public types users are documented to use are exported (checked by the compiler)", () => {
        // Compiled with the tests (npm run typecheck): each alias fails to compile if its type is not exported.
        type Documented = [
            main.SharedAlbArgs,
            main.ClusterAttachmentArgs,
            main.ClusterNetworkArgs,
            main.DeployedAllocationArgs,
            main.NetworkOutputs,
            main.ClusterOutputs,
            main.NetworkStackOutputs,
            main.BindingOutput,
            main.AttachmentManifests,
            main.EksClusterLike,
            main.DesyncMitigationMode,
            main.SecurityGroupMode,
            main.IpAddressType,
            main.TargetProtocol,
            main.TargetType,
        ];
        const strictest: Documented[10] = main.DesyncMitigationMode.Strictest;
        expect(strictest).to.equal("strictest");
    });

    it("docs/api.md lists every exported name of each entry, and no other", () => {
        const all = (entry: Entry) => [...Pinned[entry].values, ...Pinned[entry].types].sort();
        expect(documented("`shared-alb`: the public API")).to.deep.equal(all("main"));
        expect(documented("`shared-alb/internal`")).to.deep.equal(all("internal"));
        expect(documented("The SDK entry (`components/internal/sdk.ts`)")).to.deep.equal(all("sdk"));
    });

    it("the internal entry loads no Pulumi SDK (so the doctor loads none)", () => {
        const script = `require("./components/internal");
            process.stdout.write(JSON.stringify(Object.keys(require.cache).filter(f => f.includes("@pulumi")).length));`;
        const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: root, encoding: "utf8" });
        expect(r.status, r.stderr).to.equal(0);
        expect(JSON.parse(r.stdout)).to.equal(0);
    });
});
