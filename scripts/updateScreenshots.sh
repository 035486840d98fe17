#!/bin/sh
# Copies the screenshots the VS Code suite just took (out/test/vscode/screenshots) to the
# ones the README shows. Run after `npm run test:vscode`.
set -e
cd "$(dirname "$0")/.."
from=out/test/vscode/screenshots
cp "$from/sidebar-alice.png" docs/screenshots/prompts-view.png
cp "$from/review-panel-approved.png" docs/screenshots/review-panel.png
cp "$from/editor-read-only-prod-prompt.png" docs/screenshots/read-only-editor.png
echo "updated docs/screenshots from $from"
