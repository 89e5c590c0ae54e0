#!/bin/bash
# json-schema.sh - --json is a versioned interface: every document of every
# mode (apply, unchanged, dry-run, undo and its dry run, nothing to undo,
# status, detect; bad input, a lock held, a write error) on every layout is
# valid against its schema in schemas/ (tests/json-schema.py), starts with
# the schema_version the schemas name, and the schemas name the version the
# program writes.
. "$(dirname "$0")/../lib.sh"
layouts_init

SCHEMAS="$TOP_SRCDIR/schemas"
VALIDATE="$TOP_SRCDIR/tests/json-schema.py"
need_tool python3 python3

# The version: output.h's, each schema's const, each document's first key.
version=$(sed -n 's/^#define OUTPUT_JSON_SCHEMA_VERSION \([0-9]*\)$/\1/p' \
	"$TOP_SRCDIR/include/cgisetup/output.h")
ok "output.h defines the schema version" test -n "$version"
for mode in apply dry-run undo status detect check; do
	s="$SCHEMAS/$mode.schema.json"
	ok "$mode: the schema is JSON" python3 -m json.tool "$s"
	is "$mode: the schema names schema_version $version" "$version" "$(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
consts = set()
def walk(n):
    if isinstance(n, dict):
        if "schema_version" in n.get("properties", {}):
            consts.add(n["properties"]["schema_version"]["const"])
        for v in n.values(): walk(v)
    elif isinstance(n, list):
        for v in n: walk(v)
walk(s)
print(" ".join(str(c) for c in sorted(consts)))' "$s")"
done

# The validator itself: a document that breaks the schema is caught.
printf '{"schema_version":1,"layout":{},"warnings":[]}\n' >"$TMPD/bad.json"
ok "the validator rejects a detect document with an empty layout" \
	bash -c "! python3 '$VALIDATE' '$SCHEMAS/detect.schema.json' '$TMPD/bad.json'"
printf '{"schema_version":2,"recovered":0,"applied":[]}\n' >"$TMPD/bad.json"
ok "the validator rejects another schema_version" \
	bash -c "! python3 '$VALIDATE' '$SCHEMAS/status.schema.json' '$TMPD/bad.json'"
printf '{"schema_version":1,"recovered":0,"applied":[],"extra":true}\n' >"$TMPD/bad.json"
ok "the validator rejects a field the schema does not name" \
	bash -c "! python3 '$VALIDATE' '$SCHEMAS/status.schema.json' '$TMPD/bad.json'"

n=0
# run MODE LAYOUT-LABEL ARG...: run cgisetup --json, validate what it
# printed against MODE's schema, and check its first key.
run() {
	local mode=$1 label=$2 f
	shift 2
	n=$((n + 1))
	f="$TMPD/doc$n.json"
	"$CGISETUP" "$@" --json >"$f" 2>"$TMPD/err"
	json_valid "$label: valid against $mode.schema.json" "$mode" "$f"
	is "$label: the document starts with schema_version" "{\"schema_version\":$version," \
		"$(head -c $((19 + ${#version})) "$f")"
}

for layout in "${LAYOUTS[@]}"; do
	root="$TMPD/root"
	copy_layout "$layout" "$root"
	R=(--root "$root")
	run detect "$layout: --detect" "${R[@]}" --detect
	run status "$layout: --status, nothing applied" "${R[@]}" --status
	run undo "$layout: --undo, nothing to undo" "${R[@]}" --undo
	run dry-run "$layout: --dry-run" "${R[@]}" --dir /srv/cgi --dry-run
	run apply "$layout: apply" "${R[@]}" --dir /srv/cgi --yes
	run apply "$layout: apply again, unchanged" "${R[@]}" --dir /srv/cgi --yes
	run dry-run "$layout: --dry-run, nothing to do" "${R[@]}" --dir /srv/cgi --dry-run
	run status "$layout: --status, one applied" "${R[@]}" --status
	run undo "$layout: --undo --dry-run" "${R[@]}" --undo --dry-run
	run undo "$layout: --undo" "${R[@]}" --undo
	rm -rf "$root"
done

# Bad input (exit 2) and failures (exit 1), in every mode.
root="$TMPD/root"
copy_layout own/debian "$root"
R=(--root "$root")
run apply "bad input: a relative DIR" "${R[@]}" --dir relative --yes
run dry-run "bad input: a relative DIR, dry run" "${R[@]}" --dir relative --dry-run
for mode in detect status undo; do
	run "$mode" "bad input: --$mode on a --root that does not exist" --root "$TMPD/nope" --"$mode"
done
run apply "bad input: --root that does not exist" --root "$TMPD/nope" --dir /srv/cgi --yes

# Another run holds the lock: --wait 0 fails at once (exit 1).
"$CGISETUP" "${R[@]}" --dir /srv/cgi --yes >/dev/null 2>&1
python3 -c 'import fcntl, sys, time
f = open(sys.argv[1], "r+")
fcntl.lockf(f, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(30)' "$root/var/lib/cgisetup/lock" >"$TMPD/holder" &
holder=$!
for _ in $(seq 50); do grep -q locked "$TMPD/holder" && break; sleep 0.1; done
run apply "failure: the lock is held (apply)" "${R[@]}" --dir /srv/two --yes --wait 0
run undo "failure: the lock is held (undo)" "${R[@]}" --undo --wait 0
is "failure: the lock is held: status failed" failed "$(json_get status <"$TMPD/doc$n.json")"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null

# A write error once the plan is made: a failed document with the layout.
if command -v strace >/dev/null && strace -f -o /dev/null true >/dev/null 2>&1; then
	copy_layout own/debian "$root"
	n=$((n + 1))
	strace -f -o /dev/null -e trace=rename,renameat,renameat2 \
		-e inject=rename,renameat,renameat2:error=EIO:when=8 \
		"$CGISETUP" "${R[@]}" --dir /srv/cgi --yes --json >"$TMPD/doc$n.json" 2>/dev/null
	is "failure: EIO on a rename: status failed" failed "$(json_get status <"$TMPD/doc$n.json")"
	is "failure: EIO on a rename: the layout is in it" debian \
		"$(json_get layout.family <"$TMPD/doc$n.json")"
	json_valid "failure: EIO on a rename: valid against apply.schema.json" apply "$TMPD/doc$n.json"
else
	tool_missing strace strace
fi
done_testing
