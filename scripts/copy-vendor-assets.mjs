// Copy the front-end files the web workbench serves from node_modules/ into src/cashtrail/web/static/vendor/.
//
// Run by `npm ci` / `npm install` (the root package's postinstall script). The list of files lives in
// src/cashtrail/web/static/vendor.json, which the Python side reads too, so both agree on what must be there.
// The vendor folder is git-ignored: minified third-party code is never committed, only rebuilt from the lock file.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const staticDir = join(root, "src", "cashtrail", "web", "static");
const vendorDir = join(staticDir, "vendor");
const { files } = JSON.parse(readFileSync(join(staticDir, "vendor.json"), "utf8"));

const missing = Object.values(files).filter((source) => !existsSync(join(root, "node_modules", source)));
if (missing.length > 0) {
  console.error(`copy-vendor-assets: not found under node_modules/: ${missing.join(", ")}`);
  process.exit(1);
}

mkdirSync(vendorDir, { recursive: true });
const copied = [];
for (const [target, source] of Object.entries(files)) {
  copyFileSync(join(root, "node_modules", source), join(vendorDir, target));
  const pkg = source.startsWith("@") ? source.split("/").slice(0, 2).join("/") : source.split("/")[0];
  const { version } = JSON.parse(readFileSync(join(root, "node_modules", pkg, "package.json"), "utf8"));
  copied.push(`${target}\t${pkg}@${version}`);
}
// The Makefile's `setup` target depends on this stamp to know the assets are installed.
writeFileSync(join(vendorDir, ".installed-stamp"), copied.join("\n") + "\n");
console.log(`copy-vendor-assets: ${copied.length} files into ${vendorDir}`);
