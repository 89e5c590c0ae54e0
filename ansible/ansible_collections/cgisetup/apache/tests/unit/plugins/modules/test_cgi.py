# -*- coding: utf-8 -*-
# test_cgi.py - unit tests of cgisetup.apache.cgi: the command lines it
# builds and how it maps cgisetup's --json documents onto Ansible's result.
# The documents in ../../../fixtures were recorded from real cgisetup runs
# (a rig container, or --root on tests/layouts/rhel; the *-vhost ones with
# --root on the project's Debian tree with two sites, b.test with a :80 and
# a :443 copy); the one with a failed rollback is derived from a recorded
# one and says so.
#
# Run: python3 -m unittest discover -s tests/unit -t tests/unit (from the
# collection), or through the project's tests/ansible.sh.
#
# SPDX-License-Identifier: GPL-2.0-or-later (as cgisetup)

from __future__ import absolute_import, division, print_function

import copy
import importlib.util
import json
import os
import unittest
from unittest import mock

from ansible.module_utils import basic
from ansible.module_utils.common import warnings as ansible_warnings
from ansible.module_utils.common.text.converters import to_bytes

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTION = os.path.normpath(os.path.join(HERE, '..', '..', '..', '..'))
FIXTURES = os.path.join(COLLECTION, 'tests', 'unit', 'fixtures')
CGISETUP = '/usr/sbin/cgisetup'


def load_plugin(name, relpath):
    spec = importlib.util.spec_from_file_location(name, os.path.join(COLLECTION, relpath))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


cgi = load_plugin('cgisetup_cgi_module', 'plugins/modules/cgi.py')


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as f:
        return json.load(f)


def fixture_text(name):
    with open(os.path.join(FIXTURES, name)) as f:
        return f.read()


class Exit(Exception):
    pass


class Fail(Exception):
    pass


def exit_json(self, **kwargs):
    kwargs.setdefault('changed', False)
    kwargs['warnings'] = list(ansible_warnings.get_warning_messages())
    raise Exit(kwargs)


def fail_json(self, **kwargs):
    kwargs['failed'] = True
    kwargs['warnings'] = list(ansible_warnings.get_warning_messages())
    raise Fail(kwargs)


class ModuleRun(unittest.TestCase):
    """main() with run_command answering from recorded documents."""

    def run_module(self, args, answers, check_mode=False, diff=False):
        """answers: [(rc, fixture name or raw text)], one per cgisetup run."""
        args = dict(args)
        args['_ansible_check_mode'] = check_mode
        args['_ansible_diff'] = diff
        del ansible_warnings._global_warnings[:]
        calls = []
        queue = list(answers)

        def run_command(module, cmd, **kwargs):
            calls.append((cmd, kwargs.get('environ_update')))
            rc, what = queue.pop(0)
            out = fixture_text(what) if what.endswith('.json') else what
            return rc, out, ''

        patches = [
            mock.patch.object(basic, '_ANSIBLE_ARGS',
                              to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args}))),
            mock.patch.object(basic.AnsibleModule, 'exit_json', exit_json),
            mock.patch.object(basic.AnsibleModule, 'fail_json', fail_json),
            mock.patch.object(basic.AnsibleModule, 'run_command', run_command),
            mock.patch.object(basic.AnsibleModule, 'get_bin_path',
                              lambda self, name, required=False, opt_dirs=None: CGISETUP),
        ]
        for p in patches:
            p.start()
        try:
            cgi.main()
        except Exit as e:
            result, failed = e.args[0], False
        except Fail as e:
            result, failed = e.args[0], True
        finally:
            for p in reversed(patches):
                p.stop()
        self.assertEqual(queue, [], 'every recorded answer was used')
        return failed, result, calls


class PresentTest(ModuleRun):
    def test_applied_is_changed_with_the_documented_returns(self):
        failed, res, calls = self.run_module({'dir': '/srv/cgi'}, [(0, 'applied.json')])
        doc = fixture('applied.json')
        self.assertFalse(failed)
        self.assertTrue(res['changed'])
        self.assertEqual(res['status'], 'applied')
        self.assertEqual(res['url'], 'http://127.0.0.1/cgi/hello.py')
        self.assertEqual(res['url_path'], '/cgi')
        self.assertEqual(res['layout'], doc['layout'])
        self.assertEqual(res['changes'], doc['changes'])
        self.assertEqual(res['activation']['mode'], 'graceful')
        self.assertEqual(res['activation']['restart'], doc['restart'])
        self.assertEqual(res['activation']['verify']['verdict'], 'ran')
        self.assertEqual(res['activation']['verdict'], 'proven')
        self.assertEqual(res['warnings'], [])
        self.assertNotIn('diff', res)
        self.assertEqual(calls[0][0], [CGISETUP, '--dir', '/srv/cgi', '--json', '--yes'])
        self.assertEqual(calls[0][1]['LC_ALL'], 'C')

    def test_unchanged_is_not_changed(self):
        failed, res, dummy = self.run_module({'dir': '/srv/cgi'}, [(0, 'unchanged.json')])
        self.assertFalse(failed)
        self.assertFalse(res['changed'])
        self.assertEqual(res['status'], 'unchanged')
        self.assertEqual(res['changes'], [])

    def test_no_restart_has_no_restart_object(self):
        failed, res, calls = self.run_module({'dir': '/srv/cgi', 'activate': 'none'},
                                             [(0, 'applied-no-restart.json')])
        self.assertFalse(failed)
        self.assertTrue(res['changed'])
        self.assertEqual(res['activation'], {'mode': 'none', 'restart': None, 'verify': None,
                                             'verdict': None, 'apache_running': None})
        self.assertIn('--no-restart', calls[0][0])

    def test_check_mode_with_changes_is_changed_and_diffs(self):
        failed, res, calls = self.run_module({'dir': '/srv/cgi'}, [(0, 'dry-run.json')],
                                             check_mode=True, diff=True)
        self.assertFalse(failed)
        self.assertTrue(res['changed'])
        self.assertEqual(res['status'], 'dry-run')
        self.assertEqual(res['diff'], {'prepared': fixture('dry-run.json')['diff']})
        self.assertIn('+Alias /cgi/ /srv/cgi/', res['diff']['prepared'])
        self.assertNotIn('activation', res)
        self.assertEqual(calls[0][0][-1], '--dry-run')
        self.assertNotIn('--yes', calls[0][0])

    def test_check_mode_without_diff_mode_has_no_diff(self):
        dummy, res, dummy = self.run_module({'dir': '/srv/cgi'}, [(0, 'dry-run.json')],
                                            check_mode=True)
        self.assertTrue(res['changed'])
        self.assertNotIn('diff', res)

    def test_check_mode_on_a_configured_host_is_not_changed(self):
        failed, res, dummy = self.run_module({'dir': '/srv/cgi'}, [(0, 'dry-run-unchanged.json')],
                                             check_mode=True, diff=True)
        self.assertFalse(failed)
        self.assertFalse(res['changed'])
        self.assertEqual(res['diff'], {'prepared': ''})

    def test_diff_mode_on_a_real_run_asks_for_the_dry_run_first(self):
        failed, res, calls = self.run_module({'dir': '/srv/cgi'},
                                             [(0, 'dry-run.json'), (0, 'applied.json')], diff=True)
        self.assertFalse(failed)
        self.assertTrue(res['changed'])
        self.assertEqual(res['diff'], {'prepared': fixture('dry-run.json')['diff']})
        self.assertEqual([c[0][-1] for c in calls], ['--dry-run', '--yes'])
        self.assertEqual(len(res['cmd']), 2)

    def test_diff_mode_on_an_unchanged_real_run_has_no_diff(self):
        dummy, res, dummy = self.run_module({'dir': '/srv/cgi'},
                                            [(0, 'dry-run-unchanged.json'), (0, 'unchanged.json')],
                                            diff=True)
        self.assertFalse(res['changed'])
        self.assertNotIn('diff', res)

    def test_failed_run_reports_message_detail_and_rollback(self):
        failed, res, dummy = self.run_module({'dir': '/srv/cgi'}, [(1, 'failed-broken.json')])
        doc = fixture('failed-broken.json')
        self.assertTrue(failed)
        self.assertFalse(res['changed'])
        self.assertEqual(res['msg'], doc['error'])
        self.assertIn("config test failed", res['msg'])
        self.assertIn('CgisetupNoSuchDirective', res['detail'])
        self.assertEqual(res['rollback'], {'complete': True, 'failures': [], 'restart': None})
        self.assertEqual(res['rc'], 1)
        self.assertEqual(res['status'], 'failed')
        self.assertEqual(res['changes'], doc['changes'])
        self.assertEqual(res['warnings'], doc['warnings'])

    def test_failed_http_check_reports_activation_and_rollback_restart(self):
        failed, res, dummy = self.run_module({'dir': '/srv/cgi'}, [(1, 'failed-verify.json')])
        doc = fixture('failed-verify.json')
        self.assertTrue(failed)
        self.assertIn('did not run the script (HTTP 500)', res['msg'])
        self.assertIn("'python3': Permission denied", res['detail'])
        self.assertEqual(res['rollback'], {'complete': True, 'failures': [],
                                           'restart': 'ReloadOrRestartUnit apache2.service'})
        self.assertEqual(res['activation']['mode'], 'graceful')
        self.assertEqual(res['activation']['restart'], doc['restart'])
        self.assertEqual(res['activation']['verify']['verdict'], 'server-error')
        self.assertEqual(res['activation']['verdict'], 'failed')
        self.assertEqual(res['warnings'], doc['warnings'])

    def test_failed_rollback_names_what_is_left(self):
        # Derived from failed-broken.json: cgisetup's fields for a rollback
        # that could not put a file back (not recordable on demand).
        doc = fixture('failed-broken.json')
        doc['rollback_failures'] = ['/etc/apache2/apache2.conf: Input/output error']
        doc['rollback_restart'] = 'ReloadOrRestartUnit apache2.service'
        failed, res, dummy = self.run_module({'dir': '/srv/cgi'}, [(1, json.dumps(doc))])
        self.assertTrue(failed)
        self.assertFalse(res['rollback']['complete'])
        self.assertEqual(res['rollback']['failures'], doc['rollback_failures'])
        self.assertEqual(res['rollback']['restart'], 'ReloadOrRestartUnit apache2.service')
        self.assertIn('could not put back: /etc/apache2/apache2.conf', res['msg'])

    def test_invalid_input_fails_with_cgisetup_message(self):
        failed, res, dummy = self.run_module({'dir': 'srv'}, [(2, 'invalid.json')])
        self.assertTrue(failed)
        self.assertEqual(res['msg'], "directory 'srv' is relative: give an absolute path")
        self.assertEqual(res['status'], 'invalid')
        self.assertEqual(res['rc'], 2)

    def test_no_json_fails_clearly(self):
        failed, res, dummy = self.run_module({'dir': '/srv/cgi', 'vhost': 'a'},
                                             [(2, "cgisetup: unrecognized option '--vhost'")])
        self.assertTrue(failed)
        self.assertIn('cgisetup printed no JSON document (exit status 2)', res['msg'])
        self.assertIn('--vhost', res['msg'])

    def test_other_schema_version_is_refused(self):
        doc = fixture('applied.json')
        doc['schema_version'] = 2
        failed, res, dummy = self.run_module({'dir': '/srv/cgi'}, [(0, json.dumps(doc))])
        self.assertTrue(failed)
        self.assertIn('schema_version 2', res['msg'])


class ArgsTest(unittest.TestCase):
    def params(self, **kw):
        p = dict(dir='/srv/cgi', state='present', url_path=None, ext=None, vhost=None,
                 config=None, hello=True, activate='graceful', verify=True, wait=None)
        p.update(kw)
        return p

    def test_defaults(self):
        self.assertEqual(cgi.apply_args(self.params(), False),
                         ['--dir', '/srv/cgi', '--json', '--yes'])

    def test_every_option(self):
        args = cgi.apply_args(self.params(url_path='/x', ext=['.py', '.cgi'], vhost='v.example',
                                          config='/etc/apache2/apache2.conf', hello=False,
                                          activate='restart', verify=False, wait=3), False)
        self.assertEqual(args, ['--dir', '/srv/cgi', '--json', '--yes', '--url-path', '/x',
                                '--ext', '.py,.cgi', '--vhost', 'v.example',
                                '--config', '/etc/apache2/apache2.conf', '--wait', '3',
                                '--no-hello', '--restart', '--no-verify'])

    def test_activate_none_is_no_restart_and_no_verify_flag(self):
        args = cgi.apply_args(self.params(activate='none', verify=False), False)
        self.assertIn('--no-restart', args)
        self.assertNotIn('--no-verify', args)
        self.assertNotIn('--restart', args)

    def test_undo_args(self):
        self.assertEqual(cgi.undo_args(self.params(wait=5), True),
                         ['--undo', '--dir', '/srv/cgi', '--json', '--wait', '5', '--dry-run'])


class ScopeTest(ModuleRun):
    """The result names where the change applies (cgisetup's scope)."""

    def test_server_wide_apply_says_so(self):
        dummy, res, dummy = self.run_module({'dir': '/srv/cgi'}, [(0, 'applied.json')])
        self.assertEqual(res['scope'], {'kind': 'server-wide'})

    def test_vhost_apply_names_the_vhost_and_its_copies(self):
        failed, res, calls = self.run_module({'dir': '/srv/cgi', 'vhost': 'b.test'},
                                             [(0, 'applied-vhost.json')])
        self.assertFalse(failed)
        self.assertTrue(res['changed'])
        self.assertEqual(res['scope'], {
            'kind': 'vhost', 'vhost': 'b.test',
            'copies': [{'file': '/etc/apache2/sites-available/b-le-ssl.conf', 'line': 2},
                       {'file': '/etc/apache2/sites-available/b.conf', 'line': 1}]})
        self.assertEqual(res['url'], 'http://b.test/cgi/hello.py')
        self.assertEqual(calls[0][0], [CGISETUP, '--dir', '/srv/cgi', '--json', '--yes',
                                       '--vhost', 'b.test'])

    def test_vhost_check_mode_is_changed_with_the_scope_and_the_diff(self):
        failed, res, calls = self.run_module({'dir': '/srv/cgi', 'vhost': 'b.test'},
                                             [(0, 'dry-run-vhost.json')],
                                             check_mode=True, diff=True)
        self.assertFalse(failed)
        self.assertTrue(res['changed'])
        self.assertEqual(res['scope'], fixture('dry-run-vhost.json')['scope'])
        self.assertIn('+++ b/etc/apache2/sites-available/b.conf', res['diff']['prepared'])
        self.assertIn('--vhost', calls[0][0])
        self.assertEqual(calls[0][0][-3:], ['--dry-run', '--vhost', 'b.test'])

    def test_failed_run_keeps_the_scope(self):
        doc = fixture('applied-vhost.json')
        doc.update(status='failed', changed=False, error='config test failed', detail=None)
        failed, res, dummy = self.run_module({'dir': '/srv/cgi', 'vhost': 'b.test'},
                                             [(1, json.dumps(doc))])
        self.assertTrue(failed)
        self.assertEqual(res['scope']['vhost'], 'b.test')

    def test_absent_names_the_scope_taken_back(self):
        failed, res, dummy = self.run_module({'dir': '/srv/cgi', 'state': 'absent'},
                                             [(0, 'status-vhost.json'), (0, 'undone-vhost.json')])
        self.assertFalse(failed)
        self.assertTrue(res['changed'])
        self.assertEqual(res['scope'], {'kind': 'vhost', 'vhost': 'b.test'})

    def test_absent_with_nothing_to_take_back_has_no_scope(self):
        dummy, res, dummy = self.run_module({'dir': '/srv/cgi', 'state': 'absent'},
                                            [(0, 'status-empty.json')])
        self.assertNotIn('scope', res)


class AbsentTest(ModuleRun):
    def test_nothing_applied_is_ok_and_unchanged(self):
        failed, res, calls = self.run_module({'dir': '/srv/cgi', 'state': 'absent'},
                                             [(0, 'status-empty.json')])
        self.assertFalse(failed)
        self.assertFalse(res['changed'])
        self.assertEqual(res['status'], 'absent')
        self.assertEqual(res['undone'], [])
        self.assertEqual(len(calls), 1)

    def test_another_dir_is_left_alone(self):
        failed, res, calls = self.run_module({'dir': '/srv/other', 'state': 'absent'},
                                             [(0, 'status.json')])
        self.assertFalse(failed)
        self.assertFalse(res['changed'])
        self.assertEqual(len(calls), 1)

    def test_undo_by_dir(self):
        failed, res, calls = self.run_module({'dir': '/srv/cgi', 'state': 'absent'},
                                             [(0, 'status.json'), (0, 'undone.json')])
        self.assertFalse(failed)
        self.assertTrue(res['changed'])
        self.assertEqual(res['status'], 'undone')
        self.assertEqual(res['undone'], ['1'])
        self.assertEqual(calls[1][0], [CGISETUP, '--undo', '--dir', '/srv/cgi', '--json'])

    def test_two_entries_for_the_dir_are_both_taken_back(self):
        doc = fixture('undone.json')
        doc['id'] = '2'
        failed, res, calls = self.run_module({'dir': '/srv/cgi', 'state': 'absent'},
                                             [(0, 'status-2.json'), (0, json.dumps(doc)),
                                              (0, 'undone.json')])
        self.assertFalse(failed)
        self.assertEqual(res['undone'], ['2', '1'])
        self.assertEqual(len(calls), 3)

    def test_undo_warnings_become_ansible_warnings(self):
        status = {'schema_version': 1, 'recovered': 0, 'applied': [{'dir': '/srv/a', 'id': '1'}]}
        failed, res, dummy = self.run_module({'dir': '/srv/a', 'state': 'absent'},
                                             [(0, json.dumps(status)), (0, 'undone-warning.json')])
        self.assertFalse(failed)
        self.assertEqual(res['warnings'], ["kept directory '/srv': it is not empty"])

    def test_check_mode_is_the_undo_dry_run(self):
        failed, res, calls = self.run_module({'dir': '/srv/cgi', 'state': 'absent'},
                                             [(0, 'status.json'), (0, 'undo-dry-run.json')],
                                             check_mode=True, diff=True)
        self.assertFalse(failed)
        self.assertTrue(res['changed'])
        self.assertEqual(res['status'], 'dry-run')
        self.assertEqual(res['diff'], {'prepared': fixture('undo-dry-run.json')['diff']})
        self.assertEqual(calls[1][0][-1], '--dry-run')

    def test_diff_mode_on_a_real_undo_asks_for_the_dry_run_first(self):
        failed, res, calls = self.run_module({'dir': '/srv/cgi', 'state': 'absent'},
                                             [(0, 'status.json'), (0, 'undo-dry-run.json'),
                                              (0, 'undone.json')], diff=True)
        self.assertFalse(failed)
        self.assertTrue(res['changed'])
        self.assertEqual(res['status'], 'undone')
        self.assertEqual(res['undone'], ['1'])
        self.assertEqual(res['diff'], {'prepared': fixture('undo-dry-run.json')['diff']})
        self.assertEqual([c[0][-1] for c in calls], ['--json', '--dry-run', '--json'])

    def test_refused_when_it_cannot_be_taken_back_alone(self):
        failed, res, dummy = self.run_module({'dir': '/srv/cgi', 'state': 'absent'},
                                             [(0, 'status-2.json'),
                                              (2, 'undo-refused-same-dir.json')])
        self.assertTrue(failed)
        self.assertTrue(res['msg'].startswith(
            'cannot take back the change alone: cannot undo change 1'))
        self.assertIn('undo that one first', res['msg'])
        self.assertEqual(res['undone'], [])

    def test_a_vanished_entry_fails_with_cgisetup_message(self):
        failed, res, dummy = self.run_module({'dir': '/srv/cgi', 'state': 'absent'},
                                             [(0, 'status.json'), (2, 'undo-none.json')])
        self.assertTrue(failed)
        self.assertIn("no change by cgisetup for '/srv/cgi' to undo", res['msg'])


class ActionTest(unittest.TestCase):
    def test_no_python_is_recognized(self):
        action = load_plugin('cgisetup_cgi_action', 'plugins/action/cgi.py')
        # Recorded from ansible-playbook against a rig container without python3.
        res = {'failed': True, 'rc': 127, 'module_stdout': '',
               'module_stderr': '/bin/sh: 1: /usr/bin/python: not found\n',
               'msg': 'The module failed to execute correctly, you probably need to set the '
                      'interpreter.\nSee stdout/stderr for the exact error'}
        self.assertTrue(action.no_python(res))
        msg = action.no_python_message(res, '/usr/bin/python')
        self.assertIn('needs Python 3 on the target', msg)
        self.assertIn('/usr/bin/python: not found', msg)
        other = copy.deepcopy(res)
        other['module_stderr'] = 'Traceback ...: KeyError'
        other['rc'] = 1
        self.assertFalse(action.no_python(other))
        self.assertFalse(action.no_python({'failed': False}))


if __name__ == '__main__':
    unittest.main()
