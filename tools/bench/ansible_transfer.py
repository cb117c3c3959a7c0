"""The baseline of the transfer benchmark: ansible-core's own winrm connection moves a file
from one host to another through the controller, ``fetch_file`` then ``put_file``.

Run as its own process (``python ansible_transfer.py SPEC.json``) so its memory and CPU are
measured apart from the benchmark driver; prints one JSON line with the two phases' times.
SPEC: ``{"source": {"address", "port"}, "destination": {...}, "user", "password",
"source_path", "dest_path", "local_path"}``.
"""

from __future__ import annotations

import json
import os
import sys
import time

from ansible.playbook.play_context import PlayContext
from ansible.plugins.loader import connection_loader


def connect(host: dict, spec: dict):
    """ansible's winrm plugin with the options an inventory would give (NTLM, sealed)."""
    connection = connection_loader.get("winrm", PlayContext(), None)
    connection.set_options(var_options={
        "ansible_host": host["address"], "ansible_port": host["port"], "ansible_user": spec["user"],
        "ansible_password": spec["password"], "ansible_winrm_transport": "ntlm",
        "ansible_winrm_scheme": "http", "_extras": {"ansible_winrm_message_encryption": "always"},
    })
    return connection


def main(path: str) -> int:
    with open(path, encoding="utf-8") as handle:
        spec = json.load(handle)
    start = time.monotonic()
    source = connect(spec["source"], spec)
    try:
        source.fetch_file(spec["source_path"], spec["local_path"])
    finally:
        source.close()
    fetched = time.monotonic()
    destination = connect(spec["destination"], spec)
    try:
        destination.put_file(spec["local_path"], spec["dest_path"])  # checks the remote SHA-1
    finally:
        destination.close()
    done = time.monotonic()
    size = os.path.getsize(spec["local_path"])
    os.remove(spec["local_path"])
    print(json.dumps({"fetch_seconds": fetched - start, "put_seconds": done - fetched, "size": size}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
