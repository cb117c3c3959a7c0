"""Offline stand-in for ansible-test's pip bootstrap script (get-pip.py).

ansible-test creates each sanity-test virtualenv without pip and bootstraps pip with a
get-pip.py it downloads from a host these machines cannot reach.  It first looks in its
cache, ~/.ansible/test/cache/get_pip_<pip version with underscores>.py, and runs that file
as a module with get-pip's arguments, e.g.

    --disable-pip-version-check pip==25.2 --no-setuptools --no-wheel

`make sanity` copies this file there (tools/install_get_pip_standin.py).  It bootstraps pip
from the standard library's bundled wheel (ensurepip) and then lets that pip install what was
asked for, from the registry, with the machine's own pip configuration.

Both steps run in child processes: ensurepip.bootstrap() points PIP_CONFIG_FILE at the null
device in its own process, so a pip run in that same process would ignore the machine's pip
configuration (its certificate bundle, its indexes) and fail.  --no-setuptools and --no-wheel
are options of the real get-pip.py, not of pip, and are dropped.
"""

import os
import re
import subprocess
import sys

GET_PIP_ONLY_OPTIONS = ("--no-setuptools", "--no-wheel", "--no-pip")


def main():
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_OPTIONS]
    if not any(re.match(r"^pip($|[=<>!~ \[])", arg) for arg in args):
        args.append("pip")

    env = dict(os.environ)
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"], env=env)
    return subprocess.call([sys.executable, "-m", "pip", "install"] + args, env=env)


if __name__ == "__main__":
    sys.exit(main())
