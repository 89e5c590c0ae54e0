# -*- coding: utf-8 -*-
# cgi.py - the controller side of cgisetup.apache.cgi: runs the module
# and, when the target has no Python to run it with, replaces Ansible's
# generic "you probably need to set the interpreter" with what is wrong
# and what to do (cgisetup itself needs no Python; the module does).
#
# SPDX-License-Identifier: GPL-2.0-or-later (as cgisetup)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.plugins.action import ActionBase
from ansible.utils.vars import merge_hash

MODULE = 'cgisetup.apache.cgi'


def no_python(result):
    """True when the module could not start for want of an interpreter."""
    if not result.get('failed') or 'module_stderr' not in result:
        return False
    err = result.get('module_stderr') or ''
    return result.get('rc') in (126, 127) and 'python' in err and (
        'not found' in err or 'No such file' in err)


def no_python_message(result, interpreter):
    return ('%s needs Python 3 on the target to run, and there is none (%s: %s). '
            'Install python3 there (Debian: apt-get install python3-minimal), or set '
            'ansible_python_interpreter; cgisetup itself needs no Python: '
            '`cgisetup --dir DIR --yes --json` also runs with ansible.builtin.raw.'
            % (MODULE, interpreter or 'the interpreter',
               (result.get('module_stderr') or '').strip()))


class ActionModule(ActionBase):
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        if result.get('skipped'):
            return result
        try:
            result = merge_hash(result, self._execute_module(module_name=MODULE,
                                                             module_args=self._task.args,
                                                             task_vars=task_vars))
        finally:
            # The temporary directory on the target (as the normal action does).
            self._remove_tmp_path(self._connection._shell.tmpdir)
        if no_python(result):
            interpreter = (result.get('ansible_facts') or {}).get(
                'discovered_interpreter_python')
            result['msg'] = no_python_message(result, interpreter)
            result['status'] = 'no-python'
        return result
