"""`python -m emulator --port N [--seed sandbox|eu|scale:N|path.yml|none]`: run the emulator in
the foreground, seeded with a topology (default: the sandbox).

Prints `endpoint: http://127.0.0.1:N` once it is ready to answer; stops on SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys


def _stop(*_args) -> None:
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PORT", "0") or 0),
        help="TCP port on 127.0.0.1; 0 picks a free one (default)",
    )
    parser.add_argument(
        "--seed",
        default="sandbox",
        help="topology to seed: a name (sandbox, eu), scale:N, a path to a .yml, or 'none' for an empty emulator",
    )
    args = parser.parse_args()
    seed = None if args.seed == "none" else args.seed
    if seed is not None:
        from .topology import TopologyError, load

        try:
            seed = load(seed)  # a bad file fails here, with its reason, before a port is taken
        except TopologyError as error:
            sys.exit(f"--seed {args.seed}: {error}")

    if "MOTO_ACCOUNT_ID" in os.environ:
        sys.exit("MOTO_ACCOUNT_ID is set: it would make every account the same; unset it")
    from .server import EmulatorServer

    server = EmulatorServer(port=args.port, seed=seed)
    signal.signal(signal.SIGTERM, _stop)
    print(f"endpoint: {server.endpoint}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
