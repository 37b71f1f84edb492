#!/usr/bin/python3
"""Asks Alembic's own revision code what it does with a target: the oracle of alembic-corpus.mjs.

Reads JSON on stdin: {"graphs": [{"revisions": [{"id", "down": [..], "labels": [..], "deps": [..]}],
"cases": [{"op": "upgrade"|"downgrade"|"stamp"|"resolve", "current": [..], "target": str,
"targets": [..] (stamp), "purge": bool (stamp)}]}]} and writes the same JSON with an "alembic"
answer on every case: {"ok": true, "steps": [ids in order], "heads": [rows after, sorted],
"warnings": [..]} or {"ok": false, "error": "<class of the root cause>", "message": ".."};
for "resolve", {"ok": true, "revisions": [ids, sorted]} (get_revisions, `()` = base).

It calls what `alembic upgrade/downgrade/stamp` call (ScriptDirectory._upgrade_revs,
_downgrade_revs, _stamp_revs on a RevisionMap of plain revisions) and keeps the version-table
rows with Alembic's HeadMaintainer, minus the database. Needs /usr/bin/python3 with Alembic
(Debian python3-alembic 1.8.1).
"""
import json
import sys
import types
import warnings

import alembic
from alembic.runtime.migration import HeadMaintainer
from alembic.script.base import ScriptDirectory
from alembic.script.revision import Revision, RevisionMap


def _noop(**_kw):
    return None


class FakeScript(Revision):
    """A Revision with the `module` and `doc` a migration step reads."""

    def __init__(self, r):
        down = None if not r['down'] else (r['down'][0] if len(r['down']) == 1 else tuple(r['down']))
        super().__init__(r['id'], down, dependencies=tuple(r['deps']) or None, branch_labels=tuple(r['labels']) or None)
        self.module = types.SimpleNamespace(upgrade=_noop, downgrade=_noop)
        self.doc = ''


class Rows(HeadMaintainer):
    """Alembic's HeadMaintainer over a set, not a table (the same asserts and set operations)."""

    def __init__(self, heads):  # noqa: D107 - no context needed
        self.heads = set(heads)

    def _insert_version(self, version):
        assert version not in self.heads
        self.heads.add(version)

    def _delete_version(self, version):
        self.heads.remove(version)

    def _update_version(self, from_, to_):
        assert to_ not in self.heads
        self.heads.remove(from_)
        self.heads.add(to_)


def directory(revisions):
    scripts = [FakeScript(r) for r in revisions]
    sd = object.__new__(ScriptDirectory)
    sd.revision_map = RevisionMap(lambda: scripts)
    return sd


def failure(e):
    root = e.__cause__ if isinstance(e, alembic.util.CommandError) and e.__cause__ is not None else e
    return {'ok': False, 'error': type(root).__name__, 'message': str(e)[:120]}


def answer(sd, case):
    current = tuple(case['current'])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        try:
            op = case['op']
            if op == 'resolve':
                got = sd.revision_map.get_revisions(case['target'])
                return {'ok': True, 'revisions': sorted(r.revision for r in got if r is not None and r != 'base')}
            if op == 'upgrade':
                steps = sd._upgrade_revs(case['target'], current)
            elif op == 'downgrade':
                steps = sd._downgrade_revs(case['target'], current)
            elif op == 'stamp':
                heads = () if case.get('purge') else current
                steps = sd._stamp_revs(tuple(case['targets']), heads)
                current = heads
            else:
                raise ValueError(op)
            rows = Rows(current)
            ran = []
            for step in steps:
                if op != 'stamp':
                    ran.append(step.revision.revision)
                rows.update_to_step(step)
            out = {'ok': True, 'heads': sorted(rows.heads)}
            if op != 'stamp':
                out['steps'] = ran
        except Exception as e:  # noqa: BLE001 - Alembic's refusal (or crash) is the answer
            out = failure(e)
        msgs = sorted({str(w.message) for w in caught})
        if msgs:
            out['warnings'] = msgs
        return out


def main():
    spec = json.load(sys.stdin)
    for graph in spec['graphs']:
        sd = directory(graph['revisions'])
        for case in graph['cases']:
            case['alembic'] = answer(sd, case)
    spec['alembicVersion'] = alembic.__version__
    json.dump(spec, sys.stdout)


if __name__ == '__main__':
    main()
