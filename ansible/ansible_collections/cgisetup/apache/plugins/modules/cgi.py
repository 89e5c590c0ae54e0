#!/usr/bin/python
# -*- coding: utf-8 -*-
# cgi.py - the cgisetup.apache.cgi module: a thin layer over the cgisetup
# binary on the target. cgisetup does the work (layout detection, the
# edits, the config test, the activation, the HTTP proof, the rollback);
# this module builds its command line, runs it with --json and maps the
# document it prints onto Ansible's result.
#
# SPDX-License-Identifier: GPL-2.0-or-later (as cgisetup)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: cgi
short_description: Turn on Python CGI for a directory in Apache httpd with cgisetup
version_added: "0.1.0"
description:
  - Runs the C(cgisetup) program found on the target with C(--json) and reports
    its result. cgisetup detects the Apache layout, edits the configuration,
    enables the CGI module that matches the MPM (C(cgi) or C(cgid)), tests the
    configuration as a whole, activates it (graceful reload by default) and
    proves over HTTP that a script runs. Any failure after its first write
    puts every file back, and the module reports that rollback.
  - C(state=present) runs C(cgisetup --dir DIR --yes --json); C(changed) is
    true when cgisetup reports C(applied), false when it reports C(unchanged)
    (already configured).
  - C(state=absent) takes back cgisetup's change for I(dir) with
    C(cgisetup --undo --dir DIR --json) (every entry for I(dir), latest first).
    It changes nothing when cgisetup lists no change for I(dir)
    (C(cgisetup --status)), and fails with cgisetup's reason when the change
    cannot be taken back alone (a later change for another directory builds
    on it).
  - In check mode the module runs C(cgisetup --dry-run), which writes nothing
    and prints the changes it would make; C(changed) is true exactly when there
    is something to change. In diff mode the module returns cgisetup's own
    unified diff of every file it would write (for a real run it runs a
    C(--dry-run) first to get it).
  - The target needs Python 3 (as for any Ansible module) and cgisetup on
    its C(PATH) or in C(/usr/local/sbin), C(/usr/sbin) or C(/sbin).
    The commands run with C(LC_ALL=C).
author:
  - cgisetup authors
requirements:
  - cgisetup on the target (C(cgisetup --json), schema_version 1)
  - Python 3 on the target
attributes:
  check_mode:
    description: >-
      Can run in check_mode and return changed status prediction without
      modifying target.
    support: full
    details: C(cgisetup --dry-run) simulates the run; nothing is written, Apache is not touched.
  diff_mode:
    description: >-
      Will return details on what has changed (or possibly needs changing in
      check_mode), when in diff mode.
    support: full
    details: >-
      The diff is cgisetup's own unified diff (a patch for C(patch -p1) at
      C(/)), returned as C(diff.prepared).
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: posix
options:
  dir:
    description:
      - The CGI directory, an absolute path (C(--dir)).
      - cgisetup creates it when it does not exist.
    type: path
    required: true
  state:
    description:
      - C(present) turns Python CGI on for I(dir); C(absent) takes back what
        cgisetup did for I(dir).
    type: str
    choices: [present, absent]
    default: present
  url_path:
    description:
      - The URL path I(dir) is served at (C(--url-path)). Default, cgisetup's
        choice from I(dir) (C(/srv/cgi) is served at C(/cgi)).
      - Only with I(state=present).
    type: str
  ext:
    description:
      - The extensions run as CGI (C(--ext)), for example C([.py, .cgi]).
        Default, cgisetup's (C(.py)).
      - Only with I(state=present).
    type: list
    elements: str
  vhost:
    description:
      - The virtual host to configure (C(--vhost NAME)), instead of the
        server-wide configuration.
      - Needs a cgisetup that has C(--vhost); an older one refuses the option
        as unknown (exit status 2, nothing changed) and the module fails with
        its message.
      - Only with I(state=present).
    type: str
  config:
    description:
      - The main Apache configuration file (C(--config)). Default, detected.
    type: path
  hello:
    description:
      - Write the C(hello.py) test script into I(dir). C(false) passes
        C(--no-hello) (cgisetup still proves the change with its own probe).
      - Only with I(state=present).
    type: bool
    default: true
  activate:
    description:
      - How the new configuration is activated.
      - C(graceful) (cgisetup's default) reloads Apache gracefully, or starts it
        when it is stopped.
      - C(restart) passes C(--restart), a full restart that drops the
        connections in flight.
      - C(none) passes C(--no-restart); the configuration is only edited and
        tested, I(verify) does not apply, and the result's C(activation)
        reports no restart job.
      - Only with I(state=present).
    type: str
    choices: [graceful, restart, none]
    default: graceful
  verify:
    description:
      - Prove over HTTP that a script runs after the activation. C(false)
        passes C(--no-verify).
      - Only with I(state=present).
    type: bool
    default: true
  wait:
    description:
      - Seconds to wait for another cgisetup run on the target to finish
        (C(--wait)). Default, cgisetup's (10).
    type: int
notes:
  - The module is a thin layer over cgisetup; the cgisetup manual page
    (C(man 8 cgisetup)) and its JSON Schemas (C(schemas/*.schema.json))
    describe the fields it returns.
  - Every cgisetup run on a host is serialized by cgisetup's own lock; runs on
    different hosts (Ansible forks) are independent.
seealso:
  - name: cgisetup README
    description: What cgisetup changes, and why.
    link: https://example.invalid/cgisetup
'''

EXAMPLES = r'''
- name: Python CGI in /srv/cgi, served at /cgi
  cgisetup.apache.cgi:
    dir: /srv/cgi

- name: Scripts ending in .py or .cgi at /scripts, no hello.py, a full restart
  cgisetup.apache.cgi:
    dir: /srv/scripts
    url_path: /scripts
    ext: [.py, .cgi]
    hello: false
    activate: restart

- name: Edit and test only; activate in a maintenance window
  cgisetup.apache.cgi:
    dir: /srv/cgi
    activate: none

- name: Show what would change on every host (ansible-playbook --check --diff)
  cgisetup.apache.cgi:
    dir: /srv/cgi
  check_mode: true
  diff: true

- name: One virtual host only (a cgisetup that has --vhost)
  cgisetup.apache.cgi:
    dir: /srv/shop-cgi
    vhost: shop.example.org

- name: Take the change back
  cgisetup.apache.cgi:
    dir: /srv/cgi
    state: absent
'''

RETURN = r'''
status:
  description:
    - cgisetup's status. With I(state=present), C(applied), C(unchanged) or, in
      check mode, C(dry-run); with I(state=absent), C(undone), C(dry-run) or
      C(absent) (no change for I(dir) to take back). C(invalid) or C(failed)
      when the module fails.
  returned: always
  type: str
  sample: applied
url:
  description: The URL of C(hello.py) (null with I(hello=false) and no C(hello.py) of the user's).
  returned: state is present and cgisetup got as far as a plan
  type: str
  sample: http://127.0.0.1/cgi/hello.py
dir:
  description: The CGI directory, as cgisetup read it.
  returned: state is present and cgisetup got as far as a plan
  type: str
  sample: /srv/cgi
url_path:
  description: The URL path I(dir) is served at.
  returned: state is present and cgisetup got as far as a plan
  type: str
  sample: /cgi
scope:
  description:
    - Where the change applies, as cgisetup reports it. With I(state=absent),
      the scope of the latest change taken back.
  returned: >-
    state is present and cgisetup got as far as a plan; state is absent and
    a change was (or, in check mode, would be) taken back
  type: dict
  contains:
    kind:
      description: >-
        C(server-wide), C(vhost) (only inside one virtual host, every copy
        of it: I(vhost)) or C(userdir).
      type: str
    vhost:
      description: With C(kind=vhost), the name I(vhost) gave (null when an older cgisetup entry does not say).
      type: str
    copies:
      description: >-
        With C(kind=vhost) and I(state=present), every copy of the virtual
        host the change goes into (its :80 and :443 definitions): C(file)
        (a symlink's target) and C(line) (of its C(<VirtualHost>)).
      type: list
      elements: dict
  sample:
    kind: vhost
    vhost: shop.example.org
    copies:
      - {file: /etc/apache2/sites-available/shop.conf, line: 1}
      - {file: /etc/apache2/sites-available/shop-le-ssl.conf, line: 2}
layout:
  description:
    - What cgisetup detected about Apache, as C(cgisetup --detect --json)
      prints it (family, main_config, mpm, cgi_module_wanted, unit, ...).
  returned: state is present and cgisetup got as far as the detection
  type: dict
  sample:
    family: debian
    main_config: /etc/apache2/apache2.conf
    mpm: event
    cgi_module_wanted: cgid
changes:
  description: What was (or, in check mode, would be) changed, each with its reason.
  returned: state is present and cgisetup got as far as a plan
  type: list
  elements: dict
  contains:
    action:
      description: The kind of change (mkdir, write, symlink, alias, directory-section, ...).
      type: str
    path:
      description: The file or directory changed.
      type: str
    reason:
      description: Why.
      type: str
  sample:
    - action: symlink
      path: /etc/apache2/mods-enabled/cgid.load
      reason: enable the CGI module that matches the MPM, as a2enmod does
warnings:
  description:
    - cgisetup's warnings. The module hands them to Ansible as warnings, so
      they are shown after the task and are the task result's C(warnings).
  returned: when cgisetup warned
  type: list
  elements: str
  sample: []
activation:
  description: How Apache was (or was not) activated and what the HTTP check proved.
  returned: >-
    state is present and not check mode, and cgisetup got as far as a plan;
    on a failure, when cgisetup got as far as the activation
  type: dict
  contains:
    mode:
      description: The I(activate) option.
      type: str
    restart:
      description:
        - cgisetup's C(restart) object (job, path, reason, how, via_systemd, unit,
          was_running, invocation and main PID before and after); null when
          nothing was activated.
      type: dict
    verify:
      description: >-
        cgisetup's C(verify) object (url, status, content_type, verdict,
        error_log); null when not checked.
      type: dict
    verdict:
      description: C(proven), C(restricted) or C(failed); null when not checked.
      type: str
    apache_running:
      description: >-
        Whether Apache runs (reported by cgisetup when it left Apache alone);
        null when not reported.
      type: bool
  sample:
    mode: graceful
    restart: {job: reload, how: ReloadOrRestartUnit apache2.service}
    verify: {status: 200, verdict: ran}
    verdict: proven
rollback:
  description:
    - On a failure, what cgisetup's rollback did. C(complete) is true when every
      file was put back; C(failures) lists what could not be (fix by hand);
      C(restart) says how Apache was brought back onto the old configuration.
  returned: failed
  type: dict
  sample: {complete: true, failures: [], restart: null}
detail:
  description: More lines about a failure (Apache's config test output, for one).
  returned: failed
  type: str
undone:
  description: The journal IDs of the changes taken back (would be, in check mode).
  returned: state is absent
  type: list
  elements: str
  sample: ["1"]
not_undone:
  description: What an undo could not take back (the entry stays, partly undone).
  returned: state is absent
  type: list
  elements: str
  sample: []
recovered:
  description: Interrupted earlier cgisetup runs rolled back first.
  returned: always
  type: int
  sample: 0
cmd:
  description: The cgisetup command lines run.
  returned: always
  type: list
  elements: list
rc:
  description: The exit status of the last cgisetup run.
  returned: always
  type: int
  sample: 0
'''

import json

from ansible.module_utils.basic import AnsibleModule

# The JSON schema this module understands (cgisetup raises it when a field
# is renamed or changes meaning).
SCHEMA_VERSION = 1
ENV = {'LC_ALL': 'C', 'LANG': 'C', 'LANGUAGE': ''}
SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin']


class CgisetupError(Exception):
    """cgisetup did not give a usable document; msg and extra fields."""

    def __init__(self, msg, **fields):
        Exception.__init__(self, msg)
        self.msg = msg
        self.fields = fields


def apply_args(params, check_mode):
    """The cgisetup command line (without the binary) for state=present."""
    args = ['--dir', params['dir'], '--json', '--dry-run' if check_mode else '--yes']
    if params.get('url_path'):
        args += ['--url-path', params['url_path']]
    if params.get('ext'):
        args += ['--ext', ','.join(params['ext'])]
    if params.get('vhost'):
        args += ['--vhost', params['vhost']]
    args += common_args(params)
    if params.get('hello') is False:
        args.append('--no-hello')
    if params.get('activate') == 'restart':
        args.append('--restart')
    elif params.get('activate') == 'none':
        args.append('--no-restart')
    if params.get('verify') is False and params.get('activate') != 'none':
        args.append('--no-verify')
    return args


def common_args(params):
    args = []
    if params.get('config'):
        args += ['--config', params['config']]
    if params.get('wait') is not None:
        args += ['--wait', str(params['wait'])]
    return args


def undo_args(params, check_mode):
    args = ['--undo', '--dir', params['dir'], '--json'] + common_args(params)
    return args + (['--dry-run'] if check_mode else [])


def status_args(params):
    return ['--status', '--json']


def parse_document(rc, out, err):
    """cgisetup's --json document, or CgisetupError."""
    try:
        doc = json.loads(out)
    except ValueError:
        doc = None
    if not isinstance(doc, dict):
        text = (err or out or '').strip()
        raise CgisetupError('cgisetup printed no JSON document (exit status %d)%s'
                            % (rc, ': ' + text if text else ''),
                            rc=rc, stdout=out, stderr=err)
    version = doc.get('schema_version')
    if version != SCHEMA_VERSION:
        raise CgisetupError('cgisetup printed schema_version %r; this module reads %d'
                            % (version, SCHEMA_VERSION), rc=rc, stdout=out, stderr=err)
    return doc


def failure(doc, rc, mode=None):
    """The fail_json fields for an invalid/failed document."""
    failures = doc.get('rollback_failures') or []
    result = {
        'msg': doc.get('error') or 'cgisetup failed (exit status %d)' % rc,
        'status': doc.get('status'),
        'detail': doc.get('detail'),
        'rc': rc,
        'changed': False,
        'rollback': {
            'complete': not failures,
            'failures': failures,
            'restart': doc.get('rollback_restart'),
        },
        'recovered': doc.get('recovered', 0),
        'warnings_cgisetup': doc.get('warnings') or [],
    }
    for key in ('layout', 'url', 'url_path', 'scope', 'changes'):
        if key in doc:
            result[key] = doc[key]
    if 'restart' in doc or 'verify' in doc:
        # A failure after the activation (the HTTP check, a reload).
        result['activation'] = activation(doc, mode)
    if failures:
        result['msg'] += ('; the rollback could not put back: ' + '; '.join(failures))
    return result


def activation(doc, mode):
    """The activation return value from an apply document."""
    return {
        'mode': mode,
        'restart': doc.get('restart'),
        'verify': doc.get('verify'),
        'verdict': doc.get('verdict'),
        'apache_running': doc.get('apache_running'),
    }


def map_apply(doc, rc, params, want_diff):
    """(failed, fields) for a document of cgisetup --dir DIR (--yes|--dry-run)."""
    status = doc.get('status')
    if status in ('invalid', 'failed') or status not in ('applied', 'unchanged', 'dry-run'):
        return True, failure(doc, rc, params.get('activate', 'graceful'))
    diff_text = doc.get('diff') or ''
    changes = doc.get('changes') or []
    if status == 'dry-run':
        changed = bool(changes) or bool(diff_text)
    else:
        changed = status == 'applied'
    result = {
        'changed': changed,
        'status': status,
        'rc': rc,
        'url': doc.get('url'),
        'url_path': doc.get('url_path'),
        'dir': doc.get('dir'),
        'scope': doc.get('scope'),
        'layout': doc.get('layout'),
        'changes': changes,
        'warnings_cgisetup': doc.get('warnings') or [],
        'recovered': doc.get('recovered', 0),
    }
    if status != 'dry-run':
        result['activation'] = activation(doc, params.get('activate', 'graceful'))
    if want_diff and status == 'dry-run':
        result['diff'] = {'prepared': diff_text}
    return False, result


def map_undo(doc, rc):
    """(failed, fields) for a document of cgisetup --undo --dir DIR."""
    status = doc.get('status')
    if status not in ('undone', 'dry-run'):
        if status == 'invalid' and 'alone' in (doc.get('error') or ''):
            fields = failure(doc, rc)
            fields['msg'] = 'cannot take back the change alone: ' + fields['msg']
            return True, fields
        return True, failure(doc, rc)
    return False, {
        'changed': status == 'undone' or (status == 'dry-run' and bool(doc.get('diff'))),
        'status': status,
        'rc': rc,
        'id': doc.get('id'),
        'scope': doc.get('scope'),
        'diff_text': doc.get('diff') or '',
        'not_undone': doc.get('not_undone') or [],
        'warnings_cgisetup': doc.get('warnings') or [],
        'recovered': doc.get('recovered', 0),
    }


def entries_for(status_doc, directory):
    """The journal entries for DIR that an undo can still take back."""
    return [e for e in status_doc.get('applied') or []
            if e.get('dir') == directory and not e.get('partly_undone')]


class Runner(object):
    """Runs cgisetup on the target and keeps the command lines."""

    def __init__(self, module, binary):
        self.module = module
        self.binary = binary
        self.cmds = []
        self.rc = 0

    def run(self, args):
        cmd = [self.binary] + args
        self.cmds.append(cmd)
        rc, out, err = self.module.run_command(cmd, environ_update=ENV)
        self.rc = rc
        return rc, parse_document(rc, out, err), err


def finish(module, runner, failed, result):
    """exit_json / fail_json with the common fields."""
    # Ansible's own warnings: the task result's `warnings` is this list.
    for warning in result.pop('warnings_cgisetup', []):
        module.warn(warning)
    result['cmd'] = runner.cmds
    result.setdefault('rc', runner.rc)
    if failed:
        module.fail_json(**result)
    module.exit_json(**result)


def run_present(module, runner):
    params = module.params
    prepared = None
    if module._diff and not module.check_mode:
        # The apply document has no diff: ask cgisetup what it would write.
        rc, doc, dummy = runner.run(apply_args(params, True))
        if doc.get('status') == 'dry-run':
            prepared = doc.get('diff') or ''
    rc, doc, dummy = runner.run(apply_args(params, module.check_mode))
    failed, result = map_apply(doc, rc, params, module._diff)
    if prepared is not None and not failed and result['changed']:
        result['diff'] = {'prepared': prepared}
    finish(module, runner, failed, result)


def run_absent(module, runner):
    params = module.params
    rc, doc, dummy = runner.run(status_args(params))
    if 'applied' not in doc:
        finish(module, runner, True, failure(doc, rc))
    pending = entries_for(doc, params['dir'])
    result = {'changed': False, 'status': 'absent', 'undone': [], 'not_undone': [],
              'warnings_cgisetup': [], 'recovered': doc.get('recovered', 0)}
    diffs = []
    if pending and module._diff and not module.check_mode:
        # As for present: the undo document has a diff only with --dry-run.
        rc, doc, dummy = runner.run(undo_args(params, True))
        if doc.get('status') == 'dry-run':
            diffs.append(doc.get('diff') or '')
    # Latest first; in check mode only the latest can be simulated (the
    # older ones are simulated against files the latest has not put back).
    for dummy_entry in pending[:1] if module.check_mode else pending:
        rc, doc, dummy = runner.run(undo_args(params, module.check_mode))
        failed, fields = map_undo(doc, rc)
        if failed:
            fields['undone'] = result['undone']
            finish(module, runner, True, fields)
        result['status'] = fields['status']
        result['changed'] = result['changed'] or fields['changed']
        result['undone'].append(fields['id'])
        # latest first: the first entry taken back names the scope
        result.setdefault('scope', fields['scope'])
        result['not_undone'] += fields['not_undone']
        result['warnings_cgisetup'] += fields['warnings_cgisetup']
        diffs.append(fields['diff_text'])
        if not fields['changed']:
            break
    if module._diff and diffs and result['changed']:
        result['diff'] = {'prepared': diffs[0]}
    finish(module, runner, False, result)


def argument_spec():
    return dict(
        dir=dict(type='path', required=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        url_path=dict(type='str'),
        ext=dict(type='list', elements='str'),
        vhost=dict(type='str'),
        config=dict(type='path'),
        hello=dict(type='bool', default=True),
        activate=dict(type='str', choices=['graceful', 'restart', 'none'], default='graceful'),
        verify=dict(type='bool', default=True),
        wait=dict(type='int'),
    )


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    binary = module.get_bin_path('cgisetup', opt_dirs=SBIN_DIRS)
    if not binary:
        module.fail_json(msg='cgisetup is not installed on this host (not on PATH, nor in %s):'
                         ' install it first' % ', '.join(SBIN_DIRS), status='failed')
    runner = Runner(module, binary)
    try:
        if module.params['state'] == 'absent':
            run_absent(module, runner)
        else:
            run_present(module, runner)
    except CgisetupError as e:
        fields = dict(e.fields)
        fields.update(status='failed', cmd=runner.cmds)
        module.fail_json(msg=e.msg, **fields)


if __name__ == '__main__':
    main()
