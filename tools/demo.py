"""``make demo``: start the lab plant on the twin and run the collection's main job against it.

Today the main job is reading every server's facts through WinRM (NTLM with message
encryption); later issues turn it into the full redundant update. The plant is stopped at the
end whatever happened, and the twin's timeline is summarised.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

from devenv import ROOT, collection_path

SPEC = ROOT / "inventories" / "lab" / "twin-plant.yml"
INVENTORY = ROOT / "inventories" / "lab" / "hosts.yml"
PLAYBOOK = ROOT / "playbooks" / "host_facts.yml"
STATE_DIR = ROOT / "build" / "demo"


def twin(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "scada_twin", *args], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"scada-twin {args[0]} failed: {done.stderr.strip()}")
    return done.stdout


def main() -> int:
    env = {**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(collection_path()),
           "ANSIBLE_NOCOLOR": os.environ.get("ANSIBLE_NOCOLOR", "1")}
    info = json.loads(twin("start", str(SPEC), "--state-dir", str(STATE_DIR)))
    print(f"twin plant 'lab' running: {', '.join(f'{n} at {a}' for n, a in info['hosts'].items())}")
    try:
        playbook = [str(pathlib.Path(sys.executable).parent / "ansible-playbook"),
                    "-i", str(INVENTORY), str(PLAYBOOK), *sys.argv[1:]]
        rc = subprocess.run(playbook, env=env, check=False).returncode
        events = json.loads(twin("timeline", "--state-dir", str(STATE_DIR)))
        operations = [e for e in events if e["kind"] == "operation"]
        print(f"\ntwin timeline: {len(events)} events, {len(operations)} operations run: "
              + ", ".join(f"{e['data']['operation']} on {e['host']}" for e in operations))
    finally:
        twin("stop", "--state-dir", str(STATE_DIR))
    return rc


if __name__ == "__main__":
    sys.exit(main())
