#!/bin/bash
# ansible.sh - the cgisetup.apache Ansible collection (ansible/), without a
# target: what `ansible-test sanity` would check, as far as Debian's
# ansible-core allows it offline (the plugins compile; ansible-doc renders
# the module; every option in argument_spec is documented with the same
# type, default, choices and required, and nothing else is documented;
# EXAMPLES parse and use only real options; the example playbook passes
# --syntax-check), the recorded --json documents the unit tests use are
# valid against schemas/, and the unit tests of the module's result
# mapping. The module on real hosts: tests/system/fleet.sh.
. "$(dirname "$0")/lib.sh"

need_tool ansible-doc ansible
need_tool ansible-playbook ansible
COLL=$TOP_SRCDIR/ansible/ansible_collections/cgisetup/apache
# The Python that runs Ansible (another python3 may come first on PATH).
APY=$(sed -n '1s/^#! *//p' "$(command -v ansible-playbook)")
APY=${APY%% *}
[ -x "$APY" ] || fail_all "cannot find the Python of ansible-playbook ($APY)"
export ANSIBLE_COLLECTIONS_PATH=$TOP_SRCDIR/ansible ANSIBLE_HOME=$TMPD/ansible-home
export ANSIBLE_LOCAL_TEMP=$TMPD/ansible-tmp ANSIBLE_CONFIG=$TMPD/ansible.cfg ANSIBLE_NOCOLOR=1
: >"$ANSIBLE_CONFIG"
export PYTHONDONTWRITEBYTECODE=1
# make check runs under LC_ALL=C; ansible-core refuses any but UTF-8.
export LC_ALL=C.UTF-8

for f in plugins/modules/cgi.py plugins/action/cgi.py tests/unit/plugins/modules/test_cgi.py; do
	ok "py_compile $f" "$APY" -c 'import py_compile, sys
py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)' "$COLL/$f" "$TMPD/c.pyc"
done

ansible-doc cgisetup.apache.cgi >"$TMPD/doc.txt" 2>"$TMPD/doc.err"
is "ansible-doc cgisetup.apache.cgi: exit 0" 0 $?
is "ansible-doc: no warning or error" "" "$(cat "$TMPD/doc.err")"
for o in dir state url_path ext vhost config hello activate verify wait; do
	ok "ansible-doc: option $o" grep -q "^[-=] $o\$" "$TMPD/doc.txt"
done
ok "ansible-doc: attributes check_mode and diff_mode, support full" "$APY" -c '
import sys
t = open(sys.argv[1]).read()
for a in ("check_mode", "diff_mode"):
    i = t.index("ATTRIBUTES:")
    j = t.index(a + ":", i)
    assert "support: full" in t[j:j + 600].split(":\n", 2)[1], a' "$TMPD/doc.txt"
ok "ansible-doc: RETURN values rendered" grep -q "^- activation" "$TMPD/doc.txt"
ansible-doc --json cgisetup.apache.cgi >"$TMPD/doc.json" 2>>"$TMPD/doc.err"
is "ansible-doc --json: exit 0" 0 $?

# argument_spec against DOCUMENTATION, both ways; EXAMPLES use real options.
ok "argument_spec and DOCUMENTATION agree (no undocumented option)" "$APY" - "$COLL" <<'EOF'
import importlib.util, os, sys, yaml
path = os.path.join(sys.argv[1], 'plugins/modules/cgi.py')
spec = importlib.util.spec_from_file_location('m', path)
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
doc = yaml.safe_load(m.DOCUMENTATION)
yaml.safe_load(m.RETURN)
code, documented, bad = m.argument_spec(), doc['options'], []
for name in sorted(set(code) | set(documented)):
    if name not in documented:
        bad.append('undocumented option: ' + name)
        continue
    if name not in code:
        bad.append('documented but not in argument_spec: ' + name)
        continue
    c, d = code[name], documented[name]
    for key, dflt in (('type', 'str'), ('default', None), ('choices', None),
                      ('required', False), ('elements', None)):
        if c.get(key, dflt) != d.get(key, dflt):
            bad.append('%s: %s is %r in code, %r in DOCUMENTATION'
                       % (name, key, c.get(key, dflt), d.get(key, dflt)))
    if not d.get('description'):
        bad.append(name + ': no description')
for task in yaml.safe_load(m.EXAMPLES):
    for key in task.get('cgisetup.apache.cgi') or {}:
        if key not in code:
            bad.append('EXAMPLES use an unknown option: ' + key)
for a in ('check_mode', 'diff_mode'):
    if doc['attributes'][a]['support'] != 'full':
        bad.append(a + ' is not full')
print('\n'.join(bad))
sys.exit(1 if bad else 0)
EOF

ok "the example playbook passes --syntax-check" \
	ansible-playbook --syntax-check -i localhost, "$COLL/playbooks/fleet.yml"

mkdir -p "$TMPD/galaxy"
ok "ansible-galaxy collection build" \
	ansible-galaxy collection build "$COLL" --output-path "$TMPD/galaxy"
ok "the built collection holds the module and the action plugin, no tests" bash -c '
	t=$(tar -tzf "$1"/cgisetup-apache-*.tar.gz) &&
	grep -qx plugins/modules/cgi.py <<<"$t" && grep -qx plugins/action/cgi.py <<<"$t" &&
	! grep -q "^tests/" <<<"$t"' _ "$TMPD/galaxy"

# The recorded documents are what cgisetup prints today (its schemas).
for f in "$COLL"/tests/unit/fixtures/*.json; do
	case ${f##*/} in
	status*) mode=status ;;
	undo* | undone*) mode=undo ;;
	dry-run*) mode=dry-run ;;
	*) mode=apply ;;
	esac
	json_valid "fixture ${f##*/} is valid against $mode.schema.json" "$mode" "$f"
done

"$APY" -B "$COLL/tests/unit/plugins/modules/test_cgi.py" >"$TMPD/unit.out" 2>&1
is_unit=$?
tail -n 3 "$TMPD/unit.out" | sed 's/^/# /'
is "unit tests of the module's result mapping pass" 0 "$is_unit"
[ "$is_unit" = 0 ] || sed 's/^/# | /' "$TMPD/unit.out" | head -60
ok "unit tests: more than 20 ran" grep -Eq '^Ran ([2-9][0-9]|[0-9]{3,}) tests' "$TMPD/unit.out"

done_testing
