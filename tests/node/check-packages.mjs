// Fails with the command to run when the pinned npm packages of package.json are not installed.
import { readFileSync } from 'node:fs';

const wanted = JSON.parse(readFileSync(new URL('./package.json', import.meta.url))).dependencies;
const missing = [];
for (const [name, version] of Object.entries(wanted)) {
  try {
    const installed = JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url))).version;
    if (installed !== version) missing.push(`${name}@${version} (found ${installed})`);
  } catch {
    missing.push(`${name}@${version}`);
  }
}
if (missing.length > 0) {
  console.error(`error: npm packages missing in tests/node: ${missing.join(', ')}; run tools/dev/install-node-deps.sh`);
  process.exit(1);
}
console.log(`all ${Object.keys(wanted).length} npm packages are installed`);
