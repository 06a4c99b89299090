import { expect } from "chai";
import { fieldsToFix, repositoryFields } from "../../tools/release-fields";

const fields = (web: string) => ({
    repository: { type: "git", url: `git+${web}.git` },
    homepage: `${web}#readme`,
    bugs: { url: `${web}/issues` },
});

describe("release fields: repository, homepage and bugs from the origin remote", () => {
    const accepted: [string, string][] = [
        ["https://github.com/acme/shared-alb.git", "https://github.com/acme/shared-alb"],
        ["https://github.com/acme/shared-alb", "https://github.com/acme/shared-alb"],
        ["git+https://gitlab.example.com/platform/shared-alb.git", "https://gitlab.example.com/platform/shared-alb"],
        ["https://token@github.com/acme/shared-alb.git\n", "https://github.com/acme/shared-alb"],
        ["git@github.com:acme/shared-alb.git", "https://github.com/acme/shared-alb"],
        ["ssh://git@git.example.org:2222/acme/shared-alb.git", "https://git.example.org/acme/shared-alb"],
    ];
    for (const [remote, web] of accepted) {
        it(`${JSON.stringify(remote)} -> ${web}`, () => {
            expect(repositoryFields(remote)).to.deep.equal(fields(web));
        });
    }

    for (const remote of ["/srv/git/shared-alb", "file:///srv/git/shared-alb", "https://github.com/shared-alb.git", ""]) {
        it(`refuses ${JSON.stringify(remote)}`, () => {
            expect(() => repositoryFields(remote)).to.throw(
                `origin remote: got ${JSON.stringify(remote)}; expected a hosted repository URL ` +
                    "(https://<host>/<owner>/<name>, git@<host>:<owner>/<name>.git or ssh://git@<host>/<owner>/<name>.git)",
            );
        });
    }

    it("names the fields package.json lacks or has otherwise", () => {
        const want = repositoryFields("git@github.com:acme/shared-alb.git");
        expect(fieldsToFix({}, want)).to.deep.equal(["repository", "homepage", "bugs"]);
        expect(fieldsToFix({ ...want, homepage: "https://example.com" }, want)).to.deep.equal(["homepage"]);
        expect(fieldsToFix({ name: "shared-alb", ...want }, want)).to.deep.equal([]);
    });
});
