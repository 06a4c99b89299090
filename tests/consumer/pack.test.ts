import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { TargetGroupBindingCrdFile } from "../../components/cluster-attachment/crd";

/**
 * What `npm pack` (and so `npm publish`) puts in the tarball: the compiled
 * components, CLI and stack programs (JavaScript and declarations), the
 * vendored TargetGroupBinding CRD they load, the README, LICENSE, CHANGELOG
 * and package.json, nothing else; and no script that npm runs when a
 * consumer installs it.
 */

const root = path.resolve(__dirname, "..", "..");
/** The lifecycle scripts npm runs (or asks to allow) when the package is installed. */
const InstallScripts = ["preinstall", "install", "postinstall", "prepare"];

interface Packed {
    name: string;
    version: string;
    filename: string;
    files: { path: string }[];
}

describe("npm pack --dry-run: the tarball's content", function () {
    // prepack builds dist/ first.
    this.timeout(300_000);
    let packed: Packed;
    before(() => {
        const r = spawnSync("npm", ["pack", "--dry-run", "--json"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        expect(r.status, r.stderr).to.equal(0);
        // prepack's own output (tsc's, when it prints) comes before the JSON document.
        packed = (JSON.parse(r.stdout.slice(r.stdout.indexOf("[\n"))) as Packed[])[0];
    });

    it("is shared-alb at package.json's version", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
        expect([packed.name, packed.version, packed.filename]).to.deep.equal(["shared-alb", pkg.version, `shared-alb-${pkg.version}.tgz`]);
    });

    it("holds the compiled components, CLI and stacks (.js and .d.ts), the vendored CRD, README.md, LICENSE, CHANGELOG.md and package.json, nothing else", () => {
        const files = packed.files.map(f => f.path).sort();
        expect(files.filter(f => !/^dist\/(components|cli|stacks)\/.+\.(js|d\.ts)$/.test(f))).to.deep.equal([
            "CHANGELOG.md",
            "LICENSE",
            "README.md",
            TargetGroupBindingCrdFile,
            "package.json",
        ]);
        for (const entry of [
            "dist/components/index.js",
            "dist/components/index.d.ts",
            "dist/cli/index.js",
            "dist/stacks/index.js",
            "dist/components/provider/plugin.js",
        ]) {
            expect(files, entry).to.include(entry);
        }
        // Every compiled module of the three folders is there, with its declarations.
        const built = (dir: string): string[] =>
            fs
                .readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
                .filter(f => /\.(js|d\.ts)$/.test(f))
                .map(f => `${dir}/${f.split(path.sep).join("/")}`);
        expect(files.filter(f => f.startsWith("dist/"))).to.deep.equal(
            ["dist/cli", "dist/components", "dist/stacks"].flatMap(built).sort(),
        );
    });

    it("LICENSE is the Apache License 2.0 that package.json names", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { license: string };
        const license = fs.readFileSync(path.join(root, "LICENSE"), "utf8");
        expect(pkg.license).to.equal("Apache-2.0");
        expect(
            license
                .split("\n")
                .slice(0, 2)
                .map(l => l.trim()),
        ).to.deep.equal(["Apache License", "Version 2.0, January 2004"]);
        expect(license).to.include("END OF TERMS AND CONDITIONS");
        expect(license.trimEnd().split("\n").pop()!.trim()).to.equal("limitations under the License.");
    });

    it("package.json (as packed) has no install script, and builds in prepack", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
        expect(InstallScripts.filter(s => s in pkg.scripts)).to.deep.equal([]);
        expect(pkg.scripts.prepack).to.equal(pkg.scripts.build);
    });
});
