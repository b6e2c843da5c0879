"""Offline stand-in for ansible-test's pip bootstrap script (get-pip.py).

ansible-test creates empty virtualenvs and fills them by running get-pip.py, which it
downloads from ci-files.testing.ansible.com; CI here reaches only the package indexes.
This does the same job from what every CPython has: ensurepip installs the bundled pip,
and that pip installs what ansible-test asked for (the pinned pip, setuptools, wheel)
from the package index. Only get-pip's own options are translated.
"""

import ensurepip
import os
import runpy
import sys

args = sys.argv[1:]
packages = []
for name in ("setuptools", "wheel"):
    if f"--no-{name}" in args:
        args.remove(f"--no-{name}")
    else:
        packages.append(name)

environment = dict(os.environ)
ensurepip.bootstrap(upgrade=False)
# ensurepip points PIP_CONFIG_FILE at /dev/null for its own run; the install below must see the
# machine's pip configuration (index, certificates) again.
os.environ.clear()
os.environ.update(environment)
sys.argv = ["pip", "install", *args, *packages]
runpy.run_module("pip", run_name="__main__", alter_sys=True)
