#!/usr/bin/env bash
# vendor-redoc.sh fetches the pinned Redoc release from the npm registry,
# checks the tarball against the registry's published integrity hash, and
# copies the standalone bundle and its licence into adapters/httpapi/docs,
# which the binary embeds (GET /docs serves them; no CDN at run time). The
# files are committed, so a build needs neither npm nor the network; run
# this only to move to another version (update both pins together, from
# `npm view redoc@VERSION dist.integrity`).
set -euo pipefail
REDOC_VERSION=2.5.4
REDOC_INTEGRITY=sha512-M6jWhG1qoBnH6TFmzJnstyCZ87HmOY/UzDm78mHiYihEdlV/YcS9ogOo1NlElnJMeLsyxHFe2yFc4sNjHTrABQ==

cd "$(dirname "$0")/.."
dest=adapters/httpapi/docs
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
curl -fsSL -o "$tmp/redoc.tgz" "https://registry.npmjs.org/redoc/-/redoc-${REDOC_VERSION}.tgz"
got="sha512-$(openssl dgst -sha512 -binary "$tmp/redoc.tgz" | base64 -w0)"
if [ "$got" != "$REDOC_INTEGRITY" ]; then
	echo "vendor-redoc: integrity mismatch for redoc@${REDOC_VERSION}: got $got" >&2
	exit 1
fi
tar -xzf "$tmp/redoc.tgz" -C "$tmp" package/bundles/redoc.standalone.js package/LICENSE
cp "$tmp/package/bundles/redoc.standalone.js" "$dest/redoc.standalone.js"
cp "$tmp/package/LICENSE" "$dest/REDOC-LICENSE"
echo "$REDOC_VERSION" > "$dest/REDOC-VERSION"
echo "vendored redoc@${REDOC_VERSION} into $dest (integrity verified)"
