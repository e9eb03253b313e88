#!/usr/bin/env bash
# Vendors GOV.UK Frontend (CSS, JS) and axe-core from the npm registry into the repository.
# Run by a developer when upgrading; the output is committed, so neither Node nor the network is
# needed at run time or in CI (docs/decisions/0005-govuk-frontend-without-branding.md).
#
# The CSS is compiled from GOV.UK Frontend's Sass with the GDS Transport font switched off: that
# typeface (like the crown and the GOV.UK logo) is for GOV.UK services only. We use a system stack.
set -euo pipefail
GOVUK_FRONTEND_VERSION=6.3.0   # matches govuk-frontend-jinja 4.1.0
SASS_VERSION=1.108.2
AXE_VERSION=4.11.1

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "govuk-frontend@$GOVUK_FRONTEND_VERSION" "sass@$SASS_VERSION" "axe-core@$AXE_VERSION"

cat > boroughhub.scss <<'SCSS'
$govuk-font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
$govuk-include-default-font-face: false;
$govuk-assets-path: "/static/web/";
@import "node_modules/govuk-frontend/dist/govuk/index";
SCSS
npx sass --no-source-map --style=compressed --quiet-deps --silence-deprecation=import boroughhub.scss govuk-frontend.min.css

out="$root/src/boroughhub/web/static/web"
mkdir -p "$out"
cp govuk-frontend.min.css "$out/govuk-frontend.min.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$out/govuk-frontend.min.js"
echo "govuk-frontend $GOVUK_FRONTEND_VERSION (fonts, crown and logo not vendored)" > "$out/VERSIONS.txt"
cp node_modules/axe-core/axe.min.js "$root/tests/browser/axe.min.js"
echo "axe-core $AXE_VERSION" >> "$out/VERSIONS.txt"
echo "Vendored into $out and tests/browser/axe.min.js"
