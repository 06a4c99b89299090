import { expect } from "chai";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import {
    readVendoredCrd,
    TargetGroupBindingCrd,
    TargetGroupBindingCrdFile,
    TargetGroupBindingCrdVersion,
} from "../../components/cluster-attachment/crd";
import { ControllerChart } from "../../components/cluster-attachment/versions";

const root = path.resolve(__dirname, "..", "..");
const text = fs.readFileSync(path.join(root, TargetGroupBindingCrdFile), "utf8");

/**
 * The upstream document the file vendors: sha256 of the TargetGroupBinding
 * document of helm/aws-load-balancer-controller/crds/crds.yaml (from its
 * `---` line to the end) at this commit, the same bytes as
 * config/crd/bases/elbv2.k8s.aws_targetgroupbindings.yaml there.
 */
const Upstream = {
    source: "https://github.com/kubernetes-sigs/aws-load-balancer-controller",
    commit: "225f44568848eb25f13e304a5f1cc68c0cd9415d",
    path: "helm/aws-load-balancer-controller/crds/crds.yaml",
    sha256: "0efbdd3d88d29abbdd6feb2c1329dceb5e1b7788644f2d9b0be9158589a98432",
    lines: 520,
};

describe("cluster-attachment vendored TargetGroupBinding CRD", () => {
    it("is the upstream document byte for byte, from the source its header names", () => {
        const { source, document } = readVendoredCrd(text);
        expect({ source: source.source, commit: source.commit, path: source.path, license: source.license }).to.deep.equal({
            source: Upstream.source,
            commit: Upstream.commit,
            path: Upstream.path,
            license: "Apache-2.0",
        });
        expect(createHash("sha256").update(document).digest("hex")).to.equal(Upstream.sha256);
        expect(document.split("\n").length - 1).to.equal(Upstream.lines);
        expect(text.endsWith(document)).to.equal(true);
    });

    it("comes from the pinned chart: its header's chart, repository and versions are ControllerChart's", () => {
        const { source } = readVendoredCrd(text);
        expect([source.chart, source.chartRepository, source.chartVersion, source.appVersion]).to.deep.equal([
            ControllerChart.name,
            ControllerChart.repository,
            ControllerChart.version,
            ControllerChart.appVersion,
        ]);
        expect(TargetGroupBindingCrdVersion).to.equal(ControllerChart.version);
    });

    it("loads as the parsed document: the CRD named targetgroupbindings.elbv2.k8s.aws, v1alpha1 served, v1beta1 served and stored", () => {
        expect(TargetGroupBindingCrd).to.deep.equal(parse(readVendoredCrd(text).document));
        expect([
            TargetGroupBindingCrd.apiVersion,
            TargetGroupBindingCrd.kind,
            TargetGroupBindingCrd.metadata.name,
            TargetGroupBindingCrd.spec.group,
        ]).to.deep.equal(["apiextensions.k8s.io/v1", "CustomResourceDefinition", "targetgroupbindings.elbv2.k8s.aws", "elbv2.k8s.aws"]);
        expect(TargetGroupBindingCrd.spec.versions.map(v => [v.name, v.served, v.storage])).to.deep.equal([
            ["v1alpha1", true, false],
            ["v1beta1", true, true],
        ]);
    });

    const file = TargetGroupBindingCrdFile;
    const refused = `${file} is not the TargetGroupBinding CRD of the pinned chart: `;
    const table: [string, (t: string) => string, string][] = [
        ["no document separator", t => t.replace("\n---\n", "\n"), `${file}: no "---" line starts the vendored document`],
        [
            "a newer chart's file",
            t => t.replace("# chart-version: 3.5.0", "# chart-version: 3.6.0").replace("# app-version: v3.5.0", "# app-version: v3.6.0"),
            `${refused}the header's chart-version is "3.6.0", but the pinned chart's is "3.5.0" (versions.ts); ` +
                'the header\'s app-version is "v3.6.0", but the pinned chart\'s is "v3.5.0" (versions.ts)',
        ],
        [
            "a header without its commit",
            t => t.replace(`# commit: ${Upstream.commit}\n`, ""),
            `${refused}the header lacks the field(s) commit`,
        ],
        [
            "an unknown header field",
            t => t.replace("# license: Apache-2.0", "# licence: Apache-2.0"),
            `${refused}the header's field line "# licence: Apache-2.0" is not one "# <field>: <value>" of source, commit, path, chart, ` +
                "chart-repository, chart-version, app-version, license; the header lacks the field(s) license",
        ],
        ["a header line that is not a comment", t => `note\n${t}`, `${refused}the header has a line that is not a comment: "note"`],
        [
            "another CRD",
            t => t.replace("name: targetgroupbindings.elbv2.k8s.aws", "name: ingressclassparams.elbv2.k8s.aws"),
            `${refused}metadata.name is "ingressclassparams.elbv2.k8s.aws", expected "targetgroupbindings.elbv2.k8s.aws"`,
        ],
        [
            "another group and kind",
            t => t.replace("group: elbv2.k8s.aws", "group: aga.k8s.aws").replace("kind: TargetGroupBinding\n", "kind: GlobalAccelerator\n"),
            `${refused}spec.group is "aga.k8s.aws", expected "elbv2.k8s.aws"; spec.names.kind is "GlobalAccelerator", expected "TargetGroupBinding"`,
        ],
        [
            "v1beta1 not stored",
            t => t.replace("    storage: true\n", "    storage: false\n"),
            `${refused}spec.versions: expected v1beta1 served and the one storage version (storage: [])`,
        ],
        [
            "v1beta1 not served",
            t =>
                t.slice(0, t.lastIndexOf("    served: true")) +
                t.slice(t.lastIndexOf("    served: true")).replace("served: true", "served: false"),
            `${refused}spec.versions: expected v1beta1 served and the one storage version (storage: ["v1beta1"])`,
        ],
        [
            "a version without a schema",
            t => t.replace(/\n {4}schema:\n {6}openAPIV3Schema:/, "\n    noSchema:\n      openAPIV3Schema:"),
            `${refused}spec.versions ["v1alpha1"] have no openAPIV3Schema with spec properties`,
        ],
        [
            "not a CRD at all",
            t => `${t.slice(0, t.indexOf("---\n") + 4)}- just a list\n`,
            `${refused}the document is not a CustomResourceDefinition (metadata, spec.names and spec.versions expected)`,
        ],
    ];
    for (const [what, change, message] of table) {
        it(`refuses ${what}`, () => {
            const changed = change(text);
            expect(changed, "the change applies").to.not.equal(text);
            expect(() => readVendoredCrd(changed))
                .to.throw(Error)
                .with.property("message", message);
        });
    }

    it("refuses a second document, with the YAML parser's reason", () => {
        expect(() => readVendoredCrd(`${text}---\nkind: Namespace\n`))
            .to.throw(Error)
            .with.property(
                "message",
                `${file}: the vendored document is not one YAML document: ` +
                    "Source contains multiple documents; please use YAML.parseAllDocuments() at line 521, column 1:\n\n      status: {}\n---\n^\n",
            );
    });
});
