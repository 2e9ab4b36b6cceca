#!/usr/bin/env bash
# Regenerate the translation catalogs: extract, update, compile.
#
#   scripts/translations.sh
#
# 1. Extracts every message of facilitator/**.py and facilitator/templates/**.html (map: babel.cfg;
#    keywords: the defaults plus `_l`, `lazy_gettext` and `plural_pair`, a count message whose two
#    forms pages hand to their scripts, see facilitator/i18n.py) into facilitator/translations/messages.pot.
# 2. Updates the `fr` and `en` catalogs (facilitator/translations/<lang>/LC_MESSAGES/messages.po),
#    creating them when missing. New messages arrive empty in `fr`, or fuzzy when pybabel guessed
#    from a similar one: translate them (and remove the `#, fuzzy` line) in messages.po, then run
#    this script again. Message ids are English, so the `en` catalog is filled with msgstr = msgid.
# 3. Compiles every catalog to messages.mo (only translated, non-fuzzy messages are compiled).
#
# Commit the .pot, the .po and the .mo files. tests/test_i18n.py fails when a message of the
# sources is missing, empty or fuzzy in the `fr` catalog, or when a .mo is older than its .po.
# Needs Babel (pybabel) and Jinja2 from requirements.txt; uses .venv/bin/pybabel when it exists.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=python3
PYBABEL=pybabel
if [ -x .venv/bin/pybabel ]; then
  PYTHON=.venv/bin/python
  PYBABEL=.venv/bin/pybabel
fi
DIR=facilitator/translations
POT=$DIR/messages.pot
LOCALES="fr en"

"$PYBABEL" --quiet extract -F babel.cfg -k _l -k lazy_gettext -k plural_pair:1,2 --sort-by-file --width 100 \
  --project Facilitator --version 1.0 --copyright-holder "the Facilitator authors" -o "$POT" .

for locale in $LOCALES; do
  "$PYBABEL" --quiet update -i "$POT" -d "$DIR" -l "$locale" --init-missing --ignore-obsolete --width 100
done

# English is the language of the message ids: its catalog says the same thing.
"$PYTHON" - "$DIR/en/LC_MESSAGES/messages.po" <<'PY'
import sys

from babel.messages.pofile import read_po, write_po

path = sys.argv[1]
with open(path, "rb") as f:
    catalog = read_po(f, locale="en")
for message in catalog:
    if message.id:
        message.string = message.id
        message.flags.discard("fuzzy")
with open(path, "wb") as f:
    write_po(f, catalog, width=100, ignore_obsolete=True)
PY

"$PYBABEL" compile -d "$DIR" --statistics

# Say what is left to translate in French (tests/test_i18n.py fails until it is done).
"$PYTHON" - "$DIR/fr/LC_MESSAGES/messages.po" <<'PY'
import sys

from babel.messages.pofile import read_po

with open(sys.argv[1], "rb") as f:
    catalog = read_po(f)
todo = [
    m.id if isinstance(m.id, str) else m.id[0]
    for m in catalog
    if m.id and (m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string))
]
for message_id in todo:
    print(f"fr: to translate: {message_id!r}", file=sys.stderr)
if todo:
    print(f"fr: {len(todo)} message(s) to translate in {sys.argv[1]}, then run scripts/translations.sh again",
          file=sys.stderr)
PY
